// MakeSocketPair on the real kernel: the shared suite, plus what only a real
// kernel shows (RLIMIT_NOFILE, real foreign clients, a really full listen
// queue).

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "gtest/gtest.h"
#include "src/pair/socket_pair.h"
#include "src/sys/forwarding_syscalls.h"
#include "src/sys/real_syscalls.h"
#include "src/sys/step_error.h"
#include "tests/pair/socket_pair_suite.h"
#include "tests/testing/process_fds.h"

namespace sockfi::testing {
namespace {

PairBackend RealBackend() {
  return {"Real", [] { return std::make_unique<RealSyscalls>(); },
          [](Syscalls&) { return CountOpenFds(); }};
}

INSTANTIATE_TEST_SUITE_P(Real, SocketPairSuite,
                         ::testing::Values(RealBackend()), BackendName);

// Sets RLIMIT_NOFILE's soft limit for the life of the object.
class ScopedFdLimit {
 public:
  explicit ScopedFdLimit(rlim_t soft) {
    getrlimit(RLIMIT_NOFILE, &saved_);
    rlimit lowered = saved_;
    lowered.rlim_cur = soft;
    ok_ = setrlimit(RLIMIT_NOFILE, &lowered) == 0;
  }
  ~ScopedFdLimit() { setrlimit(RLIMIT_NOFILE, &saved_); }
  bool ok() const { return ok_; }

 private:
  rlimit saved_;
  bool ok_ = false;
};

TEST(SocketPairRealTest, EmfileAtEachFdCreatingStepIsReportedWithNoLeak) {
  RealSyscalls sys;
  const int first_free = LowestFreeFd();
  // The emulation opens at most three fds; they must be the three lowest free
  // ones.
  for (int fd = first_free; fd < first_free + 3; ++fd) {
    ASSERT_EQ(fcntl(fd, F_GETFD), -1) << "fd table has a hole below " << fd;
  }
  const int before = CountOpenFds();
  for (const FdStep& step : FdCreatingSteps()) {
    for (int family : {AF_INET, AF_INET6}) {
      SCOPED_TRACE(::testing::Message()
                   << "room " << step.room << " family " << family);
      absl::StatusOr<SocketPair> pair;
      {
        ScopedFdLimit limit(first_free + step.room);
        ASSERT_TRUE(limit.ok());
        PairOptions options;
        options.family = family;
        pair = MakeSocketPair(options, sys);
      }
      EXPECT_EQ(pair.status().code(), absl::StatusCode::kResourceExhausted)
          << pair.status();
      EXPECT_EQ(GetStepError(pair.status()), step.expected) << pair.status();
      EXPECT_EQ(CountOpenFds(), before);
    }
  }
  // socketpair(2) needs two fds.
  for (int room : {0, 1}) {
    absl::StatusOr<SocketPair> pair;
    {
      ScopedFdLimit limit(first_free + room);
      PairOptions options;
      options.family = AF_UNIX;
      pair = MakeSocketPair(options, sys);
    }
    EXPECT_EQ(GetStepError(pair.status()), (StepError{"socketpair", EMFILE}));
    EXPECT_EQ(CountOpenFds(), before);
  }
  // With room for three, it works.
  ScopedFdLimit limit(first_free + 3);
  absl::StatusOr<SocketPair> pair = MakeSocketPair(PairOptions(), sys);
  EXPECT_TRUE(pair.ok()) << pair.status();
}

// Right after our listen succeeds, connects real clients of its own to the
// listener, as another local process could (CVE-2024-3219), and waits until
// they are queued.
class ForeignClients : public ForwardingSyscalls {
 public:
  ForeignClients(Syscalls& inner, int count, bool send_garbage)
      : ForwardingSyscalls(inner), count_(count), send_garbage_(send_garbage) {}

