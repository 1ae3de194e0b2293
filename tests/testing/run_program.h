// Runs a program built by Bazel and captures what it printed.

#ifndef SOCKFI_TESTS_TESTING_RUN_PROGRAM_H_
#define SOCKFI_TESTS_TESTING_RUN_PROGRAM_H_

#include <string>
#include <vector>

namespace sockfi::testing {

struct ProgramResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

// Returns the path of a runfile, e.g. "src/cli/sockfi" in this workspace.
std::string RunfilePath(const std::string& workspace_relative);

// Runs `argv` (argv[0] is the program's path) with this process's environment
// plus `env` ("NAME=value" entries), waits for it and returns its exit code,
// standard output and standard error.
ProgramResult RunProgram(const std::vector<std::string>& argv,
                         const std::vector<std::string>& env = {});

}  // namespace sockfi::testing

#endif  // SOCKFI_TESTS_TESTING_RUN_PROGRAM_H_
