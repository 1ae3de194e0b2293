// A model of curl's loopback socketpair (curl/curl lib/socketpair.c, the
// TCP fallback: wakeup_inet, formerly Curl_socketpair), written here from its
// published behaviour.

#ifndef SOCKFI_SRC_SUBJECTS_CURL_H_
#define SOCKFI_SRC_SUBJECTS_CURL_H_

#include "absl/status/statusor.h"
#include "src/pair/socket_pair.h"
#include "src/sys/syscalls.h"

namespace sockfi {

// Makes a pair the way that code does, whatever family and protocol are asked
// (it has none to honour: always AF_INET; SOCK_NONBLOCK in `options.type` is
// its `nonblocking` argument, SOCK_CLOEXEC is not honoured): a listener bound
// to 127.0.0.1 port 0 (SO_REUSEADDR is set first upstream; the shim has no
// setsockopt and loopback binds to port 0 do not need it), getsockname, then
// listen(1); a client whose blocking connect fails on any error (EINTR
// included); the listener made non-blocking, one poll(POLLIN, 1 s) whose
// result is ignored, one accept (no flags) whose failure is fatal; 9 random
// bytes (getrandom) sent on the client with the result ignored; then a read
// loop on the blocking accepted end: poll(POLLIN, 1 s) (ignored), recv; a
// failed recv is retried on EAGAIN, EINTR or EINPROGRESS until 60 s have
// passed since the loop began, any other error is fatal; but a recv that
// returns 0 (end of stream) is never checked, so a peer that closed before
// sending 9 bytes makes the loop spin forever, and a peer that stays silent
// makes the blocking recv wait forever after the 1 s poll. 9 bytes that differ
// fail with ECONNABORTED at step "verify" (curl sets no errno there). With
// SOCK_NONBLOCK both ends are then made non-blocking. The listener is closed
// last; on an error the listener, the client and the accepted end are closed,
// every close result ignored. No deadline. Returns (client, accepted end).
absl::StatusOr<SocketPair> CurlSocketPair(const PairOptions& options,
                                          Syscalls& sys);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SUBJECTS_CURL_H_
