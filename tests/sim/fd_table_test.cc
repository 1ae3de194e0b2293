#include "src/sim/fd_table.h"

#include <vector>

#include "gtest/gtest.h"

namespace sockfi {
namespace {

TEST(FdTableTest, StartsWithNonSocketFilesBelowFirstFd) {
  FdTable table(3, 10);
  for (int fd = 0; fd < 3; ++fd) {
    ASSERT_NE(table.Find(fd), nullptr);
    EXPECT_EQ(table.Find(fd)->object, FdTable::kNonSocket);
  }
  EXPECT_EQ(table.Find(3), nullptr);
  EXPECT_EQ(table.Find(-1), nullptr);
  EXPECT_EQ(table.open_count(), 3);
  EXPECT_EQ(table.socket_count(), 0);
  EXPECT_EQ(table.LowestFree(), 3);
}

TEST(FdTableTest, HandsOutTheLowestFreeFdAndReusesReleasedOnes) {
  FdTable table(0, 10);
  for (int i = 0; i < 4; ++i) {
    const int fd = table.LowestFree();
    EXPECT_EQ(fd, i);
    table.Install(fd, 100 + i, i % 2 == 0);
  }
  table.Release(1);
  table.Release(2);
  EXPECT_EQ(table.LowestFree(), 1);
  EXPECT_EQ(table.LowestFree(1), 2);
  EXPECT_EQ(table.LowestFree(2), 4);
  table.Install(1, 7, false);
  EXPECT_EQ(table.LowestFree(), 2);
  EXPECT_EQ(table.SocketFds(), (std::vector<int>{0, 1, 3}));
  EXPECT_TRUE(table.Find(0)->cloexec);
  EXPECT_FALSE(table.Find(1)->cloexec);
  EXPECT_EQ(table.Find(3)->object, 103);
}

TEST(FdTableTest, LimitCanChangeAndNeverGoesNegative) {
  FdTable table(3, 5);
  EXPECT_EQ(table.limit(), 5);
  table.set_limit(-2);
  EXPECT_EQ(table.limit(), 0);
  table.set_limit(8);
  EXPECT_EQ(table.limit(), 8);
}

}  // namespace
}  // namespace sockfi
