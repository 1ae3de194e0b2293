// The injector: each catalog side effect, on the simulated kernel and as Linux
// shows it on the real one; realism, fd limits, actors, traces; threads (real
// kernel).

#include "src/fault/fault_injector.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <set>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "src/explore/world.h"
#include "src/fault/real_host_actors.h"
#include "src/pair/socket_pair.h"
#include "src/sys/real_syscalls.h"
#include "src/sys/step_error.h"
#include "src/sys/unique_fd.h"
#include "tests/testing/process_fds.h"

namespace sockfi {
namespace {

FaultPlan Plan(absl::string_view text) {
  absl::StatusOr<FaultPlan> plan = ParsePlan(text);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : FaultPlan();
}

// A listener on 127.0.0.1 with one client connection already in its accept
// queue.
struct QueuedConnection {
  explicit QueuedConnection(Syscalls& sys, bool nonblocking_listener = true) {
    listener = UniqueFd(
        sys, *sys.Socket(AF_INET,
                         SOCK_STREAM | SOCK_CLOEXEC |
                             (nonblocking_listener ? SOCK_NONBLOCK : 0),
                         0));
    EXPECT_TRUE(sys.Bind(listener.get(), SockAddr::Loopback(AF_INET)).ok());
    EXPECT_TRUE(sys.Listen(listener.get(), 4).ok());
    address = *sys.GetSockName(listener.get());
    client =
        UniqueFd(sys, *sys.Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
    SysStatus connecting = sys.Connect(client.get(), address);
    EXPECT_TRUE(connecting.ok() || connecting.error() == EINPROGRESS);
    pollfd queued = {listener.get(), POLLIN, 0};
    EXPECT_EQ(*sys.Poll(absl::MakeSpan(&queued, 1), 2000), 1);
    client_address = *sys.GetSockName(client.get());
  }
  UniqueFd listener;
  UniqueFd client;
  SockAddr address;
  SockAddr client_address;
};

bool SeesEndOfConnection(Syscalls& sys, int fd) {
  pollfd readable = {fd, POLLIN, 0};
  if (*sys.Poll(absl::MakeSpan(&readable, 1), 2000) != 1) return false;
  uint8_t byte;
  SysResult<size_t> got = sys.Recv(fd, absl::MakeSpan(&byte, 1), MSG_DONTWAIT);
  return (got.ok() && *got == 0) || (!got.ok() && got.error() == ECONNRESET);
}

struct Backend {
  std::string name;
  BackendKind kind;
};

class FaultInjectorTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { world_ = (*MakeWorldFactory(GetParam().kind))(); }
  Syscalls& kernel() { return world_->kernel(); }
  HostActors& actors() { return world_->actors(); }

 private:
  std::unique_ptr<World> world_;
};

TEST_P(FaultInjectorTest, AReusedTraceKeepsItsStorageButNotItsEvents) {
  Trace storage(100);  // a previous run's 100 events
  const size_t capacity = storage.capacity();
  const TraceEvent* const buffer = storage.data();
  InjectorOptions options;
  options.reuse_trace = &storage;
  FaultInjector injector(kernel(), Plan("socket#1=EMFILE"), options);
  EXPECT_FALSE(injector.Socket(AF_INET, SOCK_STREAM, 0).ok());
  const Trace trace = injector.TakeTrace();
  ASSERT_EQ(trace.size(), 1u);  // this run's event only
  EXPECT_EQ(trace[0].call, CallKind::kSocket);
  EXPECT_EQ(trace[0].error_number, EMFILE);
  EXPECT_EQ(trace.capacity(), capacity);
  EXPECT_EQ(trace.data(), buffer);
}

TEST_P(FaultInjectorTest, ABorrowedPlanIsAppliedWhereItLives) {
  const FaultPlan plan = Plan("socket#2=EMFILE");
  FaultInjector injector(kernel(), &plan);
  EXPECT_EQ(&injector.plan(), &plan);
  SysResult<int> first = injector.Socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_TRUE(first.ok());
  UniqueFd closing(kernel(), *first);
  SysResult<int> second = injector.Socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error(), EMFILE);
}

TEST_P(FaultInjectorTest, AcceptEconnabortedConsumesTheQueuedConnection) {
  Syscalls& real = kernel();
  QueuedConnection queued(real);
  FaultInjector injector(real, Plan("accept#1=ECONNABORTED"));
  EXPECT_EQ(injector.Accept4(queued.listener.get(), 0).error(), ECONNABORTED);
  // Consumed: nothing left to accept, and the client sees its connection end.
  EXPECT_EQ(injector.Accept4(queued.listener.get(), 0).error(), EAGAIN);
  EXPECT_TRUE(SeesEndOfConnection(real, queued.client.get()));
  const Trace trace = injector.trace();
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace[0].fault.kind, FaultKind::kErrno);
  EXPECT_EQ(trace[0].fault.timing, Timing::kAfter);
  EXPECT_EQ(trace[0].address,
            queued.client_address);  // whose connection was taken
  EXPECT_EQ(trace[1].occurrence, 2u);
}

