#include "src/explore/fuzz_targets.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "src/sys/process_fds.h"

namespace sockfi {

const std::vector<FuzzTarget>& FuzzTargets() {
  static const std::vector<FuzzTarget>* const kTargets =
      new std::vector<FuzzTarget>{
          {"socketpair_sim_fuzzer", true, BackendKind::kSim, false},
          {"subject_fuzzer", true, BackendKind::kSim, true},
          {"socketpair_real_fuzzer", true, BackendKind::kReal, false},
          {"fault_plan_fuzzer", false, BackendKind::kSim, false},
      };
  return *kTargets;
}

const FuzzTarget* FindFuzzTarget(absl::string_view name) {
  for (const FuzzTarget& target : FuzzTargets()) {
    if (target.name == name) return &target;
  }
  return nullptr;
}

const FuzzTarget* FuzzTargetOfPath(absl::string_view path) {
  for (const FuzzTarget& target : FuzzTargets()) {
    for (const char* folder : {"corpus/", "fuzz-out/"}) {
      const std::string part = absl::StrCat(folder, target.name, "/");
      if (absl::StrContains(path, part)) return &target;
    }
  }
  return nullptr;
}

Scenario ScenarioForInput(const FuzzTarget& target,
                          absl::Span<const uint8_t> data,
                          const std::string& subject) {
  Scenario scenario = DecodeScenario(data);
  scenario.subject = target.chooses_subject ? subject : "hardened";
  if (target.backend == BackendKind::kReal) {
    scenario.options.timeout =
        std::min(scenario.options.timeout, absl::Milliseconds(300));
  }
  return scenario;
}

HarnessRun RunAsHarness(const FuzzTarget& target, const Scenario& scenario,
                        RunScratch* scratch) {
  // The run is built in place, never moved: under ASan, moving a RunResult
  // (its plan's inline rules, its strings) is work on every fuzzer input.
  if (target.backend != BackendKind::kReal) {
    return HarnessRun{RunScenario(scenario, target.backend, scratch), ""};
  }
  const SysResult<int> before = CountOpenFds();
  HarnessRun run{RunScenario(scenario, target.backend), ""};
  const SysResult<int> after = CountOpenFds();
  if (!before.ok() || !after.ok()) {
    run.fd_table_finding = "cannot count the fds in /proc/self/fd";
  } else if (*after != *before) {
    run.fd_table_finding =
        absl::StrCat("the process holds ", *after,
                     " fds after the run and held ", *before, " before it");
  }
  return run;
}

}  // namespace sockfi
