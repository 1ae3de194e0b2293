// Symbolic errno names ("EMFILE") and back, for messages, traces and fault
// plans.

#ifndef SOCKFI_SRC_SYS_ERRNO_NAME_H_
#define SOCKFI_SRC_SYS_ERRNO_NAME_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace sockfi {

// Not a Linux errno: the result of a simulated blocking call that nothing could
// ever complete (SimKernel's hang detection). Named "EHANG"; larger than any
// real errno.
inline constexpr int kHangErrno = 4095;

// Not a Linux errno: what every call but close returns once a run has made more
// calls than its budget (FaultInjector's runaway guard). Named "ECUTOFF".
inline constexpr int kCutOffErrno = 4094;

// Returns the symbolic name of `error_number` ("EAGAIN" for EAGAIN ==
// EWOULDBLOCK), or "errno N" when Linux has no name for it.
std::string ErrnoName(int error_number);

// Returns the errno named `name` (an exact, upper-case name such as "EMFILE";
// the aliases EWOULDBLOCK, ENOTSUP and EDEADLOCK are accepted), or nullopt for
// an unknown name.
std::optional<int> ErrnoFromName(absl::string_view name);

// Returns "Too many open files": the strerror text, without the locale
// ("Unknown error" for a number Linux does not know).
absl::string_view ErrnoDescription(int error_number);

// Returns "Too many open files [EMFILE]": strerror text and name, for messages.
std::string DescribeErrno(int error_number);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SYS_ERRNO_NAME_H_
