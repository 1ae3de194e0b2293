#include "fuzz/violation.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "src/fault/trace.h"

namespace sockfi {

void AbortOnViolation(const Scenario& scenario, BackendKind backend,
                      const HarnessRun& run) {
  if (run.ok()) return;
  const Verdict& verdict = run.result.verdict;
  std::fprintf(
      stderr, "\nsockfi: violation\n  %s\n%s%s\n%s",
      RunCommandFor(scenario, backend).c_str(),
      verdict.ok() ? "" : verdict.Format().c_str(),
      run.fd_table_finding.empty() ? "" : (run.fd_table_finding + "\n").c_str(),
      FormatTrace(run.result.record.trace).c_str());
  std::abort();
}

}  // namespace sockfi
