#include "src/subjects/tor.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <optional>
#include <utility>

#include "src/sys/step_error.h"
#include "src/sys/unique_fd.h"

namespace sockfi {
namespace {

// get_local_listener: returns a listening socket, or the failing step and the
// errno Tor reads afterwards.
absl::StatusOr<UniqueFd> GetLocalListener(Syscalls& sys, int family) {
  SysResult<UniqueFd> sock = Own(sys, sys.Socket(family, SOCK_STREAM, 0));
  if (!sock.ok()) return StepErrorStatus("socket", sock.error());
  // For AF_INET6 upstream sets sin6.sin6_family = AF_INET (with ::1 and the
  // length of a sockaddr_in6): the bind can only fail.
  const SockAddr address = SockAddr::Loopback(AF_INET);
  const char* step = nullptr;
  int error = 0;
  if (SysStatus r = sys.Bind(sock->get(), address); !r.ok()) {
    step = "bind";
    error = r.error();
  } else if (SysStatus l = sys.Listen(sock->get(), 1); !l.ok()) {
    step = "listen";
    error = l.error();
  } else {
    return std::move(*sock);
  }
  // err: closesocket(sock); return TOR_INVALID_SOCKET — the caller reads errno
  // only now, after a close that may have set it.
  if (SysStatus c = sock->Close(); !c.ok()) error = c.error();
  return StepErrorStatus(step, error);
}

// The three sockets; `tidy_up_and_fail:` closes them in this order.
struct Sockets {
  UniqueFd listener;
  UniqueFd connector;
  UniqueFd acceptor;

  // Closes every socket, results ignored (errno was saved first, in
  // `status`), and returns `status`.
  absl::Status Fail(absl::Status status) {
    (void)listener.Close();
    (void)connector.Close();
    (void)acceptor.Close();
    return status;
  }
};

// tor_ersatz_socketpair: returns (connector, acceptor).
absl::StatusOr<SocketPair> ErsatzSocketPair(Syscalls& sys) {
  Sockets s;
  int domain = AF_INET;
  absl::StatusOr<UniqueFd> listener = GetLocalListener(sys, AF_INET);
  if (!listener.ok()) {
    const absl::Status first = listener.status();
    std::optional<StepError> first_error = GetStepError(first);
    if (!first_error.has_value() ||
        first_error->error_number != EPROTONOSUPPORT) {
      return first;
    }
    // "Assume we're on an IPv6-only system"
    domain = AF_INET6;
    listener = GetLocalListener(sys, AF_INET6);
    // "Keep the previous behaviour, which was to return the IPv4 error."
    if (!listener.ok()) return first;
  }
  s.listener = *std::move(listener);
  {
    SysResult<UniqueFd> made = Own(sys, sys.Socket(domain, SOCK_STREAM, 0));
    if (!made.ok()) return s.Fail(StepErrorStatus("socket", made.error()));
    s.connector = std::move(*made);
  }
  SysResult<SockAddr> address = sys.GetSockName(s.listener.get());
  if (!address.ok()) {
    return s.Fail(StepErrorStatus("getsockname", address.error()));
  }
  if (SysStatus r = sys.Connect(s.connector.get(), *address); !r.ok()) {
    return s.Fail(StepErrorStatus("connect", r.error()));
  }
  SysResult<AcceptedSocket> accepted = sys.Accept4(s.listener.get(), 0);
  if (!accepted.ok()) {
    return s.Fail(StepErrorStatus("accept", accepted.error()));
  }
  s.acceptor = UniqueFd(sys, accepted->fd);
  SysResult<SockAddr> connector_name = sys.GetSockName(s.connector.get());
  if (!connector_name.ok()) {
    return s.Fail(StepErrorStatus("getsockname", connector_name.error()));
  }
  if (accepted->peer != *connector_name) {
    return s.Fail(StepErrorStatus("verify", ECONNABORTED,
                                  "the accepted peer is not our connector"));
  }
  (void)s.listener.Close();
  SocketPair pair;
  pair.fds[0] = std::move(s.connector);
  pair.fds[1] = std::move(s.acceptor);
  return pair;
}

}  // namespace

absl::StatusOr<SocketPair> TorSocketPair(const PairOptions& options,
                                         Syscalls& sys) {
  if (options.protocol != 0 ||
      (options.family != AF_UNIX && options.family != AF_INET)) {
    return absl::InvalidArgumentError(
        "tor_ersatz_socketpair takes AF_UNIX and protocol 0 (else "
        "EAFNOSUPPORT); the model also takes AF_INET");
  }
  if (options.type != SOCK_STREAM) {
    return absl::InvalidArgumentError(
        "the tor model takes exactly SOCK_STREAM: the shim cannot set "
        "FD_CLOEXEC after the fact as tor_socketpair does");
  }
  absl::StatusOr<SocketPair> pair = ErsatzSocketPair(sys);
  if (!pair.ok()) return pair.status();
  // tor_socketpair: fcntl(fd[i], F_SETFD, FD_CLOEXEC) on each end; a failure
  // closes both ends and returns -errno, read after those closes. Modelled by
  // F_GETFD, the shim's only descriptor-flag call.
  for (const UniqueFd& end : pair->fds) {
    SysResult<FdFlags> r = sys.GetFdFlags(end.get());
    if (r.ok()) continue;
    int error = r.error();
    for (UniqueFd& fd : pair->fds) {
      if (SysStatus c = fd.Close(); !c.ok()) error = c.error();
    }
    return StepErrorStatus("fcntl", error);
  }
  return pair;
}

}  // namespace sockfi
