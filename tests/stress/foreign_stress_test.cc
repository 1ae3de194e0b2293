// Real foreign connections: a thread connects to every listener the emulation
// opens (queued before ours, or racing it), and a flood keeps the queue full
// now and then. No pair is ever a foreign connection, every foreign
// connection the emulation accepted is closed, and a full queue ends the call
// by its deadline plus a stated slack (250 ms).

#include <cstdio>

#include "gtest/gtest.h"
#include "src/stress/foreign_scenario.h"

namespace sockfi {
namespace {

TEST(ForeignStressTest, IntruderOnEveryListenerAndFloodsNeverWin) {
  ForeignConfig config;
  config.budget.max_runs = 1200;
  config.budget.max_duration = absl::Seconds(30);
  config.deadline_slack = absl::Milliseconds(250);
  const ScenarioStats stats = RunForeignScenario(config);
  std::printf("%s", FormatStressReport({stats}).c_str());
  EXPECT_EQ(stats.violations, 0);
  EXPECT_EQ(stats.leaked_fds, 0);
  EXPECT_GT(stats.figures.at("intruder connections established"), 0);
  EXPECT_GT(stats.figures.at("runs with a flood"), 0);
  EXPECT_GT(stats.foreign_rejected, 0);
  EXPECT_GT(
      stats.figures.at(
          "intruder connections accepted (and rejected) by the emulation"),
      0);
  // Each intruder connection was ended, or is one Linux left half-open.
  EXPECT_EQ(
      stats.figures.at(
          "intruder connections ended (closed, or reset with the listener)") +
          stats.figures.at(
              "intruder connections the listener's close left half-open"),
      stats.figures.at("intruder connections established"));
  EXPECT_EQ(stats.pairs_made + stats.errors_propagated, stats.runs);
}

}  // namespace
}  // namespace sockfi
