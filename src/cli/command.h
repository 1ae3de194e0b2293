// The sockfi command line: subcommands, their flags, and the parser that
// dispatches `sockfi <command> [--flag=value ...] [args ...]`.
//
// Flags are Abseil flags defined next to the command that reads them; a command
// lists the names it accepts, and the parser rejects any other flag with a
// message naming the command's own. Exit codes: 0 success, 1 a failure or
// finding, 2 a usage error.

#ifndef SOCKFI_SRC_CLI_COMMAND_H_
#define SOCKFI_SRC_CLI_COMMAND_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace sockfi::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct Command {
  std::string name;
  std::string summary;      // one line, for `sockfi --help`
  std::string usage;        // "sockfi pair [--family=unix|inet|inet6] ..."
  std::string description;  // what it does, what it prints, its exit status
  std::vector<std::string> flags;  // names of the Abseil flags it reads
  // Runs the command with the positional arguments; returns the exit code.
  int (*run)(const std::vector<std::string>& args);
};

// Parses `argv` (argv[0] is the program), sets the flags, runs the chosen
// command and returns its exit code. Help goes to `out`; usage errors go to
// `err` with exit code 2.
int RunCommandLine(absl::Span<const Command> commands,
                   const std::vector<std::string>& argv, std::ostream& out,
                   std::ostream& err);

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_COMMAND_H_
