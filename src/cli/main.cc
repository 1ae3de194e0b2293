// sockfi: the command-line tool. See `sockfi --help`.

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
