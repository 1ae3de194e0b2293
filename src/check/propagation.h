// The propagation oracle: the routine's outcome must be what the faults that
// fired, read through the errno catalog, imply.
//
// Expected outcome: if a fault the catalog marks "propagate" fired (or the
// plan's fdlimit refused an fd), the last such fault's errno at its step —
// unless the routine got past it (the same call on the same fd succeeded later)
// or recovered with a working pair, which is fine. Faults marked "retry" must
// not end the run (a routine may give up on one only after it fired
// repeatedly); faults marked "ignore" (close) must never be reported in place
// of the outcome. A flood may end the run with ETIMEDOUT at any step.

#ifndef SOCKFI_SRC_CHECK_PROPAGATION_H_
#define SOCKFI_SRC_CHECK_PROPAGATION_H_

#include <vector>

#include "src/check/run_record.h"
#include "src/check/verdict.h"
#include "src/fault/errno_catalog.h"

namespace sockfi {

// Appends to `out` the propagation violations of `record`. `pair_works` says
// whether the pair returned (if the status is OK) passed the pair oracle.
void CheckPropagation(const RunRecord& record, const ErrnoCatalog& catalog,
                      bool pair_works, std::vector<Violation>* out);

}  // namespace sockfi

#endif  // SOCKFI_SRC_CHECK_PROPAGATION_H_
