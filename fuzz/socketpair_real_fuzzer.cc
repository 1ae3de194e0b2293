// socketpair_real_fuzzer: the hardened emulation on this machine's kernel under
// the fault plan and pair options the input encodes (the kernel settings are
// the real ones; each run's deadline is at most 300 ms). Besides the oracles,
// the process's fd table is the leak referee: it must hold as many fds after a
// run as before.

#include <cstdint>

#include "fuzz/violation.h"
#include "src/explore/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const sockfi::FuzzTarget& target =
      *sockfi::FindFuzzTarget("socketpair_real_fuzzer");
  const sockfi::Scenario scenario =
      sockfi::ScenarioForInput(target, {data, size}, "hardened");
  const sockfi::HarnessRun run = sockfi::RunAsHarness(target, scenario);
  sockfi::AbortOnViolation(scenario, target.backend, run);
  return 0;
}
