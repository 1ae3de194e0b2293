// The concurrency scenario: threads making and closing pairs at once through
// one shared FaultInjector over the real kernel, each run with a random plan
// of its own (a ThreadRun), every run judged by the oracles.

#ifndef SOCKFI_SRC_STRESS_CONCURRENCY_SCENARIO_H_
#define SOCKFI_SRC_STRESS_CONCURRENCY_SCENARIO_H_

#include <cstdint>

#include "absl/time/time.h"
#include "src/stress/scenario_stats.h"

namespace sockfi {

struct ConcurrencyConfig {
  int threads = 8;
  StressBudget budget;  // runs counted over all threads
  // Seeds the plans: thread t's k-th plan depends only on (seed, t, k).
  uint64_t seed = 1;
  // Each run's deadline (PairOptions::timeout), and how late past it a run may
  // return with threads contending for the cores.
  absl::Duration pair_timeout = absl::Milliseconds(300);
  absl::Duration deadline_slack = absl::Milliseconds(500);
};

// Runs `config.threads` threads until the budget is spent; each makes pairs
// with the hardened emulation through one FaultInjector shared by all, each
// call inside a ThreadRun of a random realistic plan (RandomPlans) with real
// actors of its own, and judges it (RunJudged). A violation is a run the
// oracles fault, an error with nothing in its own thread's run to cause it, a
// call the shared injector saw outside every thread's run, or a setup failure.
// leaked_fds compares the process's open fds before and after. `progress`
// (may be null) is called about every 100 ms from the calling thread.
ScenarioStats RunConcurrencyScenario(const ConcurrencyConfig& config,
                                     const StressProgress& progress = nullptr);

}  // namespace sockfi

#endif  // SOCKFI_SRC_STRESS_CONCURRENCY_SCENARIO_H_
