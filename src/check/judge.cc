#include "src/check/judge.h"

#include "src/check/fd_ledger.h"
#include "src/check/pair_validity.h"
#include "src/check/propagation.h"

namespace sockfi {

Verdict Judge(const RunRecord& record, Syscalls& probe,
              const ErrnoCatalog& catalog, const LivenessLimits& limits) {
  Verdict verdict;
  CheckLiveness(record, limits, &verdict.violations);
  if (verdict.Has(ViolationKind::kHang)) {
    CheckFdLedger(record, &verdict.violations);
    return verdict;
  }
  CheckFdLedger(record, &verdict.violations);
  std::vector<Violation> pair_problems;
  const bool pair_works = CheckPairValidity(record, probe, &pair_problems);
  CheckPropagation(record, catalog, pair_works, &verdict.violations);
  // A broken pair after a fatal fault is reported once, as a swallowed error.
  if (!verdict.Has(ViolationKind::kSwallowedError)) {
    verdict.violations.insert(verdict.violations.end(), pair_problems.begin(),
                              pair_problems.end());
  }
  return verdict;
}

}  // namespace sockfi
