// What a sockfi fuzz target does when an oracle finds a violation: print the
// scenario as a `sockfi run` command, the verdict and the trace, then abort so
// that libFuzzer saves the input.

#ifndef SOCKFI_FUZZ_VIOLATION_H_
#define SOCKFI_FUZZ_VIOLATION_H_

#include "src/explore/fuzz_targets.h"
#include "src/explore/scenario.h"

namespace sockfi {

// Aborts with a report when `run` convicts its input (an oracle's violation,
// or the fd table's finding on the real kernel); returns otherwise.
void AbortOnViolation(const Scenario& scenario, BackendKind backend,
                      const HarnessRun& run);

}  // namespace sockfi

#endif  // SOCKFI_FUZZ_VIOLATION_H_
