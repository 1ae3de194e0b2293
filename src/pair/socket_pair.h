// MakeSocketPair: a connected pair of stream sockets, made safely.
//
// AF_UNIX pairs come from socketpair(2). AF_INET and AF_INET6 pairs are
// emulated with a loopback TCP listener (socket, bind, listen, connect, accept,
// close the listener), the technique of kafka-python, CPython, curl, libevent
// and Tor, hardened against the ways it fails:
//   - the arguments are checked before any system call;
//   - close-on-exec is set atomically (SOCK_CLOEXEC, accept4) on all three
//     sockets, and SOCK_NONBLOCK / SOCK_CLOEXEC are honoured on both returned
//     fds;
//   - connect's EINTR, EINPROGRESS and 0 all mean "in progress"; the outcome
//     is read from SO_ERROR once poll says the socket is writable;
//   - accept's EINTR, EAGAIN, ECONNABORTED and the network errors Linux
//     reports through accept are retried after poll (never in a busy loop;
//     16 fruitless wake-ups in a row end the call with an errno it retried);
//     EMFILE, ENFILE, ENOBUFS, ENOMEM and the rest are returned;
//   - a connection that is not ours (another local process connecting first,
//     CVE-2024-3219) is recognised, closed, and accepting goes on (past 16 in
//     one call the listener is under attack: ECONNABORTED at "verify");
//   - if our own connection dies before it is accepted (reset, refused by a
//     full queue), a new connecting socket is tried, a few times at most;
//   - one deadline bounds the whole call: a full listen queue or a dropped SYN
//     ends in DeadlineExceeded, never a hang;
//   - every fd is owned by a UniqueFd from the moment it exists, so every path
//     closes each fd it does not return, exactly once;
//   - an error names the step and errno that caused it (GetStepError in
//     src/sys/step_error.h).
// Pair churn: by default an IPv4 listener binds a random address in 127.0.0.0/8
// (all of it is local on Linux), so TIME_WAIT entries left by closed pairs do
// not pile up on one address and exhaust the ephemeral ports
// (LINUX_SEMANTICS.md, "Churn").

#ifndef SOCKFI_SRC_PAIR_SOCKET_PAIR_H_
#define SOCKFI_SRC_PAIR_SOCKET_PAIR_H_

#include <sys/socket.h>

#include <array>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "src/sys/syscalls.h"
#include "src/sys/unique_fd.h"

namespace sockfi {

// How the emulation tells its own connection from a foreign one.
enum class PeerCheck {
  // The accepted socket's peer must be our connecting socket's address, and the
  // connecting socket's peer must be the listener (as CPython does since
  // CVE-2024-3219).
  // On Linux no other process can hold our connecting socket's address, so this
  // alone
  // recognises every foreign connection. The default: it costs two system
  // calls.
  kAddresses,
  // A random 16-byte token sent by the connecting socket must arrive on the
  // accepted
  // one, and is echoed back (as curl does). Works behind loopback proxies that
  // rewrite
  // addresses. Costs two loopback transfers (about 15 us per pair here).
  kToken,
  // Both checks.
  kAddressesAndToken,
};

// Where the listener of an emulated pair binds.
enum class ListenAddress {
  // IPv4: a random address in 127.0.0.0/8, falling back to 127.0.0.1 if the
  // kernel
  // refuses it. IPv6 has a single loopback address and uses ::1.
  kSpread,
  // 127.0.0.1 or ::1.
  kLoopback,
};

struct PairOptions {
  int family = AF_INET;  // AF_UNIX, AF_INET or AF_INET6
  int type =
      SOCK_STREAM;   // SOCK_STREAM, optionally | SOCK_NONBLOCK | SOCK_CLOEXEC
  int protocol = 0;  // must be 0
  // Bounds the whole call; must be positive and finite.
  absl::Duration timeout = absl::Seconds(5);
  PeerCheck peer_check = PeerCheck::kAddresses;
  ListenAddress listen_address = ListenAddress::kSpread;
};

struct SocketPair {
  // fds[0] is the connecting end and fds[1] the accepted end of an emulated
  // pair; for AF_UNIX they are socketpair(2)'s sv[0] and sv[1].
  std::array<UniqueFd, 2> fds;
};

// Returns OK when MakeSocketPair accepts `options`, otherwise InvalidArgument
// naming the wrong field and its value.
absl::Status ValidatePairOptions(const PairOptions& options);

// Returns a connected pair of sockets made through `syscalls` as described at
// the top of this file. On failure returns, with no fd left open:
//   - InvalidArgument (no system call made) for bad options;
//   - DeadlineExceeded (errno ETIMEDOUT, step "connect", "accept" or "verify")
//   when the
//     pair was not made within options.timeout;
//   - otherwise the status for the errno of the failing step (ResourceExhausted
//   for
//     EMFILE, ...), with GetStepError(status) naming the step and errno.
absl::StatusOr<SocketPair> MakeSocketPair(const PairOptions& options,
                                          Syscalls& syscalls);

}  // namespace sockfi

#endif  // SOCKFI_SRC_PAIR_SOCKET_PAIR_H_
