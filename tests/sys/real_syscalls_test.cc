// RealSyscalls passes calls and errnos through unchanged.

#include "src/sys/real_syscalls.h"

#include <fcntl.h>
#include <sys/socket.h>

#include <cerrno>

#include "gtest/gtest.h"
#include "tests/testing/process_fds.h"

namespace sockfi {
namespace {

TEST(RealSyscallsTest, ErrorsComeBackAsErrno) {
  RealSyscalls& sys = DefaultRealSyscalls();
  const int closed_fd = testing::LowestFreeFd();
  EXPECT_EQ(sys.Close(closed_fd).error(), EBADF);
  EXPECT_EQ(sys.Socket(12345, SOCK_STREAM, 0).error(), EAFNOSUPPORT);
  EXPECT_EQ(sys.GetSockName(closed_fd).error(), EBADF);
}

TEST(RealSyscallsTest, LoopbackConnectionEndToEnd) {
  RealSyscalls& sys = DefaultRealSyscalls();
  SysResult<int> listener = sys.Socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_TRUE(listener.ok());
  ASSERT_TRUE(sys.Bind(*listener, SockAddr::Loopback(AF_INET)).ok());
  ASSERT_TRUE(sys.Listen(*listener, 1).ok());
  SysResult<SockAddr> address = sys.GetSockName(*listener);
  ASSERT_TRUE(address.ok());
  EXPECT_NE(address->port(), 0);

  SysResult<int> client =
      sys.Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  ASSERT_TRUE(client.ok());
  SysResult<FdFlags> flags = sys.GetFdFlags(*client);
  ASSERT_TRUE(flags.ok());
  EXPECT_TRUE(flags->nonblocking);
  EXPECT_TRUE(flags->cloexec);

  SysStatus connecting = sys.Connect(*client, *address);
  EXPECT_TRUE(connecting.ok() || connecting.error() == EINPROGRESS);
  pollfd writable = {*client, POLLOUT, 0};
  ASSERT_EQ(*sys.Poll(absl::MakeSpan(&writable, 1), 5000), 1);
  EXPECT_EQ(*sys.GetSocketError(*client), 0);

  SysResult<AcceptedSocket> accepted = sys.Accept4(*listener, SOCK_NONBLOCK);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted->peer, *sys.GetSockName(*client));
  EXPECT_EQ(*sys.GetPeerName(*client), *address);
  flags = sys.GetFdFlags(accepted->fd);
  EXPECT_TRUE(flags->nonblocking);
  EXPECT_FALSE(flags->cloexec);

  ASSERT_TRUE(sys.SetNonBlocking(*client, false).ok());
  EXPECT_FALSE(sys.GetFdFlags(*client)->nonblocking);
  EXPECT_TRUE(sys.GetFdFlags(*client)->cloexec);  // other flags kept

  const uint8_t out[3] = {1, 2, 3};
  EXPECT_EQ(*sys.Send(*client, out, MSG_NOSIGNAL), 3u);
  uint8_t in[8] = {};
  pollfd readable = {accepted->fd, POLLIN, 0};
  ASSERT_EQ(*sys.Poll(absl::MakeSpan(&readable, 1), 5000), 1);
  EXPECT_EQ(*sys.Recv(accepted->fd, in, 0), 3u);
  EXPECT_EQ(in[2], 3);
  EXPECT_EQ(sys.Recv(accepted->fd, in, 0).error(), EAGAIN);

  EXPECT_TRUE(sys.Close(*client).ok());
  EXPECT_EQ(*sys.Recv(accepted->fd, in, 0), 0u);  // EOF
  EXPECT_TRUE(sys.Close(accepted->fd).ok());
  EXPECT_TRUE(sys.Close(*listener).ok());
}

TEST(RealSyscallsTest, SocketPairAndRandomAndClock) {
  RealSyscalls& sys = DefaultRealSyscalls();
  SysResult<std::array<int, 2>> pair = sys.SocketPair(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_TRUE(pair.ok());
  EXPECT_TRUE(sys.Close((*pair)[0]).ok());
  EXPECT_TRUE(sys.Close((*pair)[1]).ok());

  std::array<uint8_t, 32> a{}, b{};
  ASSERT_TRUE(sys.GetRandom(absl::MakeSpan(a)).ok());
  ASSERT_TRUE(sys.GetRandom(absl::MakeSpan(b)).ok());
  EXPECT_NE(a, b);

  const absl::Time t0 = sys.Now();
  const absl::Time t1 = sys.Now();
  EXPECT_GE(t1, t0);
}

}  // namespace
}  // namespace sockfi
