// SignalStorm: real signals at a high rate, interrupting the calling thread's
// system calls.

#ifndef SOCKFI_SRC_STRESS_SIGNAL_STORM_H_
#define SOCKFI_SRC_STRESS_SIGNAL_STORM_H_

#include <signal.h>
#include <time.h>

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace sockfi {

class SignalStorm {
 public:
  // Installs a handler for `signal_number` without SA_RESTART (so a blocking
  // call it interrupts fails with EINTR) and arms a POSIX timer
  // (CLOCK_MONOTONIC) that sends it to the calling thread every `interval`.
  // Returns FailedPrecondition naming the call that failed, with everything
  // undone. One storm at a time per process (the handler's count is global).
  static absl::StatusOr<std::unique_ptr<SignalStorm>> Start(
      absl::Duration interval, int signal_number = SIGALRM);
  // Disarms and deletes the timer, then restores the previous handler.
  ~SignalStorm();
  SignalStorm(const SignalStorm&) = delete;
  SignalStorm& operator=(const SignalStorm&) = delete;

  // Returns how many signals the handler caught since Start.
  uint64_t delivered() const;

 private:
  SignalStorm(int signal_number, timer_t timer,
              const struct sigaction& previous)
      : signal_number_(signal_number), timer_(timer), previous_(previous) {}

  const int signal_number_;
  timer_t timer_;
  struct sigaction previous_;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_STRESS_SIGNAL_STORM_H_
