// Threads making and closing pairs through one shared FaultInjector on the
// real kernel, each run with a random plan of its own: every run judged, every
// error traced to its own thread's run, no fd left behind.

#include <cstdio>
#include <cstdlib>
#include <random>

#include "gtest/gtest.h"
#include "src/stress/concurrency_scenario.h"
#include "tests/stress/stress_seed.h"

namespace sockfi {
namespace {

TEST(ConcurrencyStressTest, EightThreadsShareOneInjectorWithRandomPlans) {
  ConcurrencyConfig config;
  config.threads = 8;
  config.seed = testing::StressSeed();
  config.budget.max_runs = 16000;
  config.budget.max_duration = absl::Seconds(20);
  std::printf("seed %llu (SOCKFI_STRESS_SEED=%llu repeats these plans)\n",
              static_cast<unsigned long long>(config.seed),
              static_cast<unsigned long long>(config.seed));
  const ScenarioStats stats = RunConcurrencyScenario(config);
  std::printf("%s", FormatStressReport({stats}).c_str());
  EXPECT_GT(stats.runs, 0);
  EXPECT_GT(stats.faults, 0);
  EXPECT_EQ(stats.violations, 0);
  EXPECT_EQ(stats.leaked_fds, 0);
  EXPECT_EQ(stats.pairs_made + stats.errors_propagated, stats.runs);
}

}  // namespace
}  // namespace sockfi
