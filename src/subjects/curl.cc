#include "src/subjects/curl.h"

#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "absl/time/time.h"
#include "src/sys/step_error.h"
#include "src/sys/unique_fd.h"

namespace sockfi {
namespace {

constexpr int kPollMs = 1000;  // Curl_poll(pfd, 1, 1000): one second
constexpr absl::Duration kReadCap = absl::Seconds(60);
constexpr size_t kTokenBytes = 9;  // char rnd[9]

// The three sockets of wakeup_inet; `error:` closes them in this order.
struct Sockets {
  UniqueFd listener;
  UniqueFd socks[2];  // the client, the accepted end

  // Runs `error:` (sclose(listener), sclose(socks[0]), sclose(socks[1]), every
  // result ignored) and returns `status`.
  absl::Status Fail(absl::Status status) {
    (void)listener.Close();
    (void)socks[0].Close();
    (void)socks[1].Close();
    return status;
  }
};

// Polls `fd` for POLLIN for up to a second; the result is ignored, as curl's
// `(void)Curl_poll(...)`.
void PollOneSecond(Syscalls& sys, int fd) {
  pollfd pfd = {fd, POLLIN, 0};
  (void)sys.Poll(absl::MakeSpan(&pfd, 1), kPollMs);
}

// Returns whether curl's read loop goes round again after a recv failing with
// `error` (EWOULDBLOCK is EAGAIN on Linux).
bool RetriedByReadLoop(int error) {
  return error == EAGAIN || error == EINTR || error == EINPROGRESS;
}

}  // namespace

absl::StatusOr<SocketPair> CurlSocketPair(const PairOptions& options,
                                          Syscalls& sys) {
  const bool nonblocking = (options.type & SOCK_NONBLOCK) != 0;
  Sockets s;
  {
    SysResult<UniqueFd> made = Own(sys, sys.Socket(AF_INET, SOCK_STREAM, 0));
    if (!made.ok()) return StepErrorStatus("socket", made.error());
    s.listener = std::move(*made);
  }
  if (SysStatus r = sys.Bind(s.listener.get(), SockAddr::Loopback(AF_INET));
      !r.ok()) {
    return s.Fail(StepErrorStatus("bind", r.error()));
  }
  SysResult<SockAddr> address = sys.GetSockName(s.listener.get());
  if (!address.ok()) {
    return s.Fail(StepErrorStatus("getsockname", address.error()));
  }
  if (SysStatus r = sys.Listen(s.listener.get(), 1); !r.ok()) {
    return s.Fail(StepErrorStatus("listen", r.error()));
  }
  {
    SysResult<UniqueFd> made = Own(sys, sys.Socket(AF_INET, SOCK_STREAM, 0));
    if (!made.ok()) return s.Fail(StepErrorStatus("socket", made.error()));
    s.socks[0] = std::move(*made);
  }
  // A blocking connect: any failure, EINTR included, is fatal.
  if (SysStatus r = sys.Connect(s.socks[0].get(), *address); !r.ok()) {
    return s.Fail(StepErrorStatus("connect", r.error()));
  }
  // "use non-blocking accept to make sure we do not block forever"
  if (SysStatus r = sys.SetNonBlocking(s.listener.get(), true); !r.ok()) {
    return s.Fail(StepErrorStatus("fcntl", r.error()));
  }
  PollOneSecond(sys, s.listener.get());
  {
    SysResult<AcceptedSocket> accepted = sys.Accept4(s.listener.get(), 0);
    if (!accepted.ok()) {
      return s.Fail(StepErrorStatus("accept", accepted.error()));
    }
    s.socks[1] = UniqueFd(sys, accepted->fd);
  }
  const absl::Time start = sys.Now();
  std::array<uint8_t, kTokenBytes> token;
  if (SysStatus r = sys.GetRandom(absl::MakeSpan(token)); !r.ok()) {
    return s.Fail(StepErrorStatus("getrandom", r.error()));
  }
  // swrite(socks[0], rnd, sizeof(rnd)): the result is not looked at.
  (void)sys.Send(s.socks[0].get(), token, MSG_NOSIGNAL);
  std::array<uint8_t, kTokenBytes> check;
  size_t offset = 0;
  size_t left = kTokenBytes;
  while (true) {
    PollOneSecond(sys, s.socks[1].get());
    SysResult<size_t> read = sys.Recv(
        s.socks[1].get(), absl::MakeSpan(check).subspan(offset, left), 0);
    if (!read.ok()) {
      // "Do not block forever": checked only when recv returned -1.
      if (sys.Now() - start > kReadCap) {
        return s.Fail(StepErrorStatus("recv", read.error()));
      }
      if (RetriedByReadLoop(read.error())) continue;
      return s.Fail(StepErrorStatus("recv", read.error()));
    }
    // `s -= nread; if(s) { p += nread; continue; }` — 0 (end of stream)
    // changes nothing and goes round again.
    left -= *read;
    if (left != 0) {
      offset += *read;
      continue;
    }
    if (std::memcmp(token.data(), check.data(), kTokenBytes) != 0) {
      return s.Fail(StepErrorStatus("verify", ECONNABORTED,
                                    "the 9 bytes read back differ"));
    }
    break;
  }
  if (nonblocking) {
    for (UniqueFd& end : s.socks) {
      if (SysStatus r = sys.SetNonBlocking(end.get(), true); !r.ok()) {
        return s.Fail(StepErrorStatus("fcntl", r.error()));
      }
    }
  }
  (void)s.listener.Close();
  SocketPair pair;
  pair.fds[0] = std::move(s.socks[0]);
  pair.fds[1] = std::move(s.socks[1]);
  return pair;
}

}  // namespace sockfi