TEST_P(FaultInjectorTest, AcceptEmfileAndEagainLeaveTheConnectionQueued) {
  Syscalls& real = kernel();
  QueuedConnection queued(real);
  FaultInjector injector(real, Plan("accept#1=EMFILE; accept#2=EAGAIN"));
  EXPECT_EQ(injector.Accept4(queued.listener.get(), 0).error(), EMFILE);
  EXPECT_EQ(injector.Accept4(queued.listener.get(), 0).error(), EAGAIN);
  SysResult<AcceptedSocket> third = injector.Accept4(queued.listener.get(), 0);
  ASSERT_TRUE(third.ok());
  UniqueFd accepted(real, third->fd);
  EXPECT_EQ(third->peer, queued.client_address);
  EXPECT_EQ(injector.trace()[2].new_fds[0], third->fd);
}

TEST_P(FaultInjectorTest, CloseEintrReleasesTheFdAndBeforeKeepsIt) {
  Syscalls& real = kernel();
  FaultInjector injector(real, Plan("close#1=EINTR"));
  const int fd = *injector.Socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_EQ(injector.Close(fd).error(), EINTR);
  EXPECT_EQ(real.GetFdFlags(fd).error(), EBADF);  // released: never retry close

  FaultInjector adversarial(real, Plan("close#1=EINTR:before"),
                            InjectorOptions{.adversarial = true});
  const int kept = *adversarial.Socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_EQ(adversarial.Close(kept).error(), EINTR);
  EXPECT_TRUE(real.GetFdFlags(kept).ok());  // still open
  EXPECT_TRUE(adversarial.Close(kept).ok());
  EXPECT_EQ(real.GetFdFlags(kept).error(), EBADF);
}

TEST_P(FaultInjectorTest, ConnectEintrLeavesTheAttemptRunning) {
  Syscalls& real = kernel();
  QueuedConnection server(real);  // a listener with room for one more
  FaultInjector injector(real, Plan("connect#1=EINTR"));
  UniqueFd client(real, *injector.Socket(AF_INET, SOCK_STREAM, 0));  // blocking
  EXPECT_EQ(injector.Connect(client.get(), server.address).error(), EINTR);
  // POSIX: the connection completes asynchronously; a second connect is refused
  // as already connected (or already in progress), and SO_ERROR shows success.
  pollfd writable = {client.get(), POLLOUT, 0};
  EXPECT_EQ(*real.Poll(absl::MakeSpan(&writable, 1), 2000), 1);
  EXPECT_EQ(*real.GetSocketError(client.get()), 0);
  EXPECT_EQ(*real.GetPeerName(client.get()), server.address);
  const int second = injector.Connect(client.get(), server.address).error();
  EXPECT_TRUE(second == EISCONN || second == EALREADY) << second;
}

TEST_P(FaultInjectorTest, ShortSendMovesOnlyThatManyBytes) {
  Syscalls& real = kernel();
  SysResult<std::array<int, 2>> fds = real.SocketPair(AF_UNIX, SOCK_STREAM, 0);
  UniqueFd a(real, (*fds)[0]), b(real, (*fds)[1]);
  FaultInjector injector(real, Plan("send#1=short:1; recv#1=short:2"));
  const uint8_t data[5] = {1, 2, 3, 4, 5};
  EXPECT_EQ(*injector.Send(a.get(), data, 0), 1u);
  EXPECT_EQ(*injector.Send(a.get(), absl::MakeConstSpan(data).subspan(1), 0),
            4u);
  uint8_t got[5];
  EXPECT_EQ(*injector.Recv(b.get(), got, 0), 2u);
  EXPECT_EQ(*injector.Recv(b.get(), absl::MakeSpan(got).subspan(2), 0), 3u);
  EXPECT_EQ(got[4], 5);
}

