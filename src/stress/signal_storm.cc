#include "src/stress/signal_storm.h"

#include <unistd.h>

#include <atomic>

#include "absl/status/status.h"

namespace sockfi {
namespace {

// What the handler counts: a signal handler can reach nothing else. Lock-free,
// so async-signal-safe.
std::atomic<uint64_t> caught{0};
static_assert(std::atomic<uint64_t>::is_always_lock_free);

void CountSignal(int) { caught.fetch_add(1, std::memory_order_relaxed); }

}  // namespace

absl::StatusOr<std::unique_ptr<SignalStorm>> SignalStorm::Start(
    absl::Duration interval, int signal_number) {
  if (interval <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("the interval must be positive");
  }
  struct sigaction action = {};
  action.sa_handler = &CountSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: interrupted calls fail with EINTR
  struct sigaction previous = {};
  if (::sigaction(signal_number, &action, &previous) != 0) {
    return absl::FailedPreconditionError("sigaction failed");
  }
  sigevent event = {};
  event.sigev_notify = SIGEV_THREAD_ID;
  event.sigev_signo = signal_number;
  event._sigev_un._tid = ::gettid();  // sigev_notify_thread_id in glibc >= 2.38
  timer_t timer;
  if (::timer_create(CLOCK_MONOTONIC, &event, &timer) != 0) {
    ::sigaction(signal_number, &previous, nullptr);
    return absl::FailedPreconditionError("timer_create failed");
  }
  itimerspec period = {};
  period.it_interval = absl::ToTimespec(interval);
  period.it_value = period.it_interval;
  caught = 0;
  if (::timer_settime(timer, 0, &period, nullptr) != 0) {
    ::timer_delete(timer);
    ::sigaction(signal_number, &previous, nullptr);
    return absl::FailedPreconditionError("timer_settime failed");
  }
  return std::unique_ptr<SignalStorm>(
      new SignalStorm(signal_number, timer, previous));
}

SignalStorm::~SignalStorm() {
  itimerspec stop = {};
  ::timer_settime(timer_, 0, &stop, nullptr);
  ::timer_delete(timer_);
  // A signal the timer sent before it stopped was delivered, to our handler,
  // on the way back from those calls, before the old handler returns.
  ::sigaction(signal_number_, &previous_, nullptr);
}

uint64_t SignalStorm::delivered() const { return caught.load(); }

}  // namespace sockfi
