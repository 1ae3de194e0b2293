#include "src/cli/replay_command.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/cli/run_report.h"
#include "src/explore/fuzz_targets.h"
#include "src/fault/errno_catalog.h"
#include "src/fault/fault_plan.h"
#include "src/sys/errno_name.h"
#include "src/sys/read_file.h"

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
// the regular files in it and in its subdirectories (a corpus and its
// regressions/, as `bazel test` replays them), in name order. Returns an error
// message or "".
std::string ExpandInput(const std::string& arg,
                        std::vector<std::string>* paths) {
  std::error_code error;
  if (!std::filesystem::is_directory(arg, error)) {
    paths->push_back(arg);  // ReadFile says what is wrong with it, if anything
    return "";
  }
  std::vector<std::string> files;
  for (std::filesystem::recursive_directory_iterator it(arg, error), end;
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

// Replays a fault_plan_fuzzer input as the fuzzer checks it; returns whether
// it shows a bug.
bool ReplayPlanText(const std::string& text) {
  std::printf("text:     \"%s\"\n", absl::CEscape(text).c_str());
  absl::StatusOr<FaultPlan> plan = ParsePlan(text);
  if (!plan.ok()) {
    std::printf("parse:    refused: %s\nverdict:  OK: no violation\n",
                std::string(plan.status().message()).c_str());
    return false;
  }
  const absl::Status realistic = CheckRealistic(*plan, ErrnoCatalog::Linux());
  const absl::Status stable = CheckPrintParsesBack(*plan);
  std::printf(
      "parse:    %s\nrealism:  %s\nverdict:  %s\n", PrintPlan(*plan).c_str(),
      realistic.ok() ? "Linux can produce every fault"
                     : std::string(realistic.message()).c_str(),
      stable.ok() ? "OK: no violation" : std::string(stable.message()).c_str());
  return !stable.ok();
}

// Returns the subject to replay subject_fuzzer inputs with: --subject when
// set to another than its default, else SOCKFI_SUBJECT, else the default
// "hardened" (as subject_fuzzer chooses); sets `*chosen` unless it is that
// default.
std::string ChosenSubject(bool* chosen) {
  const absl::CommandLineFlag* flag = absl::FindCommandLineFlag("subject");
  *chosen = true;
  if (flag != nullptr && flag->CurrentValue() != flag->DefaultValue()) {
    return absl::GetFlag(FLAGS_subject);
  }
  if (const char* env = std::getenv("SOCKFI_SUBJECT"); env != nullptr && *env) {
    return env;
  }
  *chosen = false;
  return absl::GetFlag(FLAGS_subject);
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
  bool subject_chosen = false;
  const std::string subject = ChosenSubject(&subject_chosen);
  if (FindSubject(subject) == nullptr) {
    std::fprintf(stderr,
                 "sockfi replay: --subject=%s: replay runs one subject; the "
                 "subjects are: %s\n",
                 subject.c_str(), SubjectNames().c_str());
    return kExitUsage;
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
    const SysResult<std::string> bytes = ReadFile(path);
    if (!bytes.ok()) {
      std::fprintf(stderr, "sockfi replay: cannot read %s: %s\n", path.c_str(),
                   std::string(ErrnoDescription(bytes.error())).c_str());
      return kExitUsage;
    }
    const std::string& data = *bytes;
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
    const Scenario scenario = ScenarioForInput(
        *target,
        absl::MakeConstSpan(reinterpret_cast<const uint8_t*>(data.data()),
                            data.size()),
        subject);
    if (target->chooses_subject && !subject_chosen) {
      std::printf(
          "note:     the input does not record the subject it was fuzzed "
          "with; replaying with %s (give --subject=NAME or SOCKFI_SUBJECT as "
          "the fuzzer had)\n",
          subject.c_str());
    }
    const Subject& routine = *FindSubject(scenario.subject);
    std::printf("replay:   %s\n",
                RunCommandFor(scenario, target->backend).c_str());
    const HarnessRun run = RunAsHarness(*target, scenario);
    std::printf("%s\n", FormatRunReport(run.result, routine, target->backend,
                                        scenario.adversarial)
                            .c_str());
    if (!run.fd_table_finding.empty()) {
      std::printf("fd table: %s\n", run.fd_table_finding.c_str());
    }
    if (!run.ok()) violating.push_back(path);
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
      "A directory stands for the files in it and in its subfolders (a crash "
      "folder, a corpus with\n"
      "its regressions/), and several inputs end with a line that names those "
      "that show a violation.\n"
      "--subject=NAME (one subject), else SOCKFI_SUBJECT, picks the routine "
      "for subject_fuzzer\n"
      "inputs, which do not record it; socketpair_real_fuzzer inputs are "
      "also judged by the\n"
      "process's fd count, and fault_plan_fuzzer inputs by print -> parse, "
      "as the fuzzers do.\n"
      "Exit status 1 when an input shows a violation, 2 when a file cannot be "
      "read.",
      {"target", "subject"},
      &RunReplay,
  };
}

}  // namespace sockfi::cli
