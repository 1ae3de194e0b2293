// Pair churn on the real kernel: tens of thousands of pairs made and closed in
// a row must not exhaust the ephemeral ports (LINUX_SEMANTICS.md, "Churn").

#include <cstdio>

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "src/pair/socket_pair.h"
#include "src/sys/real_syscalls.h"
#include "src/sys/step_error.h"
#include "tests/testing/process_fds.h"

namespace sockfi {
namespace {

TEST(SocketPairChurnTest, FortyThousandPairsAcceptedSideClosedFirst) {
  RealSyscalls sys;
  const int before = testing::CountOpenFds();
  const absl::Time start = absl::Now();
  constexpr int kPairs = 40000;
  int failures = 0;
  for (int i = 0; i < kPairs; ++i) {
    absl::StatusOr<SocketPair> pair = MakeSocketPair(PairOptions(), sys);
    if (!pair.ok()) {
      if (++failures <= 5)
        ADD_FAILURE() << "pair " << i << ": " << pair.status();
      continue;
    }
    // The accepted end closes first, so its TIME_WAIT entry holds the
    // listener's port.
    ASSERT_TRUE(pair->fds[1].Close().ok());
    ASSERT_TRUE(pair->fds[0].Close().ok());
  }
  const absl::Duration took = absl::Now() - start;
  std::printf(
      "%d pairs (accepted side closed first) in %s: %.1f us per pair, "
      "%d failed\n",
      kPairs, absl::FormatDuration(took).c_str(),
      absl::ToDoubleMicroseconds(took) / kPairs, failures);
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(testing::CountOpenFds(), before);
}

}  // namespace
}  // namespace sockfi
