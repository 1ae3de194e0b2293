// FaultInjector: a Syscalls decorator that applies a FaultPlan to any backend
// and records a Trace.
//
// Faults follow the errno catalog's side effects: a "before" fault fails the
// call without making it; an "after" fault makes the real call, then undoes
// nothing and reports the errno (connect EINTR leaves the attempt running,
// close EINTR has released the fd, accept ECONNABORTED has taken a queued
// connection and the injector closes it, as the kernel would have). In
// realistic mode (the default) a rule whose errno Linux could not return at
// that moment (EAGAIN from a blocking call, an errno outside the catalog, the
// other timing) is not injected and the trace says why; adversarial mode
// injects it anyway.
//
// Thread-safe (unless InjectorOptions::single_thread): any number of threads
// may call it at once; occurrences are counted across threads, and no lock is
// held while the backend call runs. A
// thread can make its calls a run of their own, with its own plan, occurrence
// counts and trace, with a ThreadRun (src/fault/thread_run.h).

#ifndef SOCKFI_SRC_FAULT_FAULT_INJECTOR_H_
#define SOCKFI_SRC_FAULT_FAULT_INJECTOR_H_

#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "src/fault/errno_catalog.h"
#include "src/fault/fault_plan.h"
#include "src/fault/host_actors.h"
#include "src/fault/thread_run.h"
#include "src/fault/trace.h"
#include "src/sys/syscalls.h"

namespace sockfi {

struct InjectorOptions {
  // Inject faults even where Linux could not produce them.
  bool adversarial = false;
  // The catalog that decides realism and timing; must outlive the injector.
  const ErrnoCatalog* catalog = &ErrnoCatalog::Linux();
  // Performs the plan's actor rules; must outlive the injector. When null,
  // actor rules are noted in the trace as not performed.
  HostActors* actors = nullptr;
  // Calls after which the run is cut off: every further call but close fails
  // with kCutOffErrno (ECUTOFF) without reaching the backend, so a routine that
  // loops forever unwinds instead of running out of memory.
  uint32_t call_budget = 20000;
  // The same call on the same fd failing with the same errno this many times
  // in a row also cuts the run off: a routine retrying without waiting never
  // stops by itself, and the liveness oracle needs far fewer calls to see the
  // spin (LivenessLimits::spin_budget) than the call budget allows.
  uint32_t spin_cutoff = 1000;
  // When set, the trace is kept in this vector's storage (its contents are
  // dropped): a caller that makes many runs hands back the trace of the last
  // one and saves the allocations (the fuzz targets do, once per input).
  Trace* reuse_trace = nullptr;
  // Set when one thread alone ever calls the injector (RunOnce's, around a
  // routine that makes its calls on the caller's thread): its calls then take
  // no lock, which under ASan is a few percent of a simulated run.
  bool single_thread = false;
};

class FaultInjector final : public Syscalls {
 public:
  // Applies `plan` to calls made through this object, forwarding them to
  // `inner`, which must outlive it.
  FaultInjector(Syscalls& inner, FaultPlan plan, InjectorOptions options = {});
  // Applies `*plan` without copying it; `*plan` must outlive this object.
  FaultInjector(Syscalls& inner, const FaultPlan* plan,
                InjectorOptions options = {});

  SysResult<int> Socket(int domain, int type, int protocol) override;
  SysResult<std::array<int, 2>> SocketPair(int domain, int type,
                                           int protocol) override;
  SysStatus Bind(int fd, const SockAddr& address) override;
  SysStatus Listen(int fd, int backlog) override;
  SysResult<SockAddr> GetSockName(int fd) override;
  SysResult<SockAddr> GetPeerName(int fd) override;
  SysStatus Connect(int fd, const SockAddr& address) override;
  SysResult<AcceptedSocket> Accept4(int fd, int flags) override;
  SysStatus SetNonBlocking(int fd, bool on) override;
  SysResult<FdFlags> GetFdFlags(int fd) override;
  SysResult<int> GetSocketError(int fd) override;
  SysResult<int> Poll(absl::Span<pollfd> fds, int timeout_ms) override;
  SysResult<size_t> Send(int fd, absl::Span<const uint8_t> data,
                         int flags) override;
  SysResult<size_t> Recv(int fd, absl::Span<uint8_t> buffer,
                         int flags) override;
  SysStatus Close(int fd) override;
  SysStatus GetRandom(absl::Span<uint8_t> buffer) override;
  // Not traced and never faulted: time is the backend's.
  absl::Time Now() override { return inner_.Now(); }

