// The propagation oracle: the routine's outcome must be what the faults that
// fired, read through the errno catalog, imply.
//
// Invalid options, for a routine that promises to check them, must end in
// InvalidArgument before any system call. Otherwise success is right when the
// pair works (the routine got past whatever fired).
// An error is right when it names a cause the routine was right to report, at
// its step with its errno:
//   - a fault the catalog marks "propagate" (or the plan's fdlimit refusing an
//     fd);
//   - a failure the kernel gave by itself (IPv6 disabled; a connection refused,
//     read from SO_ERROR, counts as "connect");
//   - a "retry" fault the routine tried to get past (it made a call other than
//     close afterwards) before giving up — giving up at once is the bug;
//   - for a reset seen by the client side, an accept fault that took its
//     connection ("after");
//   - at "verify" or for ETIMEDOUT, other processes that connected (actors);
//   - for ETIMEDOUT, any fault the routine was still working past.
// Faults marked "ignore" (close) never explain an error. Anything else is a
// violation: judged against the last propagate fault the routine did not get
// past (the same call on the same fd succeeding later gets it past), if any —
// wrong errno or wrong step — else an unexpected error.

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
