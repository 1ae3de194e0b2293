#include "src/sys/real_syscalls.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

namespace sockfi {
namespace {

// The only place in sockfi that reads the global errno.
SysError LastError() { return SysError{errno}; }

SysResult<SockAddr> ToSockAddr(const sockaddr_storage& storage,
                               socklen_t size) {
  auto address =
      SockAddr::FromNative(reinterpret_cast<const sockaddr*>(&storage), size);
  if (!address.ok()) return SysError{EAFNOSUPPORT};
  return *address;
}

}  // namespace

SysResult<int> RealSyscalls::Socket(int domain, int type, int protocol) {
  const int fd = ::socket(domain, type, protocol);
  if (fd < 0) return LastError();
  return fd;
}

SysResult<std::array<int, 2>> RealSyscalls::SocketPair(int domain, int type,
                                                       int protocol) {
  int fds[2];
  if (::socketpair(domain, type, protocol, fds) != 0) return LastError();
  return std::array<int, 2>{fds[0], fds[1]};
}

SysStatus RealSyscalls::Bind(int fd, const SockAddr& address) {
  if (::bind(fd, address.native(), address.native_size()) != 0) {
    return LastError();
  }
  return SysStatus();
}

SysStatus RealSyscalls::Listen(int fd, int backlog) {
  if (::listen(fd, backlog) != 0) return LastError();
  return SysStatus();
}

SysResult<SockAddr> RealSyscalls::GetSockName(int fd) {
  sockaddr_storage storage;
  socklen_t size = sizeof(storage);
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &size) != 0) {
    return LastError();
  }
  return ToSockAddr(storage, size);
}

SysResult<SockAddr> RealSyscalls::GetPeerName(int fd) {
  sockaddr_storage storage;
  socklen_t size = sizeof(storage);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &size) != 0) {
    return LastError();
  }
  return ToSockAddr(storage, size);
}

SysStatus RealSyscalls::Connect(int fd, const SockAddr& address) {
  if (::connect(fd, address.native(), address.native_size()) != 0) {
    return LastError();
  }
  return SysStatus();
}

SysResult<AcceptedSocket> RealSyscalls::Accept4(int fd, int flags) {
  sockaddr_storage storage;
  socklen_t size = sizeof(storage);
  const int accepted =
      ::accept4(fd, reinterpret_cast<sockaddr*>(&storage), &size, flags);
  if (accepted < 0) return LastError();
  AcceptedSocket result;
  result.fd = accepted;
  auto peer =
      SockAddr::FromNative(reinterpret_cast<const sockaddr*>(&storage), size);
  if (peer.ok()) result.peer = *peer;
  return result;
}

SysStatus RealSyscalls::SetNonBlocking(int fd, bool on) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return LastError();
  const int wanted = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
  if (wanted != flags && ::fcntl(fd, F_SETFL, wanted) != 0) return LastError();
  return SysStatus();
}

SysResult<FdFlags> RealSyscalls::GetFdFlags(int fd) {
  const int status_flags = ::fcntl(fd, F_GETFL);
  if (status_flags < 0) return LastError();
  const int fd_flags = ::fcntl(fd, F_GETFD);
  if (fd_flags < 0) return LastError();
  FdFlags result;
  result.nonblocking = (status_flags & O_NONBLOCK) != 0;
  result.cloexec = (fd_flags & FD_CLOEXEC) != 0;
  return result;
}

SysResult<int> RealSyscalls::GetSocketError(int fd) {
  int error = 0;
  socklen_t size = sizeof(error);
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) {
    return LastError();
  }
  return error;
}

SysResult<int> RealSyscalls::Poll(absl::Span<pollfd> fds, int timeout_ms) {
  const int ready = ::poll(fds.data(), fds.size(), timeout_ms);
  if (ready < 0) return LastError();
  return ready;
}

SysResult<size_t> RealSyscalls::Send(int fd, absl::Span<const uint8_t> data,
                                     int flags) {
  const ssize_t sent = ::send(fd, data.data(), data.size(), flags);
  if (sent < 0) return LastError();
  return static_cast<size_t>(sent);
}

SysResult<size_t> RealSyscalls::Recv(int fd, absl::Span<uint8_t> buffer,
                                     int flags) {
  const ssize_t received = ::recv(fd, buffer.data(), buffer.size(), flags);
  if (received < 0) return LastError();
  return static_cast<size_t>(received);
}

SysStatus RealSyscalls::Close(int fd) {
  if (::close(fd) != 0) return LastError();
  return SysStatus();
}

SysStatus RealSyscalls::GetRandom(absl::Span<uint8_t> buffer) {
  size_t filled = 0;
  while (filled < buffer.size()) {
    const ssize_t got =
        ::getrandom(buffer.data() + filled, buffer.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;  // getrandom(2): nothing lost, ask again
      return LastError();
    }
    filled += static_cast<size_t>(got);
  }
  return SysStatus();
}

absl::Time RealSyscalls::Now() {
  timespec now;
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return absl::UnixEpoch() + absl::DurationFromTimespec(now);
}

RealSyscalls& DefaultRealSyscalls() {
  static RealSyscalls* const kInstance = new RealSyscalls();
  return *kInstance;
}

}  // namespace sockfi
