// Hang detection: a blocking call that nothing scheduled can complete returns
// kHangErrno at once (in real time), with a HangReport and a state dump; the
// hardened emulation facing the same flood ends at its deadline instead.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <memory>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "src/pair/socket_pair.h"
#include "src/sim/sim_kernel.h"
#include "src/sys/errno_name.h"
#include "src/sys/step_error.h"
#include "src/sys/unique_fd.h"

namespace sockfi {
namespace {

std::unique_ptr<SimKernel> FloodedKernel() {
  SimConfig config;
  config.flood = FloodSpec{ActorTrigger::kAfterListen, 1};
  return *SimKernel::Create(config);
}

// The classic emulation: listener backlog 1 on 127.0.0.1:0, non-blocking
// connect, blocking accept, no deadline. Returns accept's errno (0 on success).
int ClassicPair(Syscalls& sys) {
  UniqueFd listener(sys, *sys.Socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sys.Bind(listener.get(), SockAddr::Loopback(AF_INET)).ok()) return -1;
  if (!sys.Listen(listener.get(), 1).ok()) return -1;
  const SockAddr address = *sys.GetSockName(listener.get());
  UniqueFd client(sys, *sys.Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
  SysStatus connecting = sys.Connect(client.get(), address);
  if (!connecting.ok() && connecting.error() != EINPROGRESS) return -1;
  SysResult<AcceptedSocket> accepted = sys.Accept4(listener.get(), 0);
  if (!accepted.ok()) return accepted.error();
  UniqueFd server(sys, accepted->fd);
  return 0;
}

TEST(HangTest, ClassicAlgorithmFacingAFloodHangsInAccept) {
  std::unique_ptr<SimKernel> sim = FloodedKernel();
  const absl::Time real_start = absl::Now();
  EXPECT_EQ(ClassicPair(*sim), kHangErrno);
  EXPECT_LT(absl::Now() - real_start, absl::Seconds(1));
  ASSERT_TRUE(sim->hang().has_value());
  const HangReport& hang = *sim->hang();
  EXPECT_EQ(hang.call, "accept");
  EXPECT_EQ(hang.fd, 3);  // the listener
  // Our SYN was retransmitted until it timed out (127 s) before nothing was
  // left.
  EXPECT_EQ(hang.at - absl::UnixEpoch(), absl::Seconds(127));
  EXPECT_TRUE(absl::StrContains(hang.dump, "LISTEN")) << hang.dump;
  EXPECT_TRUE(absl::StrContains(hang.dump, "accept queue 2/2 FULL"))
      << hang.dump;
  EXPECT_TRUE(absl::StrContains(hang.dump, "flood holds 2 slots")) << hang.dump;
  EXPECT_TRUE(absl::StrContains(hang.dump, "ETIMEDOUT")) << hang.dump;
  // Close worked on the way out: no fd is left.
  EXPECT_EQ(sim->open_fd_count(), 0);
}

TEST(HangTest, AfterAHangEveryCallButCloseReturnsEhang) {
  std::unique_ptr<SimKernel> sim = *SimKernel::Create(SimConfig());
  SysResult<std::array<int, 2>> pair = sim->SocketPair(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_TRUE(pair.ok());
  uint8_t byte;
  // Nobody will ever write to our own pair: a blocking recv is a hang.
  EXPECT_EQ(sim->Recv((*pair)[0], absl::MakeSpan(&byte, 1), 0).error(),
            kHangErrno);
  ASSERT_TRUE(sim->hang().has_value());
  EXPECT_EQ(sim->hang()->call, "recv");
  EXPECT_EQ(ErrnoName(kHangErrno), "EHANG");
  EXPECT_EQ(sim->Socket(AF_INET, SOCK_STREAM, 0).error(), kHangErrno);
  EXPECT_EQ(sim->GetFdFlags((*pair)[1]).error(), kHangErrno);
  pollfd p = {(*pair)[1], POLLIN, 0};
  EXPECT_EQ(sim->Poll(absl::MakeSpan(&p, 1), 0).error(), kHangErrno);
  EXPECT_TRUE(sim->Close((*pair)[0]).ok());
  EXPECT_TRUE(sim->Close((*pair)[1]).ok());
  EXPECT_EQ(sim->Close((*pair)[1]).error(), EBADF);
  EXPECT_EQ(sim->open_fd_count(), 0);
}

TEST(HangTest, PollForeverOnNothingIsAHang) {
  std::unique_ptr<SimKernel> sim = *SimKernel::Create(SimConfig());
  const int listener = *sim->Socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_TRUE(sim->Listen(listener, 1).ok());
  pollfd p = {listener, POLLIN, 0};
  EXPECT_EQ(sim->Poll(absl::MakeSpan(&p, 1), -1).error(), kHangErrno);
  ASSERT_TRUE(sim->hang().has_value());
  EXPECT_EQ(sim->hang()->call, "poll");
  EXPECT_EQ(sim->hang()->fd, listener);
  EXPECT_EQ(sim->hang()->at, absl::UnixEpoch());
}

TEST(HangTest, BlockingCallsThatTimersCompleteAreNotHangs) {
  std::unique_ptr<SimKernel> sim = *SimKernel::Create(SimConfig());
  const int listener = *sim->Socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_TRUE(sim->Bind(listener, SockAddr::Loopback(AF_INET)).ok());
  ASSERT_TRUE(sim->Listen(listener, 0).ok());
  const SockAddr to = *sim->GetSockName(listener);
  const int first = *sim->Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  EXPECT_EQ(sim->Connect(first, to).error(), EINPROGRESS);
  const int second = *sim->Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  EXPECT_EQ(sim->Connect(second, to).error(), EINPROGRESS);  // SYN dropped
  // accept takes the first; the blocking accept then waits for the
  // retransmission of the second at 1 s, which now finds room.
  ASSERT_TRUE(sim->Accept4(listener, 0).ok());
  SysResult<AcceptedSocket> accepted = sim->Accept4(listener, 0);
  ASSERT_TRUE(accepted.ok()) << ErrnoName(accepted.error());
  EXPECT_EQ(accepted->peer, *sim->GetSockName(second));
  EXPECT_EQ(sim->Now() - absl::UnixEpoch(), absl::Seconds(1));
  EXPECT_FALSE(sim->hang().has_value());
}

TEST(HangTest, HardenedEmulationFacingAFloodMeetsItsDeadline) {
  std::unique_ptr<SimKernel> sim = FloodedKernel();
  PairOptions options;
  options.timeout = absl::Seconds(3);
  const absl::Time real_start = absl::Now();
  absl::StatusOr<SocketPair> pair = MakeSocketPair(options, *sim);
  EXPECT_LT(absl::Now() - real_start, absl::Seconds(1));
  EXPECT_EQ(pair.status().code(), absl::StatusCode::kDeadlineExceeded)
      << pair.status();
  EXPECT_EQ(GetStepError(pair.status()), (StepError{"connect", ETIMEDOUT}));
  EXPECT_EQ(sim->Now() - absl::UnixEpoch(), options.timeout);
  EXPECT_FALSE(sim->hang().has_value());
  EXPECT_EQ(sim->open_fd_count(), 0);
}

}  // namespace
}  // namespace sockfi
