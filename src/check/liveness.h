// The liveness oracle: no hang, no busy spin, a sane number of calls, and the
// routine's own deadline kept.

#ifndef SOCKFI_SRC_CHECK_LIVENESS_H_
#define SOCKFI_SRC_CHECK_LIVENESS_H_

#include <vector>

#include "absl/time/time.h"
#include "src/check/run_record.h"
#include "src/check/verdict.h"

namespace sockfi {

struct LivenessLimits {
  // Failures of the same call on the same fd with the same errno, with no
  // progress in between, beyond which a routine is spinning.
  int spin_budget = 100;
  // Calls beyond which a run is runaway.
  int call_budget = 10000;
  // How late past its own deadline a routine may return.
  absl::Duration deadline_slack = absl::Milliseconds(10);
};

// Appends to `out` a violation for a hang (a call that returned the simulated
// kernel's EHANG), a busy spin, a run longer than the call budget, or a return
// later than the routine's deadline plus slack.
void CheckLiveness(const RunRecord& record, const LivenessLimits& limits,
                   std::vector<Violation>* out);

}  // namespace sockfi

#endif  // SOCKFI_SRC_CHECK_LIVENESS_H_