  SysStatus Listen(int fd, int backlog) override {
    SysStatus result = ForwardingSyscalls::Listen(fd, backlog);
    if (!result.ok()) return result;
    listen_backlog = backlog;
    SysResult<SockAddr> address = inner().GetSockName(fd);
    if (!address.ok()) return result;
    listener_address = *address;
    for (int i = 0; i < count_; ++i) {
      SysResult<int> client =
          inner().Socket(address->family(), SOCK_STREAM | SOCK_NONBLOCK, 0);
      if (!client.ok()) break;
      clients.emplace_back(inner(), *client);
      (void)inner().Connect(*client, *address);
      pollfd writable = {*client, POLLOUT, 0};
      (void)inner().Poll(absl::MakeSpan(&writable, 1), 1000);
      if (send_garbage_) {
        const uint8_t garbage[16] = {0xde, 0xad, 0xbe, 0xef};
        (void)inner().Send(*client, garbage, MSG_NOSIGNAL);
      }
    }
    return result;
  }

  std::vector<UniqueFd> clients;
  SockAddr listener_address;
  int listen_backlog = -1;

 private:
  int count_;
  bool send_garbage_;
};

// Returns true when `fd` (a foreign client) sees its connection closed by the
// peer.
bool SeesConnectionClosed(Syscalls& sys, int fd) {
  pollfd readable = {fd, POLLIN, 0};
  if (!sys.Poll(absl::MakeSpan(&readable, 1), 2000).ok()) return false;
  uint8_t byte;
  SysResult<size_t> got = sys.Recv(fd, absl::MakeSpan(&byte, 1), MSG_DONTWAIT);
  return (got.ok() && *got == 0) || (!got.ok() && got.error() == ECONNRESET);
}

TEST(SocketPairRealTest, ForeignConnectionQueuedFirstIsRejectedAndClosed) {
  RealSyscalls real;
  for (PeerCheck check : {PeerCheck::kAddresses, PeerCheck::kToken,
                          PeerCheck::kAddressesAndToken}) {
    for (bool send_garbage : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "check " << static_cast<int>(check)
                                        << " garbage " << send_garbage);
      const int before = CountOpenFds();
      {
        ForeignClients foreign(real, 1, send_garbage);
        PairOptions options;
        options.peer_check = check;
        absl::StatusOr<SocketPair> pair = MakeSocketPair(options, foreign);
        ASSERT_TRUE(pair.ok()) << pair.status();
        ASSERT_EQ(foreign.clients.size(), 1u);
        const int ours = pair->fds[0].get();
        const int accepted = pair->fds[1].get();
        // The accepted end is connected to our connecting end, not to the
        // foreigner.
        EXPECT_EQ(*real.GetPeerName(accepted), *real.GetSockName(ours));
        EXPECT_NE(*real.GetPeerName(accepted),
                  *real.GetSockName(foreign.clients[0].get()));
        EXPECT_TRUE(SeesConnectionClosed(real, foreign.clients[0].get()));
      }
      EXPECT_EQ(CountOpenFds(), before);
    }
  }
}

TEST(SocketPairRealTest, FullListenQueueEndsInDeadlineExceededNearTheDeadline) {
  RealSyscalls real;
  const int before = CountOpenFds();
  const absl::Duration deadline = absl::Milliseconds(300);
  {
    // The accept queue holds backlog + 1; our own SYN is then dropped and only
    // retransmitted after a second, past the deadline.
    PairOptions options;
    options.timeout = deadline;
    ForeignClients flood(real, /*count=*/0, false);
    // Find the backlog the emulation uses, then fill exactly that queue.
    ASSERT_TRUE(MakeSocketPair(options, flood).ok());
    ASSERT_GT(flood.listen_backlog, 0);
    ForeignClients full(real, flood.listen_backlog + 1, false);
    const absl::Time start = absl::Now();
    absl::StatusOr<SocketPair> pair = MakeSocketPair(options, full);
    const absl::Duration took = absl::Now() - start;
    EXPECT_EQ(pair.status().code(), absl::StatusCode::kDeadlineExceeded)
        << pair.status();
    EXPECT_EQ(GetStepError(pair.status()), (StepError{"connect", ETIMEDOUT}))
        << pair.status();
    EXPECT_GE(took, deadline);
    EXPECT_LT(took, deadline + absl::Milliseconds(250));
    EXPECT_EQ(full.clients.size(),
              static_cast<size_t>(flood.listen_backlog + 1));
  }
  EXPECT_EQ(CountOpenFds(), before);
}

}  // namespace
}  // namespace sockfi::testing
