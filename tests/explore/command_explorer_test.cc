// The command explorer: its judgement of finished runs (from synthetic runs),
// its translation of the interposer's trace, and the whole loop on libevent's
// evutil_ersatz_socketpair_ (tests/interop/ersatz_pair) under the real
// libsockfi_preload.so.

#include "src/explore/command_explorer.h"

#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/explore/report.h"

namespace sockfi {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kLibrary[] = "src/preload/libsockfi_preload.so";
constexpr char kHarness[] = "tests/interop/ersatz_pair";

ChildExit Exited(int code) {
  ChildExit exit;
  exit.exited = true;
  exit.exit_code = code;
  return exit;
}

PreloadCall Injected(std::string call, CallKind kind, std::string fault,
                     int error_number) {
  PreloadCall c;
  c.call = call;
  c.function = call;
  c.kind = kind;
  c.occurrence = 1;
  c.fault = fault;
  c.fault_errno = error_number;
  c.rule = absl::StrCat(call, "#1=", fault);
  c.rule_status = PreloadRuleStatus::kInjected;
  c.result = -1;
  c.error = error_number;
  return c;
}

std::vector<ViolationKind> KindsOf(const std::vector<Violation>& violations) {
  std::vector<ViolationKind> kinds;
  for (const Violation& v : violations) kinds.push_back(v.kind);
  return kinds;
}

TEST(JudgeCommandRunTest, AFatalFaultAndExitZeroIsASwallowedError) {
  PreloadTrace trace;
  trace.calls.push_back(
      Injected("accept", CallKind::kAccept, "EMFILE", EMFILE));
  const std::vector<Violation> violations =
      JudgeCommandRun(Exited(0), trace, absl::Seconds(1));
  EXPECT_EQ(KindsOf(violations),
            std::vector<ViolationKind>{ViolationKind::kSwallowedError});
  EXPECT_THAT(violations[0].message, HasSubstr("accept#1=EMFILE"));
  // Reported, the same fault is handled.
  EXPECT_THAT(JudgeCommandRun(Exited(1), trace, absl::Seconds(1)), IsEmpty());
}

TEST(JudgeCommandRunTest, GivingUpOnARetryableFaultIsAnUnexpectedError) {
  PreloadTrace trace;
  trace.calls.push_back(Injected("accept", CallKind::kAccept, "EINTR", EINTR));
  const std::vector<Violation> violations =
      JudgeCommandRun(Exited(1), trace, absl::Seconds(1));
  EXPECT_EQ(KindsOf(violations),
            std::vector<ViolationKind>{ViolationKind::kUnexpectedError});
  EXPECT_THAT(violations[0].message, HasSubstr("after accept#1=EINTR"));
  EXPECT_THAT(JudgeCommandRun(Exited(0), trace, absl::Seconds(1)), IsEmpty());
  // Another process connecting explains a failure.
  trace.calls[0].actors = {"foreign"};
  EXPECT_THAT(JudgeCommandRun(Exited(1), trace, absl::Seconds(1)), IsEmpty());
}

TEST(JudgeCommandRunTest, ATimeoutIsAHangAndASignalACrash) {
  PreloadTrace trace;
  PreloadCall listen;
  listen.call = listen.function = "listen";
  listen.kind = CallKind::kListen;
  listen.occurrence = 1;
  listen.actors = {"flood"};
  trace.calls.push_back(listen);
  ChildExit timed_out;
  timed_out.timed_out = true;
  timed_out.signal = SIGKILL;
  std::vector<Violation> violations =
      JudgeCommandRun(timed_out, trace, absl::Seconds(2));
  ASSERT_EQ(KindsOf(violations),
            std::vector<ViolationKind>{ViolationKind::kHang});
  EXPECT_THAT(violations[0].message, HasSubstr("within 2s"));
  EXPECT_THAT(violations[0].message, HasSubstr("flood@listen#1"));

  ChildExit crashed;
  crashed.signal = SIGSEGV;
  violations = JudgeCommandRun(crashed, trace, absl::Seconds(2));
  ASSERT_EQ(KindsOf(violations),
            std::vector<ViolationKind>{ViolationKind::kCrash});
  EXPECT_THAT(violations[0].message, HasSubstr("SIGSEGV"));
}

TEST(JudgeCommandRunTest, EveryLeakedSocketIsALeakWithItsProvenance) {
  PreloadTrace trace;
  PreloadLeak leak;
  leak.fd = 7;
  leak.call = "accept";
  leak.function = "accept4";
  leak.occurrence = 2;
  leak.domain = "AF_INET";
  leak.socket_type = "SOCK_STREAM";
  leak.last_fault = "connect#1=EINTR";
  trace.leaks = {leak, leak};
  trace.leaks[1].fd = 8;
  const std::vector<Violation> violations =
      JudgeCommandRun(Exited(0), trace, absl::Seconds(1));
  ASSERT_EQ(
      KindsOf(violations),
      (std::vector<ViolationKind>{ViolationKind::kLeak, ViolationKind::kLeak}));
  EXPECT_THAT(violations[0].message,
              HasSubstr("fd 7 (AF_INET SOCK_STREAM), made by accept#2 "
                        "(accept4), is still open at exit, after fault "
                        "connect#1=EINTR"));
}

TEST(ToTraceTest, KnowsWhichCallsCouldNotBlockAndWhichRuleFired) {
  PreloadTrace preload;
  PreloadCall socket;
  socket.call = socket.function = "socket";
  socket.kind = CallKind::kSocket;
  socket.occurrence = 1;
  socket.new_fds = {3};
  socket.socket_type = "SOCK_STREAM|SOCK_NONBLOCK";
  socket.result = 3;
  PreloadCall accept = Injected("accept", CallKind::kAccept, "EAGAIN", EAGAIN);
  accept.fd = 3;
  PreloadCall blocking_recv;
  blocking_recv.call = "recv";
  blocking_recv.function = "read";
  blocking_recv.kind = CallKind::kRecv;
  blocking_recv.occurrence = 1;
  blocking_recv.fd = 9;
  PreloadCall setsockopt;
  setsockopt.call = setsockopt.function = "setsockopt";
  preload.calls = {socket, accept, blocking_recv, setsockopt};
  for (size_t i = 0; i < preload.calls.size(); ++i) preload.calls[i].seq = i;

  absl::StatusOr<FaultPlan> plan =
      ParsePlan("connect#1=EINTR; accept#1=EAGAIN");
  ASSERT_TRUE(plan.ok()) << plan.status();
  const Trace trace = ToTrace(preload, *plan);
  ASSERT_EQ(trace.size(), 3u);  // setsockopt is no call a plan can name
  EXPECT_EQ(trace[0].new_fds[0], 3);
  EXPECT_TRUE(trace[1].nonblocking);  // on the SOCK_NONBLOCK socket
  EXPECT_EQ(trace[1].fault.kind, FaultKind::kErrno);
  EXPECT_EQ(trace[1].fault.rule, 1);
  EXPECT_EQ(trace[1].error_number, EAGAIN);
  EXPECT_FALSE(trace[2].nonblocking);
  EXPECT_EQ(trace[2].index, 2u);
}

CommandSpec HarnessSpec(const std::string& arguments = "") {
  CommandSpec spec;
  spec.command = absl::StrCat(kHarness, arguments);
  spec.preload_library = kLibrary;
  spec.timeout = absl::Seconds(5);
  return spec;
}

TEST(CommandExplorerTest, FaultsFireWhereThePlanSays) {
  absl::StatusOr<FaultPlan> plan = ParsePlan("accept#1=ECONNABORTED");
  ASSERT_TRUE(plan.ok());
  absl::StatusOr<CommandRun> run = RunCommandUnderPlan(HarnessSpec(), *plan);
  ASSERT_TRUE(run.ok()) << run.status();
  int accepts = 0;
  for (const PreloadCall& call : run->preload_trace.calls) {
    if (call.call != "accept") continue;
    ++accepts;
    if (call.occurrence == 1) {
      EXPECT_TRUE(call.injected());
      EXPECT_EQ(call.error, ECONNABORTED);
    } else {
      EXPECT_FALSE(call.injected());
    }
  }
  EXPECT_GE(accepts, 1);
  // The trace is complete: occurrences of each call count up from 1.
  std::map<std::string, uint32_t> last;
  for (const PreloadCall& call : run->preload_trace.calls) {
    EXPECT_EQ(call.occurrence, ++last[call.call]) << call.call;
  }
  ASSERT_EQ(run->preload_trace.ends.size(), 1u);
  EXPECT_EQ(run->preload_trace.ends[0].calls, run->preload_trace.calls.size());
}

TEST(CommandExplorerTest, TheLeakReportNamesExactlyTheLeakedSocket) {
  absl::StatusOr<CommandRun> clean = RunCommandUnderPlan(HarnessSpec(), {});
  ASSERT_TRUE(clean.ok()) << clean.status();
  EXPECT_TRUE(clean->exit.exited);
  EXPECT_EQ(clean->exit.exit_code, 0) << clean->exit.output;
  EXPECT_THAT(clean->violations, IsEmpty());

  absl::StatusOr<CommandRun> leaky =
      RunCommandUnderPlan(HarnessSpec(" --leak"), {});
  ASSERT_TRUE(leaky.ok()) << leaky.status();
  ASSERT_EQ(leaky->preload_trace.leaks.size(), 1u) << leaky->exit.output;
  const PreloadLeak& leak = leaky->preload_trace.leaks[0];
  // The harness says which fd it kept.
  EXPECT_THAT(leaky->exit.output,
              HasSubstr(absl::StrCat("leaked fd ", leak.fd)));
  EXPECT_EQ(leak.call, "accept");
  EXPECT_EQ(leak.occurrence, 1u);
  EXPECT_EQ(KindsOf(leaky->violations),
            std::vector<ViolationKind>{ViolationKind::kLeak});
}

TEST(CommandExplorerTest, ExploresLibeventsErsatzSocketpair) {
  ExploreOptions options;
  options.depth = 1;
  absl::StatusOr<ExploreReport> report = ExploreCommand(HarnessSpec(), options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_GT(report->baseline_calls, 5u);
  EXPECT_GT(report->schedules, 20u);
  EXPECT_EQ(report->command, HarnessSpec().command);
  // Every socket#1 fault the catalog lists was tried and propagated.
  const auto socket_emfile = report->tallies.find({"socket", "EMFILE"});
  ASSERT_NE(socket_emfile, report->tallies.end());
  EXPECT_GT(socket_emfile->second.handled, 0u);
  // Findings replay with sockfi inject.
  for (const Finding& finding : report->findings) {
    EXPECT_THAT(ReplayCommand(*report, finding),
                HasSubstr("sockfi inject --plan="));
  }
  // A program that fails without faults cannot be explored.
  CommandSpec failing = HarnessSpec(" --no-such-option");
  absl::StatusOr<ExploreReport> refused = ExploreCommand(failing, options);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("succeed without faults"));
}

}  // namespace
}  // namespace sockfi
