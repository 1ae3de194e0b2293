#include "tests/check/broken_routines.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "src/sys/step_error.h"
#include "src/sys/unique_fd.h"

namespace sockfi::testing {

absl::StatusOr<SocketPair> BrokenPair(Bug bug, const PairOptions& options,
                                      Syscalls& sys) {
  const int family = options.family;
  const int cloexec = options.type & SOCK_CLOEXEC;
  SysResult<int> made =
      sys.Socket(family,
                 SOCK_STREAM | SOCK_CLOEXEC |
                     (bug == Bug::kBlockingAccept ? 0 : SOCK_NONBLOCK),
                 0);
  if (!made.ok()) return StepErrorStatus("socket", made.error());
  UniqueFd listener(sys, *made);
  if (SysStatus s = sys.Bind(listener.get(), SockAddr::Loopback(family));
      !s.ok()) {
    return StepErrorStatus("bind", s.error());
  }
  if (SysStatus s = sys.Listen(listener.get(), 1); !s.ok()) {
    return StepErrorStatus("listen", s.error());
  }
  SysResult<SockAddr> address = sys.GetSockName(listener.get());
  if (!address.ok()) return StepErrorStatus("getsockname", address.error());
  made = sys.Socket(family, SOCK_STREAM | SOCK_NONBLOCK | cloexec, 0);
  if (!made.ok()) return StepErrorStatus("socket", made.error());
  UniqueFd client(sys, *made);
  SysStatus connecting = sys.Connect(client.get(), *address);
  if (!connecting.ok() && connecting.error() != EINPROGRESS &&
      connecting.error() != EINTR) {
    return StepErrorStatus("connect", connecting.error());
  }
  SysResult<SockAddr> client_address = sys.GetSockName(client.get());
  if (!client_address.ok()) {
    return StepErrorStatus("getsockname", client_address.error());
  }

  const int accept_flags =
      (options.type & SOCK_NONBLOCK) |
      (bug == Bug::kLosesCloexec ? 0 : (options.type & SOCK_CLOEXEC));
  UniqueFd accepted;
  int spins = 0;
  bool interrupted = false;
  const absl::Time deadline = sys.Now() + options.timeout;
  while (!accepted.valid()) {
    if (bug != Bug::kBlockingAccept) {
      const absl::Duration left = deadline - sys.Now();
      if (left <= absl::ZeroDuration())
        return StepErrorStatus("accept", ETIMEDOUT);
      pollfd readable = {listener.get(), POLLIN, 0};
      SysResult<int> ready =
          sys.Poll(absl::MakeSpan(&readable, 1),
                   static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
      if (!ready.ok()) {
        if (ready.error() == EINTR && bug != Bug::kGivesUpOnEintr) {
          interrupted = true;
          continue;
        }
        return StepErrorStatus("poll", ready.error());
      }
      if (*ready == 0) continue;
    }
    SysResult<AcceptedSocket> got = sys.Accept4(listener.get(), accept_flags);
    if (!got.ok()) {
      const int e = got.error();
      if (e == EAGAIN || e == EINTR || e == ECONNABORTED) continue;
      if (e == EMFILE && bug == Bug::kSpinsOnEmfile && ++spins < 1000) continue;
      switch (bug) {
        case Bug::kLeaksAfterEintr:
          if (interrupted) (void)client.Release();
          return StepErrorStatus("accept", e);
        case Bug::kLeaksListener:
          (void)listener.Release();
          return StepErrorStatus("accept", e);
        case Bug::kSwallowsAcceptError: {
          SocketPair pair;
          pair.fds[0] = std::move(client);
          pair.fds[1] = std::move(listener);
          return pair;
        }
        case Bug::kReportsCloseErrno: {
          SysStatus closed = listener.Close();
          return StepErrorStatus("close", closed.ok() ? EIO : closed.error());
        }
        case Bug::kWrongStep:
          return StepErrorStatus("connect", e);
        default:
          return StepErrorStatus("accept", e);
      }
    }
    UniqueFd candidate(sys, got->fd);
    if (bug != Bug::kNoPeerCheck && got->peer != *client_address) continue;
    accepted = std::move(candidate);
  }
  if (bug == Bug::kDoubleClose) {
    const int fd = listener.Release();
    (void)sys.Close(fd);
    (void)sys.Close(fd);
  }
  // Wait for our connect to finish, then restore blocking mode if asked.
  pollfd writable = {client.get(), POLLOUT, 0};
  if (SysResult<int> r = sys.Poll(absl::MakeSpan(&writable, 1), 1000);
      !r.ok()) {
    return StepErrorStatus("poll", r.error());
  }
  if ((options.type & SOCK_NONBLOCK) == 0) {
    if (SysStatus s = sys.SetNonBlocking(client.get(), false); !s.ok()) {
      return StepErrorStatus("fcntl", s.error());
    }
  }
  SocketPair pair;
  pair.fds[0] = std::move(client);
  pair.fds[1] = std::move(accepted);
  return pair;
}

Subject BrokenSubject(Bug bug) {
  Subject subject;
  subject.name = "broken";
  subject.make_pair = [bug](const PairOptions& options, Syscalls& sys) {
    return BrokenPair(bug, options, sys);
  };
  subject.honours_deadline = bug != Bug::kBlockingAccept;
  return subject;
}

}  // namespace sockfi::testing
