// ProvePair: shows that two fds are the two ends of one working stream
// connection.

#ifndef SOCKFI_SRC_CHECK_PAIR_PROOF_H_
#define SOCKFI_SRC_CHECK_PAIR_PROOF_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "src/sys/syscalls.h"

namespace sockfi {

// Sends `token` from `a` to `b` and back from `b` to `a` through `syscalls`,
// waiting with poll up to `timeout` in all, and, for inet sockets, checks that
// each end's peer is the other end's own address. Leaves both fds as it found
// them (nothing left unread, flags untouched). Returns OK, or
// FailedPrecondition saying what did not hold ("b received 3 of 8 bytes", "a's
// peer is 127.0.0.1:5 but b is 127.0.0.1:6", ...).
absl::Status ProvePair(Syscalls& syscalls, int a, int b, uint64_t token,
                       absl::Duration timeout = absl::Seconds(2));

}  // namespace sockfi

#endif  // SOCKFI_SRC_CHECK_PAIR_PROOF_H_
