#include "src/check/pair_proof.h"

#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "src/sys/errno_name.h"

namespace sockfi {
namespace {

constexpr int kFlags = MSG_DONTWAIT | MSG_NOSIGNAL;

// Moves the 8 bytes of `token` from `from` to `to`.
absl::Status Transfer(Syscalls& syscalls, int from, int to, uint64_t token,
                      absl::Time deadline, absl::string_view direction) {
  std::array<uint8_t, sizeof(token)> out;
  std::memcpy(out.data(), &token, sizeof(token));
  std::array<uint8_t, sizeof(token)> in{};
  size_t sent = 0;
  size_t received = 0;
  while (received < in.size()) {
    if (sent < out.size()) {
      SysResult<size_t> n =
          syscalls.Send(from, absl::MakeConstSpan(out).subspan(sent), kFlags);
      if (n.ok()) {
        sent += *n;
      } else if (n.error() != EAGAIN && n.error() != EINTR) {
        return absl::FailedPreconditionError(absl::StrCat(
            direction, ": send failed: ", DescribeErrno(n.error())));
      }
    }
    SysResult<size_t> n =
        syscalls.Recv(to, absl::MakeSpan(in).subspan(received), kFlags);
    if (n.ok() && *n == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(direction, ": end of stream after ", received, " of ",
                       in.size(), " bytes"));
    }
    if (n.ok()) {
      received += *n;
      continue;
    }
    if (n.error() != EAGAIN && n.error() != EINTR) {
      return absl::FailedPreconditionError(
          absl::StrCat(direction, ": recv failed: ", DescribeErrno(n.error())));
    }
    const absl::Duration left = deadline - syscalls.Now();
    if (left <= absl::ZeroDuration()) {
      return absl::FailedPreconditionError(
          absl::StrCat(direction, ": received ", received, " of ", in.size(),
                       " bytes in time"));
    }
    std::array<pollfd, 2> fds = {pollfd{to, POLLIN, 0},
                                 pollfd{from, POLLOUT, 0}};
    const size_t count = sent < out.size() ? 2 : 1;
    (void)syscalls.Poll(absl::MakeSpan(fds.data(), count),
                        static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
  }
  if (in != out) {
    return absl::FailedPreconditionError(
        absl::StrCat(direction, ": the bytes arrived altered"));
  }
  return absl::OkStatus();
}

absl::Status CheckPeers(Syscalls& syscalls, int a, int b) {
  SysResult<SockAddr> a_name = syscalls.GetSockName(a);
  SysResult<SockAddr> b_name = syscalls.GetSockName(b);
  if (!a_name.ok() || !b_name.ok() || a_name->family() == AF_UNSPEC) {
    return absl::OkStatus();  // not an inet pair: addresses say nothing
  }
  SysResult<SockAddr> a_peer = syscalls.GetPeerName(a);
  SysResult<SockAddr> b_peer = syscalls.GetPeerName(b);
  if (!a_peer.ok() || !b_peer.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "getpeername failed: ",
        DescribeErrno(!a_peer.ok() ? a_peer.error() : b_peer.error())));
  }
  if (*a_peer != *b_name) {
    return absl::FailedPreconditionError(absl::StrCat(
        "a's peer is ", a_peer->ToString(), " but b is ", b_name->ToString()));
  }
  if (*b_peer != *a_name) {
    return absl::FailedPreconditionError(absl::StrCat(
        "b's peer is ", b_peer->ToString(), " but a is ", a_name->ToString()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ProvePair(Syscalls& syscalls, int a, int b, uint64_t token,
                       absl::Duration timeout) {
  absl::Status peers = CheckPeers(syscalls, a, b);
  if (!peers.ok()) return peers;
  const absl::Time deadline = syscalls.Now() + timeout;
  absl::Status forward = Transfer(syscalls, a, b, token, deadline, "a to b");
  if (!forward.ok()) return forward;
  return Transfer(syscalls, b, a, ~token, deadline, "b to a");
}

}  // namespace sockfi
