#include "src/fault/trace.h"

#include <fcntl.h>
#include <sys/socket.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/sys/errno_name.h"

namespace sockfi {

namespace {

std::string DomainName(int domain) {
  switch (domain) {
    case AF_UNIX:
      return "AF_UNIX";
    case AF_INET:
      return "AF_INET";
    case AF_INET6:
      return "AF_INET6";
    default:
      return absl::StrCat("family ", domain);
  }
}

std::string TypeName(int type) {
  std::vector<std::string> parts;
  const int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  parts.push_back(base == SOCK_STREAM ? "SOCK_STREAM"
                                      : absl::StrCat("type ", base));
  if (type & SOCK_NONBLOCK) parts.push_back("SOCK_NONBLOCK");
  if (type & SOCK_CLOEXEC) parts.push_back("SOCK_CLOEXEC");
  return absl::StrJoin(parts, "|");
}

std::string AcceptFlags(int flags) {
  std::vector<std::string> parts;
  if (flags & SOCK_NONBLOCK) parts.push_back("SOCK_NONBLOCK");
  if (flags & SOCK_CLOEXEC) parts.push_back("SOCK_CLOEXEC");
  return parts.empty() ? "no flags" : absl::StrJoin(parts, "|");
}

std::string IoFlags(int flags) {
  std::vector<std::string> parts;
  if (flags & MSG_DONTWAIT) parts.push_back("MSG_DONTWAIT");
  if (flags & MSG_NOSIGNAL) parts.push_back("MSG_NOSIGNAL");
  return parts.empty() ? "" : absl::StrCat(", ", absl::StrJoin(parts, "|"));
}

std::string FormatFault(const TraceEvent& event) {
  const FiredFault& fault = event.fault;
  switch (fault.kind) {
    case FaultKind::kNone:
      return "-";
    case FaultKind::kErrno:
      return absl::StrCat(ErrnoName(fault.error_number), " (",
                          TimingName(fault.timing), ")");
    case FaultKind::kShort:
      return absl::StrCat("short:", fault.short_bytes);
    case FaultKind::kEndOfStream:
      return "eof";
    case FaultKind::kCorrupt:
      return "corrupt";
    case FaultKind::kFdLimit:
      return "EMFILE (fdlimit)";
    case FaultKind::kSuppressed:
      return absl::StrCat("suppressed: ", event.note);
    case FaultKind::kMissed:
      return absl::StrCat("missed: ", event.note);
    case FaultKind::kCutOff:
      return "cut off (call budget)";
  }
  return "?";
}

std::string FormatResult(const TraceEvent& event) {
  std::string result;
  if (event.error_number != 0) {
    result = ErrnoName(event.error_number);
  } else if (event.new_fds[1] >= 0) {
    result = absl::StrCat("fds ", event.new_fds[0], ",", event.new_fds[1]);
  } else if (event.new_fds[0] >= 0) {
    result = absl::StrCat("fd ", event.new_fds[0]);
  } else {
    switch (event.call) {
      case CallKind::kSend:
      case CallKind::kRecv:
        result = absl::StrCat(event.value, " bytes");
        break;
      case CallKind::kPoll:
        result = absl::StrCat(event.value, " ready");
        break;
      case CallKind::kGetSockOpt:
        result = event.value == 0
                     ? "SO_ERROR 0"
                     : absl::StrCat("SO_ERROR ", ErrnoName(event.value));
        break;
      case CallKind::kGetSockName:
      case CallKind::kGetPeerName:
        result = event.address.ToString();
        break;
      default:
        result = "ok";
    }
  }
  if (event.call == CallKind::kAccept && event.error_number == 0) {
    absl::StrAppend(&result, " from ", event.address.ToString());
  }
  for (ActorKind actor : kAllActorKinds) {
    if (event.ActorActed(actor)) {
      absl::StrAppend(&result, "; then ", ActorName(actor), " acts");
    }
  }
  if (!event.note.empty() && event.fault.kind == FaultKind::kNone) {
    absl::StrAppend(&result, " (", event.note, ")");
  }
  return result;
}

}  // namespace

std::string FormatArguments(const TraceEvent& event) {
  switch (event.call) {
    case CallKind::kSocket:
    case CallKind::kSocketPair:
      return absl::StrCat(DomainName(event.arg2), " ", TypeName(event.arg));
    case CallKind::kBind:
    case CallKind::kConnect:
      return event.address.ToString();
    case CallKind::kListen:
      return absl::StrCat("backlog ", event.arg);
    case CallKind::kAccept:
      return AcceptFlags(event.arg);
    case CallKind::kFcntl:
      return event.arg < 0 ? "F_GETFL/F_GETFD"
                           : (event.arg ? "O_NONBLOCK on" : "O_NONBLOCK off");
    case CallKind::kGetSockOpt:
      return "SO_ERROR";
    case CallKind::kPoll:
      return absl::StrCat(event.arg2, " fds, timeout ",
                          event.arg < 0 ? std::string("forever")
                                        : absl::StrCat(event.arg, " ms"));
    case CallKind::kSend:
    case CallKind::kRecv:
      return absl::StrCat(event.arg, " bytes", IoFlags(event.arg2));
    case CallKind::kGetRandom:
      return absl::StrCat(event.arg, " bytes");
    case CallKind::kGetSockName:
    case CallKind::kGetPeerName:
    case CallKind::kClose:
      return "";
  }
  return "";
}

std::string FormatTrace(const Trace& trace) {
  std::string table =
      absl::StrFormat("%4s  %-16s %4s  %-46s %-24s %s\n", "#", "call", "fd",
                      "arguments", "fault", "result");
  for (const TraceEvent& event : trace) {
    absl::StrAppendFormat(
        &table, "%4d  %-16s %4s  %-46s %-24s %s\n", event.index,
        absl::StrCat(CallName(event.call), "#", event.occurrence),
        event.fd >= 0 ? absl::StrCat(event.fd) : std::string("-"),
        FormatArguments(event), FormatFault(event), FormatResult(event));
  }
  return table;
}

}  // namespace sockfi
