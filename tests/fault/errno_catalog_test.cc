// The catalog says what LINUX_SEMANTICS.md says.

#include "src/fault/errno_catalog.h"

#include <cerrno>

#include "gtest/gtest.h"

namespace sockfi {
namespace {

const CatalogEntry& Entry(CallKind call, int error_number) {
  const CatalogEntry* entry = ErrnoCatalog::Linux().Find(call, error_number);
  EXPECT_NE(entry, nullptr) << CallName(call) << " " << error_number;
  static const CatalogEntry kMissing{};
  return entry != nullptr ? *entry : kMissing;
}

TEST(ErrnoCatalogTest, AcceptSideEffectsFollowLinux) {
  // EAGAIN and EMFILE leave the connection queued; ECONNABORTED consumes it.
  EXPECT_EQ(Entry(CallKind::kAccept, EAGAIN).timing, Timing::kBefore);
  EXPECT_EQ(Entry(CallKind::kAccept, EAGAIN).handling, Handling::kRetry);
  EXPECT_EQ(Entry(CallKind::kAccept, EAGAIN).condition,
            Condition::kNonBlockingOnly);
  EXPECT_EQ(Entry(CallKind::kAccept, EMFILE).timing, Timing::kBefore);
  EXPECT_EQ(Entry(CallKind::kAccept, EMFILE).handling, Handling::kPropagate);
  EXPECT_TRUE(Entry(CallKind::kAccept, EMFILE).persistent);
  EXPECT_EQ(Entry(CallKind::kAccept, ECONNABORTED).timing, Timing::kAfter);
  EXPECT_EQ(Entry(CallKind::kAccept, ECONNABORTED).handling, Handling::kRetry);
  EXPECT_EQ(Entry(CallKind::kAccept, EINTR).condition,
            Condition::kBlockingOnly);
}

TEST(ErrnoCatalogTest, ConnectAndCloseTakeEffectBeforeFailing) {
  EXPECT_EQ(Entry(CallKind::kConnect, EINTR).timing, Timing::kAfter);
  EXPECT_EQ(Entry(CallKind::kConnect, EINTR).handling, Handling::kRetry);
  EXPECT_EQ(Entry(CallKind::kConnect, EINPROGRESS).condition,
            Condition::kNonBlockingOnly);
  EXPECT_EQ(Entry(CallKind::kClose, EINTR).timing, Timing::kAfter);
  EXPECT_EQ(Entry(CallKind::kClose, EINTR).handling, Handling::kIgnore);
  EXPECT_EQ(Entry(CallKind::kClose, EIO).handling, Handling::kIgnore);
}

TEST(ErrnoCatalogTest, NothingRealisticForFcntlAndGetsockopt) {
  EXPECT_TRUE(ErrnoCatalog::Linux().EntriesFor(CallKind::kFcntl).empty());
  EXPECT_TRUE(ErrnoCatalog::Linux().EntriesFor(CallKind::kGetSockOpt).empty());
  EXPECT_EQ(ErrnoCatalog::Linux().Find(CallKind::kAccept, EBADF), nullptr);
  EXPECT_EQ(ErrnoCatalog::Linux().Find(CallKind::kClose, EAGAIN), nullptr);
}

TEST(ErrnoCatalogTest, EntriesAreGroupedAndUnique) {
  const auto entries = ErrnoCatalog::Linux().entries();
  for (size_t i = 1; i < entries.size(); ++i) {
    EXPECT_LE(static_cast<int>(entries[i - 1].call),
              static_cast<int>(entries[i].call))
        << "entry " << i << " is out of CallKind order";
  }
  size_t total = 0;
  for (CallKind call : kAllCallKinds) {
    const auto group = ErrnoCatalog::Linux().EntriesFor(call);
    total += group.size();
    for (size_t i = 0; i < group.size(); ++i) {
      EXPECT_EQ(group[i].call, call);
      EXPECT_FALSE(group[i].cause.empty());
      for (size_t j = i + 1; j < group.size(); ++j) {
        EXPECT_NE(group[i].error_number, group[j].error_number);
      }
    }
  }
  EXPECT_EQ(total, entries.size());
}

TEST(ErrnoCatalogTest, TableHasAHeaderAndOneLinePerEntry) {
  const std::string table = ErrnoCatalog::Linux().FormatTable();
  EXPECT_EQ(
      table.rfind("call         errno          timing  handling   when", 0),
      0u);
  EXPECT_NE(
      table.find("accept       ECONNABORTED   after   retry      any    "),
      std::string::npos)
      << table;
  EXPECT_NE(table.find("fcntl        (none)"), std::string::npos);
  const size_t lines = std::count(table.begin(), table.end(), '\n');
  EXPECT_EQ(lines, 1 + ErrnoCatalog::Linux().entries().size() + 2);
}

}  // namespace
}  // namespace sockfi
