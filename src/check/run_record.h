// RunRecord: everything the oracles need to judge one run of a routine.

#ifndef SOCKFI_SRC_CHECK_RUN_RECORD_H_
#define SOCKFI_SRC_CHECK_RUN_RECORD_H_

#include <array>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "src/fault/fault_plan.h"
#include "src/fault/trace.h"

namespace sockfi {

struct RunRecord {
  FaultPlan plan;
  Trace trace;
  // The routine's result: OK with the two fds it returned, or its error.
  absl::Status status;
  std::array<int, 2> fds = {-1, -1};
  // What the routine was asked for.
  int requested_type =
      0;             // SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC as asked
  bool inet = true;  // an emulated (inet/inet6) pair, not AF_UNIX
  absl::Duration deadline =
      absl::InfiniteDuration();  // its own deadline, if any
  absl::Duration elapsed;  // how long the run took (virtual time on SimKernel),
                           // actors' time left out
  absl::Duration actor_time;  // how long actors (other processes) took
  std::string hang_dump;      // the simulated kernel's state when it saw a hang
  // Why the options were invalid, for a routine that promises to check them
  // (it must refuse them with InvalidArgument before any system call); unset
  // when they were valid or the routine makes no such promise.
  std::optional<std::string> argument_error;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_CHECK_RUN_RECORD_H_
