// VirtualClock: simulated time and the timers that move it.
//
// Time stands still until the kernel advances it, which it does only while the
// single caller is blocked; then it jumps straight to the next timer. Timers
// that fall due at the same instant fire in the order they were set, so a run
// is deterministic.

#ifndef SOCKFI_SRC_SIM_VIRTUAL_CLOCK_H_
#define SOCKFI_SRC_SIM_VIRTUAL_CLOCK_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/time/time.h"

namespace sockfi {

// What a timer wakes: a socket, valid while the socket's generation is
// unchanged.
struct TimerTarget {
  int socket = -1;
  uint32_t generation = 0;
};

class VirtualClock {
 public:
  // Starts at `start`.
  explicit VirtualClock(absl::Time start) : now_(start) {}

  // Starts over at `start` with no timers, keeping storage.
  void Reset(absl::Time start) {
    now_ = start;
    next_sequence_ = 0;
    heap_.clear();
  }

  absl::Time now() const { return now_; }
  // Moves time forward to `when` (never backward).
  void AdvanceTo(absl::Time when) {
    if (when > now_) now_ = when;
  }

  // Sets a timer that falls due at `when`.
  void Schedule(absl::Time when, TimerTarget target);
  // Returns when the earliest timer falls due, or nullopt when none is set.
  std::optional<absl::Time> NextDue() const;
  // Removes and returns the earliest timer if it is due at or before now().
  std::optional<TimerTarget> PopDue();
  // Removes timers from the front while `stale(target)` says they no longer
  // matter.
  template <typename Stale>
  void DropStale(Stale stale) {
    while (!heap_.empty() && stale(heap_.front().target)) {
      std::pop_heap(heap_.begin(), heap_.end(), Later);
      heap_.pop_back();
    }
  }
  // Returns the number of timers set.
  size_t pending() const { return heap_.size(); }

  // Calls `visit(when, target)` for every timer, earliest first.
  template <typename Visit>
  void ForEach(Visit visit) const {
    std::vector<Timer> sorted = heap_;
    std::sort_heap(sorted.begin(), sorted.end(), Later);
    for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) {
      visit(it->when, it->target);
    }
  }

 private:
  struct Timer {
    absl::Time when;
    uint64_t sequence;
    TimerTarget target;
  };
  // Heap order: the earliest (then first set) timer on top.
  static bool Later(const Timer& a, const Timer& b) {
    if (a.when != b.when) return a.when > b.when;
    return a.sequence > b.sequence;
  }

  absl::Time now_;
  uint64_t next_sequence_ = 0;
  std::vector<Timer> heap_;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_SIM_VIRTUAL_CLOCK_H_
