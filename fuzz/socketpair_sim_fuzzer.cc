// socketpair_sim_fuzzer: the hardened emulation on the simulated kernel, under
// any scenario (pair options, kernel settings, fault plan) the input encodes
// (src/explore/scenario.h). A violation of any oracle prints the scenario as a
// `sockfi run` command, the verdict and the trace, then aborts.

#include <cstdint>
#include <utility>

#include "fuzz/violation.h"
#include "src/explore/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const sockfi::FuzzTarget& target =
      *sockfi::FindFuzzTarget("socketpair_sim_fuzzer");
  const sockfi::Scenario scenario =
      sockfi::ScenarioForInput(target, {data, size}, "hardened");
  // One simulated kernel and one trace's storage serve every input: under
  // ASan each fresh allocation costs more than the run that fills it.
  static sockfi::RunScratch scratch;
  sockfi::HarnessRun run = sockfi::RunAsHarness(target, scenario, &scratch);
  sockfi::AbortOnViolation(scenario, target.backend, run);
  scratch.Recycle(std::move(run.result));
  return 0;
}
