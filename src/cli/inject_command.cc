#include "src/cli/inject_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/cli/plan_argument.h"
#include "src/cli/preload_library.h"
#include "src/explore/command_explorer.h"
#include "src/explore/shell_quote.h"
#include "src/preload/preload_trace.h"
#include "src/sys/child_process.h"
#include "src/sys/errno_name.h"

ABSL_DECLARE_FLAG(std::string, plan);
ABSL_DECLARE_FLAG(bool, adversarial);
ABSL_FLAG(std::string, trace, "",
          "inject: keep the interposer's JSON-lines trace in this file "
          "(default: a temporary file, removed)");

namespace sockfi::cli {
namespace {

std::string Describe(const PreloadCall& call) {
  std::string text =
      absl::StrCat(call.function, " (", call.call, "#", call.occurrence, ")");
  if (call.fd >= 0) absl::StrAppend(&text, " on fd ", call.fd);
  absl::StrAppend(&text, " -> ", call.result);
  if (call.error != 0) absl::StrAppend(&text, " ", ErrnoName(call.error));
  return text;
}

absl::string_view StatusName(PreloadRuleStatus status) {
  switch (status) {
    case PreloadRuleStatus::kInjected:
      return "injected";
    case PreloadRuleStatus::kSuppressed:
      return "suppressed";
    case PreloadRuleStatus::kMissed:
      return "missed";
    case PreloadRuleStatus::kNone:
      break;
  }
  return "";
}

int RunInject(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fprintf(stderr,
                 "sockfi inject: no program given; usage: sockfi inject "
                 "--plan=PLAN -- PROGRAM [ARGS...]\n");
    return kExitUsage;
  }
  const bool adversarial = absl::GetFlag(FLAGS_adversarial);
  FaultPlan plan;
  if (!absl::GetFlag(FLAGS_plan).empty()) {
    absl::StatusOr<FaultPlan> read =
        ReadPlanArgument(absl::GetFlag(FLAGS_plan), adversarial);
    if (!read.ok()) {
      std::fprintf(stderr, "sockfi inject: --plan: %s\n",
                   std::string(read.status().message()).c_str());
      return kExitUsage;
    }
    plan = *std::move(read);
  }
  absl::StatusOr<std::string> library =
      FindPreloadLibrary(absl::GetFlag(FLAGS_preload));
  if (!library.ok()) {
    std::fprintf(stderr, "sockfi inject: %s\n",
                 std::string(library.status().message()).c_str());
    return kExitUsage;
  }
  std::string trace_path = absl::GetFlag(FLAGS_trace);
  const bool keep_trace = !trace_path.empty();
  std::error_code ignored;
  if (!keep_trace) {
    trace_path = (std::filesystem::temp_directory_path(ignored) /
                  absl::StrCat("sockfi-inject-", getpid(), ".jsonl"))
                     .string();
  }
  {
    // The interposer appends: start from an empty file, and find out now
    // whether it can be written.
    std::ofstream create(trace_path, std::ios::trunc);
    if (!create) {
      std::fprintf(stderr,
                   "sockfi inject: --trace=%s: cannot write that file\n",
                   trace_path.c_str());
      return kExitUsage;
    }
  }

  ChildSpec child =
      InterposedChild(args, *library, plan, adversarial, trace_path);
  child.timeout = absl::GetFlag(FLAGS_command_timeout);
  absl::StatusOr<ChildExit> exit = RunChild(child);
  if (!exit.ok()) {
    std::fprintf(stderr, "sockfi inject: %s\n",
                 std::string(exit.status().message()).c_str());
    if (!keep_trace) std::filesystem::remove(trace_path, ignored);
    return kExitUsage;
  }
  absl::StatusOr<PreloadTrace> trace = ReadPreloadTraceFile(trace_path);
  if (!keep_trace) std::filesystem::remove(trace_path, ignored);
  if (!trace.ok()) {
    std::fprintf(stderr, "sockfi inject: the trace is unreadable: %s\n",
                 std::string(trace.status().message()).c_str());
    return kExitFailure;
  }

