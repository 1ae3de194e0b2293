// Syscalls: the shim between socket code and the kernel.
//
// Everything sockfi tests (the hardened emulation, models of other
// implementations, mutants) makes its system calls through this interface, one
// virtual method per call. Backends: RealSyscalls (the kernel), SimKernel (a
// deterministic simulation, src/sim), and decorators such as the fault injector
// (src/fault) that wrap another backend.
//
// Contract shared by every method: a failure returns the errno in the SysResult
// and has the side effect the kernel would have (see ../../docs and
// LINUX_SEMANTICS.md); the global `errno` is never the channel. File
// descriptors come back as plain ints; callers own them through UniqueFd
// (src/sys/unique_fd.h) from the moment they are returned.

#ifndef SOCKFI_SRC_SYS_SYSCALLS_H_
#define SOCKFI_SRC_SYS_SYSCALLS_H_

#include <poll.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "src/sys/sock_addr.h"
#include "src/sys/sys_result.h"

namespace sockfi {

// What accept4 returns: the new connection's fd and its peer address.
struct AcceptedSocket {
  int fd = -1;
  SockAddr peer;
};

// The descriptor flags the emulation promises to honour.
struct FdFlags {
  bool nonblocking = false;  // O_NONBLOCK (file status flag)
  bool cloexec = false;      // FD_CLOEXEC (descriptor flag)
};

class Syscalls {
 public:
  virtual ~Syscalls() = default;

  // socket(2). `type` may include SOCK_NONBLOCK and SOCK_CLOEXEC.
  virtual SysResult<int> Socket(int domain, int type, int protocol) = 0;
  // socketpair(2): two connected fds.
  virtual SysResult<std::array<int, 2>> SocketPair(int domain, int type,
                                                   int protocol) = 0;
  // bind(2).
  virtual SysStatus Bind(int fd, const SockAddr& address) = 0;
  // listen(2).
  virtual SysStatus Listen(int fd, int backlog) = 0;
  // getsockname(2).
  virtual SysResult<SockAddr> GetSockName(int fd) = 0;
  // getpeername(2): ENOTCONN until the connection is established.
  virtual SysResult<SockAddr> GetPeerName(int fd) = 0;
  // connect(2). A non-blocking socket usually fails with EINPROGRESS.
  virtual SysStatus Connect(int fd, const SockAddr& address) = 0;
  // accept4(2) with `flags` from SOCK_NONBLOCK | SOCK_CLOEXEC.
  virtual SysResult<AcceptedSocket> Accept4(int fd, int flags) = 0;
  // fcntl(2) F_SETFL: turns O_NONBLOCK on or off, keeping the other status
  // flags.
  virtual SysStatus SetNonBlocking(int fd, bool on) = 0;
  // fcntl(2) F_GETFL and F_GETFD: reads O_NONBLOCK and FD_CLOEXEC.
  virtual SysResult<FdFlags> GetFdFlags(int fd) = 0;
  // getsockopt(2) SOL_SOCKET/SO_ERROR: returns the pending socket error (0 if
  // none) and clears it.
  virtual SysResult<int> GetSocketError(int fd) = 0;
  // poll(2): fills each revents; returns how many fds have events. `timeout_ms`
  // < 0 waits forever, 0 only probes.
  virtual SysResult<int> Poll(absl::Span<pollfd> fds, int timeout_ms) = 0;
  // send(2); returns the bytes taken (possibly fewer than offered).
  virtual SysResult<size_t> Send(int fd, absl::Span<const uint8_t> data,
                                 int flags) = 0;
  // recv(2); returns the bytes read, 0 at end of stream.
  virtual SysResult<size_t> Recv(int fd, absl::Span<uint8_t> buffer,
                                 int flags) = 0;
  // close(2). On Linux the fd is released even when close fails (EINTR, EIO):
  // callers must never retry it.
  virtual SysStatus Close(int fd) = 0;
  // getrandom(2): fills `buffer` with unpredictable bytes (seeded and
  // repeatable on simulated backends).
  virtual SysStatus GetRandom(absl::Span<uint8_t> buffer) = 0;
  // Returns a monotonic clock reading; only differences between readings
  // matter. SimKernel returns virtual time.
  virtual absl::Time Now() = 0;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_SYS_SYSCALLS_H_
