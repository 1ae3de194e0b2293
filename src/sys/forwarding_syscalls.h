// ForwardingSyscalls: a Syscalls that passes every call to another backend.
//
// Decorators (the fault injector, test doubles that add a foreign client after
// listen, call counters) derive from it and override only the calls they
// change.

#ifndef SOCKFI_SRC_SYS_FORWARDING_SYSCALLS_H_
#define SOCKFI_SRC_SYS_FORWARDING_SYSCALLS_H_

#include "src/sys/syscalls.h"

namespace sockfi {

class ForwardingSyscalls : public Syscalls {
 public:
  // Forwards to `inner`, which must outlive this object.
  explicit ForwardingSyscalls(Syscalls& inner) : inner_(inner) {}

  SysResult<int> Socket(int domain, int type, int protocol) override {
    return inner_.Socket(domain, type, protocol);
  }
  SysResult<std::array<int, 2>> SocketPair(int domain, int type,
                                           int protocol) override {
    return inner_.SocketPair(domain, type, protocol);
  }
  SysStatus Bind(int fd, const SockAddr& address) override {
    return inner_.Bind(fd, address);
  }
  SysStatus Listen(int fd, int backlog) override {
    return inner_.Listen(fd, backlog);
  }
  SysResult<SockAddr> GetSockName(int fd) override {
    return inner_.GetSockName(fd);
  }
  SysResult<SockAddr> GetPeerName(int fd) override {
    return inner_.GetPeerName(fd);
  }
  SysStatus Connect(int fd, const SockAddr& address) override {
    return inner_.Connect(fd, address);
  }
  SysResult<AcceptedSocket> Accept4(int fd, int flags) override {
    return inner_.Accept4(fd, flags);
  }
  SysStatus SetNonBlocking(int fd, bool on) override {
    return inner_.SetNonBlocking(fd, on);
  }
  SysResult<FdFlags> GetFdFlags(int fd) override {
    return inner_.GetFdFlags(fd);
  }
  SysResult<int> GetSocketError(int fd) override {
    return inner_.GetSocketError(fd);
  }
  SysResult<int> Poll(absl::Span<pollfd> fds, int timeout_ms) override {
    return inner_.Poll(fds, timeout_ms);
  }
  SysResult<size_t> Send(int fd, absl::Span<const uint8_t> data,
                         int flags) override {
    return inner_.Send(fd, data, flags);
  }
  SysResult<size_t> Recv(int fd, absl::Span<uint8_t> buffer,
                         int flags) override {
    return inner_.Recv(fd, buffer, flags);
  }
  SysStatus Close(int fd) override { return inner_.Close(fd); }
  SysStatus GetRandom(absl::Span<uint8_t> buffer) override {
    return inner_.GetRandom(buffer);
  }
  absl::Time Now() override { return inner_.Now(); }

 protected:
  Syscalls& inner() { return inner_; }

 private:
  Syscalls& inner_;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_SYS_FORWARDING_SYSCALLS_H_
