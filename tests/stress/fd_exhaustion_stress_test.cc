// Real fd exhaustion: RLIMIT_NOFILE stepped so that each fd-creating step of
// the emulation meets EMFILE in turn; the right errno and step every time, and
// the fd count and the limit back to what they were.

#include <cstdio>

#include "gtest/gtest.h"
#include "src/stress/fd_exhaustion_scenario.h"
#include "src/sys/process_fds.h"

namespace sockfi {
namespace {

TEST(FdExhaustionStressTest, EachFdCreatingStepMeetsEmfileInTurn) {
  const SysResult<ProcessFdLimit> limit_before = GetFdLimit();
  ASSERT_TRUE(limit_before.ok());
  FdExhaustionConfig config;
  config.budget.max_runs = 2000;
  config.budget.max_duration = absl::Seconds(20);
  const ScenarioStats stats = RunFdExhaustionScenario(config);
  std::printf("%s", FormatStressReport({stats}).c_str());
  EXPECT_EQ(stats.violations, 0);
  EXPECT_EQ(stats.leaked_fds, 0);
  EXPECT_GT(stats.faults, 0);
  // Every step met EMFILE, and with room for all of them pairs were made.
  for (const char* outcome :
       {"socket EMFILE", "accept EMFILE", "socketpair EMFILE", "pair"}) {
    EXPECT_GT(stats.outcomes.count(outcome), 0u) << outcome;
  }
  EXPECT_EQ(stats.pairs_made + stats.errors_propagated, stats.runs);
  const SysResult<ProcessFdLimit> limit_after = GetFdLimit();
  ASSERT_TRUE(limit_after.ok());
  EXPECT_EQ(limit_after->soft, limit_before->soft);
  EXPECT_EQ(limit_after->hard, limit_before->hard);
}

}  // namespace
}  // namespace sockfi
