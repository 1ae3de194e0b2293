// `sockfi replay`: turns fuzzer inputs (crashes, corpus files) back into runs
// that people can read and re-run.

#ifndef SOCKFI_SRC_CLI_REPLAY_COMMAND_H_
#define SOCKFI_SRC_CLI_REPLAY_COMMAND_H_

#include "src/cli/command.h"

namespace sockfi::cli {

Command ReplayCommand();

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_REPLAY_COMMAND_H_
