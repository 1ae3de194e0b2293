// ScenarioStats: what one reliability scenario did on the real kernel, and the
// summary table `sockfi stress` prints.

#ifndef SOCKFI_SRC_STRESS_SCENARIO_STATS_H_
#define SOCKFI_SRC_STRESS_SCENARIO_STATS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace sockfi {

// How long a scenario may go on: it stops by itself after `max_runs` calls of
// the emulation or after `max_duration`, whichever comes first.
struct StressBudget {
  int64_t max_runs = 1000;
  absl::Duration max_duration = absl::Seconds(10);
};

struct ScenarioStats {
  std::string scenario;
  // What counts as a fault here (a plan's fault, a signal, an fd limit, a
  // foreign client), for the table's legend.
  std::string fault_meaning;
  int64_t runs = 0;        // calls of the emulation
  int64_t pairs_made = 0;  // calls that returned a pair, proven connected
  int64_t faults = 0;      // faults the scenario caused (fault_meaning)
  // Calls that returned an error the oracles and the scenario's own checks
  // found right (the errno and step of a cause that really happened).
  int64_t errors_propagated = 0;
  // Foreign connections the emulation accepted, recognised and closed.
  int64_t foreign_rejected = 0;
  // Calls the oracles or the scenario's own checks found wrong, and the first
  // few messages, each with what reproduces it where that is known.
  int64_t violations = 0;
  std::vector<std::string> violation_messages;
  // Open fds of the process after the scenario minus before it: 0 when
  // nothing leaked.
  int64_t leaked_fds = 0;
  absl::Duration worst_latency;  // the slowest call of the emulation
  absl::Duration elapsed;        // the scenario's wall time
  // Outcomes by kind: "pair", "accept EMFILE", "connect ETIMEDOUT", ...
  std::map<std::string, int64_t> outcomes;
  // Scenario-specific figures ("calls that failed with EINTR": 123), and
  // notes, one line each.
  std::map<std::string, int64_t> figures;
  std::vector<std::string> notes;

  // Returns true when no violation was found and no fd leaked.
  bool ok() const { return violations == 0 && leaked_fds == 0; }
  // Counts a violation, keeping its message among the first few.
  void AddViolation(std::string message);
  // Counts one outcome (OutcomeName of a call's status, or "pair").
  void CountOutcome(const absl::Status& status);
  // Adds `other`'s counts, messages and outcomes to this (threads' shares).
  void Merge(const ScenarioStats& other);
};

// Returns "pair" for OK, else "<step> <ERRNO>" from the status's step error,
// or the status code's name when it carries none.
std::string OutcomeName(const absl::Status& status);

// Called now and then from the thread that runs a scenario, with its figures
// so far.
using StressProgress = std::function<void(const ScenarioStats&)>;

// Returns the summary table: one row a scenario (pairs made, faults, errors
// propagated, leaks, foreign connections rejected, worst latency, violations,
// time), a legend saying what a fault is in each, then each scenario's
// outcomes and notes, then the violations' messages.
std::string FormatStressReport(const std::vector<ScenarioStats>& scenarios);

}  // namespace sockfi

#endif  // SOCKFI_SRC_STRESS_SCENARIO_STATS_H_
