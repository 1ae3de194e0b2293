#include "src/subjects/libevent.h"

#include <sys/socket.h>

#include <cerrno>
#include <utility>

#include "src/sys/step_error.h"
#include "src/sys/unique_fd.h"

namespace sockfi {
namespace {

// The three sockets; `tidy_up_and_fail:` closes them in this order.
struct Sockets {
  UniqueFd listener;
  UniqueFd connector;
  UniqueFd acceptor;

  // Runs `tidy_up_and_fail:` (the errno was saved first, in `status`): closes
  // every socket, results ignored, and returns `status`.
  absl::Status Fail(absl::Status status) {
    (void)listener.Close();
    (void)connector.Close();
    (void)acceptor.Close();
    return status;
  }
};

// EVUTIL_ERR_CONNECT_RETRIABLE on Unix.
bool ConnectRetriable(int error) {
  return error == EINTR || error == EINPROGRESS;
}

// EVUTIL_ERR_ACCEPT_RETRIABLE on Unix.
bool AcceptRetriable(int error) {
  return error == EINTR || error == EAGAIN || error == ECONNABORTED;
}

}  // namespace

absl::StatusOr<SocketPair> LibeventSocketPair(const PairOptions& options,
                                              Syscalls& sys) {
  if (options.protocol != 0 ||
      (options.family != AF_INET && options.family != AF_UNIX)) {
    return absl::InvalidArgumentError(
        "evutil_ersatz_socketpair_ takes AF_INET or AF_UNIX and protocol 0 "
        "(else EAFNOSUPPORT)");
  }
  const bool nonblocking = (options.type & SOCK_NONBLOCK) != 0;
  Sockets s;
  {
    // `if (listener < 0) return -1;`: nothing to tidy up yet.
    SysResult<UniqueFd> made = Own(sys, sys.Socket(AF_INET, options.type, 0));
    if (!made.ok()) return StepErrorStatus("socket", made.error());
    s.listener = std::move(*made);
  }
  if (SysStatus r = sys.Bind(s.listener.get(), SockAddr::Loopback(AF_INET));
      !r.ok()) {
    return s.Fail(StepErrorStatus("bind", r.error()));
  }
  if (SysStatus r = sys.Listen(s.listener.get(), 1); !r.ok()) {
    return s.Fail(StepErrorStatus("listen", r.error()));
  }
  {
    SysResult<UniqueFd> made = Own(sys, sys.Socket(AF_INET, options.type, 0));
    if (!made.ok()) return s.Fail(StepErrorStatus("socket", made.error()));
    s.connector = std::move(*made);
  }
  SysResult<SockAddr> address = sys.GetSockName(s.listener.get());
  if (!address.ok()) {
    return s.Fail(StepErrorStatus("getsockname", address.error()));
  }
  if (SysStatus r = sys.Connect(s.connector.get(), *address);
      !r.ok() && !(nonblocking && ConnectRetriable(r.error()))) {
    return s.Fail(StepErrorStatus("connect", r.error()));
  }
  SockAddr peer;
  while (true) {
    SysResult<AcceptedSocket> accepted = sys.Accept4(s.listener.get(), 0);
    if (accepted.ok()) {
      s.acceptor = UniqueFd(sys, accepted->fd);
      peer = accepted->peer;
      break;
    }
    if (!(nonblocking && AcceptRetriable(accepted.error()))) {
      return s.Fail(StepErrorStatus("accept", accepted.error()));
    }
  }
  // "Now check we are talking to ourself by matching port and host on the two
  // sockets."
  SysResult<SockAddr> connector_name = sys.GetSockName(s.connector.get());
  if (!connector_name.ok()) {
    return s.Fail(StepErrorStatus("getsockname", connector_name.error()));
  }
  if (peer != *connector_name) {
    return s.Fail(StepErrorStatus("verify", ECONNABORTED,
                                  "the accepted peer is not our connector"));
  }
  (void)s.listener.Close();
  SocketPair pair;
  pair.fds[0] = std::move(s.connector);
  pair.fds[1] = std::move(s.acceptor);
  return pair;
}

}  // namespace sockfi