  // Returns a copy of the trace so far (calls made within a ThreadRun are in
  // that run's trace instead).
  Trace trace() const;
  // Returns the trace and starts a new, empty one (occurrence counts go on).
  Trace TakeTrace();
  const FaultPlan& plan() const { return *plan_; }
  // Returns the time actors took so far: another process's work, not the
  // routine's (RunOnce leaves it out of the run's elapsed time).
  absl::Duration actor_time() const;
  // Returns the backend calls are forwarded to.
  Syscalls& inner() { return inner_; }

 private:
  struct FdState {
    bool open = false;
    bool nonblocking = false;
  };

  // Starts an event for a call (counting its occurrence) and decides its fault.
  // `nonblocking` says whether the call cannot block (for EAGAIN/EINTR
  // realism); `new_fds` is how many fds the call would create (for fdlimit).
  size_t Begin(CallKind call, int fd, int arg, int arg2, bool nonblocking,
               int new_fds, FiredFault* fault);
  // Runs the backend call for event `index` under `fault`: returns the fault's
  // errno without calling (kBefore), or calls and, if the call succeeded, lets
  // `undo` take back what the routine will never see and returns the fault's
  // errno (kAfter); else returns the call's own result. Records everything but
  // a plain success, which the caller records with what it learnt.
  template <typename Result, typename Call, typename Undo>
  Result Run(size_t index, const FiredFault& fault, Call call, Undo undo);
  // Returns whether a call on `fd` with `flags` cannot block.
  bool NonBlocking(int fd, int flags);
  // Notes that an "after" fault did not fire because the backend call failed
  // first.
  void MarkMissed(size_t index, int error_number);
  // Records the result of event `index` and what it did to the fd table.
  void Finish(size_t index, int error_number, int64_t value = 0);
  void FinishWithFds(size_t index, std::array<int, 2> fds, bool nonblocking,
                     const SockAddr& address = SockAddr());
  void FinishWithAddress(size_t index, const SockAddr& address);
  // Runs actor rules matching event `index` (a successful call on listener
  // `fd`).
  void RunActors(size_t index, CallKind call, int fd);
  // Returns whether `fd` is non-blocking (asks the backend for fds it did not
  // see).
  // (The four helpers below need mu_ held.)
  bool IsNonBlocking(int fd);
  FdState& StateOf(int fd);
  uint32_t ThreadIndex(InjectorRun& run);
  // Returns the calling thread's ThreadRun through this injector, if any, else
  // the injector's own run.
  InjectorRun& CurrentRun();

  // Sets up the injector's own run; each constructor ends with it.
  void StartRun();
  // Holds mu_ until the returned lock goes, unless options_.single_thread.
  std::unique_lock<std::mutex> Lock() const {
    return options_.single_thread
               ? std::unique_lock<std::mutex>(mu_, std::defer_lock)
               : std::unique_lock<std::mutex>(mu_);
  }

  Syscalls& inner_;
  const FaultPlan own_plan_;
  const FaultPlan* const plan_;  // &own_plan_ or a borrowed plan
  const InjectorOptions options_;

  // Guards everything below. A std::mutex: absl::Mutex's deadlock detection (on
  // in Debian's build) costs more than a whole simulated run.
  mutable std::mutex mu_;
  // The run of calls made outside any ThreadRun: plan_, the trace, occurrence
  // counts, the spin and fd counts.
  InjectorRun run_;
  absl::InlinedVector<FdState, 16> fds_;  // by fd number, shared by all runs
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_FAULT_FAULT_INJECTOR_H_
