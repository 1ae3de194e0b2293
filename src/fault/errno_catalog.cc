#include "src/fault/errno_catalog.h"

#include <cassert>
#include <cerrno>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/sys/errno_name.h"

namespace sockfi {
namespace {

constexpr Timing B = Timing::kBefore;
constexpr Timing A = Timing::kAfter;
constexpr Handling kRetry = Handling::kRetry;
constexpr Handling kPropagate = Handling::kPropagate;
constexpr Handling kIgnore = Handling::kIgnore;
constexpr Condition kAny = Condition::kAnyCall;
constexpr Condition kNonBlocking = Condition::kNonBlockingOnly;
constexpr Condition kBlocking = Condition::kBlockingOnly;
constexpr bool kLasts = true;
constexpr bool kPasses = false;

using C = CallKind;

// Grouped by call, in CallKind order.
constexpr CatalogEntry kLinux[] = {
    // socket(2)
    {C::kSocket, EMFILE, B, kPropagate, kAny, kLasts,
     "the process has RLIMIT_NOFILE fds open"},
    {C::kSocket, ENFILE, B, kPropagate, kAny, kLasts,
     "the system-wide limit on open files is reached"},
    {C::kSocket, ENOBUFS, B, kPropagate, kAny, kLasts,
     "no buffer space for the socket"},
    {C::kSocket, ENOMEM, B, kPropagate, kAny, kLasts,
     "no kernel memory for the socket"},
    {C::kSocket, EAFNOSUPPORT, B, kPropagate, kAny, kLasts,
     "the family is not available (e.g. IPv6 disabled)"},
    {C::kSocket, EACCES, B, kPropagate, kAny, kLasts,
     "a security policy forbids creating the socket"},
    // socketpair(2)
    {C::kSocketPair, EMFILE, B, kPropagate, kAny, kLasts,
     "fewer than two fds left under RLIMIT_NOFILE"},
    {C::kSocketPair, ENFILE, B, kPropagate, kAny, kLasts,
     "the system-wide limit on open files is reached"},
    {C::kSocketPair, ENOMEM, B, kPropagate, kAny, kLasts,
     "no kernel memory for the sockets"},
    // bind(2)
    {C::kBind, EADDRINUSE, B, kPropagate, kAny, kLasts,
     "port 0: no free port left in the ephemeral range"},
    {C::kBind, EADDRNOTAVAIL, B, kPropagate, kAny, kLasts,
     "the address is not local (e.g. ::1 with IPv6 off)"},
    // listen(2)
    {C::kListen, EADDRINUSE, B, kPropagate, kAny, kLasts,
     "another socket took the port between bind and listen"},
    // getsockname(2)
    {C::kGetSockName, ENOBUFS, B, kPropagate, kAny, kPasses,
     "no buffer space (rare)"},
    // getpeername(2)
    {C::kGetPeerName, ENOTCONN, B, kRetry, kAny, kPasses,
     "the connection is not established yet: wait for it, then ask again"},
    {C::kGetPeerName, ENOBUFS, B, kPropagate, kAny, kPasses,
     "no buffer space (rare)"},
    // connect(2)
    {C::kConnect, EINPROGRESS, A, kRetry, kNonBlocking, kPasses,
     "non-blocking connect started: poll for POLLOUT, then read SO_ERROR"},
    {C::kConnect, EINTR, A, kRetry, kBlocking, kPasses,
     "a signal interrupted it; the attempt goes on (POSIX): poll, then "
     "SO_ERROR"},
    {C::kConnect, ECONNREFUSED, B, kPropagate, kAny, kPasses,
     "nothing listens there, or the listen queue overflowed with "
     "tcp_abort_on_overflow"},
    {C::kConnect, ETIMEDOUT, B, kPropagate, kBlocking, kPasses,
     "the SYN went unanswered through every retransmission"},
    {C::kConnect, EADDRNOTAVAIL, B, kPropagate, kAny, kLasts,
     "no ephemeral port left for this destination"},
    {C::kConnect, ENETUNREACH, B, kPropagate, kAny, kLasts,
     "no route (e.g. no IPv6 loopback)"},
    {C::kConnect, EACCES, B, kPropagate, kAny, kLasts,
     "a firewall rule or security policy forbids it"},
    {C::kConnect, EPERM, B, kPropagate, kAny, kLasts,
     "a firewall rule forbids it"},
    {C::kConnect, ENOBUFS, B, kPropagate, kAny, kPasses, "no buffer space"},
    // accept4(2)
    {C::kAccept, EAGAIN, B, kRetry, kNonBlocking, kPasses,
     "nothing queued; a queued connection, if any, stays queued"},
    {C::kAccept, EINTR, B, kRetry, kBlocking, kPasses,
     "a signal interrupted the wait; nothing was taken"},
    {C::kAccept, ECONNABORTED, A, kRetry, kAny, kPasses,
     "a queued connection was reset before it was taken; it is consumed"},
    {C::kAccept, EPROTO, A, kRetry, kAny, kPasses,
     "a protocol error on the new connection, passed on by accept"},
    {C::kAccept, ENETUNREACH, A, kRetry, kAny, kPasses,
     "a network error on the new connection, passed on by accept"},
    {C::kAccept, EMFILE, B, kPropagate, kAny, kLasts,
     "no fd left; the connection stays queued, so retrying spins"},
    {C::kAccept, ENFILE, B, kPropagate, kAny, kLasts,
     "the system-wide file limit; the connection stays queued"},
    {C::kAccept, ENOBUFS, B, kPropagate, kAny, kLasts,
     "no buffer space; the connection stays queued"},
    {C::kAccept, ENOMEM, B, kPropagate, kAny, kLasts,
     "no kernel memory; the connection stays queued"},
    // fcntl(2) and getsockopt(2) on a valid socket: nothing realistic.
    // poll(2)
    {C::kPoll, EINTR, B, kRetry, kBlocking, kPasses,
     "a signal arrived while waiting"},
    {C::kPoll, ENOMEM, B, kPropagate, kAny, kPasses,
     "no memory for the poll table"},
    // send(2)
    {C::kSend, EAGAIN, B, kRetry, kNonBlocking, kPasses,
     "the send buffer is full: poll for POLLOUT"},
    {C::kSend, EINTR, B, kRetry, kBlocking, kPasses,
     "a signal arrived before anything was sent"},
    {C::kSend, EPIPE, B, kPropagate, kAny, kPasses,
     "the peer is gone (SIGPIPE unless MSG_NOSIGNAL)"},
    {C::kSend, ECONNRESET, B, kPropagate, kAny, kPasses,
     "the peer reset the connection"},
    {C::kSend, ENOBUFS, B, kPropagate, kAny, kPasses, "no buffer space"},
    // recv(2)
    {C::kRecv, EAGAIN, B, kRetry, kNonBlocking, kPasses,
     "nothing to read yet: poll for POLLIN"},
    {C::kRecv, EINTR, B, kRetry, kBlocking, kPasses,
     "a signal arrived before anything was read"},
    {C::kRecv, ECONNRESET, B, kPropagate, kAny, kPasses,
     "the peer closed with data unread, or reset"},
    {C::kRecv, ENOMEM, B, kPropagate, kAny, kPasses,
     "no memory for the receive"},
    // close(2)
    {C::kClose, EINTR, A, kIgnore, kAny, kPasses,
     "a signal interrupted the final flush; the fd is released anyway "
     "(never retry close)"},
    {C::kClose, EIO, A, kIgnore, kAny, kPasses,
     "an I/O error on the final flush; the fd is released anyway"},
    // getrandom(2)
    {C::kGetRandom, ENOSYS, B, kPropagate, kAny, kLasts,
     "the kernel predates getrandom (before 3.17)"},
};

}  // namespace

absl::string_view TimingName(Timing timing) {
  return timing == Timing::kBefore ? "before" : "after";
}

absl::string_view HandlingName(Handling handling) {
  switch (handling) {
    case Handling::kRetry:
      return "retry";
    case Handling::kPropagate:
      return "propagate";
    case Handling::kIgnore:
      return "ignore";
  }
  return "?";
}

absl::string_view ConditionName(Condition condition) {
  switch (condition) {
    case Condition::kAnyCall:
      return "any";
    case Condition::kNonBlockingOnly:
      return "non-blocking only";
    case Condition::kBlockingOnly:
      return "blocking only";
  }
  return "?";
}

const ErrnoCatalog& ErrnoCatalog::Linux() {
  static const ErrnoCatalog kCatalog{absl::MakeConstSpan(kLinux)};
  return kCatalog;
}

ErrnoCatalog::ErrnoCatalog(absl::Span<const CatalogEntry> entries)
    : entries_(entries) {
  size_t next = 0;
  for (int call = 0; call < kCallKindCount; ++call) {
    begin_[call] = static_cast<uint16_t>(next);
    while (next < entries_.size() &&
           static_cast<int>(entries_[next].call) == call) {
      ++next;
    }
  }
  begin_[kCallKindCount] = static_cast<uint16_t>(next);
  assert(next == entries_.size());  // grouped in CallKind order
}

absl::Span<const CatalogEntry> ErrnoCatalog::EntriesFor(CallKind call) const {
  const size_t index = static_cast<size_t>(call);
  return entries_.subspan(begin_[index], begin_[index + 1] - begin_[index]);
}

const CatalogEntry* ErrnoCatalog::Find(CallKind call, int error_number) const {
  for (const CatalogEntry& entry : EntriesFor(call)) {
    if (entry.error_number == error_number) return &entry;
  }
  return nullptr;
}

std::string ErrnoCatalog::FormatTable() const {
  std::string table =
      absl::StrFormat("%-12s %-14s %-7s %-10s %-18s %-7s %s\n", "call", "errno",
                      "timing", "handling", "when", "lasts", "cause");
  for (const CatalogEntry& e : entries_) {
    absl::StrAppendFormat(&table, "%-12s %-14s %-7s %-10s %-18s %-7s %s\n",
                          CallName(e.call), ErrnoName(e.error_number),
                          TimingName(e.timing), HandlingName(e.handling),
                          ConditionName(e.condition),
                          e.persistent ? "yes" : "no", e.cause);
  }
  for (CallKind call : kAllCallKinds) {
    if (EntriesFor(call).empty()) {
      absl::StrAppendFormat(&table, "%-12s %-14s %s\n", CallName(call),
                            "(none)",
                            "Linux returns no errno here for a valid socket: "
                            "faults are adversarial only");
    }
  }
  return table;
}

}  // namespace sockfi
