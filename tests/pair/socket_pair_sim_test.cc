// MakeSocketPair on SimKernel: the shared suite, plus what only a simulator can
// stage exactly (a foreign client right after listen in every mode, a flood, fd
// limits at each step) and check exactly (virtual deadlines, actors' view of
// their connection).

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "src/pair/socket_pair.h"
#include "src/sim/sim_kernel.h"
#include "src/sys/step_error.h"
#include "tests/pair/socket_pair_suite.h"

namespace sockfi::testing {
namespace {

std::unique_ptr<SimKernel> MakeKernel(SimConfig config = SimConfig()) {
  absl::StatusOr<std::unique_ptr<SimKernel>> kernel = SimKernel::Create(config);
  if (!kernel.ok()) return nullptr;
  return *std::move(kernel);
}

PairBackend SimBackend() {
  return {"Sim", [] { return std::unique_ptr<Syscalls>(MakeKernel()); },
          [](Syscalls& backend) {
            return static_cast<SimKernel&>(backend).open_fd_count();
          }};
}

INSTANTIATE_TEST_SUITE_P(Sim, SocketPairSuite, ::testing::Values(SimBackend()),
                         BackendName);

const char* ModeName(ForeignClientMode mode) {
  switch (mode) {
    case ForeignClientMode::kCompletesSilently:
      return "silent";
    case ForeignClientMode::kSendsGarbage:
      return "garbage";
    case ForeignClientMode::kHalfOpen:
      return "half-open";
    case ForeignClientMode::kHangsUp:
      return "hangs up";
  }
  return "?";
}

TEST(SocketPairSimTest, ForeignClientRightAfterListenIsRejectedAndClosed) {
  for (ForeignClientMode mode :
       {ForeignClientMode::kCompletesSilently, ForeignClientMode::kSendsGarbage,
        ForeignClientMode::kHalfOpen, ForeignClientMode::kHangsUp}) {
    for (PeerCheck check : {PeerCheck::kAddresses, PeerCheck::kToken,
                            PeerCheck::kAddressesAndToken}) {
      SCOPED_TRACE(::testing::Message()
                   << ModeName(mode) << " check " << static_cast<int>(check));
      SimConfig config;
      config.foreign_clients.push_back({ActorTrigger::kAfterListen, 1, mode});
      std::unique_ptr<SimKernel> sim = MakeKernel(config);
      ASSERT_NE(sim, nullptr);
      PairOptions options;
      options.peer_check = check;
      {
        absl::StatusOr<SocketPair> pair = MakeSocketPair(options, *sim);
        ASSERT_TRUE(pair.ok()) << pair.status();
        const int ours = pair->fds[0].get();
        const int accepted = pair->fds[1].get();
        EXPECT_EQ(*sim->GetPeerName(accepted), *sim->GetSockName(ours));
        EXPECT_EQ(*sim->GetPeerName(ours), *sim->GetSockName(accepted));
        EXPECT_EQ(sim->open_fd_count(), 2);

        std::vector<ActorClientInfo> actors = sim->actor_clients();
        ASSERT_EQ(actors.size(), 1u);
        if (mode == ForeignClientMode::kHalfOpen) {
          // Never connected, so never queued: nothing to reject.
          EXPECT_EQ(actors[0].state, "HALF_OPEN");
        } else if (mode == ForeignClientMode::kHangsUp) {
          // It closed first, so its socket lingers in TIME_WAIT; ours read
          // end of stream or failed the address check, and was closed.
          EXPECT_EQ(actors[0].state, "TIME_WAIT");
          EXPECT_NE(*sim->GetPeerName(accepted), actors[0].local);
        } else {
          // The foreign connection was accepted, recognised and closed by us.
          EXPECT_TRUE(actors[0].closed_by_peer) << actors[0].state;
          EXPECT_NE(*sim->GetPeerName(accepted), actors[0].local);
        }
      }
      EXPECT_EQ(sim->open_fd_count(), 0);
    }
  }
}

TEST(SocketPairSimTest, FloodEndsInDeadlineExceededAtTheVirtualDeadline) {
  for (PeerCheck check : {PeerCheck::kAddresses, PeerCheck::kToken}) {
    SimConfig config;
    config.flood = FloodSpec{ActorTrigger::kAfterListen, 1};
    std::unique_ptr<SimKernel> sim = MakeKernel(config);
    ASSERT_NE(sim, nullptr);
    PairOptions options;
    options.peer_check = check;
    options.timeout = absl::Seconds(5);
    const absl::Time virtual_start = sim->Now();
    const absl::Time real_start = absl::Now();
    absl::StatusOr<SocketPair> pair = MakeSocketPair(options, *sim);
    const absl::Duration real_elapsed = absl::Now() - real_start;
    EXPECT_EQ(pair.status().code(), absl::StatusCode::kDeadlineExceeded)
        << pair.status();
    EXPECT_EQ(GetStepError(pair.status()), (StepError{"connect", ETIMEDOUT}))
        << pair.status();
    // Rounded up to the next millisecond by the emulation: never before it.
    EXPECT_EQ(sim->Now() - virtual_start, options.timeout);
    EXPECT_LT(real_elapsed, absl::Seconds(1));
    EXPECT_FALSE(sim->hang().has_value());
    EXPECT_EQ(sim->open_fd_count(), 0);
  }
}

TEST(SocketPairSimTest, FdLimitAtEachStepIsReportedWithNoLeak) {
  for (const FdStep& step : FdCreatingSteps()) {
    for (int family : {AF_INET, AF_INET6}) {
      SCOPED_TRACE(::testing::Message()
                   << "room " << step.room << " family " << family);
      SimConfig config;
      std::unique_ptr<SimKernel> sim = MakeKernel(config);
      ASSERT_NE(sim, nullptr);
      sim->SetFdLimit(config.first_fd + step.room);
      PairOptions options;
      options.family = family;
      absl::StatusOr<SocketPair> pair = MakeSocketPair(options, *sim);
      EXPECT_EQ(pair.status().code(), absl::StatusCode::kResourceExhausted)
          << pair.status();
      EXPECT_EQ(GetStepError(pair.status()), step.expected) << pair.status();
      EXPECT_EQ(sim->open_fd_count(), 0);
      EXPECT_FALSE(sim->hang().has_value());
    }
  }
  // socketpair(2) needs two fds.
  for (int room : {0, 1}) {
    SimConfig config;
    std::unique_ptr<SimKernel> sim = MakeKernel(config);
    ASSERT_NE(sim, nullptr);
    sim->SetFdLimit(config.first_fd + room);
    PairOptions options;
    options.family = AF_UNIX;
    absl::StatusOr<SocketPair> pair = MakeSocketPair(options, *sim);
    EXPECT_EQ(GetStepError(pair.status()), (StepError{"socketpair", EMFILE}));
    EXPECT_EQ(sim->open_fd_count(), 0);
  }
  // With room for three, it works.
  SimConfig config;
  std::unique_ptr<SimKernel> sim = MakeKernel(config);
  ASSERT_NE(sim, nullptr);
  sim->SetFdLimit(config.first_fd + 3);
  EXPECT_TRUE(MakeSocketPair(PairOptions(), *sim).ok());
}

TEST(SocketPairSimTest, SystemWideFileLimitGivesEnfile) {
  SimConfig config;
  config.system_fd_limit = config.first_fd + 2;  // the listener and the client
  std::unique_ptr<SimKernel> sim = MakeKernel(config);
  ASSERT_NE(sim, nullptr);
  absl::StatusOr<SocketPair> pair = MakeSocketPair(PairOptions(), *sim);
  EXPECT_EQ(GetStepError(pair.status()), (StepError{"accept", ENFILE}))
      << pair.status();
  EXPECT_EQ(sim->open_fd_count(), 0);
}

}  // namespace
}  // namespace sockfi::testing
