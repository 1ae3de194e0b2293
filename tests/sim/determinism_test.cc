// SimKernel runs are pure functions of (config, call sequence): the same inputs
// give byte-identical traces; another seed gives other ports and random bytes.

#include <sys/socket.h>

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/pair/socket_pair.h"
#include "src/sim/sim_kernel.h"
#include "src/sys/errno_name.h"

namespace sockfi {
namespace {

SimConfig BusyConfig(uint64_t seed) {
  SimConfig config;
  config.seed = seed;
  config.record_trace = true;
  config.foreign_clients.push_back(
      {ActorTrigger::kAfterListen, 2, ForeignClientMode::kSendsGarbage});
  config.flood = FloodSpec{ActorTrigger::kAfterListen, 4};
  return config;
}

// Runs a busy scenario on `sim` (pairs of every family and check, a foreign
// client, a flood that makes one attempt time out, transfers) and returns the
// trace and the state it ends in. The last pair stays open.
std::vector<std::string> RunBusy(SimKernel& sim) {
  absl::StatusOr<SocketPair> pair;
  for (int i = 0; i < 6; ++i) {
    PairOptions options;
    options.family = i % 3 == 2 ? AF_INET6 : AF_INET;
    options.peer_check = static_cast<PeerCheck>(i % 3);
    options.timeout = absl::Seconds(2);
    pair = MakeSocketPair(options, sim);
    if (!pair.ok()) continue;
    const uint8_t bytes[3] = {1, 2, 3};
    (void)sim.Send(pair->fds[0].get(), bytes, 0);
    uint8_t buffer[8];
    (void)sim.Recv(pair->fds[1].get(), absl::MakeSpan(buffer), 0);
  }
  std::vector<std::string> trace = sim.trace();
  trace.push_back(sim.DumpState());
  return trace;
}

// Runs the busy scenario on a new kernel and returns the trace.
std::vector<std::string> RunScenario(uint64_t seed) {
  absl::StatusOr<std::unique_ptr<SimKernel>> sim =
      SimKernel::Create(BusyConfig(seed));
  EXPECT_TRUE(sim.ok());
  if (!sim.ok()) return {};
  return RunBusy(**sim);
}

TEST(DeterminismTest, SameSeedGivesTheSameTrace) {
  const std::vector<std::string> first = RunScenario(42);
  const std::vector<std::string> second = RunScenario(42);
  ASSERT_GT(first.size(), 100u);
  EXPECT_EQ(first, second);
}

TEST(DeterminismTest, TraceShowsTheActorsAndTheTimeout) {
  const std::vector<std::string> trace = RunScenario(42);
  auto contains = [&](const std::string& text) {
    for (const std::string& line : trace) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(contains("foreign client (sends garbage)"));
  EXPECT_TRUE(contains("flood starts"));
  EXPECT_TRUE(contains("accept queue full, dropped"));
  EXPECT_TRUE(contains("SYN retransmission 1"));
}

TEST(DeterminismTest, AResetKernelRunsAsANewOne) {
  // Dirty the kernel every way the busy scenario can (open fds, TIME_WAIT,
  // timers, actors, a flooded listener), then also hang it.
  SimConfig dirty = BusyConfig(5);
  dirty.fd_limit = 64;
  std::unique_ptr<SimKernel> sim = *SimKernel::Create(dirty);
  RunBusy(*sim);
  const int listener = *sim->Socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_TRUE(sim->Listen(listener, 1).ok());
  ASSERT_EQ(sim->Accept4(listener, 0).error(), kHangErrno);
  ASSERT_TRUE(sim->hang().has_value());

  ASSERT_TRUE(sim->Reset(BusyConfig(42)).ok());
  EXPECT_FALSE(sim->hang().has_value());
  EXPECT_EQ(RunBusy(*sim), RunScenario(42));
  ASSERT_TRUE(sim->Reset(BusyConfig(42)).ok());
  EXPECT_EQ(RunBusy(*sim), RunScenario(42));
}

TEST(DeterminismTest, ResetRefusesABadConfigAndKeepsTheKernel) {
  std::unique_ptr<SimKernel> sim = *SimKernel::Create(BusyConfig(42));
  const int fd = *sim->Socket(AF_INET, SOCK_STREAM, 0);
  SimConfig bad;
  bad.fd_limit = 0;
  EXPECT_EQ(sim->Reset(bad).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(sim->open_fds(), std::vector<int>{fd});
  EXPECT_EQ(sim->config().seed, 42u);
}

TEST(DeterminismTest, DifferentSeedsDiffer) {
  EXPECT_NE(RunScenario(1), RunScenario(2));
}

TEST(DeterminismTest, GetRandomFollowsTheSeed) {
  auto draw = [](uint64_t seed) {
    SimConfig config;
    config.seed = seed;
    std::unique_ptr<SimKernel> sim = *SimKernel::Create(config);
    std::vector<uint8_t> bytes(19);
    EXPECT_TRUE(sim->GetRandom(absl::MakeSpan(bytes)).ok());
    return bytes;
  };
  EXPECT_EQ(draw(7), draw(7));
  EXPECT_NE(draw(7), draw(8));
}

}  // namespace
}  // namespace sockfi
