// Real signals every 50 us (a handler without SA_RESTART) while 10,000 pairs
// are made on the real kernel: each call ends in a proven pair or a
// propagated errno, nothing leaks, nothing hangs.

#include <cstdio>

#include "gtest/gtest.h"
#include "src/stress/signal_scenario.h"

namespace sockfi {
namespace {

TEST(SignalStressTest, TenThousandPairsUnderASignalEveryFiftyMicroseconds) {
  SignalConfig config;
  config.budget.max_runs = 10000;
  config.budget.max_duration = absl::Seconds(60);
  config.interval = absl::Microseconds(50);
  const ScenarioStats stats = RunSignalScenario(config);
  std::printf("%s", FormatStressReport({stats}).c_str());
  EXPECT_GT(stats.runs, 0);
  // The storm really ran alongside: at least one signal per ten calls.
  EXPECT_GT(stats.faults, stats.runs / 10);
  // ... and interrupted the emulation's own calls.
  EXPECT_GT(stats.figures.at("calls that failed with EINTR"), 0);
  EXPECT_EQ(stats.violations, 0);
  EXPECT_EQ(stats.leaked_fds, 0);
  EXPECT_EQ(stats.pairs_made + stats.errors_propagated, stats.runs);
}

}  // namespace
}  // namespace sockfi
