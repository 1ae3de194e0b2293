// Minimize: delta debugging of a failing fault plan.

#ifndef SOCKFI_SRC_EXPLORE_MINIMIZE_H_
#define SOCKFI_SRC_EXPLORE_MINIMIZE_H_

#include <functional>

#include "src/fault/fault_plan.h"

namespace sockfi {

// Returns a 1-minimal sub-plan of `plan` that still fails: `fails` holds for
// it, and removing any single rule (fault, actor or fd limit) makes `fails`
// false. `fails` must hold for `plan`. Uses ddmin (Zeller and Hildebrandt,
// "Simplifying and Isolating Failure-Inducing Input", TSE 2002) over the plan's
// rules, keeping their order.
FaultPlan Minimize(const FaultPlan& plan,
                   const std::function<bool(const FaultPlan&)>& fails);

}  // namespace sockfi

#endif  // SOCKFI_SRC_EXPLORE_MINIMIZE_H_
