// The fd exhaustion scenario: RLIMIT_NOFILE lowered so that each fd-creating
// step of the emulation meets a real EMFILE in turn.

#ifndef SOCKFI_SRC_STRESS_FD_EXHAUSTION_SCENARIO_H_
#define SOCKFI_SRC_STRESS_FD_EXHAUSTION_SCENARIO_H_

#include "absl/time/time.h"
#include "src/stress/scenario_stats.h"

namespace sockfi {

struct FdExhaustionConfig {
  StressBudget budget = {2000, absl::Seconds(20)};
};

// Cycles, until the budget is spent, through pair variants (inet with each
// peer check, inet with SOCK_NONBLOCK|SOCK_CLOEXEC, inet6 where this machine
// has ::1, unix) and, for each, through the rooms its fd-creating steps need:
// with room for r more fds (RLIMIT_NOFILE's soft limit set to the (r+1)-th
// lowest free fd) the step that needs the (r+1)-th fd must fail with EMFILE —
// inet: the listener's socket, the connecting socket, accept; unix:
// socketpair — and with room for all of them the pair must be made. Each call
// runs through a FaultInjector with no plan and is judged (RunJudged); the
// limit is restored right after, and the process must then hold as many fds
// as before. A violation is a wrong outcome (errno, step or code), a verdict,
// a leak, or a limit that could not be set or restored. Faults are the calls
// made under a limit meant to fail one.
//
// The limit is the whole process's: run nothing else meanwhile.
ScenarioStats RunFdExhaustionScenario(const FdExhaustionConfig& config,
                                      const StressProgress& progress = nullptr);

}  // namespace sockfi

#endif  // SOCKFI_SRC_STRESS_FD_EXHAUSTION_SCENARIO_H_
