// socketpair_sim_fuzzer: the hardened emulation on the simulated kernel, under
// any scenario (pair options, kernel settings, fault plan) the input encodes
// (src/explore/scenario.h). A violation of any oracle prints the scenario as a
// `sockfi run` command, the verdict and the trace, then aborts.

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "src/explore/scenario.h"
#include "src/fault/trace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sockfi::Scenario scenario = sockfi::DecodeScenario({data, size});
  scenario.subject = "hardened";
  const sockfi::RunResult result =
      sockfi::RunScenario(scenario, sockfi::BackendKind::kSim);
  if (!result.verdict.ok()) {
    std::fprintf(
        stderr, "\nsockfi: violation\n  %s\n%s\n%s",
        sockfi::RunCommandFor(scenario, sockfi::BackendKind::kSim).c_str(),
        result.verdict.Format().c_str(),
        sockfi::FormatTrace(result.record.trace).c_str());
    std::abort();
  }
  return 0;
}
