#include "fuzz/violation.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "src/fault/trace.h"

namespace sockfi {

void AbortOnViolation(const Scenario& scenario, BackendKind backend,
                      const RunResult& result, absl::string_view extra) {
  if (result.verdict.ok() && extra.empty()) return;
  std::fprintf(stderr, "\nsockfi: violation\n  %s\n%s%s\n%s",
               RunCommandFor(scenario, backend).c_str(),
               result.verdict.ok() ? "" : result.verdict.Format().c_str(),
               std::string(extra).c_str(),
               FormatTrace(result.record.trace).c_str());
  std::abort();
}

}  // namespace sockfi
