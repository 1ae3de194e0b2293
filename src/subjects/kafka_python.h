// A model of kafka-python's vendored socketpair (kafka/vendor/socketpair.py,
// from backports.socketpair; the same algorithm as CPython's fallback before
// CVE-2024-3219), written here from its published behaviour.

#ifndef SOCKFI_SRC_SUBJECTS_KAFKA_PYTHON_H_
#define SOCKFI_SRC_SUBJECTS_KAFKA_PYTHON_H_

#include "absl/status/statusor.h"
#include "src/pair/socket_pair.h"
#include "src/sys/syscalls.h"

namespace sockfi {

// Makes a pair the way that code does: AF_INET or AF_INET6 only and exactly
// SOCK_STREAM (else InvalidArgument, as its ValueError); a close-on-exec
// listener (Python sockets are non-inheritable) bound to the loopback address,
// port 0, listen(min(SOMAXCONN, 128)); a client made non-blocking whose connect
// may fail with EINPROGRESS or EINTR unnoticed; the client made blocking again;
// one blocking accept (an error ends the call: nothing is retried, no peer is
// checked, no deadline); the listener closed last, in a `finally`, so an error
// from that close replaces the outcome. Every fd is closed when an error
// unwinds, as CPython's reference counting does.
absl::StatusOr<SocketPair> KafkaPythonSocketPair(const PairOptions& options,
                                                 Syscalls& sys);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SUBJECTS_KAFKA_PYTHON_H_
