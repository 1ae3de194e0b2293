// CallKind: the system calls of the Syscalls shim, by the names fault plans,
// traces and step errors use ("accept", "connect", ...).

#ifndef SOCKFI_SRC_FAULT_CALL_KIND_H_
#define SOCKFI_SRC_FAULT_CALL_KIND_H_

#include <array>
#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"

namespace sockfi {

enum class CallKind : uint8_t {
  kSocket,
  kSocketPair,
  kBind,
  kListen,
  kGetSockName,
  kGetPeerName,
  kConnect,
  kAccept,      // accept4
  kFcntl,       // SetNonBlocking (F_GETFL/F_SETFL) and GetFdFlags
  kGetSockOpt,  // GetSocketError (SO_ERROR)
  kPoll,
  kSend,
  kRecv,
  kClose,
  kGetRandom,
};

inline constexpr int kCallKindCount = 15;

// Every kind, in declaration order.
inline constexpr std::array<CallKind, kCallKindCount> kAllCallKinds = {
    CallKind::kSocket,     CallKind::kSocketPair,  CallKind::kBind,
    CallKind::kListen,     CallKind::kGetSockName, CallKind::kGetPeerName,
    CallKind::kConnect,    CallKind::kAccept,      CallKind::kFcntl,
    CallKind::kGetSockOpt, CallKind::kPoll,        CallKind::kSend,
    CallKind::kRecv,       CallKind::kClose,       CallKind::kGetRandom};

// Returns the call's name as plans and step errors spell it: "socket",
// "accept", ...
absl::string_view CallName(CallKind kind);

// Returns the kind named `name` (exactly as CallName spells it), or nullopt.
std::optional<CallKind> CallKindFromName(absl::string_view name);

// Returns "socket, socketpair, bind, ...": every name, for error messages.
absl::string_view AllCallNames();

// Returns true for calls that create fds (socket, socketpair, accept).
bool CreatesFds(CallKind kind);

}  // namespace sockfi

#endif  // SOCKFI_SRC_FAULT_CALL_KIND_H_
