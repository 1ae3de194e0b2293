#include "src/preload/next_syscalls.h"

#include <fcntl.h>
#include <sys/random.h>
#include <time.h>

#include <cerrno>

#include "src/preload/next_calls.h"

namespace sockfi::preload {
namespace {

// src/preload is an interposer: reading errno here is its job.
SysError LastError() { return SysError{errno}; }

SysResult<SockAddr> ToSockAddr(const sockaddr_storage& storage,
                               socklen_t size) {
  auto address =
      SockAddr::FromNative(reinterpret_cast<const sockaddr*>(&storage), size);
  if (!address.ok()) return SysError{EAFNOSUPPORT};
  return *address;
}

}  // namespace

SysResult<int> NextSyscalls::Socket(int domain, int type, int protocol) {
  const int fd = CallSocket(domain, type, protocol);
  if (fd < 0) return LastError();
  return fd;
}

SysResult<std::array<int, 2>> NextSyscalls::SocketPair(int domain, int type,
                                                       int protocol) {
  int fds[2];
  if (CallSocketPair(domain, type, protocol, fds) != 0) return LastError();
  return std::array<int, 2>{fds[0], fds[1]};
}

SysStatus NextSyscalls::Bind(int fd, const SockAddr& address) {
  if (CallBind(fd, address.native(), address.native_size()) != 0) {
    return LastError();
  }
  return SysStatus();
}

SysStatus NextSyscalls::Listen(int fd, int backlog) {
  if (CallListen(fd, backlog) != 0) return LastError();
  return SysStatus();
}

SysResult<SockAddr> NextSyscalls::GetSockName(int fd) {
  sockaddr_storage storage;
  socklen_t size = sizeof(storage);
  if (CallGetSockName(fd, reinterpret_cast<sockaddr*>(&storage), &size) != 0) {
    return LastError();
  }
  return ToSockAddr(storage, size);
}

SysResult<SockAddr> NextSyscalls::GetPeerName(int fd) {
  sockaddr_storage storage;
  socklen_t size = sizeof(storage);
  if (CallGetPeerName(fd, reinterpret_cast<sockaddr*>(&storage), &size) != 0) {
    return LastError();
  }
  return ToSockAddr(storage, size);
}

SysStatus NextSyscalls::Connect(int fd, const SockAddr& address) {
  if (CallConnect(fd, address.native(), address.native_size()) != 0) {
    return LastError();
  }
  return SysStatus();
}

SysResult<AcceptedSocket> NextSyscalls::Accept4(int fd, int flags) {
  sockaddr_storage storage;
  socklen_t size = sizeof(storage);
  const int accepted =
      CallAccept4(fd, reinterpret_cast<sockaddr*>(&storage), &size, flags);
  if (accepted < 0) return LastError();
  AcceptedSocket result;
  result.fd = accepted;
  auto peer =
      SockAddr::FromNative(reinterpret_cast<const sockaddr*>(&storage), size);
  if (peer.ok()) result.peer = *peer;
  return result;
}

SysStatus NextSyscalls::SetNonBlocking(int fd, bool on) {
  const int flags = CallFcntl(fd, F_GETFL, 0);
  if (flags < 0) return LastError();
  const int wanted = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (wanted != flags &&
      CallFcntl(fd, F_SETFL, static_cast<unsigned long>(wanted)) != 0) {
    return LastError();
  }
  return SysStatus();
}

SysResult<FdFlags> NextSyscalls::GetFdFlags(int fd) {
  const int status_flags = CallFcntl(fd, F_GETFL, 0);
  if (status_flags < 0) return LastError();
  const int fd_flags = CallFcntl(fd, F_GETFD, 0);
  if (fd_flags < 0) return LastError();
  FdFlags result;
  result.nonblocking = (status_flags & O_NONBLOCK) != 0;
  result.cloexec = (fd_flags & FD_CLOEXEC) != 0;
  return result;
}

SysResult<int> NextSyscalls::GetSocketError(int fd) {
  int error = 0;
  socklen_t size = sizeof(error);
  if (CallGetSockOpt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) {
    return LastError();
  }
  return error;
}

SysResult<int> NextSyscalls::Poll(absl::Span<pollfd> fds, int timeout_ms) {
  const int ready = CallPoll(fds.data(), fds.size(), timeout_ms);
  if (ready < 0) return LastError();
  return ready;
}

SysResult<size_t> NextSyscalls::Send(int fd, absl::Span<const uint8_t> data,
                                     int flags) {
  const ssize_t sent = CallSend(fd, data.data(), data.size(), flags);
  if (sent < 0) return LastError();
  return static_cast<size_t>(sent);
}

SysResult<size_t> NextSyscalls::Recv(int fd, absl::Span<uint8_t> buffer,
                                     int flags) {
  const ssize_t received = CallRecv(fd, buffer.data(), buffer.size(), flags);
  if (received < 0) return LastError();
  return static_cast<size_t>(received);
}

SysStatus NextSyscalls::Close(int fd) {
  if (CallClose(fd) != 0) return LastError();
  return SysStatus();
}

SysStatus NextSyscalls::GetRandom(absl::Span<uint8_t> buffer) {
  size_t filled = 0;
  while (filled < buffer.size()) {
    const ssize_t got =
        getrandom(buffer.data() + filled, buffer.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return LastError();
    }
    filled += static_cast<size_t>(got);
  }
  return SysStatus();
}

absl::Time NextSyscalls::Now() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return absl::UnixEpoch() + absl::DurationFromTimespec(now);
}

}  // namespace sockfi::preload
