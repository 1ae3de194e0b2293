// NextCalls: the definitions the interposer's functions stand in front of
// (libc's, or the next interposer's), found with dlsym(RTLD_NEXT).

#ifndef SOCKFI_SRC_PRELOAD_NEXT_CALLS_H_
#define SOCKFI_SRC_PRELOAD_NEXT_CALLS_H_

#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>

namespace sockfi::preload {

struct NextCalls {
  int (*socket)(int, int, int);
  int (*socketpair)(int, int, int, int*);
  int (*bind)(int, const sockaddr*, socklen_t);
  int (*listen)(int, int);
  int (*connect)(int, const sockaddr*, socklen_t);
  int (*accept)(int, sockaddr*, socklen_t*);
  int (*accept4)(int, sockaddr*, socklen_t*, int);
  int (*getsockname)(int, sockaddr*, socklen_t*);
  int (*getpeername)(int, sockaddr*, socklen_t*);
  int (*close)(int);
  int (*poll)(pollfd*, nfds_t, int);
  int (*fcntl)(int, int, ...);
  int (*setsockopt)(int, int, int, const void*, socklen_t);
  int (*getsockopt)(int, int, int, void*, socklen_t*);
  ssize_t (*send)(int, const void*, size_t, int);
  ssize_t (*sendto)(int, const void*, size_t, int, const sockaddr*, socklen_t);
  ssize_t (*sendmsg)(int, const msghdr*, int);
  ssize_t (*write)(int, const void*, size_t);
  ssize_t (*recv)(int, void*, size_t, int);
  ssize_t (*recvfrom)(int, void*, size_t, int, sockaddr*, socklen_t*);
  ssize_t (*recvmsg)(int, msghdr*, int);
  ssize_t (*read)(int, void*, size_t);
  int (*dup)(int);
  int (*dup2)(int, int);
  int (*dup3)(int, int, int);
};

// Finds every next definition. Call once, early (the interposer's
// constructor); until then, and for any name dlsym does not find, the Call*
// functions below make the system call directly.
void ResolveNextCalls();

// Returns the pointers found so far (null where none).
const NextCalls& Next();

// Each makes the call through its next definition, or as a raw system call
// when there is none: -1 and errno on failure, like libc.
int CallSocket(int domain, int type, int protocol);
int CallSocketPair(int domain, int type, int protocol, int fds[2]);
int CallBind(int fd, const sockaddr* address, socklen_t size);
int CallListen(int fd, int backlog);
int CallConnect(int fd, const sockaddr* address, socklen_t size);
int CallAccept(int fd, sockaddr* address, socklen_t* size);
int CallAccept4(int fd, sockaddr* address, socklen_t* size, int flags);
int CallGetSockName(int fd, sockaddr* address, socklen_t* size);
int CallGetPeerName(int fd, sockaddr* address, socklen_t* size);
int CallClose(int fd);
int CallPoll(pollfd* fds, nfds_t count, int timeout_ms);
// fcntl with an integer or pointer argument (passed through as a long).
int CallFcntl(int fd, int command, unsigned long argument);
int CallSetSockOpt(int fd, int level, int name, const void* value,
                   socklen_t size);
int CallGetSockOpt(int fd, int level, int name, void* value, socklen_t* size);
ssize_t CallSend(int fd, const void* data, size_t size, int flags);
ssize_t CallSendTo(int fd, const void* data, size_t size, int flags,
                   const sockaddr* address, socklen_t address_size);
ssize_t CallSendMsg(int fd, const msghdr* message, int flags);
ssize_t CallWrite(int fd, const void* data, size_t size);
ssize_t CallRecv(int fd, void* buffer, size_t size, int flags);
ssize_t CallRecvFrom(int fd, void* buffer, size_t size, int flags,
                     sockaddr* address, socklen_t* address_size);
ssize_t CallRecvMsg(int fd, msghdr* message, int flags);
ssize_t CallRead(int fd, void* buffer, size_t size);
int CallDup(int fd);
int CallDup2(int fd, int target);
int CallDup3(int fd, int target, int flags);

}  // namespace sockfi::preload

#endif  // SOCKFI_SRC_PRELOAD_NEXT_CALLS_H_
