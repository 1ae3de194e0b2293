// SimKernel against documented Linux behaviour that a unit test cannot show on
// the real kernel (ETIMEDOUT after 127 s, ephemeral port exhaustion, TIME_WAIT
// churn), and against its own contract (virtual time, fd table, actors,
// limits).

#include "src/sim/sim_kernel.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "src/sys/errno_name.h"
#include "src/sys/unique_fd.h"

namespace sockfi {
namespace {

std::unique_ptr<SimKernel> Kernel(SimConfig config = SimConfig()) {
  absl::StatusOr<std::unique_ptr<SimKernel>> kernel = SimKernel::Create(config);
  EXPECT_TRUE(kernel.ok()) << kernel.status();
  return kernel.ok() ? *std::move(kernel) : nullptr;
}

// A listener on 127.0.0.1:0 (or `address`) with `backlog`; returns its fd.
int Listen(SimKernel& sim, int backlog,
           SockAddr address = SockAddr::Loopback(AF_INET)) {
  const int fd = *sim.Socket(address.family(), SOCK_STREAM | SOCK_NONBLOCK, 0);
  EXPECT_TRUE(sim.Bind(fd, address).ok());
  EXPECT_TRUE(sim.Listen(fd, backlog).ok());
  return fd;
}

// A non-blocking client connecting to `to`; returns its fd.
int Connect(SimKernel& sim, const SockAddr& to) {
  const int fd = *sim.Socket(to.family(), SOCK_STREAM | SOCK_NONBLOCK, 0);
  EXPECT_EQ(sim.Connect(fd, to).error(), EINPROGRESS);
  return fd;
}

short Revents(SimKernel& sim, int fd, short events, int timeout_ms = 0) {
  pollfd p = {fd, events, 0};
  SysResult<int> ready = sim.Poll(absl::MakeSpan(&p, 1), timeout_ms);
  EXPECT_TRUE(ready.ok()) << ErrnoName(ready.error());
  return p.revents;
}

TEST(SimKernelTest, DroppedSynTimesOutAfterSynRetriesInVirtualTime) {
  for (int retries : {6, 2, 8}) {
    SimConfig config;
    config.syn_retries = retries;
    config.record_trace = true;
    std::unique_ptr<SimKernel> sim = Kernel(config);
    const int listener = Listen(*sim, 0);
    const SockAddr to = *sim->GetSockName(listener);
    Connect(*sim, to);  // fills the queue (backlog 0 holds 1)
    const absl::Time start = sim->Now();
    const int dropped = Connect(*sim, to);
    // The wait doubles from 1 s, capped at 120 s (TCP_RTO_MAX): with 6 retries
    // the connect fails at 127 s.
    absl::Duration expected;
    for (int k = 0; k <= retries; ++k) {
      expected += absl::Seconds(std::min(1 << k, 120));
    }
    if (retries == 6) {
      EXPECT_EQ(expected, absl::Seconds(127));
    }
    EXPECT_EQ(Revents(*sim, dropped, POLLOUT, -1), POLLOUT | POLLERR | POLLHUP);
    EXPECT_EQ(sim->Now() - start, expected);
    EXPECT_EQ(*sim->GetSocketError(dropped), ETIMEDOUT);
    int retransmissions = 0;
    for (const std::string& line : sim->trace()) {
      if (absl::StrContains(line, "SYN retransmission")) ++retransmissions;
    }
    EXPECT_EQ(retransmissions, retries);
  }
}

TEST(SimKernelTest, BlockingConnectWaitsForTheRetransmissionThatFindsRoom) {
  std::unique_ptr<SimKernel> sim = Kernel();
  const int listener = Listen(*sim, 0);
  const SockAddr to = *sim->GetSockName(listener);
  Connect(*sim, to);
  const int blocking = *sim->Socket(AF_INET, SOCK_STREAM, 0);
  // Nothing will make room: a blocking connect runs to ETIMEDOUT (127 s).
  const absl::Time start = sim->Now();
  EXPECT_EQ(sim->Connect(blocking, to).error(), ETIMEDOUT);
  EXPECT_EQ(sim->Now() - start, absl::Seconds(127));
  EXPECT_FALSE(sim->hang().has_value());
}

TEST(SimKernelTest, AbortOnOverflowRefusesAtOnce) {
  SimConfig config;
  config.abort_on_overflow = true;
  std::unique_ptr<SimKernel> sim = Kernel(config);
  const int listener = Listen(*sim, 0);
  const SockAddr to = *sim->GetSockName(listener);
  Connect(*sim, to);
  const int refused = Connect(*sim, to);
  EXPECT_EQ(*sim->GetSocketError(refused), ECONNREFUSED);
}

TEST(SimKernelTest, BacklogIsClampedToSomaxconn) {
  SimConfig config;
  config.somaxconn = 2;
  std::unique_ptr<SimKernel> sim = Kernel(config);
  for (int backlog : {100, -1}) {
    const int listener = Listen(*sim, backlog);
    const SockAddr to = *sim->GetSockName(listener);
    std::vector<int> clients;
    for (int i = 0; i < 4; ++i) clients.push_back(Connect(*sim, to));
    // somaxconn 2 holds 3.
    for (int i = 0; i < 3; ++i) {
      EXPECT_EQ(Revents(*sim, clients[i], POLLOUT), POLLOUT) << i;
    }
    EXPECT_EQ(Revents(*sim, clients[3], POLLOUT), 0);
    for (int fd : clients) ASSERT_TRUE(sim->Close(fd).ok());
    ASSERT_TRUE(sim->Close(listener).ok());
  }
}

TEST(SimKernelTest, BindPortZeroExhaustsTheRangeWithEaddrinuse) {
  SimConfig config;
  config.ephemeral_port_min = 40000;
  config.ephemeral_port_max = 40009;
  std::unique_ptr<SimKernel> sim = Kernel(config);
  std::vector<uint16_t> ports;
  for (int i = 0; i < 10; ++i) {
    const int fd = *sim->Socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_TRUE(sim->Bind(fd, SockAddr::Loopback(AF_INET)).ok()) << i;
    ports.push_back(sim->GetSockName(fd)->port());
  }
  std::sort(ports.begin(), ports.end());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(ports[i], 40000 + i);
  const int fd = *sim->Socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_EQ(sim->Bind(fd, SockAddr::Loopback(AF_INET)).error(), EADDRINUSE);
  EXPECT_EQ(sim->Listen(fd, 1).error(), EADDRINUSE);  // listen's autobind too
  // Another loopback address has its own ports.
  EXPECT_TRUE(sim->Bind(fd, *SockAddr::Parse("127.0.0.2:0")).ok());
}

TEST(SimKernelTest, ConnectAutobindExhaustionIsEaddrnotavail) {
  SimConfig config;
  config.ephemeral_port_min = 40000;
  config.ephemeral_port_max = 40003;
  std::unique_ptr<SimKernel> sim = Kernel(config);
  const int listener = Listen(*sim, 100, SockAddr::Loopback(AF_INET, 5000));
  const SockAddr to = *sim->GetSockName(listener);
  for (int i = 0; i < 4; ++i) Connect(*sim, to);
  const int fd = *sim->Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  EXPECT_EQ(sim->Connect(fd, to).error(), EADDRNOTAVAIL);
  // The same source ports still reach another destination (the 4-tuple
  // differs).
  const int other = Listen(*sim, 100, SockAddr::Loopback(AF_INET, 5001));
  EXPECT_EQ(sim->Connect(fd, *sim->GetSockName(other)).error(), EINPROGRESS);
}

// The classic sequence (listener on `address`, backlog 1, connect, accept),
// closing one side first; returns the errno of the first failing call, or 0.
int ClassicPairThenClose(SimKernel& sim, const SockAddr& address,
                         bool accepted_first) {
  SysResult<int> listener = sim.Socket(AF_INET, SOCK_STREAM, 0);
  if (!listener.ok()) return listener.error();
  UniqueFd owner(sim, *listener);
  if (SysStatus s = sim.Bind(*listener, address); !s.ok()) return s.error();
  if (SysStatus s = sim.Listen(*listener, 1); !s.ok()) return s.error();
  const SockAddr to = *sim.GetSockName(*listener);
  UniqueFd client(sim, *sim.Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
  SysStatus connecting = sim.Connect(client.get(), to);
  if (connecting.error() != EINPROGRESS) return connecting.error();
  SysResult<AcceptedSocket> accepted = sim.Accept4(*listener, 0);
  if (!accepted.ok()) return accepted.error();
  UniqueFd server(sim, accepted->fd);
  if (accepted_first) (void)server.Close();
  (void)client.Close();
  return 0;
}

TEST(SimKernelTest, ChurnExhaustsPortsOnlyWhenTheAcceptedSideClosesFirst) {
  // LINUX_SEMANTICS.md, "Churn", scaled down to a 200-port range: closing the
  // accepted side first leaves the listener's port in TIME_WAIT, one port per
  // pair, and connect fails with EADDRNOTAVAIL once bind took the last one.
  constexpr int kPorts = 200;
  SimConfig config;
  config.ephemeral_port_min = 40000;
  config.ephemeral_port_max = 40000 + kPorts - 1;
  {
    std::unique_ptr<SimKernel> sim = Kernel(config);
    int first_failure = -1;
    for (int i = 1; i <= 3 * kPorts && first_failure < 0; ++i) {
      const int error_number = ClassicPairThenClose(
          *sim, SockAddr::Loopback(AF_INET), /*accepted_first=*/true);
      if (error_number != 0) {
        EXPECT_EQ(ErrnoName(error_number), "EADDRNOTAVAIL");
        first_failure = i;
      }
    }
    EXPECT_EQ(first_failure, kPorts);
    // Once TIME_WAIT is over, the ports are free again.
    ASSERT_TRUE(sim->Poll({}, 61000).ok());
    EXPECT_EQ(ClassicPairThenClose(*sim, SockAddr::Loopback(AF_INET), true), 0);
    EXPECT_EQ(sim->open_fd_count(), 0);
  }
  {
    // The connecting side first: its TIME_WAIT entry blocks nobody.
    std::unique_ptr<SimKernel> sim = Kernel(config);
    for (int i = 0; i < 3 * kPorts; ++i) {
      ASSERT_EQ(ClassicPairThenClose(*sim, SockAddr::Loopback(AF_INET), false),
                0)
          << i;
    }
  }
  {
    // A different 127.x.y.z per listener: the TIME_WAIT entries do not collide.
    std::unique_ptr<SimKernel> sim = Kernel(config);
    for (int i = 0; i < 3 * kPorts; ++i) {
      const SockAddr spread = SockAddr::Ipv4(0x7f000100 + i, 0);
      ASSERT_EQ(ClassicPairThenClose(*sim, spread, true), 0) << i;
    }
  }
}

TEST(SimKernelTest, TimeWaitHoldsTheExplicitPortForTimeWait) {
  SimConfig config;
  config.time_wait = absl::Seconds(30);
  std::unique_ptr<SimKernel> sim = Kernel(config);
  const SockAddr address = SockAddr::Loopback(AF_INET, 7000);
  ASSERT_EQ(ClassicPairThenClose(*sim, address, /*accepted_first=*/true), 0);
  const int fd = *sim->Socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_EQ(sim->Bind(fd, address).error(), EADDRINUSE);
  ASSERT_TRUE(sim->Poll({}, 29999).ok());
  EXPECT_EQ(sim->Bind(fd, address).error(), EADDRINUSE);
  ASSERT_TRUE(sim->Poll({}, 1).ok());
  EXPECT_TRUE(sim->Bind(fd, address).ok());
}

TEST(SimKernelTest, PollTimesOutAtExactlyNowPlusTimeout) {
  std::unique_ptr<SimKernel> sim = Kernel();
  const int listener = Listen(*sim, 1);
  const absl::Time start = sim->Now();
  EXPECT_EQ(Revents(*sim, listener, POLLIN, 1234), 0);
  EXPECT_EQ(sim->Now() - start, absl::Milliseconds(1234));
  // A probe does not move time.
  EXPECT_EQ(Revents(*sim, listener, POLLIN, 0), 0);
  EXPECT_EQ(sim->Now() - start, absl::Milliseconds(1234));
}

TEST(SimKernelTest, FdTableHandsOutTheLowestFreeFd) {
  SimConfig config;
  config.first_fd = 3;
  std::unique_ptr<SimKernel> sim = Kernel(config);
  EXPECT_EQ(*sim->Socket(AF_INET, SOCK_STREAM, 0), 3);
  EXPECT_EQ(*sim->Socket(AF_INET, SOCK_STREAM, 0), 4);
  EXPECT_EQ(*sim->Socket(AF_INET, SOCK_STREAM, 0), 5);
  ASSERT_TRUE(sim->Close(4).ok());
  EXPECT_EQ(sim->Close(4).error(), EBADF);
  EXPECT_EQ(sim->open_fds(), (std::vector<int>{3, 5}));
  EXPECT_EQ(*sim->Socket(AF_INET, SOCK_STREAM, 0), 4);
  // fds below first_fd are open files that are not sockets; closing one frees
  // it.
  EXPECT_EQ(sim->Listen(1, 1).error(), ENOTSOCK);
  EXPECT_TRUE(sim->GetFdFlags(0).ok());
  ASSERT_TRUE(sim->Close(1).ok());
  EXPECT_EQ(*sim->Socket(AF_INET, SOCK_STREAM, 0), 1);
  EXPECT_EQ(sim->open_fd_count(), 4);
  EXPECT_EQ(sim->GetSockName(-1).error(), EBADF);
  EXPECT_EQ(sim->GetSockName(77).error(), EBADF);
}

TEST(SimKernelTest, FdLimitsGiveEmfileAndEnfile) {
  SimConfig config;
  config.fd_limit = 5;
  config.system_fd_limit = 100;
  std::unique_ptr<SimKernel> sim = Kernel(config);
  EXPECT_TRUE(sim->Socket(AF_INET, SOCK_STREAM, 0).ok());
  EXPECT_TRUE(sim->Socket(AF_INET, SOCK_STREAM, 0).ok());
  EXPECT_EQ(sim->Socket(AF_INET, SOCK_STREAM, 0).error(), EMFILE);
  sim->SetFdLimit(6);
  EXPECT_EQ(sim->SocketPair(AF_UNIX, SOCK_STREAM, 0).error(), EMFILE);
  EXPECT_TRUE(sim->Socket(AF_INET, SOCK_STREAM, 0).ok());

  // System-wide: the actors' sockets count too.
  config = SimConfig();
  config.system_fd_limit = 6;  // fds 0-2, the listener, one client, one actor
  sim = Kernel(config);
  const int listener = Listen(*sim, 8);
  const SockAddr to = *sim->GetSockName(listener);
  sim->ConnectForeignClient(to, ForeignClientMode::kCompletesSilently);
  EXPECT_TRUE(sim->Socket(AF_INET, SOCK_STREAM, 0).ok());
  EXPECT_EQ(sim->Socket(AF_INET, SOCK_STREAM, 0).error(), ENFILE);
  EXPECT_EQ(sim->Accept4(listener, 0).error(), ENFILE);
}

TEST(SimKernelTest, Ipv6CanBeTurnedOff) {
  SimConfig config;
  config.ipv6 = false;
  std::unique_ptr<SimKernel> sim = Kernel(config);
  EXPECT_EQ(sim->Socket(AF_INET6, SOCK_STREAM, 0).error(), EAFNOSUPPORT);
  EXPECT_TRUE(sim->Socket(AF_INET, SOCK_STREAM, 0).ok());
}

TEST(SimKernelTest, ShortWritesThenEagainThenRoomAfterReading) {
  SimConfig config;
  config.socket_buffer_bytes = 10;
  std::unique_ptr<SimKernel> sim = Kernel(config);
  SysResult<std::array<int, 2>> pair = sim->SocketPair(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_TRUE(pair.ok());
  const auto [a, b] = *pair;
  const std::vector<uint8_t> data(8, 7);
  EXPECT_EQ(*sim->Send(a, data, 0), 8u);
  EXPECT_EQ(*sim->Send(a, data, MSG_DONTWAIT), 2u);  // a short write
  EXPECT_EQ(sim->Send(a, data, MSG_DONTWAIT).error(), EAGAIN);
  uint8_t buffer[4];
  EXPECT_EQ(*sim->Recv(b, absl::MakeSpan(buffer), MSG_PEEK), 4u);
  EXPECT_EQ(*sim->Recv(b, absl::MakeSpan(buffer), 0), 4u);
  EXPECT_EQ(*sim->Send(a, data, MSG_DONTWAIT), 4u);
  // A blocking send on a full buffer that only we could drain is a hang.
  EXPECT_EQ(sim->Send(a, data, 0).error(), kHangErrno);
  ASSERT_TRUE(sim->hang().has_value());
  EXPECT_EQ(sim->hang()->call, "send");
  EXPECT_EQ(sim->hang()->fd, a);
}

TEST(SimKernelTest,
     ForeignClientThatSendsGarbageIsReadableOnTheAcceptedSocket) {
  std::unique_ptr<SimKernel> sim = Kernel();
  const int listener = Listen(*sim, 1);
  const SockAddr to = *sim->GetSockName(listener);
  sim->ConnectForeignClient(to, ForeignClientMode::kSendsGarbage);
  SysResult<AcceptedSocket> accepted = sim->Accept4(listener, 0);
  ASSERT_TRUE(accepted.ok());
  std::vector<ActorClientInfo> actors = sim->actor_clients();
  ASSERT_EQ(actors.size(), 1u);
  EXPECT_EQ(actors[0].local, accepted->peer);
  EXPECT_EQ(actors[0].state, "ESTABLISHED");
  uint8_t buffer[64];
  EXPECT_EQ(*sim->Recv(accepted->fd, absl::MakeSpan(buffer), MSG_DONTWAIT),
            16u);
  ASSERT_TRUE(sim->Close(accepted->fd).ok());
  EXPECT_TRUE(sim->actor_clients()[0].closed_by_peer);
  // A foreign client of a port nobody listens on is refused and gives up.
  sim->ConnectForeignClient(SockAddr::Loopback(AF_INET, 1),
                            ForeignClientMode::kCompletesSilently);
  EXPECT_EQ(sim->actor_clients()[1].state, "GONE");
}

TEST(SimKernelTest, ScheduledActorsActAfterTheNthCall) {
  SimConfig config;
  config.foreign_clients.push_back(
      {ActorTrigger::kAfterCall, 3, ForeignClientMode::kCompletesSilently});
  std::unique_ptr<SimKernel> sim = Kernel(config);
  const int listener = *sim->Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  ASSERT_TRUE(sim->Bind(listener, SockAddr::Loopback(AF_INET)).ok());
  EXPECT_TRUE(sim->actor_clients().empty());
  ASSERT_TRUE(sim->Listen(listener, 1).ok());  // call 3
  EXPECT_EQ(sim->actor_clients().size(), 1u);
  EXPECT_TRUE(sim->Accept4(listener, 0).ok());
}

TEST(SimKernelTest, ConnectToNonLoopbackIsUnreachable) {
  std::unique_ptr<SimKernel> sim = Kernel();
  const int fd = *sim->Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  EXPECT_EQ(sim->Connect(fd, *SockAddr::Parse("10.0.0.1:80")).error(),
            ENETUNREACH);
}

TEST(SimKernelTest, ListenerOnWildcardAcceptsEveryLoopbackAddress) {
  std::unique_ptr<SimKernel> sim = Kernel();
  const int listener = Listen(*sim, 4, SockAddr::Ipv4(0, 0));
  const uint16_t port = sim->GetSockName(listener)->port();
  const int client = Connect(*sim, SockAddr::Ipv4(0x7f050607, port));
  EXPECT_EQ(Revents(*sim, client, POLLOUT), POLLOUT);
  SysResult<AcceptedSocket> accepted = sim->Accept4(listener, 0);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(*sim->GetSockName(accepted->fd), SockAddr::Ipv4(0x7f050607, port));
}

TEST(SimKernelTest, ConnectAfUnspecDissolvesTheConnection) {
  std::unique_ptr<SimKernel> sim = Kernel();
  const int listener = Listen(*sim, 1);
  const int client = Connect(*sim, *sim->GetSockName(listener));
  const int server = sim->Accept4(listener, 0)->fd;
  EXPECT_TRUE(sim->Connect(client, SockAddr()).ok());
  EXPECT_EQ(sim->GetPeerName(client).error(), ENOTCONN);
  uint8_t byte;
  EXPECT_EQ(sim->Recv(server, absl::MakeSpan(&byte, 1), MSG_DONTWAIT).error(),
            ECONNRESET);
}

}  // namespace
}  // namespace sockfi