  std::string report = absl::StrCat(
      "\nsockfi inject: ", absl::StrJoin(args, " "),
      "\n  plan:     ", plan.empty() ? "none" : PrintPlan(plan),
      adversarial ? " (adversarial)" : "", "\n  outcome:  ", exit->Describe(),
      exit->timed_out
          ? ""
          : absl::StrCat(" after ", absl::FormatDuration(exit->elapsed)),
      "; ", trace->calls.size(), " socket calls traced in ",
      trace->Pids().size(), " process(es)\n");
  std::vector<std::string> matched;
  std::string faults;
  for (const PreloadCall& call : trace->calls) {
    if (call.rule_status == PreloadRuleStatus::kNone) continue;
    if (call.rule.has_value()) matched.push_back(*call.rule);
    absl::StrAppendFormat(
        &faults, "    %-10s %-28s at %s%s\n", StatusName(call.rule_status),
        call.rule.value_or("?"), Describe(call),
        call.note.has_value() ? "  (" + *call.note + ")" : "");
  }
  for (const PreloadCall& call : trace->calls) {
    for (const std::string& actor : call.actors) {
      absl::StrAppendFormat(&faults, "    %-10s %-28s after %s\n", "acted",
                            actor, Describe(call));
    }
  }
  absl::StrAppend(&report, "  faults:", faults.empty() ? " none fired\n" : "\n",
                  faults);
  std::vector<std::string> never;
  for (const FaultRule& rule : plan.faults) {
    const std::string text = PrintRule(rule);
    if (std::find(matched.begin(), matched.end(), text) == matched.end()) {
      never.push_back(text);
    }
  }
  if (!never.empty()) {
    absl::StrAppend(
        &report, "  never matched a call: ", absl::StrJoin(never, "; "), "\n");
  }
  const std::vector<Violation> violations =
      JudgeCommandRun(*exit, *trace, child.timeout);
  if (trace->leaks.empty()) {
    absl::StrAppend(&report, "  leaks:    ",
                    exit->exited ? "none\n"
                                 : "unknown (the program did not exit "
                                   "normally, so the interposer could not "
                                   "look)\n");
  }
  for (const Violation& v : violations) {
    absl::StrAppend(&report, "  ", ViolationName(v.kind), ": ", v.message,
                    "\n");
  }
  if (keep_trace) absl::StrAppend(&report, "  trace:    ", trace_path, "\n");
  std::fprintf(stderr, "%s", report.c_str());
  return exit->ShellStatus();
}

}  // namespace

Command InjectCommand() {
  return Command{
      "inject",
      "run an unmodified program under a fault plan (LD_PRELOAD); report "
      "what fired and what leaked",
      "sockfi inject [--plan=PLAN|@FILE] [--adversarial] [--trace=FILE] "
      "[--command_timeout=10s] [--preload=PATH] -- PROGRAM [ARGS...]",
      "Runs PROGRAM with libsockfi_preload.so preloaded: the plan's faults are "
      "injected into its\n"
      "socket calls with the catalog's side effects (see `sockfi catalog`), "
      "every call on a socket\n"
      "is traced, and at exit every socket it made and left open is reported "
      "with the call that\n"
      "made it. The program's own output is untouched; the report goes to "
      "stderr: the faults that\n"
      "fired (or were suppressed as unrealistic, or missed), rules that never "
      "matched a call, the\n"
      "outcome, the leaks and what the oracles make of it (swallowed-error: "
      "a fatal fault and exit\n"
      "0; unexpected-error: exit non-zero after only retryable faults). "
      "Without --plan nothing is\n"
      "injected: a leak check. The program must be dynamically linked.\n"
      "\n"
      "Exit status: the program's (128 + N when signal N killed it), 2 for bad "
      "arguments.",
      {"plan", "adversarial", "trace", "preload", "command_timeout"},
      &RunInject,
  };
}

}  // namespace sockfi::cli
