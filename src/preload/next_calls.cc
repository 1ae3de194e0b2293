#include "src/preload/next_calls.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sockfi::preload {
namespace {

// Filled once by ResolveNextCalls, before main; read-only afterwards.
NextCalls g_next = {};

template <typename F>
void Find(F* slot, const char* name) {
  *slot = reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

}  // namespace

void ResolveNextCalls() {
  Find(&g_next.socket, "socket");
  Find(&g_next.socketpair, "socketpair");
  Find(&g_next.bind, "bind");
  Find(&g_next.listen, "listen");
  Find(&g_next.connect, "connect");
  Find(&g_next.accept, "accept");
  Find(&g_next.accept4, "accept4");
  Find(&g_next.getsockname, "getsockname");
  Find(&g_next.getpeername, "getpeername");
  Find(&g_next.close, "close");
  Find(&g_next.poll, "poll");
  Find(&g_next.fcntl, "fcntl");
  Find(&g_next.setsockopt, "setsockopt");
  Find(&g_next.getsockopt, "getsockopt");
  Find(&g_next.send, "send");
  Find(&g_next.sendto, "sendto");
  Find(&g_next.sendmsg, "sendmsg");
  Find(&g_next.write, "write");
  Find(&g_next.recv, "recv");
  Find(&g_next.recvfrom, "recvfrom");
  Find(&g_next.recvmsg, "recvmsg");
  Find(&g_next.read, "read");
  Find(&g_next.dup, "dup");
  Find(&g_next.dup2, "dup2");
  Find(&g_next.dup3, "dup3");
}

const NextCalls& Next() { return g_next; }

int CallSocket(int domain, int type, int protocol) {
  if (g_next.socket) return g_next.socket(domain, type, protocol);
  return static_cast<int>(syscall(SYS_socket, domain, type, protocol));
}

int CallSocketPair(int domain, int type, int protocol, int fds[2]) {
  if (g_next.socketpair) return g_next.socketpair(domain, type, protocol, fds);
  return static_cast<int>(syscall(SYS_socketpair, domain, type, protocol, fds));
}

int CallBind(int fd, const sockaddr* address, socklen_t size) {
  if (g_next.bind) return g_next.bind(fd, address, size);
  return static_cast<int>(syscall(SYS_bind, fd, address, size));
}

int CallListen(int fd, int backlog) {
  if (g_next.listen) return g_next.listen(fd, backlog);
  return static_cast<int>(syscall(SYS_listen, fd, backlog));
}

int CallConnect(int fd, const sockaddr* address, socklen_t size) {
  if (g_next.connect) return g_next.connect(fd, address, size);
  return static_cast<int>(syscall(SYS_connect, fd, address, size));
}

int CallAccept(int fd, sockaddr* address, socklen_t* size) {
  if (g_next.accept) return g_next.accept(fd, address, size);
  return static_cast<int>(syscall(SYS_accept, fd, address, size));
}

int CallAccept4(int fd, sockaddr* address, socklen_t* size, int flags) {
  if (g_next.accept4) return g_next.accept4(fd, address, size, flags);
  return static_cast<int>(syscall(SYS_accept4, fd, address, size, flags));
}

int CallGetSockName(int fd, sockaddr* address, socklen_t* size) {
  if (g_next.getsockname) return g_next.getsockname(fd, address, size);
  return static_cast<int>(syscall(SYS_getsockname, fd, address, size));
}

int CallGetPeerName(int fd, sockaddr* address, socklen_t* size) {
  if (g_next.getpeername) return g_next.getpeername(fd, address, size);
  return static_cast<int>(syscall(SYS_getpeername, fd, address, size));
}

int CallClose(int fd) {
  if (g_next.close) return g_next.close(fd);
  return static_cast<int>(syscall(SYS_close, fd));
}

int CallPoll(pollfd* fds, nfds_t count, int timeout_ms) {
  if (g_next.poll) return g_next.poll(fds, count, timeout_ms);
  return static_cast<int>(syscall(SYS_poll, fds, count, timeout_ms));
}

int CallFcntl(int fd, int command, unsigned long argument) {
  if (g_next.fcntl) return g_next.fcntl(fd, command, argument);
  return static_cast<int>(syscall(SYS_fcntl, fd, command, argument));
}

int CallSetSockOpt(int fd, int level, int name, const void* value,
                   socklen_t size) {
  if (g_next.setsockopt) return g_next.setsockopt(fd, level, name, value, size);
  return static_cast<int>(
      syscall(SYS_setsockopt, fd, level, name, value, size));
}

int CallGetSockOpt(int fd, int level, int name, void* value, socklen_t* size) {
  if (g_next.getsockopt) return g_next.getsockopt(fd, level, name, value, size);
  return static_cast<int>(
      syscall(SYS_getsockopt, fd, level, name, value, size));
}

ssize_t CallSend(int fd, const void* data, size_t size, int flags) {
  if (g_next.send) return g_next.send(fd, data, size, flags);
  return syscall(SYS_sendto, fd, data, size, flags, nullptr, 0);
}

ssize_t CallSendTo(int fd, const void* data, size_t size, int flags,
                   const sockaddr* address, socklen_t address_size) {
  if (g_next.sendto) {
    return g_next.sendto(fd, data, size, flags, address, address_size);
  }
  return syscall(SYS_sendto, fd, data, size, flags, address, address_size);
}

ssize_t CallSendMsg(int fd, const msghdr* message, int flags) {
  if (g_next.sendmsg) return g_next.sendmsg(fd, message, flags);
  return syscall(SYS_sendmsg, fd, message, flags);
}

ssize_t CallWrite(int fd, const void* data, size_t size) {
  if (g_next.write) return g_next.write(fd, data, size);
  return syscall(SYS_write, fd, data, size);
}

ssize_t CallRecv(int fd, void* buffer, size_t size, int flags) {
  if (g_next.recv) return g_next.recv(fd, buffer, size, flags);
  return syscall(SYS_recvfrom, fd, buffer, size, flags, nullptr, nullptr);
}

ssize_t CallRecvFrom(int fd, void* buffer, size_t size, int flags,
                     sockaddr* address, socklen_t* address_size) {
  if (g_next.recvfrom) {
    return g_next.recvfrom(fd, buffer, size, flags, address, address_size);
  }
  return syscall(SYS_recvfrom, fd, buffer, size, flags, address, address_size);
}

ssize_t CallRecvMsg(int fd, msghdr* message, int flags) {
  if (g_next.recvmsg) return g_next.recvmsg(fd, message, flags);
  return syscall(SYS_recvmsg, fd, message, flags);
}

ssize_t CallRead(int fd, void* buffer, size_t size) {
  if (g_next.read) return g_next.read(fd, buffer, size);
  return syscall(SYS_read, fd, buffer, size);
}

int CallDup(int fd) {
  if (g_next.dup) return g_next.dup(fd);
  return static_cast<int>(syscall(SYS_dup, fd));
}

int CallDup2(int fd, int target) {
  if (g_next.dup2) return g_next.dup2(fd, target);
  return static_cast<int>(syscall(SYS_dup2, fd, target));
}

int CallDup3(int fd, int target, int flags) {
  if (g_next.dup3) return g_next.dup3(fd, target, flags);
  return static_cast<int>(syscall(SYS_dup3, fd, target, flags));
}

}  // namespace sockfi::preload
