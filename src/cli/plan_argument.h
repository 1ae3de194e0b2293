// Reads a fault plan given on the command line: the plan's text, or @FILE.

#ifndef SOCKFI_SRC_CLI_PLAN_ARGUMENT_H_
#define SOCKFI_SRC_CLI_PLAN_ARGUMENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "src/fault/fault_plan.h"

namespace sockfi::cli {

// Returns the plan in `argument` (text, or "@path" to read it from a file),
// checked against the Linux catalog unless `adversarial`. The error says what
// was wrong and where: the file that could not be read, or the line and column
// of a parse error.
absl::StatusOr<FaultPlan> ReadPlanArgument(const std::string& argument,
                                           bool adversarial);

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_PLAN_ARGUMENT_H_
