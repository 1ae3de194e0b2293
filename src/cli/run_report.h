// What `sockfi run` and `sockfi replay` print about one judged run.

#ifndef SOCKFI_SRC_CLI_RUN_REPORT_H_
#define SOCKFI_SRC_CLI_RUN_REPORT_H_

#include <string>

#include "src/explore/run.h"
#include "src/explore/world.h"
#include "src/subjects/subject.h"

namespace sockfi::cli {

// Returns the plan, subject and backend, the trace as a table, the outcome, the
// verdict and, after a hang, the simulated kernel's state.
std::string FormatRunReport(const RunResult& result, const Subject& subject,
                            BackendKind backend, bool adversarial);

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_RUN_REPORT_H_
