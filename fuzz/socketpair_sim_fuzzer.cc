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
  // One trace's storage serves every input: under ASan each fresh
  // allocation costs more than the run that fills it.
  static sockfi::Trace trace_storage;
  sockfi::RunResult result =
      sockfi::RunScenario(scenario, target.backend, &trace_storage);
  sockfi::AbortOnViolation(scenario, target.backend, result);
  trace_storage = std::move(result.record.trace);
  return 0;
}
