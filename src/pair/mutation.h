// Planted bugs for measuring sockfi itself: the hardened emulation with one
// small, named mistake, built from the same source (a parameter of the one
// implementation), so a mutant stays in step with `hardened`.
//
// Not for use: every mutation is a bug. src/subjects/mutants.cc names each one
// and the violation it must be caught as.

#ifndef SOCKFI_SRC_PAIR_MUTATION_H_
#define SOCKFI_SRC_PAIR_MUTATION_H_

#include "absl/status/statusor.h"
#include "src/pair/socket_pair.h"
#include "src/sys/syscalls.h"

namespace sockfi {

enum class Mutation {
  kNone,
  // A fatal accept error returns without closing the listener.
  kListenerLeakedOnAcceptError,
  // A fatal connect error returns without closing the connecting socket.
  kClientLeakedOnConnectError,
  // A candidate connection that sent a wrong token byte is dropped without
  // closing its fd (token checking only): a leak only an impostor reveals.
  kRejectedCandidateLeaked,
  // close of the listener is retried when it reports EINTR (Linux has released
  // the fd already: the retry closes a closed fd, or someone else's).
  kCloseRetriedOnEintr,
  // poll reporting EINTR is taken as fatal instead of polling again. (Its
  // sibling "connect re-issued on EINTR" has no mutant: hardened's connect is
  // non-blocking, and Linux never interrupts one, so it would be equivalent.)
  kPollEintrFatal,
  // accept reporting ECONNABORTED (a queued connection that died) is taken as
  // fatal instead of being retried.
  kAcceptConnAbortedFatal,
  // A fatal accept error is ignored: the pair is returned with no accepted end.
  kAcceptErrorSwallowed,
  // On an error path the connecting socket is closed by hand, and an error of
  // that close is reported instead of the original one.
  kCloseErrnoReported,
  // A listen error is reported as the step "bind".
  kListenReportedAsBind,
  // Neither addresses nor token are checked: the first connection accepted is
  // taken for ours.
  kPeerCheckSkipped,
  // The listener is blocking: an accept tried before our connection is queued
  // waits for it, for ever if it never comes.
  kBlockingListener,
  // poll waits without a timeout: the deadline is never enforced.
  kNoDeadline,
  // accept reporting EMFILE is retried at once, without waiting.
  kBusyRetryOnEmfile,
  // The connecting end is left non-blocking when blocking was asked for.
  kClientLeftNonBlocking,
  // poll's timeout is the remaining time rounded up to the next whole second
  // past it, so a call that waits out its deadline returns late.
  kPollTimeoutInSeconds,
};

// Returns MakeSocketPair(options, syscalls) with `mutation` planted.
absl::StatusOr<SocketPair> MakeMutatedSocketPair(const PairOptions& options,
                                                 Syscalls& syscalls,
                                                 Mutation mutation);

}  // namespace sockfi

#endif  // SOCKFI_SRC_PAIR_MUTATION_H_
