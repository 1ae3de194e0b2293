#include "src/explore/report.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/explore/scenario.h"
#include "src/explore/shell_quote.h"

namespace sockfi {
namespace {

constexpr size_t kFindingsShownPerKind = 3;

std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", c);
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

}  // namespace

std::string ReplayCommand(const ExploreReport& report, const Finding& finding) {
  if (!report.command.empty()) {
    return absl::StrCat("sockfi inject --plan=", ShellQuote(finding.plan),
                        report.adversarial ? " --adversarial" : "",
                        " -- sh -c ", ShellQuote(report.command));
  }
  Scenario scenario;
  scenario.subject = report.subject;
  scenario.options = report.pair_options;
  scenario.sim = report.sim;
  scenario.adversarial = report.adversarial;
  absl::StatusOr<FaultPlan> plan = ParsePlan(finding.plan);
  if (plan.ok()) scenario.plan = *plan;
  return RunCommandFor(scenario, report.backend);
}

std::string FormatReport(const ExploreReport& report) {
  std::string text = absl::StrFormat(
      "subject %s, backend %s, depth %d: %d schedules in %.2f s (%.0f "
      "schedules/s), "
      "fault-free run of %d calls%s\n\n",
      report.subject, BackendName(report.backend), report.depth,
      report.schedules, report.seconds, report.rate(), report.baseline_calls,
      report.truncated ? " (stopped at --max_schedules)" : "");
  absl::StrAppendFormat(&text, "  %-12s %-20s %10s %10s\n", "call", "fault",
                        "handled", "violations");
  for (const auto& [label, tally] : report.tallies) {
    absl::StrAppendFormat(&text, "  %-12s %-20s %10d %10d\n", label.first,
                          label.second, tally.handled, tally.violations);
  }
  if (report.findings.empty()) {
    absl::StrAppend(&text, "\nno violation\n");
    return text;
  }
  absl::StrAppend(
      &text, "\n", report.findings.size(), " finding",
      report.findings.size() == 1 ? "" : "s",
      " (distinct minimal plans), by kind, shortest plans first:\n");
  // Findings are sorted by kind; within a kind show the shortest few.
  for (size_t begin = 0; begin < report.findings.size();) {
    size_t end = begin;
    while (end < report.findings.size() &&
           report.findings[end].kind == report.findings[begin].kind) {
      ++end;
    }
    std::vector<const Finding*> kind;
    for (size_t i = begin; i < end; ++i) kind.push_back(&report.findings[i]);
    std::stable_sort(kind.begin(), kind.end(),
                     [](const Finding* a, const Finding* b) {
                       return a->plan.size() < b->plan.size();
                     });
    absl::StrAppend(&text, "  ", ViolationName(kind.front()->kind), " (",
                    kind.size(), "):\n");
    for (size_t i = 0; i < kind.size() && i < kFindingsShownPerKind; ++i) {
      absl::StrAppend(&text, "    ", kind[i]->message, "\n      ",
                      ReplayCommand(report, *kind[i]), "\n");
    }
    if (kind.size() > kFindingsShownPerKind) {
      absl::StrAppend(&text, "    ... and ",
                      kind.size() - kFindingsShownPerKind,
                      " more (--json lists them all)\n");
    }
    begin = end;
  }
  return text;
}

std::string ReportsToJson(const std::vector<ExploreReport>& reports) {
  std::string json = "{\"subjects\": [";
  for (size_t r = 0; r < reports.size(); ++r) {
    const ExploreReport& report = reports[r];
    absl::StrAppendFormat(&json,
                          "%s\n  {\"subject\": %s, \"backend\": %s, \"depth\": "
                          "%d, \"schedules\": %d, "
                          "\"seconds\": %.3f, \"schedules_per_second\": %.0f, "
                          "\"baseline_calls\": %d, "
                          "\"truncated\": %s,\n   \"violations\": [",
                          r == 0 ? "" : ",", JsonString(report.subject),
                          JsonString(BackendName(report.backend)), report.depth,
                          report.schedules, report.seconds, report.rate(),
                          report.baseline_calls,
                          report.truncated ? "true" : "false");
    for (size_t i = 0; i < report.findings.size(); ++i) {
      const Finding& f = report.findings[i];
      absl::StrAppend(&json, i == 0 ? "" : ",",
                      "\n    {\"kind\": ", JsonString(ViolationName(f.kind)),
                      ", \"plan\": ", JsonString(f.plan),
                      ", \"message\": ", JsonString(f.message), "}");
    }
    absl::StrAppend(&json, "],\n   \"faults\": [");
    bool first = true;
    for (const auto& [label, tally] : report.tallies) {
      absl::StrAppendFormat(
          &json,
          "%s\n    {\"call\": %s, \"fault\": %s, \"handled\": %d, "
          "\"violations\": %d}",
          first ? "" : ",", JsonString(label.first), JsonString(label.second),
          tally.handled, tally.violations);
      first = false;
    }
    absl::StrAppend(&json, "]}");
  }
  absl::StrAppend(&json, "\n]}\n");
  return json;
}

}  // namespace sockfi
