// A model of CPython's socket._fallback_socketpair after CVE-2024-3219
// (python/cpython Lib/socket.py, with the socket module's C layer,
// Modules/socketmodule.c), written here from its published behaviour.

#ifndef SOCKFI_SRC_SUBJECTS_CPYTHON_H_
#define SOCKFI_SRC_SUBJECTS_CPYTHON_H_

#include "absl/status/statusor.h"
#include "src/pair/socket_pair.h"
#include "src/sys/syscalls.h"

namespace sockfi {

// Makes a pair the way that code does: AF_INET or AF_INET6 only, exactly
// SOCK_STREAM and protocol 0 (else InvalidArgument, as its ValueError); a
// close-on-exec listener (Python sockets are non-inheritable) bound to the
// loopback address, port 0, listen() with the C layer's default backlog
// min(SOMAXCONN, 128); a close-on-exec client made non-blocking whose connect
// may fail with EINPROGRESS, EAGAIN, EALREADY (BlockingIOError) or EINTR
// (InterruptedError) unnoticed; the client made blocking again; a blocking
// accept4(SOCK_CLOEXEC) that the C layer repeats at once on EINTR (PEP 475)
// and otherwise gives up on; on an error the client is closed (`except:
// csock.close(); raise`); the listener closed in a `finally`, so an error from
// that close replaces the outcome. Then, after the listener is gone, the
// addresses are compared both ways (accepted end's name against the client's
// peer, then the client's name against the accepted end's peer): a mismatch
// closes both ends and fails with ECONNABORTED at step "verify" (Python raises
// ConnectionError("Unexpected peer connection"), which has no errno), and so
// does a failing getsockname/getpeername, at its own step. No deadline. A close
// that fails (other than with ECONNRESET, which CPython ignores) raises in
// place of what was in flight; fds dropped by an exception are closed as
// CPython's reference counting does. Returns (accepted end, client) in that
// order, as Python does.
absl::StatusOr<SocketPair> CPythonSocketPair(const PairOptions& options,
                                             Syscalls& sys);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SUBJECTS_CPYTHON_H_
