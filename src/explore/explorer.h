// Explore: systematic fault exploration of one subject.
//
// The explorer records the fault-free run, then tries every atom of the
// schedule space (src/explore/schedule_space.h) on it, one at a time; from each
// new run's trace it extends the schedule by one more atom, up to `depth`
// atoms, skipping schedules it has seen. Every violation is delta-debugged to a
// 1-minimal plan; findings are distinct (violation kind, minimal plan) pairs,
// each replayable with `sockfi run --plan=...`.

#ifndef SOCKFI_SRC_EXPLORE_EXPLORER_H_
#define SOCKFI_SRC_EXPLORE_EXPLORER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "src/check/verdict.h"
#include "src/explore/run.h"
#include "src/explore/world.h"
#include "src/pair/socket_pair.h"
#include "src/sim/sim_config.h"
#include "src/subjects/subject.h"

namespace sockfi {

struct ExploreProgress {
  int level = 0;           // schedules of this many faults are being run
  uint64_t done = 0;       // schedules run so far
  uint64_t pending = 0;    // schedules queued, not yet run
  uint64_t violating = 0;  // schedules with a violation so far
};

struct ExploreOptions {
  int depth = 2;
  bool adversarial = false;
  bool half_open = true;  // the backend can make half-open clients
  PairOptions pair_options;
  // The settings of the simulated worlds make_world builds (only for the
  // commands that replay findings).
  SimConfig sim;
  uint64_t max_schedules = 5000000;  // stop (and say so) past this many
  // Runs that took longer than this (by the backend's clock, actors included)
  // are not extended:
  // on the real kernel a slow run (a deadline reached, a flood) costs its time
  // again in every extension, so the CLI sets 20ms there.
  absl::Duration extend_runs_up_to = absl::InfiniteDuration();
  // Called every few hundred schedules and once at the end; may be empty.
  std::function<void(const ExploreProgress&)> on_progress;
};

struct Finding {
  ViolationKind kind;
  std::string plan;     // the minimal plan's text
  std::string message;  // the violation's explanation on the minimal plan
};

// How one fault fared wherever it fired.
struct FaultTally {
  uint64_t handled = 0;  // schedules where it fired and the verdict was clean
  uint64_t violations = 0;  // schedules where it fired and something was wrong
};

struct ExploreReport {
  std::string subject;
  // For an unmodified program (sockfi explore --command): its command line,
  // which findings replay with `sockfi inject`; empty for a subject.
  std::string command;
  BackendKind backend = BackendKind::kSim;
  int depth = 0;
  // What every run was given, for the commands that replay findings.
  PairOptions pair_options;
  bool adversarial = false;
  SimConfig sim;
  size_t baseline_calls = 0;
  uint64_t schedules =
      0;  // runs, the baseline included (minimisation runs not)
  double seconds = 0;
  bool truncated = false;         // max_schedules was reached
  std::vector<Finding> findings;  // sorted by kind, then plan
  // (call, fault) -> tally; the fault is an errno name (with ":before"/":after"
  // when the timing was forced), "short:1", "eof", "corrupt", an actor name,
  // or "EMFILE (fdlimit)".
  std::map<std::pair<std::string, std::string>, FaultTally> tallies;

  // Returns the number of schedules per second.
  double rate() const { return seconds > 0 ? schedules / seconds : 0; }
};

// Explores `subject` in worlds made by `make_world`.
ExploreReport Explore(const Subject& subject, BackendKind backend,
                      const WorldFactory& make_world,
                      const ExploreOptions& options);

// What one run of a plan tells the explorer.
struct PlanRun {
  Trace trace;  // the calls, the faults that fired, the actors that acted
  std::vector<Violation> violations;
  absl::Duration cost;  // how long the run took, actors included
};

// Runs a plan on whatever is explored and judges the run.
using PlanRunner = std::function<PlanRun(const FaultPlan& plan)>;

// Explores whatever `run` runs, as Explore does a subject: the baseline
// (empty plan), then schedules grown from each run's trace up to
// `options.depth`. `identity` is the report to fill: its subject, command,
// backend and run settings are kept, the rest is computed (options.depth,
// adversarial and half_open apply; pair_options and sim are not used here).
ExploreReport ExplorePlans(const PlanRunner& run, ExploreReport identity,
                           const ExploreOptions& options);

}  // namespace sockfi

#endif  // SOCKFI_SRC_EXPLORE_EXPLORER_H_
