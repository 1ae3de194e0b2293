// `sockfi explore`: systematic fault exploration, with a summary and minimal
// plans.

#ifndef SOCKFI_SRC_CLI_EXPLORE_COMMAND_H_
#define SOCKFI_SRC_CLI_EXPLORE_COMMAND_H_

#include "src/cli/command.h"

namespace sockfi::cli {

Command ExploreCommand();

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_EXPLORE_COMMAND_H_
