#include "src/sim/virtual_clock.h"

#include <vector>

#include "gtest/gtest.h"
#include "src/sim/byte_queue.h"
#include "src/sim/split_mix64.h"

namespace sockfi {
namespace {

TEST(VirtualClockTest, TimersFireInTimeThenInsertionOrder) {
  const absl::Time start = absl::UnixEpoch();
  VirtualClock clock(start);
  clock.Schedule(start + absl::Seconds(3), {1, 0});
  clock.Schedule(start + absl::Seconds(1), {2, 0});
  clock.Schedule(start + absl::Seconds(3), {3, 0});
  EXPECT_EQ(clock.NextDue(), start + absl::Seconds(1));
  EXPECT_FALSE(clock.PopDue().has_value());  // nothing due yet
  clock.AdvanceTo(start + absl::Seconds(3));
  std::vector<int> fired;
  while (std::optional<TimerTarget> due = clock.PopDue()) {
    fired.push_back(due->socket);
  }
  EXPECT_EQ(fired, (std::vector<int>{2, 1, 3}));
  EXPECT_FALSE(clock.NextDue().has_value());
}

TEST(VirtualClockTest, NeverGoesBackAndDropsStaleTimers) {
  const absl::Time start = absl::UnixEpoch();
  VirtualClock clock(start + absl::Seconds(5));
  clock.AdvanceTo(start);
  EXPECT_EQ(clock.now(), start + absl::Seconds(5));
  clock.Schedule(start + absl::Seconds(6), {1, 0});
  clock.Schedule(start + absl::Seconds(7), {2, 0});
  clock.DropStale([](const TimerTarget& t) { return t.socket == 1; });
  EXPECT_EQ(clock.pending(), 1u);
  EXPECT_EQ(clock.NextDue(), start + absl::Seconds(7));
}

TEST(ByteQueueTest, IsAFifoThatPeeks) {
  ByteQueue queue;
  const uint8_t data[5] = {1, 2, 3, 4, 5};
  queue.Append(data);
  uint8_t out[3];
  EXPECT_EQ(queue.Read(absl::MakeSpan(out), /*peek=*/true), 3u);
  EXPECT_EQ(queue.size(), 5u);
  EXPECT_EQ(queue.Read(absl::MakeSpan(out), false), 3u);
  EXPECT_EQ(out[2], 3);
  queue.Append(data);
  EXPECT_EQ(queue.size(), 7u);
  EXPECT_EQ(queue.Read(absl::MakeSpan(out), false), 3u);
  EXPECT_EQ(out[0], 4);
  EXPECT_EQ(out[2], 1);
}

TEST(SplitMix64Test, IsDeterministic) {
  SplitMix64 a(9);
  SplitMix64 b(9);
  SplitMix64 c(10);
  EXPECT_EQ(a.Next(), b.Next());
  EXPECT_NE(a.Next(), c.Next());
  for (int i = 0; i < 100; ++i) EXPECT_LT(a.Below(7), 7u);
}

}  // namespace
}  // namespace sockfi
