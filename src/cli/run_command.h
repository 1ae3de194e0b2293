// `sockfi run`: one run of a subject under a fault plan, with its trace and
// verdict.

#ifndef SOCKFI_SRC_CLI_RUN_COMMAND_H_
#define SOCKFI_SRC_CLI_RUN_COMMAND_H_

#include "src/cli/command.h"

namespace sockfi::cli {

Command RunCommand();

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_RUN_COMMAND_H_
