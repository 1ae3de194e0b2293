// sockfi inject: runs an unmodified program under the LD_PRELOAD interposer
// with a fault plan, and reports what fired and what leaked.

#ifndef SOCKFI_SRC_CLI_INJECT_COMMAND_H_
#define SOCKFI_SRC_CLI_INJECT_COMMAND_H_

#include "src/cli/command.h"

namespace sockfi::cli {

// Returns the `inject` command.
Command InjectCommand();

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_INJECT_COMMAND_H_
