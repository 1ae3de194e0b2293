// The propagation oracle: the routine's outcome must be what the faults that
// fired, read through the errno catalog, imply.
//
// Success is right when the pair works (the routine got past whatever fired).
// An error is right when it names a cause the routine was right to report, at
// its step with its errno: a fault the catalog marks "propagate" (or the plan's
// fdlimit refusing an fd); at "verify" or for ETIMEDOUT, foreign clients that
// kept connecting; for ETIMEDOUT, a flood or bytes lost by a send or
// recv that failed after moving them (adversarial); a failure the kernel gave
// by itself (IPv6 disabled; a connection refused, read from SO_ERROR, counts as
// "connect"); or a "retry" fault that kept firing at that step, which a routine
// may give up on. Faults marked "ignore" (close) must never be reported in
// place of the outcome. Anything else is a violation: judged against the last
// propagate fault the routine did not get past (the same call on the same fd
// succeeding later gets it past), if any — wrong errno or wrong step — else an
// unexpected error.

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
