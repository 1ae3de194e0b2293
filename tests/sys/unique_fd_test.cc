#include "src/sys/unique_fd.h"

#include <fcntl.h>

#include <cerrno>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "src/sys/forwarding_syscalls.h"
#include "src/sys/real_syscalls.h"
#include "tests/testing/process_fds.h"

namespace sockfi {
namespace {

// Records closes, and fails the next one with EINTR when asked (the kernel
// still releases the fd, as Linux does).
class CloseRecorder : public ForwardingSyscalls {
 public:
  CloseRecorder() : ForwardingSyscalls(DefaultRealSyscalls()) {}
  SysStatus Close(int fd) override {
    closed.push_back(fd);
    SysStatus result = ForwardingSyscalls::Close(fd);
    if (fail_next_close) {
      fail_next_close = false;
      return SysError{EINTR};
    }
    return result;
  }
  std::vector<int> closed;
  bool fail_next_close = false;
};

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1; }

int OpenSocket(Syscalls& syscalls) {
  SysResult<int> fd = syscalls.Socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (!fd.ok()) return -1;
  return *fd;
}

TEST(UniqueFdTest, ClosesOnDestructionThroughItsBackend) {
  CloseRecorder syscalls;
  int fd;
  {
    UniqueFd owner(syscalls, OpenSocket(syscalls));
    fd = owner.get();
    ASSERT_TRUE(IsOpen(fd));
  }
  EXPECT_FALSE(IsOpen(fd));
  EXPECT_EQ(syscalls.closed, std::vector<int>{fd});
}

TEST(UniqueFdTest, MoveTransfersOwnershipOnce) {
  CloseRecorder syscalls;
  UniqueFd a(syscalls, OpenSocket(syscalls));
  const int fd = a.get();
  UniqueFd b(std::move(a));
  EXPECT_FALSE(
      a.valid());  // NOLINT(bugprone-use-after-move): tested on purpose
  EXPECT_EQ(b.get(), fd);
  UniqueFd c;
  c = std::move(b);
  EXPECT_EQ(c.get(), fd);
  EXPECT_TRUE(syscalls.closed.empty());
  c = UniqueFd();
  EXPECT_EQ(syscalls.closed, std::vector<int>{fd});
  EXPECT_FALSE(IsOpen(fd));
}

TEST(UniqueFdTest, MoveAssignmentClosesTheFdHeldBefore) {
  CloseRecorder syscalls;
  UniqueFd a(syscalls, OpenSocket(syscalls));
  UniqueFd b(syscalls, OpenSocket(syscalls));
  const int first = a.get();
  const int second = b.get();
  a = std::move(b);
  EXPECT_EQ(syscalls.closed, std::vector<int>{first});
  EXPECT_EQ(a.get(), second);
}

TEST(UniqueFdTest, ReleaseGivesUpOwnership) {
  CloseRecorder syscalls;
  int fd;
  {
    UniqueFd owner(syscalls, OpenSocket(syscalls));
    fd = owner.Release();
    EXPECT_FALSE(owner.valid());
  }
  EXPECT_TRUE(IsOpen(fd));
  EXPECT_TRUE(syscalls.closed.empty());
  EXPECT_TRUE(syscalls.Close(fd).ok());
}

TEST(UniqueFdTest, FailedCloseIsReportedOnceAndNeverRetried) {
  CloseRecorder syscalls;
  UniqueFd owner(syscalls, OpenSocket(syscalls));
  const int fd = owner.get();
  syscalls.fail_next_close = true;
  SysStatus closed = owner.Close();
  EXPECT_EQ(closed.error(), EINTR);
  EXPECT_FALSE(owner.valid());
  EXPECT_FALSE(IsOpen(fd));
  EXPECT_TRUE(owner.Close().ok());  // empty now: no second close(2)
  EXPECT_EQ(syscalls.closed, std::vector<int>{fd});
}

TEST(UniqueFdTest, NegativeFdMakesAnEmptyOwner) {
  CloseRecorder syscalls;
  {
    UniqueFd owner(syscalls, -1);
    EXPECT_FALSE(owner);
  }
  EXPECT_TRUE(syscalls.closed.empty());
}

TEST(UniqueFdTest, OwnWrapsResultOrPassesErrno) {
  CloseRecorder syscalls;
  const int before = testing::CountOpenFds();
  {
    SysResult<UniqueFd> owned =
        Own(syscalls, syscalls.Socket(AF_INET, SOCK_STREAM, 0));
    ASSERT_TRUE(owned.ok());
    EXPECT_EQ(testing::CountOpenFds(), before + 1);
    SysResult<UniqueFd> failed =
        Own(syscalls, SysResult<int>(SysError{EMFILE}));
    EXPECT_EQ(failed.error(), EMFILE);
  }
  EXPECT_EQ(testing::CountOpenFds(), before);
}

}  // namespace
}  // namespace sockfi
