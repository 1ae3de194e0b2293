// Judge: runs every oracle over one run.

#ifndef SOCKFI_SRC_CHECK_JUDGE_H_
#define SOCKFI_SRC_CHECK_JUDGE_H_

#include "src/check/liveness.h"
#include "src/check/run_record.h"
#include "src/check/verdict.h"
#include "src/fault/errno_catalog.h"
#include "src/sys/syscalls.h"

namespace sockfi {

// Returns the verdict of the fd ledger, pair, propagation and liveness oracles
// on `record`; `probe` is the backend the run used (not the injector around
// it). After a hang only the fd ledger is judged besides: the simulated kernel
// then fails every call but close, so the outcome and the pair say nothing
// more.
Verdict Judge(const RunRecord& record, Syscalls& probe,
              const ErrnoCatalog& catalog = ErrnoCatalog::Linux(),
              const LivenessLimits& limits = LivenessLimits());

}  // namespace sockfi

#endif  // SOCKFI_SRC_CHECK_JUDGE_H_
