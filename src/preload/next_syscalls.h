// NextSyscalls: the Syscalls shim over the interposer's next definitions, so
// that what the interposer does itself (actors' sockets) bypasses tracing,
// counting and faults.

#ifndef SOCKFI_SRC_PRELOAD_NEXT_SYSCALLS_H_
#define SOCKFI_SRC_PRELOAD_NEXT_SYSCALLS_H_

#include "src/sys/syscalls.h"

namespace sockfi::preload {

class NextSyscalls final : public Syscalls {
 public:
  SysResult<int> Socket(int domain, int type, int protocol) override;
  SysResult<std::array<int, 2>> SocketPair(int domain, int type,
                                           int protocol) override;
  SysStatus Bind(int fd, const SockAddr& address) override;
  SysStatus Listen(int fd, int backlog) override;
  SysResult<SockAddr> GetSockName(int fd) override;
  SysResult<SockAddr> GetPeerName(int fd) override;
  SysStatus Connect(int fd, const SockAddr& address) override;
  SysResult<AcceptedSocket> Accept4(int fd, int flags) override;
  SysStatus SetNonBlocking(int fd, bool on) override;
  SysResult<FdFlags> GetFdFlags(int fd) override;
  SysResult<int> GetSocketError(int fd) override;
  SysResult<int> Poll(absl::Span<pollfd> fds, int timeout_ms) override;
  SysResult<size_t> Send(int fd, absl::Span<const uint8_t> data,
                         int flags) override;
  SysResult<size_t> Recv(int fd, absl::Span<uint8_t> buffer,
                         int flags) override;
  SysStatus Close(int fd) override;
  SysStatus GetRandom(absl::Span<uint8_t> buffer) override;
  absl::Time Now() override;
};

}  // namespace sockfi::preload

#endif  // SOCKFI_SRC_PRELOAD_NEXT_SYSCALLS_H_
