// `sockfi stress`: the reliability scenarios on the real kernel for a chosen
// time, and their summary table.

#ifndef SOCKFI_SRC_CLI_STRESS_COMMAND_H_
#define SOCKFI_SRC_CLI_STRESS_COMMAND_H_

#include "src/cli/command.h"

namespace sockfi::cli {

Command StressCommand();

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_STRESS_COMMAND_H_
