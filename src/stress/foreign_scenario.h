// The foreign-connection scenario: a thread connects to every listener the
// emulation opens, and now and then a flood keeps its listen queue full.

#ifndef SOCKFI_SRC_STRESS_FOREIGN_SCENARIO_H_
#define SOCKFI_SRC_STRESS_FOREIGN_SCENARIO_H_

#include <vector>

#include "absl/time/time.h"
#include "src/stress/scenario_stats.h"

namespace sockfi {

struct ForeignConfig {
  StressBudget budget = {1200, absl::Seconds(30)};
  // The deadline of a run with the intruder alone, and those of runs with a
  // flood, in turn: a short one ends in DeadlineExceeded (our SYN was dropped
  // and is only sent again after a second), a long one as a flood of more
  // than 64 strangers (ECONNABORTED at "verify"), both by the deadline.
  absl::Duration pair_timeout = absl::Milliseconds(300);
  std::vector<absl::Duration> flood_timeouts = {absl::Milliseconds(40),
                                                absl::Milliseconds(150)};
  // How late past its deadline a call may return: the contract checked here,
  // generous for a loaded 2-core machine (poll's own rounding is 1 ms).
  absl::Duration deadline_slack = absl::Milliseconds(250);
  // One run in this many has a flood as well.
  int flood_every = 20;
};

// Makes pairs, until the budget is spent, on the real kernel through a
// FaultInjector whose plan summons, after every listen, an Intruder (a thread
// that connects to the listener: in turn before our connect, so that the
// foreign connection is queued first, and racing it) and, in one run of
// flood_every, a real flood as well (RealHostActors: the accept queue filled,
// then a fresh SYN every millisecond). Each call is judged (RunJudged) and
// checked: a returned pair is never connected to an intruder's socket, every
// intruder connection the emulation accepted is ended by it (one still queued
// is reset when the listener closes — but if its handshake's last ACK raced
// that close, Linux leaves the client established and the server side a
// SYN-RECV it drops silently: counted, not a violation), and the call returns
// within its deadline plus deadline_slack
// (wall time from the call on, the actors' included). Faults are foreign
// connections established and floods. `progress` (may be null) is called about
// every 100 ms.
ScenarioStats RunForeignScenario(const ForeignConfig& config,
                                 const StressProgress& progress = nullptr);

}  // namespace sockfi

#endif  // SOCKFI_SRC_STRESS_FOREIGN_SCENARIO_H_
