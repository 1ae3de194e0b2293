// A model of Tor's ersatz socketpair (torproject/tor
// src/lib/net/socketpair.c, tor_ersatz_socketpair, with the FD_CLOEXEC step
// its caller tor_socketpair in src/lib/net/socket.c adds), written here from
// its published behaviour.

#ifndef SOCKFI_SRC_SUBJECTS_TOR_H_
#define SOCKFI_SRC_SUBJECTS_TOR_H_

#include "absl/status/statusor.h"
#include "src/pair/socket_pair.h"
#include "src/sys/syscalls.h"

namespace sockfi {

// Makes a pair the way that code does: AF_UNIX asked (Tor's only family;
// AF_INET is accepted too, the family the sockets really have), protocol 0
// and exactly SOCK_STREAM (else InvalidArgument; see below for the flags).
// A listener made by get_local_listener: socket(AF_INET), bind to 127.0.0.1
// port 0, listen(1); when bind or listen fails the socket is closed before
// errno is read, so a failing close replaces the errno reported. If that
// first attempt failed with EPROTONOSUPPORT an IPv6 listener is tried, with
// the address family left at AF_INET as upstream writes it (its bind always
// fails; the shim's bind of an IPv4 address on an IPv6 socket gives EINVAL
// where Tor's 28-byte sockaddr gets EAFNOSUPPORT), and the first error is
// returned. Then the connecting socket, the listener's getsockname, a
// blocking connect (every failure fatal, EINTR included), a blocking accept
// without flags (every failure fatal), the connecting socket's getsockname
// compared with accept's peer address: a mismatch fails with ECONNABORTED at
// step "verify". The listener is closed (result ignored); on an error the
// listener, the connecting socket and the accepted one are closed, results
// ignored. Finally tor_socketpair sets FD_CLOEXEC on each end with
// fcntl(F_SETFD), after the fact, not atomically; a failure closes both ends
// and returns that errno at step "fcntl". The shim has no F_SETFD: each of
// those calls is modelled by GetFdFlags (fcntl F_GETFD), which is traced and
// faulted as "fcntl" exactly where Tor's call is but cannot set the flag, so
// the returned fds lack FD_CLOEXEC (no oracle looks unless SOCK_CLOEXEC was
// asked, which is why the model refuses SOCK_CLOEXEC; it refuses
// SOCK_NONBLOCK too, which Tor passes to socket() but none of its callers
// asks). No deadline. Returns (connecting end, accepted end).
absl::StatusOr<SocketPair> TorSocketPair(const PairOptions& options,
                                         Syscalls& sys);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SUBJECTS_TOR_H_
