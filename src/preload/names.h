// The interposer's vocabulary: the kinds of call it counts (the plan's call
// names plus two it only traces), the functions it intercepts, and the
// allocation-free formatting of socket constants and addresses for the trace.

#ifndef SOCKFI_SRC_PRELOAD_NAMES_H_
#define SOCKFI_SRC_PRELOAD_NAMES_H_

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>

#include "src/fault/call_kind.h"

namespace sockfi::preload {

// What an occurrence counts: a CallKind (same value), or a call the plan
// cannot name.
enum class TraceKind : uint8_t {
  // 0 .. kCallKindCount - 1: the CallKind of the same value.
  kSetSockOpt = kCallKindCount,
  kDup,
};

inline constexpr int kTraceKindCount = kCallKindCount + 2;

inline constexpr TraceKind ToTraceKind(CallKind kind) {
  return static_cast<TraceKind>(kind);
}

// Returns whether a plan can name `kind` (a CallKind).
inline constexpr bool IsPlanKind(TraceKind kind) {
  return static_cast<int>(kind) < kCallKindCount;
}

// Returns "accept", "setsockopt", "dup", ...
const char* TraceKindName(TraceKind kind);

// The functions the interposer defines.
enum class Function : uint8_t {
  kSocket,
  kSocketPair,
  kBind,
  kListen,
  kConnect,
  kAccept,
  kAccept4,
  kGetSockName,
  kGetPeerName,
  kClose,
  kPoll,
  kPollChk,
  kFcntl,
  kFcntl64,
  kSetSockOpt,
  kGetSockOpt,
  kSend,
  kSendTo,
  kSendMsg,
  kWrite,
  kRecv,
  kRecvFrom,
  kRecvMsg,
  kRead,
  kReadChk,
  kRecvChk,
  kRecvFromChk,
  kDup,
  kDup2,
  kDup3,
};

// Returns the C name of `function`: "accept4", "__read_chk", ...
const char* FunctionName(Function function);

// A fixed-size text buffer for names built at run time without allocating.
struct NameBuffer {
  char text[128];
};

// Writes "AF_INET", "AF_INET6", "AF_UNIX", ... or "family N" to `out`.
const char* FormatDomain(int domain, NameBuffer* out);

// Writes "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC", or "type N" for an unknown
// base type, to `out`.
const char* FormatSocketType(int type, NameBuffer* out);

// Writes "F_GETFL", "F_SETFL", "F_DUPFD_CLOEXEC", ... or "cmd N" to `out`.
const char* FormatFcntlCommand(int command, NameBuffer* out);

// Writes "127.0.0.1:4242", "[::1]:80", "unix:/path", "unix:@abstract",
// "unix:" (unnamed), "family N", or "" when `size` is too small to hold a
// family, to `out`.
const char* FormatAddress(const sockaddr* address, socklen_t size,
                          NameBuffer* out);

// Writes the decimal form of `value` at `out` (room for 21 characters) and
// returns the number of characters written.
size_t FormatInt(int64_t value, char* out);

}  // namespace sockfi::preload

#endif  // SOCKFI_SRC_PRELOAD_NAMES_H_
