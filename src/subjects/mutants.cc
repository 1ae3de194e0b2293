#include "src/subjects/mutants.h"

#include <utility>

#include "src/pair/mutation.h"

namespace sockfi {
namespace {

// How a mutant is run: with the caller's options, or with token checking
// forced on in place of the caller's choice (for bugs that live in the token
// exchange, which the default address check never reaches).
enum class Checks { kAsAsked, kForceToken };

Subject Mutant(std::string name, std::string description, Mutation mutation,
               std::string planted_violation,
               Checks checks = Checks::kAsAsked) {
  Subject subject;
  subject.name = std::move(name);
  subject.description = std::move(description);
  subject.reference = "sockfi src/pair/socket_pair.cc with src/pair/mutation.h";
  subject.make_pair = [mutation, checks](const PairOptions& options,
                                         Syscalls& sys) {
    if (checks == Checks::kAsAsked) {
      return MakeMutatedSocketPair(options, sys, mutation);
    }
    PairOptions with_token = options;
    switch (options.peer_check) {
      case PeerCheck::kAddresses:
      case PeerCheck::kToken:
      case PeerCheck::kAddressesAndToken:
        with_token.peer_check = PeerCheck::kToken;
        break;
      default:
        // Not a PeerCheck: left for the routine to refuse, as the mutant
        // claims argument checks.
        break;
    }
    return MakeMutatedSocketPair(with_token, sys, mutation);
  };
  // Each claims hardened's deadline, so missing it is a finding.
  subject.honours_deadline = true;
  subject.checks_arguments = true;
  subject.planted_violation = std::move(planted_violation);
  return subject;
}

}  // namespace

std::vector<Subject> MutantSubjects() {
  return {
      Mutant("listener_leaked_on_accept_error",
             "hardened, but a fatal accept error returns without closing the "
             "listener.",
             Mutation::kListenerLeakedOnAcceptError, "leak"),
      Mutant("client_leaked_on_connect_error",
             "hardened, but a fatal connect error returns without closing the "
             "connecting socket.",
             Mutation::kClientLeakedOnConnectError, "leak"),
      Mutant("rejected_candidate_leaked",
             "hardened with token checking (alone) forced on, but a candidate "
             "connection that sent a wrong token byte is dropped without "
             "closing its fd. Only an impostor reveals it.",
             Mutation::kRejectedCandidateLeaked, "leak", Checks::kForceToken),
      Mutant("close_retried_on_eintr",
             "hardened, but closing the listener is retried when close "
             "reports EINTR. Linux has released the fd already: the retry "
             "closes a closed fd, or whichever fd another thread got since.",
             Mutation::kCloseRetriedOnEintr, "double-close"),
      Mutant("poll_eintr_fatal",
             "hardened, but poll reporting EINTR (a signal while waiting) is "
             "taken as a fatal error instead of waiting again.",
             Mutation::kPollEintrFatal, "unexpected-error"),
      Mutant("accept_econnaborted_fatal",
             "hardened, but accept reporting ECONNABORTED (a queued connection "
             "that died before it was accepted) is taken as a fatal error "
             "instead of being retried.",
             Mutation::kAcceptConnAbortedFatal, "unexpected-error"),
      Mutant("accept_error_swallowed",
             "hardened, but a fatal accept error is ignored: the pair comes "
             "back with no accepted end.",
             Mutation::kAcceptErrorSwallowed, "swallowed-error"),
      Mutant("close_errno_reported",
             "hardened, but on an error path the connecting socket is closed "
             "by hand, and an error of that close is reported instead of the "
             "one that caused the failure.",
             Mutation::kCloseErrnoReported, "wrong-errno"),
      Mutant("listen_reported_as_bind",
             "hardened, but a listen error is reported as the step \"bind\".",
             Mutation::kListenReportedAsBind, "wrong-step"),
      Mutant("peer_check_skipped",
             "hardened, but neither addresses nor token are checked: the first "
             "connection accepted is taken for ours (CVE-2024-3219).",
             Mutation::kPeerCheckSkipped, "foreign-pair"),
      Mutant("blocking_listener",
             "hardened, but the listener is blocking: an accept tried before "
             "our connection is queued waits for it, for ever if it never "
             "comes.",
             Mutation::kBlockingListener, "hang"),
      Mutant("no_deadline",
             "hardened, but poll waits without a timeout: with the listen "
             "queue full only the kernel's SYN retries (about two minutes on "
             "Linux) end the wait.",
             Mutation::kNoDeadline, "deadline-missed"),
      Mutant("busy_retry_on_emfile",
             "hardened, but accept reporting EMFILE is retried at once, "
             "without waiting, for as long as it fails.",
             Mutation::kBusyRetryOnEmfile, "busy-spin"),
      Mutant("client_left_nonblocking",
             "hardened, but the connecting end is left non-blocking when "
             "blocking was asked for.",
             Mutation::kClientLeftNonBlocking, "flags-lost"),
      Mutant("poll_timeout_in_seconds",
             "hardened, but poll's timeout is the remaining time rounded up "
             "to the next whole second past it: waiting out the deadline "
             "returns late.",
             Mutation::kPollTimeoutInSeconds, "deadline-missed"),
  };
}

}  // namespace sockfi
