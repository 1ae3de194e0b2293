// The five lines of README.md's "The API in five lines", compiled and run.

#include <sys/socket.h>

#include <string>

#include "gtest/gtest.h"
#include "src/pair/socket_pair.h"
#include "src/sys/real_syscalls.h"
#include "src/sys/step_error.h"

namespace {

std::string ReadmeExample(absl::Span<const uint8_t> data) {
  // --- README lines start ---
  sockfi::RealSyscalls sys;  // or a SimKernel, or a FaultInjector around either
  sockfi::PairOptions
      options;  // AF_INET stream pair, 5 s deadline, addresses checked
  absl::StatusOr<sockfi::SocketPair> pair =
      sockfi::MakeSocketPair(options, sys);
  if (!pair.ok())
    return sockfi::GetStepError(pair.status())->step;  // "accept", ...
  int fd =
      pair->fds[0].get();  // fds[] are UniqueFd: both close when `pair` goes
  // --- README lines end ---
  if (!sys.Send(fd, data, MSG_NOSIGNAL).ok()) return "send failed";
  uint8_t received[8] = {};
  pollfd readable = {pair->fds[1].get(), POLLIN, 0};
  if (!sys.Poll(absl::MakeSpan(&readable, 1), 5000).ok()) return "poll failed";
  sockfi::SysResult<size_t> n = sys.Recv(pair->fds[1].get(), received, 0);
  return n.ok() ? std::string(received, received + *n) : "recv failed";
}

TEST(ReadmeApiTest, TheFiveLinesMakeAWorkingPair) {
  const uint8_t data[] = {'h', 'i'};
  EXPECT_EQ(ReadmeExample(data), "hi");
}

}  // namespace
