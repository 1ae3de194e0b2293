// `sockfi pair`: makes socket pairs on the real kernel and proves each one.

#ifndef SOCKFI_SRC_CLI_PAIR_COMMAND_H_
#define SOCKFI_SRC_CLI_PAIR_COMMAND_H_

#include "src/cli/command.h"

namespace sockfi::cli {

Command PairCommand();

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_PAIR_COMMAND_H_
