// The pair oracle: a successful routine returned two open fds that form one
// working connection to each other, with the flags that were asked for (every
// flag asked for set, and O_NONBLOCK not set unasked).

#ifndef SOCKFI_SRC_CHECK_PAIR_VALIDITY_H_
#define SOCKFI_SRC_CHECK_PAIR_VALIDITY_H_

#include <vector>

#include "src/check/run_record.h"
#include "src/check/verdict.h"
#include "src/sys/syscalls.h"

namespace sockfi {

// Appends to `out` what is wrong with the pair `record` returned (nothing when
// the routine failed). Probes the fds through `probe` — the backend itself,
// never the injector, so the probe is neither faulted nor traced — sending a
// token both ways and comparing addresses. Returns whether the pair works
// (connected, data both ways, not foreign), flags aside.
bool CheckPairValidity(const RunRecord& record, Syscalls& probe,
                       std::vector<Violation>* out);

}  // namespace sockfi

#endif  // SOCKFI_SRC_CHECK_PAIR_VALIDITY_H_
