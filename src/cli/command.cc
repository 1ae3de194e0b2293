#include "src/cli/command.h"

#include <algorithm>
#include <ostream>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace sockfi::cli {
namespace {

bool IsHelp(absl::string_view arg) {
  return arg == "--help" || arg == "-h" || arg == "-help" ||
         arg == "--helpfull";
}

void PrintOverview(absl::Span<const Command> commands, std::ostream& out) {
  out << "sockfi: fuzzing and fault injection for socketpair emulation.\n\n"
      << "usage: sockfi <command> [--flag=value ...]\n\ncommands:\n";
  size_t width = 0;
  for (const Command& c : commands) width = std::max(width, c.name.size());
  for (const Command& c : commands) {
    out << "  " << c.name << std::string(width - c.name.size() + 2, ' ')
        << c.summary << "\n";
  }
  out << "\nRun `sockfi <command> --help` for a command's flags.\n"
      << "Exit status: 0 success, 1 a failure or finding, 2 a usage error.\n";
}

void PrintCommandHelp(const Command& command, std::ostream& out) {
  out << "usage: " << command.usage << "\n\n" << command.description << "\n";
  if (command.flags.empty()) return;
  out << "\nflags:\n";
  for (const std::string& name : command.flags) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    if (flag == nullptr) continue;
    out << "  --" << name;
    if (!flag->IsOfType<bool>()) out << "=" << flag->DefaultValue();
    out << "\n      " << flag->Help();
    if (flag->IsOfType<bool>()) {
      out << " (default " << flag->DefaultValue() << ")";
    }
    out << "\n";
  }
}

std::string FlagList(const Command& command) {
  if (command.flags.empty()) return "it takes no flags";
  std::vector<std::string> names;
  for (const std::string& name : command.flags) names.push_back("--" + name);
  return absl::StrCat("its flags are ", absl::StrJoin(names, ", "));
}

// Sets one flag from `--name[=value]` (with the value possibly in the next
// argument). Returns an error message, or "" on success.
std::string SetFlag(const Command& command,
                    const std::vector<std::string>& argv, size_t* index) {
  const std::string& arg = argv[*index];
  absl::string_view body = absl::string_view(arg).substr(arg[1] == '-' ? 2 : 1);
  const size_t equals = body.find('=');
  std::string name(body.substr(0, equals));
  std::string value;
  bool has_value = equals != absl::string_view::npos;
  if (has_value) value = std::string(body.substr(equals + 1));

  auto accepts = [&](const std::string& candidate) {
    return std::find(command.flags.begin(), command.flags.end(), candidate) !=
           command.flags.end();
  };
  absl::CommandLineFlag* flag = nullptr;
  if (accepts(name)) flag = absl::FindCommandLineFlag(name);
  if (flag == nullptr && !has_value && absl::StartsWith(name, "no") &&
      accepts(name.substr(2))) {
    flag = absl::FindCommandLineFlag(name.substr(2));
    if (flag != nullptr && flag->IsOfType<bool>()) {
      name = name.substr(2);
      value = "false";
      has_value = true;
    } else {
      flag = nullptr;
    }
  }
  if (flag == nullptr) {
    return absl::StrCat("unknown flag --", name, " for `sockfi ", command.name,
                        "`: ", FlagList(command));
  }
  if (!has_value) {
    if (flag->IsOfType<bool>()) {
      value = "true";
    } else if (*index + 1 < argv.size()) {
      value = argv[++*index];
    } else {
      return absl::StrCat("flag --", name, " needs a value");
    }
  }
  std::string error;
  if (!flag->ParseFrom(value, &error)) {
    return absl::StrCat("--", name, "=", value, ": ", error);
  }
  return "";
}

}  // namespace

int RunCommandLine(absl::Span<const Command> commands,
                   const std::vector<std::string>& argv, std::ostream& out,
                   std::ostream& err) {
  if (argv.size() < 2 || IsHelp(argv[1]) || argv[1] == "help") {
    if (argv.size() >= 3 && argv[1] == "help") {
      for (const Command& c : commands) {
        if (c.name == argv[2]) {
          PrintCommandHelp(c, out);
          return kExitOk;
        }
      }
    }
    PrintOverview(commands, argv.size() < 2 ? err : out);
    return argv.size() < 2 ? kExitUsage : kExitOk;
  }
  const Command* command = nullptr;
  for (const Command& c : commands) {
    if (c.name == argv[1]) command = &c;
  }
  if (command == nullptr) {
    std::vector<std::string> names;
    for (const Command& c : commands) names.push_back(c.name);
    err << "sockfi: unknown command \"" << argv[1]
        << "\"; the commands are: " << absl::StrJoin(names, ", ")
        << " (see sockfi --help)\n";
    return kExitUsage;
  }
  std::vector<std::string> args;
  for (size_t i = 2; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (IsHelp(arg)) {
      PrintCommandHelp(*command, out);
      return kExitOk;
    }
    if (arg == "--") {
      args.insert(args.end(), argv.begin() + i + 1, argv.end());
      break;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      const std::string error = SetFlag(*command, argv, &i);
      if (!error.empty()) {
        err << "sockfi " << command->name << ": " << error << "\n";
        return kExitUsage;
      }
      continue;
    }
    args.push_back(arg);
  }
  return command->run(args);
}

}  // namespace sockfi::cli
