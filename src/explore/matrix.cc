#include "src/explore/matrix.h"

#include <algorithm>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/explore/report.h"
#include "src/subjects/subject.h"

namespace sockfi {
namespace {

constexpr int kCellWidth = 9;

// Returns how many faults a plan's text holds ("a; b" holds two).
size_t FaultCount(absl::string_view plan) {
  return plan.empty() ? 0 : std::count(plan.begin(), plan.end(), ';') + 1;
}

bool Shorter(const Finding& a, const Finding& b) {
  const size_t faults_a = FaultCount(a.plan);
  const size_t faults_b = FaultCount(b.plan);
  if (faults_a != faults_b) return faults_a < faults_b;
  return a.plan.size() < b.plan.size();
}

// Returns whether a mutant's row caught its planted bug: a finding in the
// column of the kind it was planted for. Returns nullopt for other subjects.
std::optional<bool> CaughtPlantedBug(const MatrixRow& row) {
  const Subject* subject = FindSubject(row.report->subject);
  if (subject == nullptr || subject->planted_violation.empty()) {
    return std::nullopt;
  }
  std::optional<ViolationKind> kind =
      ViolationKindFromName(subject->planted_violation);
  if (!kind.has_value()) return false;
  for (const Finding& finding : row.report->findings) {
    if (finding.kind == *kind) return true;
  }
  return false;
}

}  // namespace

const std::vector<MatrixColumn>& MatrixColumns() {
  static const auto* const columns = new std::vector<MatrixColumn>{
      {"leak",
       "an fd the routine made is neither returned nor closed",
       {ViolationKind::kLeak}},
      {"close",
       "double close, close of an fd it never owned, use after close",
       {ViolationKind::kDoubleClose, ViolationKind::kForeignClose,
        ViolationKind::kUseAfterClose}},
      {"swallow",
       "a fatal fault fired, yet it reported success",
       {ViolationKind::kSwallowedError}},
      {"errno",
       "an error reported with the wrong errno or the wrong step",
       {ViolationKind::kWrongErrno, ViolationKind::kWrongStep}},
      {"gave-up",
       "an error no fatal fault explains: a retryable fault given up on",
       {ViolationKind::kUnexpectedError}},
      {"broken",
       "the two fds returned are not one working connection",
       {ViolationKind::kInvalidPair}},
      {"foreign",
       "a foreign process's connection returned as one end",
       {ViolationKind::kForeignPair}},
      {"flags",
       "SOCK_NONBLOCK or SOCK_CLOEXEC not as requested",
       {ViolationKind::kFlagsLost}},
      {"hang",
       "a blocking call that could never complete",
       {ViolationKind::kHang}},
      {"spin",
       "the same failing call repeated without progress",
       {ViolationKind::kBusySpin, ViolationKind::kCallBudget}},
      {"deadline",
       "returned later than its own deadline",
       {ViolationKind::kDeadlineMissed}},
      {"crash",
       "the program died of a signal (unmodified programs only)",
       {ViolationKind::kCrash}},
  };
  return *columns;
}

int MatrixColumnOf(ViolationKind kind) {
  const std::vector<MatrixColumn>& columns = MatrixColumns();
  for (size_t c = 0; c < columns.size(); ++c) {
    for (ViolationKind k : columns[c].kinds) {
      if (k == kind) return static_cast<int>(c);
    }
  }
  std::abort();  // every kind has a column; matrix_test checks it
}

std::vector<MatrixRow> BuildMatrix(const std::vector<ExploreReport>& reports) {
  std::vector<MatrixRow> rows;
  rows.reserve(reports.size());
  for (const ExploreReport& report : reports) {
    MatrixRow row;
    row.report = &report;
    row.cells.resize(MatrixColumns().size());
    for (const Finding& finding : report.findings) {
      MatrixCell& cell = row.cells[MatrixColumnOf(finding.kind)];
      ++cell.findings;
      if (!cell.shortest.has_value() || Shorter(finding, *cell.shortest)) {
        cell.shortest = finding;
      }
    }
    row.findings = static_cast<int>(report.findings.size());
    rows.push_back(std::move(row));
  }
  return rows;
}

bool HardenedViolates(const std::vector<ExploreReport>& reports) {
  return std::any_of(
      reports.begin(), reports.end(), [](const ExploreReport& report) {
        return report.subject == kHardenedSubject && !report.findings.empty();
      });
}

std::string FormatMatrix(const std::vector<ExploreReport>& reports) {
  const std::vector<MatrixColumn>& columns = MatrixColumns();
  std::vector<MatrixRow> rows = BuildMatrix(reports);
  uint64_t schedules = 0;
  double seconds = 0;
  for (const ExploreReport& report : reports) {
    schedules += report.schedules;
    seconds += report.seconds;
  }
  int subject_width = 8;  // "subject " at least
  for (const ExploreReport& report : reports) {
    subject_width =
        std::max(subject_width, static_cast<int>(report.subject.size()) + 1);
  }
  std::string text;
  if (!reports.empty()) {
    absl::StrAppendFormat(
        &text,
        "%d subjects, backend %s, depth %d: %d schedules in %.2f s "
        "(%.0f schedules/s)\n\n",
        reports.size(), BackendName(reports.front().backend),
        reports.front().depth, schedules, seconds,
        seconds > 0 ? schedules / seconds : 0.0);
  }
  text += "findings (distinct minimal plans) by subject and violation:\n\n";
  absl::StrAppendFormat(&text, "%-*s", subject_width, "subject");
  for (const MatrixColumn& column : columns) {
    absl::StrAppendFormat(&text, "%*s", kCellWidth, column.name);
  }
  text += "\n";
  int mutants = 0;
  std::vector<std::string> escaped;
  for (const MatrixRow& row : rows) {
    absl::StrAppendFormat(&text, "%-*s", subject_width, row.report->subject);
    for (const MatrixCell& cell : row.cells) {
      absl::StrAppendFormat(
          &text, "%*s", kCellWidth,
          cell.findings == 0 ? "." : absl::StrCat(cell.findings));
    }
    std::optional<bool> caught = CaughtPlantedBug(row);
    if (caught.has_value()) {
      ++mutants;
      if (!*caught) escaped.push_back(row.report->subject);
      const Subject* subject = FindSubject(row.report->subject);
      absl::StrAppend(&text, "   planted: ", subject->planted_violation,
                      *caught ? "" : " (ESCAPED)");
    }
    text += "\n";
  }
  text += "\n";
  for (const MatrixColumn& column : columns) {
    absl::StrAppendFormat(&text, "  %-9s %s\n", column.name, column.meaning);
  }
  if (mutants > 0) {
    absl::StrAppendFormat(
        &text,
        "\nmutation score: %d of %d mutants caught by the violation "
        "they were planted for",
        mutants - static_cast<int>(escaped.size()), mutants);
    if (!escaped.empty()) {
      absl::StrAppend(&text, "; escaped: ", absl::StrJoin(escaped, ", "));
    }
    text += "\n";
  }
  text +=
      "\nthe shortest plan of each cell, with the command that replays it:\n";
  for (const MatrixRow& row : rows) {
    if (row.findings == 0) {
      absl::StrAppend(&text, "\n", row.report->subject, ": no violation\n");
      continue;
    }
    absl::StrAppend(&text, "\n", row.report->subject, ":\n");
    for (size_t c = 0; c < columns.size(); ++c) {
      const MatrixCell& cell = row.cells[c];
      if (!cell.shortest.has_value()) continue;
      absl::StrAppendFormat(&text, "  %-9s %s\n  %-9s %s\n", columns[c].name,
                            cell.shortest->message, "",
                            ReplayCommand(*row.report, *cell.shortest));
    }
  }
  return text;
}

}  // namespace sockfi
