#include "src/cli/run_report.h"

#include "absl/strings/str_cat.h"
#include "src/fault/trace.h"

namespace sockfi::cli {

std::string FormatRunReport(const RunResult& result, const Subject& subject,
                            BackendKind backend, bool adversarial) {
  const RunRecord& record = result.record;
  std::string text = absl::StrCat(
      "plan:     ", PrintPlan(record.plan), "\nsubject:  ", subject.name, " (",
      subject.reference, ")\nbackend:  ", BackendName(backend),
      adversarial ? ", adversarial" : "", "\n\n", FormatTrace(record.trace),
      "\n");
  if (record.status.ok()) {
    absl::StrAppend(&text, "outcome:  a pair, fds ", record.fds[0], " and ",
                    record.fds[1], ", after ",
                    absl::FormatDuration(record.elapsed), "\n");
  } else {
    absl::StrAppend(
        &text, "outcome:  ", absl::StatusCodeToString(record.status.code()),
        ": ", record.status.message(), ", after ",
        absl::FormatDuration(record.elapsed), "\n");
  }
  absl::StrAppend(&text, "verdict:  ", result.verdict.Format());
  if (!record.hang_dump.empty()) {
    absl::StrAppend(&text, "\nkernel state at the hang:\n", record.hang_dump);
  }
  return text;
}

}  // namespace sockfi::cli