TEST_P(FaultInjectorTest, EofReadsNothingAndCorruptInvertsWhatItReads) {
  Syscalls& real = kernel();
  SysResult<std::array<int, 2>> fds = real.SocketPair(AF_UNIX, SOCK_STREAM, 0);
  UniqueFd a(real, (*fds)[0]), b(real, (*fds)[1]);
  FaultInjector injector(real, Plan("recv#1=eof; recv#2=corrupt"),
                         InjectorOptions{.adversarial = true});
  const uint8_t data[3] = {0x01, 0x80, 0xff};
  ASSERT_EQ(*injector.Send(a.get(), data, 0), 3u);
  uint8_t got[3] = {7, 7, 7};
  // End of stream, though the bytes are there: none is taken.
  EXPECT_EQ(*injector.Recv(b.get(), absl::MakeSpan(got).subspan(0, 2), 0), 0u);
  EXPECT_EQ(got[0], 7);
  EXPECT_EQ(*injector.Recv(b.get(), absl::MakeSpan(got).subspan(0, 2), 0), 2u);
  EXPECT_EQ(got[0], 0xfe);
  EXPECT_EQ(got[1], 0x7f);
  EXPECT_EQ(got[2], 7);  // past what the recv read: untouched
  EXPECT_EQ(*injector.Recv(b.get(), absl::MakeSpan(got).subspan(2), 0), 1u);
  EXPECT_EQ(got[2], 0xff);
  const Trace trace = injector.trace();
  ASSERT_EQ(trace.size(), 4u);
  EXPECT_EQ(trace[1].fault.kind, FaultKind::kEndOfStream);
  EXPECT_EQ(trace[1].value, 0);
  EXPECT_EQ(trace[2].fault.kind, FaultKind::kCorrupt);
  const std::string printed = FormatTrace(trace);
  EXPECT_NE(printed.find(" eof "), std::string::npos) << printed;
  EXPECT_NE(printed.find(" corrupt "), std::string::npos) << printed;
  EXPECT_EQ(trace[3].fault.kind, FaultKind::kNone);

  // Realistic mode does not inject them: Linux never reads that here.
  FaultInjector realistic(real, Plan("recv#1=eof"));
  ASSERT_EQ(*injector.Send(a.get(), data, 0), 3u);
  EXPECT_EQ(*realistic.Recv(b.get(), got, 0), 3u);
  EXPECT_EQ(realistic.trace()[0].fault.kind, FaultKind::kSuppressed);
}

TEST_P(FaultInjectorTest, FdLimitRefusesFdsBeyondItUntilOneIsClosed) {
  Syscalls& real = kernel();
  FaultInjector injector(real, Plan("fdlimit=2"));
  UniqueFd a(injector, *injector.Socket(AF_INET, SOCK_STREAM, 0));
  UniqueFd b(injector, *injector.Socket(AF_INET, SOCK_STREAM, 0));
  EXPECT_EQ(injector.Socket(AF_INET, SOCK_STREAM, 0).error(), EMFILE);
  EXPECT_EQ(injector.SocketPair(AF_UNIX, SOCK_STREAM, 0).error(), EMFILE);
  ASSERT_TRUE(b.Close().ok());
  EXPECT_EQ(injector.SocketPair(AF_UNIX, SOCK_STREAM, 0).error(),
            EMFILE);  // needs 2
  SysResult<int> c = injector.Socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_TRUE(c.ok());
  UniqueFd owned(injector, *c);
  const Trace trace = injector.trace();
  EXPECT_EQ(trace[2].fault.kind, FaultKind::kFdLimit);
}

