#include "src/sys/errno_name.h"

#include <cerrno>

#include "gtest/gtest.h"

namespace sockfi {
namespace {

TEST(ErrnoNameTest, NamesTheErrnosSocketCodeMeets) {
  EXPECT_EQ(ErrnoName(EMFILE), "EMFILE");
  EXPECT_EQ(ErrnoName(EINPROGRESS), "EINPROGRESS");
  EXPECT_EQ(ErrnoName(ECONNABORTED), "ECONNABORTED");
  EXPECT_EQ(ErrnoName(EWOULDBLOCK), "EAGAIN");
  EXPECT_EQ(ErrnoName(EOPNOTSUPP), "EOPNOTSUPP");
  EXPECT_EQ(ErrnoName(4000), "errno 4000");
  EXPECT_EQ(ErrnoName(kHangErrno), "EHANG");
  EXPECT_EQ(ErrnoFromName("EHANG"), kHangErrno);
}

TEST(ErrnoNameTest, ParsesNamesAndAliases) {
  EXPECT_EQ(ErrnoFromName("EINTR"), EINTR);
  EXPECT_EQ(ErrnoFromName("EWOULDBLOCK"), EAGAIN);
  EXPECT_EQ(ErrnoFromName("ENOTSUP"), EOPNOTSUPP);
  EXPECT_EQ(ErrnoFromName("eintr"), std::nullopt);
  EXPECT_EQ(ErrnoFromName("EBOGUS"), std::nullopt);
  EXPECT_EQ(ErrnoFromName(""), std::nullopt);
}

TEST(ErrnoNameTest, EveryNameRoundTrips) {
  for (int e = 1; e <= kHangErrno; ++e) {
    const std::string name = ErrnoName(e);
    if (name.rfind("errno ", 0) == 0) continue;
    EXPECT_EQ(ErrnoFromName(name), e) << name;
  }
}

TEST(ErrnoNameTest, DescribeGivesTextAndName) {
  EXPECT_EQ(DescribeErrno(EMFILE), "Too many open files [EMFILE]");
}

}  // namespace
}  // namespace sockfi
