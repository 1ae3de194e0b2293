// ThreadRun: a thread's calls through a shared injector as a run of their own —
// its plan, its occurrence counts, its fdlimit, its actors, its trace.

#include "src/fault/thread_run.h"

#include <sys/socket.h>

#include <cerrno>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "src/fault/fault_injector.h"
#include "src/sys/real_syscalls.h"
#include "src/sys/unique_fd.h"

namespace sockfi {
namespace {

FaultPlan Plan(absl::string_view text) {
  absl::StatusOr<FaultPlan> plan = ParsePlan(text);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : FaultPlan();
}

SysResult<UniqueFd> OpenSocket(Syscalls& sys) {
  return Own(sys, sys.Socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
}

TEST(ThreadRunTest, FollowsItsOwnPlanAndCountsFromOne) {
  RealSyscalls real;
  FaultInjector injector(real, Plan("socket#1=EMFILE"));
  {
    ThreadRun run(injector, Plan("socket#2=ENFILE"));
    SysResult<UniqueFd> first = OpenSocket(injector);
    EXPECT_TRUE(first.ok());
    EXPECT_EQ(OpenSocket(injector).error(), ENFILE);
    ASSERT_TRUE(first->Close().ok());
    const Trace trace = run.TakeTrace();
    ASSERT_EQ(trace.size(), 3u);  // socket, socket, close of the first
    EXPECT_EQ(trace[0].index, 0u);
    EXPECT_EQ(trace[0].occurrence, 1u);
    EXPECT_EQ(trace[1].occurrence, 2u);
    EXPECT_EQ(trace[1].fault.kind, FaultKind::kErrno);
    EXPECT_EQ(trace[2].call, CallKind::kClose);
  }
  // The run is over: the injector's own plan, and its own count, again.
  EXPECT_TRUE(injector.trace().empty());
  EXPECT_EQ(OpenSocket(injector).error(), EMFILE);
  EXPECT_EQ(injector.trace().size(), 1u);
}

TEST(ThreadRunTest, InnermostRunWinsAndOtherInjectorsAreUntouched) {
  RealSyscalls real;
  FaultInjector first(real, Plan("none"));
  FaultInjector second(real, Plan("none"));
  ThreadRun outer(first, Plan("socket#*=EMFILE"));
  EXPECT_EQ(OpenSocket(first).error(), EMFILE);
  {
    ThreadRun inner(first, Plan("none"));
    EXPECT_TRUE(OpenSocket(first).ok());
    EXPECT_EQ(inner.trace().size(), 2u);
  }
  EXPECT_EQ(OpenSocket(first).error(), EMFILE);
  EXPECT_TRUE(OpenSocket(second).ok());
  EXPECT_EQ(outer.trace().size(), 2u);
  EXPECT_EQ(second.trace().size(), 2u);
}

TEST(ThreadRunTest, FdLimitCountsOnlyTheRunsOwnFds) {
  RealSyscalls real;
  FaultInjector injector(real, Plan("none"));
  // Fds the injector's own run holds do not count against a run's limit.
  SysResult<UniqueFd> held1 = OpenSocket(injector);
  SysResult<UniqueFd> held2 = OpenSocket(injector);
  ASSERT_TRUE(held1.ok() && held2.ok());
  ThreadRun run(injector, Plan("fdlimit=1"));
  {
    SysResult<UniqueFd> mine = OpenSocket(injector);
    ASSERT_TRUE(mine.ok());
    EXPECT_EQ(OpenSocket(injector).error(), EMFILE);
  }
  // Closed: room for one again.
  EXPECT_TRUE(OpenSocket(injector).ok());
  EXPECT_EQ(run.trace()[1].fault.kind, FaultKind::kFdLimit);
}

class RecordingActors final : public HostActors {
 public:
  absl::Status Act(ActorKind actor, const SockAddr& listener) override {
    acted.push_back(actor);
    targets.push_back(listener);
    return absl::OkStatus();
  }
  std::vector<ActorKind> acted;
  std::vector<SockAddr> targets;
};

TEST(ThreadRunTest, ItsActorsPerformItsActorRules) {
  RealSyscalls real;
  RecordingActors shared_actors;
  InjectorOptions options;
  options.actors = &shared_actors;
  FaultInjector injector(real, Plan("none"), options);
  RecordingActors own_actors;
  ThreadRun run(injector, Plan("impostor@listen#1"), &own_actors);
  SysResult<UniqueFd> listener = OpenSocket(injector);
  ASSERT_TRUE(listener.ok());
  ASSERT_TRUE(injector.Bind(listener->get(), SockAddr::Loopback(AF_INET)).ok());
  ASSERT_TRUE(injector.Listen(listener->get(), 1).ok());
  EXPECT_TRUE(shared_actors.acted.empty());
  ASSERT_EQ(own_actors.acted.size(), 1u);
  EXPECT_EQ(own_actors.acted[0], ActorKind::kImpostor);
  EXPECT_EQ(own_actors.targets[0], *real.GetSockName(listener->get()));
  EXPECT_TRUE(run.trace()[2].ActorActed(ActorKind::kImpostor));
}

TEST(ThreadRunTest, ThreadsSharingAnInjectorEachSeeOnlyTheirOwnFaults) {
  RealSyscalls real;
  FaultInjector injector(real, Plan("socket#*=EMFILE"));
  constexpr int kThreads = 6;
  constexpr int kSockets = 200;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  std::vector<Trace> traces(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Even threads fail every 3rd socket, odd ones none.
      ThreadRun run(injector, Plan(t % 2 == 0 ? "socket#3=EMFILE; "
                                                "socket#6=EMFILE; "
                                                "socket#9-=ENFILE"
                                              : "none"));
      for (int i = 0; i < kSockets; ++i) {
        if (!OpenSocket(injector).ok()) ++failures[t];
      }
      traces[t] = run.TakeTrace();
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    SCOPED_TRACE(t);
    EXPECT_EQ(failures[t], t % 2 == 0 ? kSockets - 6 : 0);
    uint32_t sockets = 0;
    for (size_t i = 0; i < traces[t].size(); ++i) {
      const TraceEvent& event = traces[t][i];
      EXPECT_EQ(event.index, i);
      EXPECT_EQ(event.thread, 0u);
      if (event.call != CallKind::kSocket) continue;
      EXPECT_EQ(event.occurrence, ++sockets);
      EXPECT_EQ(event.error_number != 0,
                t % 2 == 0 && (sockets == 3 || sockets == 6 || sockets >= 9));
    }
    EXPECT_EQ(sockets, static_cast<uint32_t>(kSockets));
  }
  EXPECT_TRUE(injector.trace().empty());
}

}  // namespace
}  // namespace sockfi
