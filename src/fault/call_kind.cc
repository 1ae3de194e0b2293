#include "src/fault/call_kind.h"

namespace sockfi {
namespace {

constexpr std::array<absl::string_view, kCallKindCount> kNames = {
    "socket",      "socketpair", "bind",   "listen", "getsockname",
    "getpeername", "connect",    "accept", "fcntl",  "getsockopt",
    "poll",        "send",       "recv",   "close",  "getrandom"};

}  // namespace

absl::string_view CallName(CallKind kind) {
  return kNames[static_cast<size_t>(kind)];
}

std::optional<CallKind> CallKindFromName(absl::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<CallKind>(i);
  }
  return std::nullopt;
}

absl::string_view AllCallNames() {
  return "socket, socketpair, bind, listen, getsockname, getpeername, connect, "
         "accept, fcntl, getsockopt, poll, send, recv, close, getrandom";
}

bool CreatesFds(CallKind kind) {
  return kind == CallKind::kSocket || kind == CallKind::kSocketPair ||
         kind == CallKind::kAccept;
}

}  // namespace sockfi
