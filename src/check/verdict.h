// Verdict: what the oracles found wrong with one run.

#ifndef SOCKFI_SRC_CHECK_VERDICT_H_
#define SOCKFI_SRC_CHECK_VERDICT_H_

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace sockfi {

enum class ViolationKind : uint8_t {
  // fd ledger
  kLeak,           // an fd the routine made is neither returned nor closed
  kDoubleClose,    // the routine closed an fd it had already closed
  kForeignClose,   // the routine closed an fd it never owned
  kUseAfterClose,  // the routine used an fd after closing it
  // error propagation
  kSwallowedError,   // a fatal fault fired, yet the routine reported success
                     // with a
                     // pair that does not work
  kWrongErrno,       // the error reported is not the one the fault implies
  kWrongStep,        // right errno, wrong step (or no step at all)
  kUnexpectedError,  // an error no fatal fault explains (a retryable fault
                     // given up
                     // on at once, or an error out of nowhere)
  // the returned pair
  kInvalidPair,  // the two fds are not one working connection
  kForeignPair,  // one end is connected to a foreign client
  kFlagsLost,    // SOCK_NONBLOCK / SOCK_CLOEXEC not as requested
  // liveness
  kHang,            // a blocking call that could never complete
  kBusySpin,        // the same failing call repeated without progress
  kCallBudget,      // more calls than any sane run needs
  kDeadlineMissed,  // returned later than its own deadline
  // unmodified programs (sockfi explore --command)
  kCrash,  // the program died of a signal
};

inline constexpr int kViolationKindCount = 16;

inline constexpr std::array<ViolationKind, kViolationKindCount>
    kAllViolationKinds = {
        ViolationKind::kLeak,           ViolationKind::kDoubleClose,
        ViolationKind::kForeignClose,   ViolationKind::kUseAfterClose,
        ViolationKind::kSwallowedError, ViolationKind::kWrongErrno,
        ViolationKind::kWrongStep,      ViolationKind::kUnexpectedError,
        ViolationKind::kInvalidPair,    ViolationKind::kForeignPair,
        ViolationKind::kFlagsLost,      ViolationKind::kHang,
        ViolationKind::kBusySpin,       ViolationKind::kCallBudget,
        ViolationKind::kDeadlineMissed, ViolationKind::kCrash};

// Returns the kind's name as reports print it: "leak", "double-close", ...
absl::string_view ViolationName(ViolationKind kind);

// Returns the kind named `name`, or nullopt.
std::optional<ViolationKind> ViolationKindFromName(absl::string_view name);

struct Violation {
  ViolationKind kind;
  std::string message;  // one line, for people
};

struct Verdict {
  std::vector<Violation> violations;

  bool ok() const { return violations.empty(); }
  // Returns true when a violation of `kind` was found.
  bool Has(ViolationKind kind) const;
  // Returns "OK: no violation" or one line per violation: "leak: fd 5 from
  // ...".
  std::string Format() const;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_CHECK_VERDICT_H_
