#include "src/sim/virtual_clock.h"

#include <algorithm>

namespace sockfi {

void VirtualClock::Schedule(absl::Time when, TimerTarget target) {
  heap_.push_back(Timer{when, next_sequence_++, target});
  std::push_heap(heap_.begin(), heap_.end(), Later);
}

std::optional<absl::Time> VirtualClock::NextDue() const {
  if (heap_.empty()) return std::nullopt;
  return heap_.front().when;
}

std::optional<TimerTarget> VirtualClock::PopDue() {
  if (heap_.empty() || heap_.front().when > now_) return std::nullopt;
  std::pop_heap(heap_.begin(), heap_.end(), Later);
  const TimerTarget target = heap_.back().target;
  heap_.pop_back();
  return target;
}

}  // namespace sockfi
