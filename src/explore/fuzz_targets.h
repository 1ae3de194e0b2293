// The libFuzzer targets in //fuzz, described once: what their inputs are and
// how they turn one into a run. The targets and `sockfi replay` both use this,
// so a crash file replays exactly as the fuzzer ran it.

#ifndef SOCKFI_SRC_EXPLORE_FUZZ_TARGETS_H_
#define SOCKFI_SRC_EXPLORE_FUZZ_TARGETS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/explore/scenario.h"
#include "src/explore/world.h"

namespace sockfi {

struct FuzzTarget {
  std::string name;
  // true: the input is a scenario (src/explore/scenario.h); false: plan text.
  bool scenario = true;
  BackendKind backend = BackendKind::kSim;
  // Whether the subject comes from --subject / SOCKFI_SUBJECT (else
  // "hardened").
  bool chooses_subject = false;
};

// Returns socketpair_sim_fuzzer, subject_fuzzer, socketpair_real_fuzzer and
// fault_plan_fuzzer.
const std::vector<FuzzTarget>& FuzzTargets();

// Returns the target named `name`, or nullptr.
const FuzzTarget* FindFuzzTarget(absl::string_view name);

// Returns the target whose corpus or output folder `path` lies in
// (".../corpus/NAME/..." or ".../fuzz-out/NAME/..."), or nullptr.
const FuzzTarget* FuzzTargetOfPath(absl::string_view path);

// Returns the scenario `target` runs for input `data`, with `subject` as the
// routine when the target lets one be chosen. On the real kernel each run's
// deadline is at most 300 ms.
Scenario ScenarioForInput(const FuzzTarget& target,
                          absl::Span<const uint8_t> data,
                          const std::string& subject);

// What a target's harness finds in one run: the judged run and, on the real
// kernel, what the process's fd table says beyond the oracles.
struct HarnessRun {
  RunResult result;
  // "" or why the fd table convicts the run: it must hold as many fds after a
  // run on the real kernel as before (always "" on the simulated kernel).
  std::string fd_table_finding;

  bool ok() const { return result.verdict.ok() && fd_table_finding.empty(); }
};

// Returns the run of `scenario` as `target`'s harness makes and judges it
// (reusing `scratch`'s world on the simulated kernel), so that `sockfi replay`
// convicts exactly the inputs the fuzzer did.
HarnessRun RunAsHarness(const FuzzTarget& target, const Scenario& scenario,
                        RunScratch* scratch = nullptr);

}  // namespace sockfi

#endif  // SOCKFI_SRC_EXPLORE_FUZZ_TARGETS_H_
