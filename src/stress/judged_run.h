// JudgedRun: one call of the hardened emulation on the real kernel, made as a
// ThreadRun through a FaultInjector that other threads may share, and judged
// by every oracle.

#ifndef SOCKFI_SRC_STRESS_JUDGED_RUN_H_
#define SOCKFI_SRC_STRESS_JUDGED_RUN_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/check/run_record.h"
#include "src/check/verdict.h"
#include "src/fault/fault_injector.h"
#include "src/fault/fault_plan.h"
#include "src/fault/host_actors.h"
#include "src/pair/socket_pair.h"
#include "src/stress/scenario_stats.h"
#include "src/sys/syscalls.h"

namespace sockfi {

struct JudgedRunSpec {
  PairOptions options;
  FaultPlan plan;
  // Performs the plan's actor rules (null: the injector's own).
  HostActors* actors = nullptr;
  // How late past its deadline the emulation may return (scheduling noise).
  absl::Duration deadline_slack = absl::Milliseconds(250);
};

// What caused an error the emulation returned, as this run's own trace shows.
enum class ErrorCause {
  kNone,      // the run succeeded
  kDirect,    // a fault or a failure of the kernel at the reported step, with
              // the reported errno
  kIndirect,  // faults or actors of this run, which the propagation oracle
              // accepts as its explanation (a retry given up on, a deadline)
  kNothing,   // nothing in this run's trace: no fault, no actor, no failure
};

struct JudgedRun {
  PairOptions options;  // what the emulation was asked for
  RunRecord record;
  Verdict verdict;
  // The call's wall time, other processes' (actors') time left out.
  absl::Duration latency;
  int faults_fired = 0;      // injected faults and actors that acted
  int foreign_rejected = 0;  // connections accepted and not returned
  ErrorCause cause = ErrorCause::kNone;
  // Set when the error reported is one the kernel gave by itself and the
  // catalog says to retry (poll EINTR under real signals, ...), and the routine
  // gave up on it at once: it made no call but close after the first one. (The
  // propagation oracle checks this for injected faults only: it takes any
  // failure of the kernel's own as a fair explanation.)
  std::string retry_given_up;

  // Returns true when the oracles found nothing wrong, an error, if any, has a
  // cause in this run, and no retryable failure was given up on at once.
  bool ok() const {
    return verdict.ok() && cause != ErrorCause::kNothing &&
           retry_given_up.empty();
  }
};

// Makes one pair with MakeSocketPair(spec.options, injector) on the calling
// thread, inside a ThreadRun of spec.plan, judges the run (the pair probed
// through `real`, the backend under the injector), then closes the pair.
JudgedRun RunJudged(FaultInjector& injector, Syscalls& real,
                    const JudgedRunSpec& spec);

// Counts `run` in `stats`: its outcome, a proven pair or an error propagated,
// the worst latency, foreign connections rejected, and, when it is not ok(),
// a violation naming `context` ("thread 3, run 17"), what was wrong and the
// `sockfi run` command that replays its plan.
void CountJudgedRun(const JudgedRun& run, absl::string_view context,
                    ScenarioStats* stats);

}  // namespace sockfi

#endif  // SOCKFI_SRC_STRESS_JUDGED_RUN_H_
