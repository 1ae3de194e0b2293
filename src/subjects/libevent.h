// A model of libevent's evutil_ersatz_socketpair_ (libevent/libevent
// evutil.c; the code is originally Tor's), written here from its published
// behaviour.

#ifndef SOCKFI_SRC_SUBJECTS_LIBEVENT_H_
#define SOCKFI_SRC_SUBJECTS_LIBEVENT_H_

#include "absl/status/statusor.h"
#include "src/pair/socket_pair.h"
#include "src/sys/syscalls.h"

namespace sockfi {

// Makes a pair the way that code does: AF_INET or AF_UNIX asked and protocol
// 0 (else InvalidArgument, where libevent sets EAFNOSUPPORT before any call),
// always AF_INET sockets, `options.type` passed to socket() as it is; a
// listener bound to 127.0.0.1 port 0 with listen(1); a second socket, the
// listener's getsockname, a connect whose failure is fatal, except EINTR and
// EINPROGRESS when SOCK_NONBLOCK was asked; one accept without flags (so the
// accepted end gets neither SOCK_NONBLOCK nor SOCK_CLOEXEC), retried at once —
// a busy loop without poll — on EINTR, EAGAIN or ECONNABORTED only when
// SOCK_NONBLOCK was asked, else fatal; the connecting socket's getsockname
// compared with the peer address accept returned: a mismatch fails with
// ECONNABORTED at step "verify". On an error the errno is saved, then the
// listener, the connecting socket and the accepted one are closed, results
// ignored. On success the listener is closed (result ignored). No deadline.
// Returns (connecting end, accepted end).
//
// The non-blocking branch (the EINTR/EINPROGRESS tolerance and the accept busy
// loop) follows ANCHORS.md; the stored libevent sources (evutil.c of the 2.1
// line) treat every connect and accept failure as fatal whatever the type.
absl::StatusOr<SocketPair> LibeventSocketPair(const PairOptions& options,
                                              Syscalls& sys);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SUBJECTS_LIBEVENT_H_
