// The fd ledger oracle: every fd a routine makes is returned or closed exactly
// once.

#ifndef SOCKFI_SRC_CHECK_FD_LEDGER_H_
#define SOCKFI_SRC_CHECK_FD_LEDGER_H_

#include <vector>

#include "absl/container/inlined_vector.h"
#include "src/check/run_record.h"
#include "src/check/verdict.h"

namespace sockfi {

// Appends to `out` a violation for each leak (with provenance: which call made
// the fd and which faults had fired by then), double close, close of an fd the
// routine never owned, and use of an fd after the routine closed it.
void CheckFdLedger(const RunRecord& record, std::vector<Violation>* out);

// Returns the fds the routine made that were still open when it returned,
// ascending.
absl::InlinedVector<int, 8> OpenAtEnd(const Trace& trace);

}  // namespace sockfi

#endif  // SOCKFI_SRC_CHECK_FD_LEDGER_H_
