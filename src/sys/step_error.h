// StepError: which system-call step of an operation failed, and with which
// errno.
//
// Operations that make several system calls (the socketpair emulation, the
// subjects under test) report failure as an absl::Status whose code follows the
// errno (absl::ErrnoToStatusCode: EMFILE -> ResourceExhausted, ETIMEDOUT ->
// DeadlineExceeded,
// ...) and whose payload names the step. GetStepError reads it back, so that
// the propagation oracle can compare "what failed" with "what was reported"
// mechanically.

#ifndef SOCKFI_SRC_SYS_STEP_ERROR_H_
#define SOCKFI_SRC_SYS_STEP_ERROR_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace sockfi {

struct StepError {
  std::string step;  // the call that failed: "socket", "bind", "accept", ...
  int error_number = 0;  // its errno (ETIMEDOUT when a deadline passed)

  friend bool operator==(const StepError& a, const StepError& b) {
    return a.step == b.step && a.error_number == b.error_number;
  }
};

// The payload's type URL inside an absl::Status. Short enough for a
// std::string to hold without allocating: every step error stores a copy.
inline constexpr absl::string_view kStepErrorTypeUrl = "sockfi.StepErr";

// Returns a non-OK status for `error_number` (non-zero) at `step`, with the
// message
// "<step>: <strerror> [<ENAME>]" followed by ": <detail>" when `detail` is not
// empty.
absl::Status StepErrorStatus(absl::string_view step, int error_number,
                             absl::string_view detail = "");

// Returns the step and errno carried by `status`, or nullopt when it carries
// none (an OK status, or an error made elsewhere, such as InvalidArgument for a
// bad option).
std::optional<StepError> GetStepError(const absl::Status& status);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SYS_STEP_ERROR_H_
