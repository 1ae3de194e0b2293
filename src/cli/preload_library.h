// Finds libsockfi_preload.so for the commands that run programs under it.

#ifndef SOCKFI_SRC_CLI_PRELOAD_LIBRARY_H_
#define SOCKFI_SRC_CLI_PRELOAD_LIBRARY_H_

#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

// The flags of the commands that run programs (inject, explore --command).
ABSL_DECLARE_FLAG(std::string, preload);
ABSL_DECLARE_FLAG(absl::Duration, command_timeout);

namespace sockfi::cli {

// Returns the absolute path of the interposer: `flag` when it is not empty,
// else $SOCKFI_PRELOAD_LIBRARY, else the copy Bazel built next to this binary
// (its runfiles, or bazel-bin/src/preload). The error names every place it
// looked and how to build the library.
absl::StatusOr<std::string> FindPreloadLibrary(const std::string& flag);

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_PRELOAD_LIBRARY_H_