TEST_P(FaultInjectorTest, RealisticModeSuppressesWhatLinuxCannotDo) {
  Syscalls& real = kernel();
  QueuedConnection queued(real, /*nonblocking_listener=*/false);
  {
    // EAGAIN from a blocking accept cannot happen: the call goes through.
    FaultInjector injector(real, Plan("accept#1=EAGAIN"));
    SysResult<AcceptedSocket> accepted =
        injector.Accept4(queued.listener.get(), 0);
    ASSERT_TRUE(accepted.ok());
    UniqueFd owned(real, accepted->fd);
    const Trace trace = injector.trace();
    EXPECT_EQ(trace[0].fault.kind, FaultKind::kSuppressed);
    EXPECT_EQ(trace[0].note, "EAGAIN needs a call that cannot block");
  }
  {
    FaultInjector injector(real, Plan("accept#1=EAGAIN"),
                           InjectorOptions{.adversarial = true});
    EXPECT_EQ(injector.Accept4(queued.listener.get(), 0).error(), EAGAIN);
  }
  {
    FaultInjector injector(real, Plan("socket#1=EBADF"));
    SysResult<int> fd = injector.Socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_TRUE(fd.ok());
    UniqueFd owned(real, *fd);
    EXPECT_EQ(injector.trace()[0].note,
              "Linux does not return EBADF from socket");
  }
}

TEST_P(FaultInjectorTest, TraceRecordsAWholeRunOfTheEmulation) {
  Syscalls& real = kernel();
  FaultInjector injector(real, Plan("none"));
  absl::StatusOr<SocketPair> pair = MakeSocketPair(PairOptions(), injector);
  ASSERT_TRUE(pair.ok());
  const Trace trace = injector.trace();
  std::vector<CallKind> calls;
  for (const TraceEvent& event : trace) calls.push_back(event.call);
  ASSERT_GE(calls.size(), 8u);
  EXPECT_EQ(calls[0], CallKind::kGetRandom);
  EXPECT_EQ(calls[1], CallKind::kSocket);
  EXPECT_EQ(calls[2], CallKind::kBind);
  EXPECT_EQ(calls[3], CallKind::kListen);
  // Every fd the run created is either returned or was closed through the
  // injector.
  std::set<int> open;
  for (const TraceEvent& event : trace) {
    for (int fd : event.new_fds) {
      if (fd >= 0) open.insert(fd);
    }
    if (event.call == CallKind::kClose) open.erase(event.fd);
  }
  EXPECT_EQ(open, (std::set<int>{pair->fds[0].get(), pair->fds[1].get()}));
  const std::string table = FormatTrace(trace);
  EXPECT_NE(table.find("socket#1"), std::string::npos) << table;
  EXPECT_NE(table.find("AF_INET SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC"),
            std::string::npos)
      << table;
}

TEST_P(FaultInjectorTest, ForeignClientActsRightAfterListen) {
  Syscalls& real = kernel();
  FaultInjector injector(real, Plan("foreign@listen#1"),
                         InjectorOptions{.actors = &actors()});
  absl::StatusOr<SocketPair> pair = MakeSocketPair(PairOptions(), injector);
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(*real.GetPeerName(pair->fds[1].get()),
            *real.GetSockName(pair->fds[0].get()));
  const Trace trace = injector.trace();
  bool acted = false;
  int accepts = 0;
  for (const TraceEvent& event : trace) {
    acted |= event.call == CallKind::kListen &&
             event.ActorActed(ActorKind::kForeign);
    accepts += event.call == CallKind::kAccept && event.error_number == 0;
  }
  EXPECT_TRUE(acted);
  EXPECT_EQ(accepts, 2);  // the foreign connection, rejected, then ours
}

// A client that connects and closes at once stays queued; accepted, it reads
// end of stream, which gives it away as a stranger to the token check.
TEST_P(FaultInjectorTest, HangUpClientIsAcceptedAndReadsEndOfStream) {
  Syscalls& real = kernel();
  FaultInjector injector(real, Plan("hangup@listen#1"),
                         InjectorOptions{.actors = &actors()});
  PairOptions options;
  options.peer_check = PeerCheck::kToken;
  absl::StatusOr<SocketPair> pair = MakeSocketPair(options, injector);
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(*real.GetPeerName(pair->fds[1].get()),
            *real.GetSockName(pair->fds[0].get()));
  bool acted = false;
  int ends_of_stream = 0;
  for (const TraceEvent& event : injector.trace()) {
    acted |=
        event.call == CallKind::kListen && event.ActorActed(ActorKind::kHangUp);
    ends_of_stream += IsEndOfStream(event);
  }
  EXPECT_TRUE(acted);
  EXPECT_EQ(ends_of_stream, 1) << FormatTrace(injector.trace());
}

INSTANTIATE_TEST_SUITE_P(Backends, FaultInjectorTest,
                         ::testing::Values(Backend{"Sim", BackendKind::kSim},
                                           Backend{"Real", BackendKind::kReal}),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return info.param.name;
                         });

