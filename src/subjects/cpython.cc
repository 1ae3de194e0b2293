#include "src/subjects/cpython.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "src/sys/step_error.h"
#include "src/sys/unique_fd.h"

namespace sockfi {
namespace {

// The accepted end and the client, as the `try:` returns them.
struct Ends {
  UniqueFd server;  // ssock
  UniqueFd client;  // csock
};

// Returns the status Python raises from socket.close(), or OK: CPython's
// sock_close ignores only ECONNRESET.
absl::Status CloseLikePython(UniqueFd& fd) {
  SysStatus closed = fd.Close();
  if (!closed.ok() && closed.error() != ECONNRESET) {
    return StepErrorStatus("close", closed.error());
  }
  return absl::OkStatus();
}

// Returns whether `error` is one BlockingIOError or InterruptedError stands for
// (EWOULDBLOCK is EAGAIN on Linux).
bool SwallowedByConnect(int error) {
  return error == EINPROGRESS || error == EAGAIN || error == EALREADY ||
         error == EINTR;
}

// Runs the body of the inner `try:` once the client exists: connect, accept.
// On an error the client is still open (the caller's `except:` closes it).
absl::StatusOr<UniqueFd> ConnectAndAccept(Syscalls& sys, int listener,
                                          int client, const SockAddr& address) {
  // csock.setblocking(False)
  if (SysStatus s = sys.SetNonBlocking(client, true); !s.ok()) {
    return StepErrorStatus("fcntl", s.error());
  }
  // try: csock.connect(...) except (BlockingIOError, InterruptedError): pass
  if (SysStatus s = sys.Connect(client, address);
      !s.ok() && !SwallowedByConnect(s.error())) {
    return StepErrorStatus("connect", s.error());
  }
  // csock.setblocking(True)
  if (SysStatus s = sys.SetNonBlocking(client, false); !s.ok()) {
    return StepErrorStatus("fcntl", s.error());
  }
  // ssock, _ = lsock.accept(): sock_call retries EINTR at once (PEP 475).
  while (true) {
    SysResult<AcceptedSocket> accepted = sys.Accept4(listener, SOCK_CLOEXEC);
    if (accepted.ok()) return UniqueFd(sys, accepted->fd);
    if (accepted.error() != EINTR) {
      return StepErrorStatus("accept", accepted.error());
    }
  }
}

// Runs the body of the outer `try:` (everything between creating the listener
// and its `finally`).
absl::StatusOr<Ends> MakeEnds(const PairOptions& options, Syscalls& sys,
                              int listener) {
  if (SysStatus s = sys.Bind(listener, SockAddr::Loopback(options.family));
      !s.ok()) {
    return StepErrorStatus("bind", s.error());
  }
  // lsock.listen(): the C layer's default backlog.
  if (SysStatus s = sys.Listen(listener, std::min(SOMAXCONN, 128)); !s.ok()) {
    return StepErrorStatus("listen", s.error());
  }
  SysResult<SockAddr> address = sys.GetSockName(listener);
  if (!address.ok()) return StepErrorStatus("getsockname", address.error());
  SysResult<UniqueFd> client =
      Own(sys, sys.Socket(options.family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!client.ok()) return StepErrorStatus("socket", client.error());
  absl::StatusOr<UniqueFd> server =
      ConnectAndAccept(sys, listener, client->get(), *address);
  if (!server.ok()) {
    // except: csock.close(); raise — an error from close replaces the other.
    if (absl::Status closed = CloseLikePython(*client); !closed.ok()) {
      return closed;
    }
    return server.status();
  }
  return Ends{*std::move(server), std::move(*client)};
}

// Returns whether the two ends are connected to each other, compared as Python
// compares the tuples (short-circuiting `or`), or the error a getsockname or
// getpeername raised.
absl::Status CheckPeers(Syscalls& sys, const Ends& ends) {
  SysResult<SockAddr> server_name = sys.GetSockName(ends.server.get());
  if (!server_name.ok()) {
    return StepErrorStatus("getsockname", server_name.error());
  }
  SysResult<SockAddr> client_peer = sys.GetPeerName(ends.client.get());
  if (!client_peer.ok()) {
    return StepErrorStatus("getpeername", client_peer.error());
  }
  if (*server_name == *client_peer) {
    SysResult<SockAddr> client_name = sys.GetSockName(ends.client.get());
    if (!client_name.ok()) {
      return StepErrorStatus("getsockname", client_name.error());
    }
    SysResult<SockAddr> server_peer = sys.GetPeerName(ends.server.get());
    if (!server_peer.ok()) {
      return StepErrorStatus("getpeername", server_peer.error());
    }
    if (*client_name == *server_peer) return absl::OkStatus();
  }
  return StepErrorStatus("verify", ECONNABORTED, "Unexpected peer connection");
}

}  // namespace

absl::StatusOr<SocketPair> CPythonSocketPair(const PairOptions& options,
                                             Syscalls& sys) {
  if (options.family != AF_INET && options.family != AF_INET6) {
    return absl::InvalidArgumentError(
        "Only AF_INET and AF_INET6 socket address families are supported");
  }
  if (options.type != SOCK_STREAM) {
    return absl::InvalidArgumentError(
        "Only SOCK_STREAM socket type is supported");
  }
  if (options.protocol != 0) {
    return absl::InvalidArgumentError("Only protocol zero is supported");
  }
  SysResult<UniqueFd> listener =
      Own(sys, sys.Socket(options.family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!listener.ok()) return StepErrorStatus("socket", listener.error());
  absl::StatusOr<Ends> ends = MakeEnds(options, sys, listener->get());
  // finally: lsock.close()
  if (absl::Status closed = CloseLikePython(*listener); !closed.ok()) {
    return closed;  // the ends, if any, close as their references go
  }
  if (!ends.ok()) return ends.status();
  // The CVE-2024-3219 check, after the listener is closed.
  if (absl::Status peers = CheckPeers(sys, *ends); !peers.ok()) {
    // except: ssock.close(); csock.close(); raise
    if (absl::Status closed = CloseLikePython(ends->server); !closed.ok()) {
      return closed;
    }
    if (absl::Status closed = CloseLikePython(ends->client); !closed.ok()) {
      return closed;
    }
    return peers;
  }
  SocketPair pair;
  pair.fds[0] = std::move(ends->server);  // return (ssock, csock)
  pair.fds[1] = std::move(ends->client);
  return pair;
}

}  // namespace sockfi
