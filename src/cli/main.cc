// sockfi: the command-line tool. See `sockfi --help`.

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "src/cli/catalog_command.h"
#include "src/cli/command.h"
#include "src/cli/explore_command.h"
#include "src/cli/inject_command.h"
#include "src/cli/pair_command.h"
#include "src/cli/replay_command.h"
#include "src/cli/run_command.h"
#include "src/cli/stress_command.h"

int main(int argc, char** argv) {
  // Under `bazel run`, paths on the command line (--json, replay FILE, the
  // program of inject) are the user's: work from the directory `bazel run` was
  // called in, not from the runfiles tree.
  if (const char* dir = std::getenv("BUILD_WORKING_DIRECTORY");
      dir != nullptr && *dir != '\0' && chdir(dir) != 0) {
    std::cerr << "sockfi: cannot enter " << dir
              << " (BUILD_WORKING_DIRECTORY, set by bazel run)\n";
    return 2;
  }
  const std::vector<sockfi::cli::Command> commands = {
      sockfi::cli::PairCommand(),   sockfi::cli::ExploreCommand(),
      sockfi::cli::RunCommand(),    sockfi::cli::ReplayCommand(),
      sockfi::cli::InjectCommand(), sockfi::cli::CatalogCommand(),
      sockfi::cli::StressCommand(),
  };
  return sockfi::cli::RunCommandLine(
      commands, std::vector<std::string>(argv, argv + argc), std::cout,
      std::cerr);
}
