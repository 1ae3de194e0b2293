#include "src/stress/scenario_stats.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/sys/errno_name.h"
#include "src/sys/step_error.h"

namespace sockfi {
namespace {

// Violation messages kept per scenario; the count goes on.
constexpr size_t kMessagesKept = 10;

std::string Latency(absl::Duration d) {
  const double us = absl::ToDoubleMicroseconds(d);
  if (us < 1000) return absl::StrFormat("%.0f us", us);
  return absl::StrFormat("%.1f ms", us / 1000);
}

}  // namespace

void ScenarioStats::AddViolation(std::string message) {
  ++violations;
  if (violation_messages.size() < kMessagesKept) {
    violation_messages.push_back(std::move(message));
  }
}

void ScenarioStats::CountOutcome(const absl::Status& status) {
  ++outcomes[OutcomeName(status)];
}

void ScenarioStats::Merge(const ScenarioStats& other) {
  runs += other.runs;
  pairs_made += other.pairs_made;
  faults += other.faults;
  errors_propagated += other.errors_propagated;
  foreign_rejected += other.foreign_rejected;
  violations += other.violations;
  for (const std::string& message : other.violation_messages) {
    if (violation_messages.size() < kMessagesKept) {
      violation_messages.push_back(message);
    }
  }
  leaked_fds += other.leaked_fds;
  worst_latency = std::max(worst_latency, other.worst_latency);
  for (const auto& [name, count] : other.outcomes) outcomes[name] += count;
  for (const auto& [name, value] : other.figures) figures[name] += value;
}

std::string OutcomeName(const absl::Status& status) {
  if (status.ok()) return "pair";
  std::optional<StepError> step = GetStepError(status);
  if (!step.has_value()) return absl::StatusCodeToString(status.code());
  return absl::StrCat(step->step, " ", ErrnoName(step->error_number));
}

std::string FormatStressReport(const std::vector<ScenarioStats>& scenarios) {
  std::string text =
      absl::StrFormat("%-14s %9s %11s %9s %10s %6s %8s %10s %10s %7s\n",
                      "scenario", "runs", "pairs made", "faults", "errors ok",
                      "leaks", "foreign", "worst", "violations", "time");
  ScenarioStats total;
  absl::Duration total_time;
  for (const ScenarioStats& s : scenarios) {
    absl::StrAppendFormat(
        &text, "%-14s %9d %11d %9d %10d %6d %8d %10s %10d %6.1fs\n", s.scenario,
        s.runs, s.pairs_made, s.faults, s.errors_propagated, s.leaked_fds,
        s.foreign_rejected, Latency(s.worst_latency), s.violations,
        absl::ToDoubleSeconds(s.elapsed));
    total.Merge(s);
    total_time += s.elapsed;
  }
  if (scenarios.size() > 1) {
    absl::StrAppendFormat(
        &text, "%-14s %9d %11d %9d %10d %6d %8d %10s %10d %6.1fs\n", "total",
        total.runs, total.pairs_made, total.faults, total.errors_propagated,
        total.leaked_fds, total.foreign_rejected, Latency(total.worst_latency),
        total.violations, absl::ToDoubleSeconds(total_time));
  }
  absl::StrAppend(
      &text,
      "\nruns: calls of the emulation; pairs made: returned and proven "
      "connected to each other;\nerrors ok: errors the oracles traced to a "
      "cause that really happened, reported with its\nerrno and step; leaks: "
      "open fds of the process after the scenario minus before;\nforeign: "
      "foreign connections accepted, recognised and closed; worst: the "
      "slowest call.\nfaults:\n");
  for (const ScenarioStats& s : scenarios) {
    absl::StrAppendFormat(&text, "  %-14s %s\n", s.scenario, s.fault_meaning);
  }
  for (const ScenarioStats& s : scenarios) {
    absl::StrAppend(&text, "\n", s.scenario, ":");
    std::vector<std::pair<int64_t, std::string>> outcomes;
    for (const auto& [name, count] : s.outcomes) {
      outcomes.emplace_back(-count, name);
    }
    std::sort(outcomes.begin(), outcomes.end());
    std::string line = "  outcomes:";
    for (const auto& [count, name] : outcomes) {
      std::string item = absl::StrCat(" ", name, " ", -count, ",");
      if (line.size() + item.size() > 100) {
        absl::StrAppend(&text, "\n", line);
        line = "           ";
      }
      absl::StrAppend(&line, item);
    }
    if (!outcomes.empty()) line.pop_back();
    absl::StrAppend(&text, "\n", line, "\n");
    for (const auto& [name, value] : s.figures) {
      absl::StrAppend(&text, "  ", name, ": ", value, "\n");
    }
    for (const std::string& note : s.notes) {
      absl::StrAppend(&text, "  ", note, "\n");
    }
    if (s.violations > 0) {
      absl::StrAppend(
          &text, "  ", s.violations, " violation", s.violations == 1 ? "" : "s",
          s.violations > static_cast<int64_t>(s.violation_messages.size())
              ? absl::StrCat(", the first ", s.violation_messages.size())
              : "",
          ":\n");
      for (const std::string& message : s.violation_messages) {
        absl::StrAppend(&text, "    ", message, "\n");
      }
    }
  }
  return text;
}

}  // namespace sockfi
