// Small socketpair routines for oracle tests: a plain emulation with one
// planted bug each, chosen by a Bug value.

#ifndef SOCKFI_TESTS_CHECK_BROKEN_ROUTINES_H_
#define SOCKFI_TESTS_CHECK_BROKEN_ROUTINES_H_

#include "absl/status/statusor.h"
#include "src/pair/socket_pair.h"
#include "src/subjects/subject.h"
#include "src/sys/syscalls.h"

namespace sockfi::testing {

enum class Bug {
  kNone,  // a correct, simple emulation (non-blocking, poll, peer check)
  kLeaksListener,  // returns on an accept error without closing the listener
  kDoubleClose,    // closes the listener twice on success
  kSwallowsAcceptError,  // on an accept error returns the client paired with
                         // itself
  kReportsCloseErrno,  // on an accept error reports the listener's close errno
                       // instead
  kWrongStep,          // names an accept error "connect"
  kNoPeerCheck,        // accepts whatever connection comes first
  kBlockingAccept,   // blocking accept with no deadline (hangs on a full queue)
  kSpinsOnEmfile,    // retries accept at once on EMFILE, up to 1000 times
  kLosesCloexec,     // accepts without SOCK_CLOEXEC even when asked
  kGivesUpOnEintr,   // treats a poll EINTR as fatal
  kLeaksAfterEintr,  // once a poll was interrupted, an accept error leaks the
                     // client: wrong only when two faults combine
};

// Returns a pair made by the routine with `bug`.
absl::StatusOr<SocketPair> BrokenPair(Bug bug, const PairOptions& options,
                                      Syscalls& sys);

// Returns a Subject running BrokenPair(bug, ...).
Subject BrokenSubject(Bug bug);

}  // namespace sockfi::testing

#endif  // SOCKFI_TESTS_CHECK_BROKEN_ROUTINES_H_
