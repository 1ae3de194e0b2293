#include "src/cli/replay_command.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/cli/run_report.h"
#include "src/explore/fuzz_targets.h"
#include "src/fault/fault_plan.h"

ABSL_FLAG(std::string, target, "",
          "the fuzz target the files belong to; by default read from their "
          "path (corpus/NAME/... or fuzz-out/NAME/...)");
ABSL_DECLARE_FLAG(std::string, subject);

namespace sockfi::cli {
namespace {

std::string TargetNames() {
  std::vector<std::string> names;
  for (const FuzzTarget& target : FuzzTargets()) names.push_back(target.name);
  return absl::StrJoin(names, ", ");
}

// Appends the inputs `arg` names to `paths`: `arg` itself, or for a directory
// the regular files directly in it, in name order. Returns an error message
// or "".
std::string ExpandInput(const std::string& arg,
                        std::vector<std::string>* paths) {
  std::error_code error;
  if (!std::filesystem::is_directory(arg, error)) {
    paths->push_back(arg);  // ReadInput says what is wrong with it, if anything
    return "";
  }
  std::vector<std::string> files;
  for (std::filesystem::directory_iterator it(arg, error), end;
       !error && it != end; it.increment(error)) {
    if (it->is_regular_file(error)) files.push_back(it->path().string());
  }
  if (error) return absl::StrCat("cannot list ", arg, ": ", error.message());
  if (files.empty()) {
    return absl::StrCat(arg, " is a directory without files to replay");
  }
  std::sort(files.begin(), files.end());
  paths->insert(paths->end(), files.begin(), files.end());
  return "";
}

// Reads `path` into `data`; returns an error message or "".
std::string ReadInput(const std::string& path, std::vector<uint8_t>* data) {
  std::error_code error;
  (void)std::filesystem::status(path, error);  // sets `error` when unreadable
  if (error) return absl::StrCat("cannot read ", path, ": ", error.message());
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::StrCat("cannot read ", path);
  data->assign(std::istreambuf_iterator<char>(file),
               std::istreambuf_iterator<char>());
  return "";
}

// Replays a fault_plan_fuzzer input; returns whether it shows a bug.
bool ReplayPlanText(const std::vector<uint8_t>& data) {
  const std::string text(data.begin(), data.end());
  std::printf("text:     \"%s\"\n", absl::CEscape(text).c_str());
  absl::StatusOr<FaultPlan> plan = ParsePlan(text);
  if (!plan.ok()) {
    std::printf("parse:    refused: %s\nverdict:  OK: no violation\n",
                std::string(plan.status().message()).c_str());
    return false;
  }
  const std::string printed = PrintPlan(*plan);
  absl::StatusOr<FaultPlan> again = ParsePlan(printed);
  const bool stable = again.ok() && *again == *plan;
  std::printf("parse:    %s\nverdict:  %s\n", printed.c_str(),
              stable ? "OK: no violation"
                     : "the printed plan does not parse back to the same plan");
  return !stable;
}

int RunReplay(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr,
                 "sockfi replay: name at least one file (a crash or corpus "
                 "file of a fuzz target)\n");
    return kExitUsage;
  }
  const FuzzTarget* forced = nullptr;
  if (!absl::GetFlag(FLAGS_target).empty()) {
    forced = FindFuzzTarget(absl::GetFlag(FLAGS_target));
    if (forced == nullptr) {
      std::fprintf(stderr, "sockfi replay: --target=%s: the targets are %s\n",
                   absl::GetFlag(FLAGS_target).c_str(), TargetNames().c_str());
      return kExitUsage;
    }
  }
  std::string subject = absl::GetFlag(FLAGS_subject);
  if (const char* env = std::getenv("SOCKFI_SUBJECT");
      env != nullptr && *env && subject == "hardened") {
    subject = env;  // as subject_fuzzer chose it
  }
  std::vector<std::string> paths;
  for (const std::string& arg : args) {
    const std::string error = ExpandInput(arg, &paths);
    if (!error.empty()) {
      std::fprintf(stderr, "sockfi replay: %s\n", error.c_str());
      return kExitUsage;
    }
  }
  std::vector<std::string> violating;
  for (const std::string& path : paths) {
    std::vector<uint8_t> data;
    const std::string error = ReadInput(path, &data);
    if (!error.empty()) {
      std::fprintf(stderr, "sockfi replay: %s\n", error.c_str());
      return kExitUsage;
    }
    const FuzzTarget* target =
        forced != nullptr ? forced : FuzzTargetOfPath(path);
    if (target == nullptr) {
      std::fprintf(
          stderr,
          "sockfi replay: cannot tell which fuzz target %s belongs to; "
          "name it with --target (%s)\n",
          path.c_str(), TargetNames().c_str());
      return kExitUsage;
    }
    std::printf("file:     %s (%zu bytes)\ntarget:   %s\n", path.c_str(),
                data.size(), target->name.c_str());
    if (!target->scenario) {
      if (ReplayPlanText(data)) violating.push_back(path);
      std::printf("\n");
      continue;
    }
    const Scenario scenario = ScenarioForInput(*target, data, subject);
    const Subject* routine = FindSubject(scenario.subject);
    if (routine == nullptr) {
      std::fprintf(stderr,
                   "sockfi replay: no subject named \"%s\"; the subjects are: "
                   "%s\n",
                   scenario.subject.c_str(), SubjectNames().c_str());
      return kExitUsage;
    }
    std::printf("replay:   %s\n",
                RunCommandFor(scenario, target->backend).c_str());
    const RunResult result = RunScenario(scenario, target->backend);
    std::printf("%s\n", FormatRunReport(result, *routine, target->backend,
                                        scenario.adversarial)
                            .c_str());
    if (!result.verdict.ok()) violating.push_back(path);
  }
  if (paths.size() > 1) {
    std::printf(
        "%zu inputs replayed: %s\n", paths.size(),
        violating.empty()
            ? "none shows a violation"
            : absl::StrCat(violating.size(),
                           violating.size() == 1 ? " shows" : " show",
                           " a violation: ", absl::StrJoin(violating, ", "))
                  .c_str());
  }
  return violating.empty() ? kExitOk : kExitFailure;
}

}  // namespace

Command ReplayCommand() {
  return Command{
      "replay",
      "turn fuzzer inputs (crashes, corpus files) into readable, re-runnable "
      "runs",
      "sockfi replay FILE|DIR... [--target=NAME] [--subject=NAME]",
      "Decodes each file as the fuzz target it belongs to does (the target is "
      "read from the path,\n"
      "corpus/NAME/... or fuzz-out/NAME/..., or given with --target), prints "
      "the "
      "one-line\n"
      "`sockfi run` command that replays it, then runs it and prints the "
      "trace, "
      "the outcome and the\n"
      "verdict. fault_plan_fuzzer inputs are shown as text with what the "
      "parser "
      "made of them.\n"
      "A directory stands for the files in it (a crash folder, a corpus), and "
      "several inputs end\n"
      "with a line that names those that show a violation.\n"
      "--subject (or SOCKFI_SUBJECT) picks the routine for subject_fuzzer "
      "inputs.\n"
      "Exit status 1 when an input shows a violation, 2 when a file cannot be "
      "read.",
      {"target", "subject"},
      &RunReplay,
  };
}

}  // namespace sockfi::cli
