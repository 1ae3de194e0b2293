#include "src/fault/fault_injector.h"

#include <fcntl.h>
#include <sys/socket.h>

#include <algorithm>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/strings/str_cat.h"
#include "src/sys/errno_name.h"

namespace sockfi {

FaultInjector::FaultInjector(Syscalls& inner, FaultPlan plan,
                             InjectorOptions options)
    : inner_(inner),
      own_plan_(std::move(plan)),
      plan_(&own_plan_),
      options_(options) {
  StartRun();
}

FaultInjector::FaultInjector(Syscalls& inner, const FaultPlan* plan,
                             InjectorOptions options)
    : inner_(inner), plan_(plan), options_(options) {
  StartRun();
}

void FaultInjector::StartRun() {
  run_.plan = plan_;
  run_.actors = options_.actors;
  if (options_.reuse_trace != nullptr) {
    run_.trace = std::move(*options_.reuse_trace);
    run_.trace.clear();
  } else {
    run_.trace.reserve(16);
  }
}

Trace FaultInjector::trace() const {
  const std::unique_lock<std::mutex> lock = Lock();
  return run_.trace;
}

absl::Duration FaultInjector::actor_time() const {
  const std::unique_lock<std::mutex> lock = Lock();
  return run_.actor_time;
}

Trace FaultInjector::TakeTrace() {
  const std::unique_lock<std::mutex> lock = Lock();
  Trace taken = std::move(run_.trace);
  run_.trace.clear();
  run_.spin_run = 0;  // its failures went with the old trace
  return taken;
}

InjectorRun& FaultInjector::CurrentRun() {
  InjectorRun* own = ThreadRun::Find(this);
  return own != nullptr ? *own : run_;
}

FaultInjector::FdState& FaultInjector::StateOf(int fd) {
  if (fd >= static_cast<int>(fds_.size())) fds_.resize(fd + 1);
  return fds_[fd];
}

bool FaultInjector::IsNonBlocking(int fd) {
  if (fd < 0) return false;
  if (fd < static_cast<int>(fds_.size()) && fds_[fd].open) {
    return fds_[fd].nonblocking;
  }
  SysResult<FdFlags> flags = inner_.GetFdFlags(fd);  // an fd made elsewhere
  return flags.ok() && flags->nonblocking;
}

bool FaultInjector::NonBlocking(int fd, int flags) {
  if ((flags & MSG_DONTWAIT) != 0) return true;
  const std::unique_lock<std::mutex> lock = Lock();
  return IsNonBlocking(fd);
}

uint32_t FaultInjector::ThreadIndex(InjectorRun& run) {
  const std::thread::id self = std::this_thread::get_id();
  for (size_t i = 0; i < run.threads.size(); ++i) {
    if (run.threads[i] == self) return static_cast<uint32_t>(i);
  }
  run.threads.push_back(self);
  return static_cast<uint32_t>(run.threads.size() - 1);
}

namespace {

// `*to = from`, field by field: under ASan a whole-struct copy is a checked
// memcpy, and every call makes one.
void CopyFault(const FiredFault& from, FiredFault* to) {
  to->kind = from.kind;
  to->error_number = from.error_number;
  to->timing = from.timing;
  to->short_bytes = from.short_bytes;
  to->rule = from.rule;
}

// Returns whether Linux can fail a call with `entry`'s errno at `timing`, the
// call being one that cannot block when `nonblocking`.
bool LinuxCanFail(const CatalogEntry* entry, Timing timing, bool nonblocking) {
  return entry != nullptr && timing == entry->timing &&
         !(entry->condition == Condition::kNonBlockingOnly && !nonblocking) &&
         !(entry->condition == Condition::kBlockingOnly && nonblocking);
}

// Returns why Linux cannot (see LinuxCanFail), for the trace. Out of line: its
// strings would otherwise enlarge the frame of every call's Begin.
ABSL_ATTRIBUTE_NOINLINE std::string WhyLinuxCannotFail(
    CallKind call, int error_number, Timing timing, const CatalogEntry* entry,
    bool nonblocking) {
  const std::string name = ErrnoName(error_number);
  if (entry == nullptr) {
    return absl::StrCat("Linux does not return ", name, " from ",
                        CallName(call));
  }
  if (timing != entry->timing) {
    return absl::StrCat("Linux reports ", name, " ", TimingName(entry->timing),
                        ", not ", TimingName(timing));
  }
  return nonblocking ? absl::StrCat(name, " needs a call that blocks")
                     : absl::StrCat(name, " needs a call that cannot block");
}

}  // namespace

size_t FaultInjector::Begin(CallKind call, int fd, int arg, int arg2,
                            bool nonblocking, int new_fds, FiredFault* fault) {
  const std::unique_lock<std::mutex> lock = Lock();
  InjectorRun& run = CurrentRun();
  Trace& trace = run.trace;
  const FaultPlan& plan = *run.plan;

  // Track the failures in a row as the liveness oracle counts a spin: calls
  // that only look (poll, getsockopt, ...) neither count nor interrupt it.
  if (!trace.empty()) {
    const TraceEvent& last = trace.back();
    if (IsProgress(last)) {
      run.spin_run = 0;
    } else if (IsFailure(last)) {
      if (run.spin_run > 0 && run.spin_last < trace.size() &&
          SameFailure(last, trace[run.spin_last])) {
        ++run.spin_run;
      } else {
        run.spin_run = 1;
      }
      run.spin_last = trace.size() - 1;
    }
  }
  // Built in place: under ASan a TraceEvent copied in costs more than the
  // bookkeeping around it.
  const size_t index = trace.size();
  TraceEvent& event = trace.emplace_back(
      run.next_index++, call, ++run.occurrences[static_cast<size_t>(call)],
      ThreadIndex(run), fd, arg, arg2, nonblocking);
  if ((run.next_index > options_.call_budget ||
       run.spin_run >= options_.spin_cutoff) &&
      call != CallKind::kClose) {
    event.fault.kind = FaultKind::kCutOff;
    event.fault.error_number = kCutOffErrno;
    event.fault.timing = Timing::kBefore;
    // Fails the call, but is no fault of the plan's.
    CopyFault(event.fault, fault);
    return index;
  }
  for (size_t i = 0; i < plan.faults.size(); ++i) {
    const FaultRule& rule = plan.faults[i];
    if (rule.call != call || !rule.when.Contains(event.occurrence)) continue;
    event.fault.rule = static_cast<int>(i);
    if (const auto* shorten = std::get_if<ShortTransfer>(&rule.action)) {
      event.fault.kind = FaultKind::kShort;
      event.fault.short_bytes = shorten->max_bytes;
      break;
    }
    if (const auto* stream = std::get_if<StreamFault>(&rule.action)) {
      event.fault.kind = *stream == StreamFault::kEndOfStream
                             ? FaultKind::kEndOfStream
                             : FaultKind::kCorrupt;
      if (!options_.adversarial) {
        event.fault.kind = FaultKind::kSuppressed;
        event.note = "Linux never reads that on a live, intact connection";
      }
      break;
    }
    const ErrnoFault& errno_fault = std::get<ErrnoFault>(rule.action);
    const CatalogEntry* entry =
        options_.catalog->Find(call, errno_fault.error_number);
    event.fault.error_number = errno_fault.error_number;
    event.fault.timing = errno_fault.timing.value_or(
        entry != nullptr ? entry->timing : Timing::kBefore);
    event.fault.kind = FaultKind::kErrno;
    if (!options_.adversarial &&
        !LinuxCanFail(entry, event.fault.timing, nonblocking)) {
      event.fault.kind = FaultKind::kSuppressed;
      event.note = WhyLinuxCannotFail(call, errno_fault.error_number,
                                      event.fault.timing, entry, nonblocking);
    }
    break;
  }
  if (event.fault.kind == FaultKind::kNone && new_fds > 0 &&
      plan.fd_limit.has_value() &&
      run.open_count + static_cast<uint32_t>(new_fds) > *plan.fd_limit) {
    event.fault.kind = FaultKind::kFdLimit;
    event.fault.error_number = EMFILE;
    event.fault.timing = Timing::kBefore;
  }
  CopyFault(event.fault, fault);
  if (!fault->injected()) fault->kind = FaultKind::kNone;
  return index;
}

void FaultInjector::MarkMissed(size_t index, int error_number) {
  const std::unique_lock<std::mutex> lock = Lock();
  TraceEvent& event = CurrentRun().trace[index];
  event.note = absl::StrCat("the call itself failed with ",
                            ErrnoName(error_number), " first");
  event.fault.kind = FaultKind::kMissed;
}

void FaultInjector::Finish(size_t index, int error_number, int64_t value) {
  const std::unique_lock<std::mutex> lock = Lock();
  InjectorRun& run = CurrentRun();
  TraceEvent& event = run.trace[index];
  event.error_number = error_number;
  event.value = value;
  if (error_number != 0 && event.fault.kind != FaultKind::kErrno &&
      event.fault.kind != FaultKind::kFdLimit) {
    return;
  }
  // Calls that changed the fd table even when they report an error.
  if (event.call == CallKind::kClose &&
      !(event.fault.kind == FaultKind::kErrno &&
        event.fault.timing == Timing::kBefore)) {
    FdState& state = StateOf(event.fd);
    if (state.open) {
      state.open = false;
      if (!run.lists_own_fds) --run.open_count;
    }
    if (run.lists_own_fds) {
      auto own = std::find(run.open_fds.begin(), run.open_fds.end(), event.fd);
      if (own != run.open_fds.end()) {
        run.open_fds.erase(own);
        --run.open_count;
      }
    }
  } else if (event.call == CallKind::kFcntl && event.arg >= 0 &&
             error_number == 0) {
    StateOf(event.fd).nonblocking = event.arg == 1;
  }
}

void FaultInjector::FinishWithFds(size_t index, std::array<int, 2> fds,
                                  bool nonblocking, const SockAddr& address) {
  const std::unique_lock<std::mutex> lock = Lock();
  InjectorRun& run = CurrentRun();
  TraceEvent& event = run.trace[index];
  event.new_fds = fds;
  event.address = address;
  for (int fd : fds) {
    if (fd < 0) continue;
    FdState& state = StateOf(fd);
    state.open = true;
    state.nonblocking = nonblocking;
    if (run.lists_own_fds) run.open_fds.push_back(fd);
    ++run.open_count;
  }
}

void FaultInjector::FinishWithAddress(size_t index, const SockAddr& address) {
  const std::unique_lock<std::mutex> lock = Lock();
  CurrentRun().trace[index].address = address;
}

void FaultInjector::RunActors(size_t index, CallKind call, int fd) {
  uint32_t occurrence;
  const FaultPlan* plan;
  HostActors* actors;
  {
    const std::unique_lock<std::mutex> lock = Lock();
    InjectorRun& run = CurrentRun();
    occurrence = run.trace[index].occurrence;
    plan = run.plan;
    actors = run.actors != nullptr ? run.actors : options_.actors;
  }
  for (const ActorRule& rule : plan->actors) {
    if (rule.call != call || !rule.when.Contains(occurrence)) continue;
    absl::Status acted;
    SysResult<SockAddr> target = inner_.GetSockName(fd);
    if (!target.ok()) {
      acted = absl::FailedPreconditionError(absl::StrCat(
          "getsockname of fd ", fd, " failed: ", ErrnoName(target.error())));
    } else if (actors == nullptr) {
      acted = absl::FailedPreconditionError(
          "no actors on this backend (InjectorOptions::actors is null)");
    } else {
      const absl::Time start = inner_.Now();
      acted = actors->Act(rule.actor, *target);
      const absl::Duration took = inner_.Now() - start;
      const std::unique_lock<std::mutex> lock = Lock();
      CurrentRun().actor_time += took;
    }
    const std::unique_lock<std::mutex> lock = Lock();
    TraceEvent& event = CurrentRun().trace[index];
    if (acted.ok()) event.actors |= 1u << static_cast<int>(rule.actor);
    if (!acted.ok()) {
      event.note = absl::StrCat(ActorName(rule.actor),
                                " did not act: ", acted.message());
    }
  }
}

template <typename Result, typename Call, typename Undo>
Result FaultInjector::Run(size_t index, const FiredFault& fault, Call call,
                          Undo undo) {
  if (fault.kind != FaultKind::kNone && fault.timing == Timing::kBefore) {
    Finish(index, fault.error_number);
    return SysError{fault.error_number};
  }
  Result result = call();
  if (!result.ok()) {
    if (fault.kind != FaultKind::kNone) MarkMissed(index, result.error());
    Finish(index, result.error());
    return result;
  }
  if (fault.kind != FaultKind::kNone) {
    undo(result);
    Finish(index, fault.error_number);
    return SysError{fault.error_number};
  }
  return result;
}

namespace {
constexpr auto kNothingToUndo = [](const auto&) {};
}  // namespace

SysResult<int> FaultInjector::Socket(int domain, int type, int protocol) {
  FiredFault fault;
  const size_t index =
      Begin(CallKind::kSocket, -1, type, domain, false, 1, &fault);
  SysResult<int> result = Run<SysResult<int>>(
      index, fault, [&] { return inner_.Socket(domain, type, protocol); },
      [&](const SysResult<int>& made) { (void)inner_.Close(*made); });
  if (result.ok()) {
    FinishWithFds(index, {*result, -1}, (type & SOCK_NONBLOCK) != 0);
    Finish(index, 0);
  }
  return result;
}

SysResult<std::array<int, 2>> FaultInjector::SocketPair(int domain, int type,
                                                        int protocol) {
  using Result = SysResult<std::array<int, 2>>;
  FiredFault fault;
  const size_t index =
      Begin(CallKind::kSocketPair, -1, type, domain, false, 2, &fault);
  Result result = Run<Result>(
      index, fault, [&] { return inner_.SocketPair(domain, type, protocol); },
      [&](const Result& made) {
        (void)inner_.Close((*made)[0]);
        (void)inner_.Close((*made)[1]);
      });
  if (result.ok()) {
    FinishWithFds(index, *result, (type & SOCK_NONBLOCK) != 0);
    Finish(index, 0);
  }
  return result;
}

SysStatus FaultInjector::Bind(int fd, const SockAddr& address) {
  FiredFault fault;
  const size_t index = Begin(CallKind::kBind, fd, 0, 0, false, 0, &fault);
  FinishWithAddress(index, address);
  SysStatus result = Run<SysStatus>(
      index, fault, [&] { return inner_.Bind(fd, address); }, kNothingToUndo);
  if (result.ok()) Finish(index, 0);
  return result;
}

SysStatus FaultInjector::Listen(int fd, int backlog) {
  FiredFault fault;
  const size_t index =
      Begin(CallKind::kListen, fd, backlog, 0, false, 0, &fault);
  SysStatus result = Run<SysStatus>(
      index, fault, [&] { return inner_.Listen(fd, backlog); }, kNothingToUndo);
  if (result.ok()) {
    Finish(index, 0);
    RunActors(index, CallKind::kListen, fd);
  }
  return result;
}

SysResult<SockAddr> FaultInjector::GetSockName(int fd) {
  FiredFault fault;
  const size_t index =
      Begin(CallKind::kGetSockName, fd, 0, 0, false, 0, &fault);
  SysResult<SockAddr> result = Run<SysResult<SockAddr>>(
      index, fault, [&] { return inner_.GetSockName(fd); }, kNothingToUndo);
  if (result.ok()) {
    FinishWithAddress(index, *result);
    Finish(index, 0);
  }
  return result;
}

SysResult<SockAddr> FaultInjector::GetPeerName(int fd) {
  FiredFault fault;
  const size_t index =
      Begin(CallKind::kGetPeerName, fd, 0, 0, false, 0, &fault);
  SysResult<SockAddr> result = Run<SysResult<SockAddr>>(
      index, fault, [&] { return inner_.GetPeerName(fd); }, kNothingToUndo);
  if (result.ok()) {
    FinishWithAddress(index, *result);
    Finish(index, 0);
  }
  return result;
}

SysStatus FaultInjector::Connect(int fd, const SockAddr& address) {
  FiredFault fault;
  const size_t index =
      Begin(CallKind::kConnect, fd, 0, 0, NonBlocking(fd, 0), 0, &fault);
  FinishWithAddress(index, address);
  // For connect "took effect" means the attempt started: EINPROGRESS counts.
  SysStatus result = Run<SysStatus>(
      index, fault,
      [&]() -> SysStatus {
        SysStatus connected = inner_.Connect(fd, address);
        if (!connected.ok() && connected.error() == EINPROGRESS &&
            fault.kind != FaultKind::kNone) {
          return SysStatus();
        }
        return connected;
      },
      kNothingToUndo);
  if (result.ok()) Finish(index, 0);
  return result;
}

SysResult<AcceptedSocket> FaultInjector::Accept4(int fd, int flags) {
  using Result = SysResult<AcceptedSocket>;
  FiredFault fault;
  const size_t index =
      Begin(CallKind::kAccept, fd, flags, 0, NonBlocking(fd, 0), 1, &fault);
  // After: the connection was taken and is gone (ECONNABORTED); its client sees
  // the connection closed.
  Result result = Run<Result>(
      index, fault, [&] { return inner_.Accept4(fd, flags); },
      [&](const Result& taken) {
        FinishWithAddress(index, taken->peer);
        (void)inner_.Close(taken->fd);
      });
  if (result.ok()) {
    FinishWithFds(index, {result->fd, -1}, (flags & SOCK_NONBLOCK) != 0,
                  result->peer);
    Finish(index, 0);
    RunActors(index, CallKind::kAccept, fd);
  }
  return result;
}

SysStatus FaultInjector::SetNonBlocking(int fd, bool on) {
  FiredFault fault;
  const size_t index =
      Begin(CallKind::kFcntl, fd, on ? 1 : 0, 0, false, 0, &fault);
  SysStatus result = Run<SysStatus>(
      index, fault, [&] { return inner_.SetNonBlocking(fd, on); },
      kNothingToUndo);
  if (result.ok()) Finish(index, 0);
  return result;
}

SysResult<FdFlags> FaultInjector::GetFdFlags(int fd) {
  FiredFault fault;
  const size_t index = Begin(CallKind::kFcntl, fd, -1, 0, false, 0, &fault);
  SysResult<FdFlags> result = Run<SysResult<FdFlags>>(
      index, fault, [&] { return inner_.GetFdFlags(fd); }, kNothingToUndo);
  if (result.ok()) Finish(index, 0);
  return result;
}

SysResult<int> FaultInjector::GetSocketError(int fd) {
  FiredFault fault;
  const size_t index = Begin(CallKind::kGetSockOpt, fd, 0, 0, false, 0, &fault);
  SysResult<int> result = Run<SysResult<int>>(
      index, fault, [&] { return inner_.GetSocketError(fd); }, kNothingToUndo);
  if (result.ok()) Finish(index, 0, *result);
  return result;
}

SysResult<int> FaultInjector::Poll(absl::Span<pollfd> fds, int timeout_ms) {
  FiredFault fault;
  const size_t index =
      Begin(CallKind::kPoll, -1, timeout_ms, static_cast<int>(fds.size()),
            timeout_ms == 0, 0, &fault);
  SysResult<int> result = Run<SysResult<int>>(
      index, fault, [&] { return inner_.Poll(fds, timeout_ms); },
      [&](const SysResult<int>&) {
        for (pollfd& fd : fds) fd.revents = 0;  // the events are lost
      });
  if (result.ok()) Finish(index, 0, *result);
  return result;
}

SysResult<size_t> FaultInjector::Send(int fd, absl::Span<const uint8_t> data,
                                      int flags) {
  FiredFault fault;
  const size_t index = Begin(CallKind::kSend, fd, static_cast<int>(data.size()),
                             flags, NonBlocking(fd, flags), 0, &fault);
  if (fault.kind == FaultKind::kShort) {
    data = data.subspan(0, std::min<size_t>(data.size(), fault.short_bytes));
    fault.kind = FaultKind::kNone;
  }
  SysResult<size_t> result = Run<SysResult<size_t>>(
      index, fault, [&] { return inner_.Send(fd, data, flags); },
      kNothingToUndo);
  if (result.ok()) Finish(index, 0, static_cast<int64_t>(*result));
  return result;
}

SysResult<size_t> FaultInjector::Recv(int fd, absl::Span<uint8_t> buffer,
                                      int flags) {
  FiredFault fault;
  const size_t index =
      Begin(CallKind::kRecv, fd, static_cast<int>(buffer.size()), flags,
            NonBlocking(fd, flags), 0, &fault);
  if (fault.kind == FaultKind::kEndOfStream) {
    Finish(index, 0, 0);
    return size_t{0};
  }
  const bool corrupt = fault.kind == FaultKind::kCorrupt;
  if (fault.kind == FaultKind::kShort) {
    buffer =
        buffer.subspan(0, std::min<size_t>(buffer.size(), fault.short_bytes));
  }
  if (fault.kind == FaultKind::kShort || corrupt) fault.kind = FaultKind::kNone;
  SysResult<size_t> result = Run<SysResult<size_t>>(
      index, fault, [&] { return inner_.Recv(fd, buffer, flags); },
      kNothingToUndo);
  if (result.ok()) {
    if (corrupt) {
      for (uint8_t& byte : buffer.subspan(0, *result)) byte = ~byte;
    }
    Finish(index, 0, static_cast<int64_t>(*result));
  }
  return result;
}

SysStatus FaultInjector::Close(int fd) {
  FiredFault fault;
  const size_t index = Begin(CallKind::kClose, fd, 0, 0, false, 0, &fault);
  // Before: the fd stays open (adversarial). After: released, then reported.
  SysStatus result = Run<SysStatus>(
      index, fault, [&] { return inner_.Close(fd); }, kNothingToUndo);
  if (result.ok()) Finish(index, 0);
  return result;
}

SysStatus FaultInjector::GetRandom(absl::Span<uint8_t> buffer) {
  FiredFault fault;
  const size_t index =
      Begin(CallKind::kGetRandom, -1, static_cast<int>(buffer.size()), 0, false,
            0, &fault);
  SysStatus result = Run<SysStatus>(
      index, fault, [&] { return inner_.GetRandom(buffer); }, kNothingToUndo);
  if (result.ok()) Finish(index, 0);
  return result;
}

}  // namespace sockfi
