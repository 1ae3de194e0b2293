// What a sockfi fuzz target does when an oracle finds a violation: print the
// scenario as a `sockfi run` command, the verdict and the trace, then abort so
// that libFuzzer saves the input.

#ifndef SOCKFI_FUZZ_VIOLATION_H_
#define SOCKFI_FUZZ_VIOLATION_H_

#include "absl/strings/string_view.h"
#include "src/explore/run.h"
#include "src/explore/scenario.h"

namespace sockfi {

// Aborts with a report when `result` has a violation or `extra` (another
// finding, e.g. from the process's fd table) is not empty; returns otherwise.
void AbortOnViolation(const Scenario& scenario, BackendKind backend,
                      const RunResult& result, absl::string_view extra = "");

}  // namespace sockfi

#endif  // SOCKFI_FUZZ_VIOLATION_H_
