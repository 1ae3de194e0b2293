// The signal scenario: pairs made while an interval timer interrupts the
// thread making them every few tens of microseconds.

#ifndef SOCKFI_SRC_STRESS_SIGNAL_SCENARIO_H_
#define SOCKFI_SRC_STRESS_SIGNAL_SCENARIO_H_

#include "absl/time/time.h"
#include "src/stress/scenario_stats.h"

namespace sockfi {

struct SignalConfig {
  StressBudget budget = {10000, absl::Seconds(60)};
  // How often the timer sends SIGALRM to the thread making pairs.
  absl::Duration interval = absl::Microseconds(50);
  // Each pair's deadline, and how late past it a call may return.
  absl::Duration pair_timeout = absl::Seconds(1);
  absl::Duration deadline_slack = absl::Milliseconds(500);
  // The deadline of the runs whose listen queue a flood keeps full.
  absl::Duration flood_timeout = absl::Milliseconds(20);
};

// Starts a SignalStorm on the calling thread and, until the budget is spent,
// makes pairs on the real kernel through a FaultInjector with no plan (for the
// trace), cycling through RandomPlans::DefaultVariants, each call judged by
// every oracle (RunJudged): a pair must be proven, an error must be one the
// oracles trace to what the kernel said (an EINTR given up on after retrying,
// a deadline a flood explains, ...). One run in a hundred has a real flood
// (flood@listen#1) keep its listen queue full, so that the emulation blocks
// in poll until flood_timeout while signals interrupt it: nothing else in its
// path blocks on loopback. Faults are the signals delivered. `progress` (may
// be null) is called about every 100 ms, between calls.
ScenarioStats RunSignalScenario(const SignalConfig& config,
                                const StressProgress& progress = nullptr);

}  // namespace sockfi

#endif  // SOCKFI_SRC_STRESS_SIGNAL_SCENARIO_H_