// The flood fills the queue before listen returns, so our SYN is dropped and
// only retransmitted after 1 s, past the deadline; meanwhile the flood's fresh
// connections are rejected one by one, and past 64 the emulation gives up
// early. Either way no pair comes out and nothing leaks. (The simulated
// kernel's flood keeps the queue full with connections accept never returns.)
TEST(FaultInjectorRealTest, FloodEndsTheCallWithoutAPair) {
  RealSyscalls real;
  const int before = testing::CountOpenFds();
  {
    RealHostActors actors(real);
    FaultInjector injector(real, Plan("flood@listen#1"),
                           InjectorOptions{.actors = &actors});
    PairOptions options;
    options.timeout = absl::Milliseconds(300);
    absl::StatusOr<SocketPair> pair = MakeSocketPair(options, injector);
    const std::optional<StepError> error = GetStepError(pair.status());
    ASSERT_TRUE(error.has_value()) << pair.status();
    EXPECT_TRUE(*error == (StepError{"connect", ETIMEDOUT}) ||
                *error == (StepError{"verify", ECONNABORTED}))
        << pair.status();
  }
  EXPECT_EQ(testing::CountOpenFds(), before);
}

TEST(FaultInjectorRealTest, TheSameFailureAThousandTimesInARowCutsTheRunOff) {
  RealSyscalls real;
  FaultInjector injector(real, Plan("none"));
  // Looking calls in between neither count nor interrupt the run of failures.
  for (int i = 0; i < 999; ++i) {
    EXPECT_EQ(injector.GetSockName(-1).error(), EBADF);
    EXPECT_TRUE(injector.Poll({}, 0).ok());
  }
  EXPECT_EQ(injector.GetSockName(-1).error(), EBADF);  // the 1,000th
  EXPECT_EQ(injector.GetSockName(-1).error(), kCutOffErrno);
  EXPECT_EQ(injector.Socket(AF_INET, SOCK_STREAM, 0).error(), kCutOffErrno);
  // close still reaches the kernel, so a cut-off routine can clean up.
  EXPECT_EQ(injector.Close(-1).error(), EBADF);
}

TEST(FaultInjectorRealTest, TakingTheTraceEndsARunOfFailures) {
  RealSyscalls real;
  FaultInjector injector(real, Plan("none"));
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(injector.GetSockName(-1).error(), EBADF);
  EXPECT_EQ(injector.TakeTrace().size(), 10u);
  // The run restarts with the new trace (and nothing reads the old one).
  for (int i = 0; i < 999; ++i)
    EXPECT_EQ(injector.GetSockName(-1).error(), EBADF);
  EXPECT_EQ(injector.GetSockName(-1).error(), EBADF);
  EXPECT_EQ(injector.GetSockName(-1).error(), kCutOffErrno);
}

TEST(FaultInjectorRealTest, ProgressEndsARunOfFailures) {
  RealSyscalls real;
  FaultInjector injector(real, Plan("none"));
  for (int i = 0; i < 1500; ++i) {
    EXPECT_EQ(injector.GetSockName(-1).error(), EBADF);
    if (i == 700) {
      SysResult<int> fd = injector.Socket(AF_INET, SOCK_STREAM, 0);
      ASSERT_TRUE(fd.ok());
      EXPECT_TRUE(injector.Close(*fd).ok());
    }
  }
}

TEST(FaultInjectorRealTest, ManyThreadsShareOneInjector) {
  RealSyscalls real;
  FaultInjector injector(real, Plan("none"));
  constexpr int kThreads = 4;
  constexpr int kPairs = 100;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPairs; ++i) {
        if (!MakeSocketPair(PairOptions(), injector).ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  const Trace trace = injector.trace();
  std::set<uint32_t> socket_occurrences;
  std::set<uint32_t> thread_ids;
  for (size_t i = 0; i < trace.size(); ++i) {
    EXPECT_EQ(trace[i].index, i);
    thread_ids.insert(trace[i].thread);
    if (trace[i].call == CallKind::kSocket) {
      EXPECT_TRUE(socket_occurrences.insert(trace[i].occurrence).second);
    }
  }
  EXPECT_EQ(socket_occurrences.size(), 2u * kThreads * kPairs);
  EXPECT_EQ(thread_ids.size(), static_cast<size_t>(kThreads));
}

}  // namespace
}  // namespace sockfi
