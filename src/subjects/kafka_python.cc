#include "src/subjects/kafka_python.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "src/sys/step_error.h"
#include "src/sys/unique_fd.h"

namespace sockfi {
namespace {

// Runs the body of the `try:` that follows creating the listener; returns the
// pair or the error that escapes it.
absl::StatusOr<SocketPair> ConnectAndAccept(const PairOptions& options,
                                            Syscalls& sys, int listener) {
  if (SysStatus s = sys.Bind(listener, SockAddr::Loopback(options.family));
      !s.ok()) {
    return StepErrorStatus("bind", s.error());
  }
  if (SysStatus s = sys.Listen(listener, std::min(SOMAXCONN, 128)); !s.ok()) {
    return StepErrorStatus("listen", s.error());
  }
  SysResult<SockAddr> address = sys.GetSockName(listener);
  if (!address.ok()) return StepErrorStatus("getsockname", address.error());
  SysResult<int> made =
      sys.Socket(options.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (!made.ok()) return StepErrorStatus("socket", made.error());
  UniqueFd client(sys, *made);  // closed by `except: csock.close(); raise`
  if (SysStatus s = sys.SetNonBlocking(client.get(), true); !s.ok()) {
    return StepErrorStatus("fcntl", s.error());
  }
  SysStatus connecting = sys.Connect(client.get(), *address);
  if (!connecting.ok() && connecting.error() != EINPROGRESS &&
      connecting.error() != EAGAIN && connecting.error() != EINTR) {
    return StepErrorStatus("connect", connecting.error());
  }
  if (SysStatus s = sys.SetNonBlocking(client.get(), false); !s.ok()) {
    return StepErrorStatus("fcntl", s.error());
  }
  SysResult<AcceptedSocket> accepted = sys.Accept4(listener, SOCK_CLOEXEC);
  if (!accepted.ok()) return StepErrorStatus("accept", accepted.error());
  SocketPair pair;
  pair.fds[0] = UniqueFd(sys, accepted->fd);  // it returns (ssock, csock)
  pair.fds[1] = std::move(client);
  return pair;
}

}  // namespace

absl::StatusOr<SocketPair> KafkaPythonSocketPair(const PairOptions& options,
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
  SysResult<int> made =
      sys.Socket(options.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (!made.ok()) return StepErrorStatus("socket", made.error());
  UniqueFd listener(sys, *made);
  absl::StatusOr<SocketPair> pair =
      ConnectAndAccept(options, sys, listener.get());
  // finally: lsock.close() — an exception it raises replaces whatever was in
  // flight (CPython's socket.close ignores only ECONNRESET).
  SysStatus closed = listener.Close();
  if (!closed.ok() && closed.error() != ECONNRESET) {
    return StepErrorStatus("close", closed.error());
  }
  return pair;
}

}  // namespace sockfi
