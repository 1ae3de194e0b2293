// FaultPlan: which faults to inject into a run, and its text form.
//
// The text form is one rule per line or ';'-separated; '#' at the start of a
// rule or after a space starts a comment. Rules:
//   accept#2=ECONNABORTED   fail the 2nd accept with ECONNABORTED
//   close#*=EINTR           every close (#3-5: the 3rd to 5th; #2-: 2nd on)
//   connect#1=EINTR:after   with explicit timing (before: no effect; after:
//                           the call took effect, then failed)
//   send#1=short:1          the 1st send (or recv) moves at most 1 byte
//   recv#1=eof              the 1st recv reads end of stream (returns 0) with
//                           the peer still there (adversarial only)
//   recv#1=corrupt          the 1st recv returns its bytes altered (each one
//                           inverted; adversarial only)
//   foreign@listen#1        after the 1st listen, a foreign client connects
//                           to it and stays silent
//   impostor@listen#1       ... one that sends 16 bytes of garbage
//   halfopen@listen#1       ... one that never completes its handshake
//   flood@listen#1          ... foreign clients keep the accept queue full
//   hangup@listen#1         ... one that connects and closes at once
//   fdlimit=5               the routine may hold at most 5 fds at once
//                           (EMFILE after)
//   none                    no faults (a plan must say something)
// Printing a plan gives its canonical text; parsing that text gives the same
// plan.

#ifndef SOCKFI_SRC_FAULT_FAULT_PLAN_H_
#define SOCKFI_SRC_FAULT_FAULT_PLAN_H_

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/fault/call_kind.h"
#include "src/fault/errno_catalog.h"

namespace sockfi {

// The occurrences (1-based, counted per call kind) a rule applies to.
struct Occurrences {
  static constexpr uint32_t kOpenEnd = std::numeric_limits<uint32_t>::max();
  uint32_t first = 1;
  uint32_t last = 1;  // kOpenEnd: every occurrence from `first` on

  bool Contains(uint32_t occurrence) const {
    return occurrence >= first && occurrence <= last;
  }
  friend bool operator==(const Occurrences& a, const Occurrences& b) {
    return a.first == b.first && a.last == b.last;
  }
};

// Fail the call with an errno.
struct ErrnoFault {
  int error_number = 0;
  std::optional<Timing>
      timing;  // unset: the catalog's timing (kBefore if none)
  friend bool operator==(const ErrnoFault& a, const ErrnoFault& b) {
    return a.error_number == b.error_number && a.timing == b.timing;
  }
};

// Let a send or recv move at most `max_bytes` (at least 1).
struct ShortTransfer {
  uint32_t max_bytes = 1;
  friend bool operator==(const ShortTransfer& a, const ShortTransfer& b) {
    return a.max_bytes == b.max_bytes;
  }
};

// Make a recv return what Linux never gives while the peer is there and the
// bytes are intact: end of stream, or the bytes altered. Adversarial only: it
// tests the checks a routine makes of what it reads.
enum class StreamFault : uint8_t {
  kEndOfStream,  // "eof": returns 0 and reads nothing
  kCorrupt,      // "corrupt": reads, then inverts every byte it read
};

// Returns "eof" or "corrupt".
absl::string_view StreamFaultName(StreamFault fault);

struct FaultRule {
  CallKind call = CallKind::kSocket;
  Occurrences when;
  std::variant<ErrnoFault, ShortTransfer, StreamFault> action;
  friend bool operator==(const FaultRule& a, const FaultRule& b) {
    return a.call == b.call && a.when == b.when && a.action == b.action;
  }
};

// Another process on the same host, acting right after a matching call
// succeeded.
enum class ActorKind : uint8_t {
  kForeign,   // connects to the listener and stays silent
  kImpostor,  // connects and sends 16 bytes of garbage
  kHalfOpen,  // sends a SYN and never completes the handshake
  kFlood,     // keeps the listener's accept queue full from then on
  kHangUp,    // connects and closes at once: the accepted end reads EOF
};

inline constexpr ActorKind kAllActorKinds[] = {
    ActorKind::kForeign, ActorKind::kImpostor, ActorKind::kHalfOpen,
    ActorKind::kFlood, ActorKind::kHangUp};

absl::string_view ActorName(ActorKind actor);

struct ActorRule {
  ActorKind actor = ActorKind::kForeign;
  CallKind call = CallKind::kListen;
  Occurrences when;
  friend bool operator==(const ActorRule& a, const ActorRule& b) {
    return a.actor == b.actor && a.call == b.call && a.when == b.when;
  }
};

struct FaultPlan {
  // Inline room for the rules of most plans: a plan is copied into every run's
  // injector and record, and a fuzzer makes one per input.
  absl::InlinedVector<FaultRule, 8> faults;
  absl::InlinedVector<ActorRule, 2> actors;
  std::optional<uint32_t> fd_limit;

  bool empty() const {
    return faults.empty() && actors.empty() && !fd_limit.has_value();
  }
  friend bool operator==(const FaultPlan& a, const FaultPlan& b) {
    return a.faults == b.faults && a.actors == b.actors &&
           a.fd_limit == b.fd_limit;
  }
  friend bool operator!=(const FaultPlan& a, const FaultPlan& b) {
    return !(a == b);
  }
};

// Returns the plan's canonical text: "fdlimit=N" first, then the fault rules,
// then the actor rules, in their order, joined by "; "; "none" for an empty
// plan.
std::string PrintPlan(const FaultPlan& plan);

// Returns the text of one rule, as PrintPlan writes it.
std::string PrintRule(const FaultRule& rule);
std::string PrintRule(const ActorRule& rule);

// Parses the text form. On error returns InvalidArgument whose message starts
// with "line L, column C: " and says what was found and what was expected.
// Checks syntax and names only; CheckRealistic judges whether Linux could
// produce the faults.
absl::StatusOr<FaultPlan> ParsePlan(absl::string_view text);

// Returns OK when PrintPlan(plan) parses back to a plan equal to `plan` that
// prints the same text; otherwise Internal saying what the text became. (The
// property fault_plan_fuzzer checks, and `sockfi replay` with it.)
absl::Status CheckPrintParsesBack(const FaultPlan& plan);

// Returns OK when every errno rule is one `catalog` lists for its call, with
// the catalog's timing, and no rule is a stream fault; otherwise
// InvalidArgument naming the first offending rule, why Linux would not produce
// it, and that --adversarial injects it anyway.
absl::Status CheckRealistic(const FaultPlan& plan, const ErrnoCatalog& catalog);

}  // namespace sockfi

#endif  // SOCKFI_SRC_FAULT_FAULT_PLAN_H_
