#include "src/cli/run_command.h"

#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "src/cli/backend_flags.h"
#include "src/cli/pair_flags.h"
#include "src/cli/plan_argument.h"
#include "src/cli/run_report.h"
#include "src/explore/run.h"
#include "src/fault/trace.h"
#include "src/subjects/subject.h"

ABSL_FLAG(std::string, plan, "",
          "the fault plan: rules such as 'accept#1=EMFILE; close#*=EINTR', or "
          "@FILE to read them from a file");

namespace sockfi::cli {
namespace {

int RunRun(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr,
                 "sockfi run: unexpected argument \"%s\" (quote the plan: "
                 "--plan='...')\n",
                 args[0].c_str());
    return kExitUsage;
  }
  if (absl::GetFlag(FLAGS_plan).empty()) {
    std::fprintf(
        stderr,
        "sockfi run: --plan is required, e.g. --plan='accept#1=EMFILE' "
        "(or --plan=none for a fault-free run)\n");
    return kExitUsage;
  }
  absl::StatusOr<BackendChoice> backend = ReadBackendFlags();
  if (!backend.ok()) {
    std::fprintf(stderr, "sockfi run: %s\n",
                 std::string(backend.status().message()).c_str());
    return kExitUsage;
  }
  RunSpec spec;
  std::string error = ReadPairOptions(&spec.options);
  if (!error.empty()) {
    std::fprintf(stderr, "sockfi run: %s\n", error.c_str());
    return kExitUsage;
  }
  absl::StatusOr<FaultPlan> plan =
      ReadPlanArgument(absl::GetFlag(FLAGS_plan), backend->adversarial);
  if (!plan.ok()) {
    std::fprintf(stderr, "sockfi run: %s\n",
                 std::string(plan.status().message()).c_str());
    return kExitUsage;
  }
  spec.plan = *plan;
  spec.adversarial = backend->adversarial;
  spec.subject = backend->subjects.front();

  RunResult result = RunOnce(spec, backend->make_world);
  std::fputs(FormatRunReport(result, *spec.subject, backend->backend,
                             backend->adversarial)
                 .c_str(),
             stdout);
  return result.verdict.ok() ? kExitOk : kExitFailure;
}

}  // namespace

Command RunCommand() {
  return Command{
      "run",
      "run one subject under one fault plan; print the trace and the verdict",
      "sockfi run --plan='accept#1=EMFILE' [--backend=sim|real] "
      "[--subject=hardened] [--adversarial]",
      "Runs the subject once through the fault injector with the plan, prints "
      "every "
      "call it made\n"
      "(with the fault injected, if any, and the result), the outcome, and the "
      "verdict of the oracles\n"
      "(fd leaks, error propagation, the pair, liveness). Plans are the text "
      "form of "
      "src/fault/fault_plan.h;\n"
      "findings printed by `sockfi explore` are plans to paste here.\n"
      "Exit status 1 when the verdict has a violation.",
      WithBackendFlags(WithPairFlags({"plan"})),
      &RunRun,
  };
}

}  // namespace sockfi::cli
