// ThreadRun: one run of a routine on one thread, with a fault plan of its own,
// through a FaultInjector that other threads share.
//
// A FaultInjector applies one plan and counts occurrences across every thread
// that calls it, so with several threads "accept#2" is whichever thread's
// accept comes second. While a ThreadRun is alive, the calls its thread makes
// through that injector form a run of their own instead: they are matched
// against the ThreadRun's plan, occurrences count from 1 for this run alone,
// the plan's fdlimit counts only the fds this run made, its actor rules are
// performed by the ThreadRun's actors, and every call is recorded in the
// ThreadRun's trace (indices from 0, thread 0) rather than the injector's.
// Other threads, and this thread's calls through other injectors, are not
// affected. An error one thread sees can then be traced to the faults of its
// own run, and judged by the oracles like any RunOnce.
//
// Usage (each thread):
//   ThreadRun run(shared_injector, plan);
//   absl::StatusOr<SocketPair> pair = MakeSocketPair(options, shared_injector);
//   Trace trace = run.TakeTrace();

#ifndef SOCKFI_SRC_FAULT_THREAD_RUN_H_
#define SOCKFI_SRC_FAULT_THREAD_RUN_H_

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/time/time.h"
#include "src/fault/call_kind.h"
#include "src/fault/fault_plan.h"
#include "src/fault/host_actors.h"
#include "src/fault/trace.h"

namespace sockfi {

class FaultInjector;

// The state a FaultInjector keeps for one run: the plan it applies, the
// occurrences it counted, the trace it recorded. An injector has one for the
// calls made outside any ThreadRun; each ThreadRun has its own.
struct InjectorRun {
  const FaultPlan* plan = nullptr;
  HostActors* actors = nullptr;  // null: the injector's own (InjectorOptions)
  Trace trace;
  uint32_t next_index = 0;
  // The failures in a row of one (call, fd, errno) that ended the trace when
  // the last call began, and the index of the run's last failure.
  uint32_t spin_run = 0;
  size_t spin_last = 0;
  std::array<uint32_t, kCallKindCount> occurrences = {};
  // The fds this run holds, for its fdlimit: counted through the injector's
  // shared fd table for the injector's own run, listed here for a ThreadRun
  // (another thread may reuse a number this run just closed).
  bool lists_own_fds = false;
  uint32_t open_count = 0;
  absl::InlinedVector<int, 8> open_fds;
  absl::Duration actor_time;
  absl::InlinedVector<std::thread::id, 4> threads;
};

class ThreadRun {
 public:
  // Starts a run of `plan` for the calling thread's calls through `injector`,
  // which must outlive this object. `actors` performs the plan's actor rules
  // (null: the injector's own actors); it must outlive this object. Runs
  // through one injector nest: the innermost wins.
  ThreadRun(const FaultInjector& injector, FaultPlan plan,
            HostActors* actors = nullptr)
      : injector_(&injector),
        plan_(std::move(plan)),
        enclosing_(innermost_run_) {
    run_.plan = &plan_;
    run_.actors = actors;
    run_.lists_own_fds = true;
    run_.trace.reserve(64);
    innermost_run_ = this;
  }
  // Ends the run: the thread's calls through the injector follow the
  // injector's own plan again. Must run on the thread that made the object,
  // in reverse order of construction.
  ~ThreadRun() {
    assert(innermost_run_ == this);
    innermost_run_ = enclosing_;
  }
  ThreadRun(const ThreadRun&) = delete;
  ThreadRun& operator=(const ThreadRun&) = delete;

  const FaultPlan& plan() const { return plan_; }
  // Returns the trace so far.
  const Trace& trace() const { return run_.trace; }
  // Returns the trace and starts a new, empty one (occurrence counts go on).
  Trace TakeTrace() {
    Trace taken = std::move(run_.trace);
    run_.trace.clear();
    run_.spin_run = 0;  // its failures went with the old trace
    return taken;
  }
  // Returns the time this run's actors took: another process's work, not the
  // routine's.
  absl::Duration actor_time() const { return run_.actor_time; }

  // Returns the run the calling thread has open through `injector`, or nullptr
  // when it has none (FaultInjector's lookup).
  static InjectorRun* Find(const FaultInjector* injector) {
    for (ThreadRun* run = innermost_run_; run != nullptr;
         run = run->enclosing_) {
      if (run->injector_ == injector) return &run->run_;
    }
    return nullptr;
  }

 private:
  // The calling thread's innermost open run (each links to the one it
  // encloses). Header-only: fuzz/oss-fuzz/build.sh lists every .cc the fuzz
  // targets compile, and this adds none.
  static inline thread_local ThreadRun* innermost_run_ = nullptr;

  const FaultInjector* const injector_;
  const FaultPlan plan_;
  InjectorRun run_;
  ThreadRun* const enclosing_;  // the thread's previous innermost run, if any
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_FAULT_THREAD_RUN_H_
