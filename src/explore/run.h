// RunOnce: one run of a subject under a fault plan, judged.

#ifndef SOCKFI_SRC_EXPLORE_RUN_H_
#define SOCKFI_SRC_EXPLORE_RUN_H_

#include <functional>
#include <memory>

#include "src/check/run_record.h"
#include "src/check/verdict.h"
#include "src/explore/world.h"
#include "src/fault/fault_plan.h"
#include "src/pair/socket_pair.h"
#include "src/subjects/subject.h"

namespace sockfi {

using WorldFactory = std::function<std::unique_ptr<World>()>;

struct RunSpec {
  const Subject* subject = nullptr;
  FaultPlan plan;
  bool adversarial = false;
  PairOptions options;
  // When set, the run's trace reuses this vector's storage (see
  // InjectorOptions::reuse_trace); hand back RunResult::record.trace.
  Trace* reuse_trace = nullptr;
};

struct RunResult {
  RunRecord record;
  Verdict verdict;
};

// Runs `spec.subject` once in `world` (fresh, or reset), through a
// FaultInjector applying `spec.plan`, judges the run with every oracle, then
// closes the pair it returned (if any) on the world's kernel, past the
// injector: the plan's rules do not reach the harness's own closes.
RunResult RunOnce(const RunSpec& spec, World& world);

// Runs `spec` once, as above, in a fresh world from `make_world`.
RunResult RunOnce(const RunSpec& spec, const WorldFactory& make_world);

}  // namespace sockfi

#endif  // SOCKFI_SRC_EXPLORE_RUN_H_
