// Trace: what a routine did through a FaultInjector, call by call.
//
// Each event records the call, its occurrence number (per call kind, from 1),
// the fd it acted on, the fds it created, the fault injected (if any) and the
// result the routine saw. Oracles (src/check) judge a run from its trace;
// FormatTrace prints it for people.

#ifndef SOCKFI_SRC_FAULT_TRACE_H_
#define SOCKFI_SRC_FAULT_TRACE_H_

#include <array>
#include <cerrno>
#include <cstdint>
#include <string>
#include <vector>

#include "src/fault/call_kind.h"
#include "src/fault/errno_catalog.h"
#include "src/fault/fault_plan.h"
#include "src/sys/errno_name.h"
#include "src/sys/sock_addr.h"

namespace sockfi {

enum class FaultKind : uint8_t {
  kNone,
  kErrno,        // an errno rule fired
  kShort,        // a short-transfer rule fired
  kEndOfStream,  // an eof rule fired: the recv read end of stream
  kCorrupt,      // a corrupt rule fired: the recv's bytes were inverted
  kFdLimit,      // the plan's fdlimit refused a new fd (EMFILE)
  kSuppressed,   // a rule matched but Linux could not fail this call that way
                 // (e.g. EAGAIN on a blocking socket); nothing was injected
  kMissed,  // an "after" rule matched but the real call failed on its own first
  kCutOff,  // the run was past its call budget: the call failed with ECUTOFF
};

struct FiredFault {
  FaultKind kind = FaultKind::kNone;
  int error_number = 0;             // kErrno, kFdLimit
  Timing timing = Timing::kBefore;  // kErrno
  uint32_t short_bytes = 0;         // kShort
  int rule = -1;  // index in FaultPlan::faults, -1 for fdlimit

  bool injected() const {
    return kind == FaultKind::kErrno || kind == FaultKind::kShort ||
           kind == FaultKind::kFdLimit || kind == FaultKind::kEndOfStream ||
           kind == FaultKind::kCorrupt;
  }
};

struct TraceEvent {
  // Sets each field to its default below and nothing more: a trace grows by
  // one event per call, and value-initialising would zero the whole event
  // first (under ASan, a checked memset per call).
  TraceEvent() {}
  // Begins the event of a call with what is known before it runs; the rest as
  // above. (Under ASan, fields given their default only to be set at once
  // cost a checked memset per call.)
  TraceEvent(uint32_t index, CallKind call, uint32_t occurrence,
             uint32_t thread, int fd, int arg, int arg2, bool nonblocking)
      : index(index),
        call(call),
        occurrence(occurrence),
        thread(thread),
        fd(fd),
        arg(arg),
        arg2(arg2),
        nonblocking(nonblocking) {}

  uint32_t index = 0;  // position in the run, from 0
  CallKind call = CallKind::kSocket;
  uint32_t occurrence = 0;  // 1-based count of calls of this kind
  uint32_t thread = 0;      // 0 for the first thread seen, 1 for the next, ...
  int fd = -1;              // the fd acted on; -1 when none (socket, poll, ...)
  // Call-specific arguments:
  //   socket, socketpair: arg = type, arg2 = domain
  //   listen: arg = backlog;   accept: arg = flags
  //   send, recv: arg = length, arg2 = flags;   getrandom: arg = length
  //   poll: arg = timeout in ms, arg2 = number of fds
  //   fcntl: arg = 1 to set O_NONBLOCK, 0 to clear it, -1 to read the flags
  int arg = 0;
  int arg2 = 0;
  bool nonblocking = false;  // the call could not block (O_NONBLOCK,
                             // MSG_DONTWAIT, or poll with a zero timeout)
  SockAddr
      address;  // bind/connect target, getsockname/getpeername/accept result
  std::array<int, 2> new_fds = {
      -1, -1};  // fds created (socket, socketpair, accept)
  FiredFault fault;
  int error_number = 0;  // what the routine saw: 0 for success
  int64_t value = 0;     // bytes moved, poll's ready count, SO_ERROR's value
  // The actors that acted right after this call: bit 1 << ActorKind for each.
  uint8_t actors = 0;
  bool ActorActed(ActorKind actor) const {
    return (actors & (1u << static_cast<int>(actor))) != 0;
  }
  std::string note;  // why a fault was suppressed or an actor failed
};

using Trace = std::vector<TraceEvent>;

// Returns whether `event` is a recv into a non-empty buffer that read end of
// stream (returned 0).
inline bool IsEndOfStream(const TraceEvent& event) {
  return event.call == CallKind::kRecv && event.error_number == 0 &&
         event.arg > 0 && event.value == 0;
}

// Returns whether `event` is a call that could block and that a real signal
// interrupted (EINTR from the kernel, not from a fault): it waited until the
// signal came, so calling again is waiting on, not spinning. (An injected
// EINTR takes no time.)
inline bool IsInterruptedWait(const TraceEvent& event) {
  return event.error_number == EINTR && !event.nonblocking &&
         !event.fault.injected();
}

// Returns whether `event` failed (an errno, the kernel's EHANG, the cut-off
// and an interrupted wait aside) or read end of stream: results a retry
// without waiting cannot change.
inline bool IsFailure(const TraceEvent& event) {
  return (event.error_number != 0 && event.error_number != kHangErrno &&
          event.error_number != kCutOffErrno && !IsInterruptedWait(event)) ||
         IsEndOfStream(event);
}

// Returns whether `event` moved the routine on: a call that succeeded, other
// than the ones that only look (poll, getsockopt, getpeername, getsockname,
// fcntl) and a recv that read end of stream. (Inline: the injector asks it of
// every call.)
inline bool IsProgress(const TraceEvent& event) {
  if (event.error_number != 0 || IsEndOfStream(event)) return false;
  switch (event.call) {
    case CallKind::kPoll:
    case CallKind::kGetSockOpt:
    case CallKind::kGetPeerName:
    case CallKind::kGetSockName:
    case CallKind::kFcntl:
      return false;
    default:
      return true;
  }
}

// Returns whether `a` and `b` failed the same way: the same call on the same fd
// with the same errno (or both read end of stream).
inline bool SameFailure(const TraceEvent& a, const TraceEvent& b) {
  return IsFailure(a) && IsFailure(b) && a.call == b.call && a.fd == b.fd &&
         a.error_number == b.error_number;
}

// Returns a one-line summary of the event's arguments ("127.4.5.6:0", "AF_INET
// SOCK_STREAM|SOCK_NONBLOCK", "16 bytes, MSG_DONTWAIT", ...).
std::string FormatArguments(const TraceEvent& event);

// Returns the trace as an aligned table with a header line: index,
// call#occurrence, fd, arguments, fault, result.
std::string FormatTrace(const Trace& trace);

}  // namespace sockfi

#endif  // SOCKFI_SRC_FAULT_TRACE_H_
