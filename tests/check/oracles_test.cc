// Each oracle fires on a routine with the bug it exists for, and stays quiet on
// the hardened emulation — on the simulated kernel and on the real one.

#include <sys/socket.h>

#include <cerrno>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/explore/run.h"
#include "src/explore/world.h"
#include "src/sys/step_error.h"
#include "tests/check/broken_routines.h"

namespace sockfi::testing {
namespace {

using ::testing::HasSubstr;

struct Backend {
  std::string name;
  WorldFactory make_world;
};

class OraclesTest : public ::testing::TestWithParam<Backend> {
 protected:
  RunResult RunPlan(const Subject& subject, absl::string_view plan_text,
                    PairOptions options = PairOptions()) {
    absl::StatusOr<FaultPlan> plan = ParsePlan(plan_text);
    EXPECT_TRUE(plan.ok()) << plan.status();
    RunSpec spec;
    spec.subject = &subject;
    spec.plan = *plan;
    spec.options = options;
    return RunOnce(spec, GetParam().make_world);
  }
};

std::string MessageOf(const Verdict& verdict, ViolationKind kind) {
  for (const Violation& v : verdict.violations) {
    if (v.kind == kind) return v.message;
  }
  return "";
}

TEST_P(OraclesTest, LeakIsReportedWithProvenance) {
  const Subject subject = BrokenSubject(Bug::kLeaksListener);
  RunResult run = RunPlan(subject, "accept#1=EMFILE");
  ASSERT_TRUE(run.verdict.Has(ViolationKind::kLeak)) << run.verdict.Format();
  EXPECT_THAT(
      MessageOf(run.verdict, ViolationKind::kLeak),
      ::testing::MatchesRegex("fd [0-9]+ from socket#1 \\(event 0\\) was never "
                              "closed, after accept#1=EMFILE; the routine "
                              "returned an error"));
  // The error itself was propagated correctly.
  EXPECT_FALSE(run.verdict.Has(ViolationKind::kWrongErrno));
}

TEST_P(OraclesTest, DoubleCloseIsReported) {
  const Subject subject = BrokenSubject(Bug::kDoubleClose);
  RunResult run = RunPlan(subject, "none");
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kDoubleClose))
      << run.verdict.Format();
  EXPECT_THAT(MessageOf(run.verdict, ViolationKind::kDoubleClose),
              HasSubstr("again; close#1"));
}

TEST_P(OraclesTest, ForeignCloseAndUseAfterCloseAreReported) {
  Subject subject;
  subject.make_pair = [](const PairOptions&,
                         Syscalls& sys) -> absl::StatusOr<SocketPair> {
    const int fd = *sys.Socket(AF_INET, SOCK_STREAM, 0);
    (void)sys.Close(fd);
    (void)sys.GetSockName(fd);  // use after close
    (void)sys.Close(1000);      // never owned
    return StepErrorStatus("socket", EMFILE);
  };
  RunResult run = RunPlan(subject, "none");
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kUseAfterClose))
      << run.verdict.Format();
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kForeignClose));
  EXPECT_THAT(MessageOf(run.verdict, ViolationKind::kForeignClose),
              HasSubstr("closed fd 1000, which the routine never opened"));
  // And an error with no fault behind it.
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kUnexpectedError));
}

TEST_P(OraclesTest, SwallowedErrorIsReported) {
  const Subject subject = BrokenSubject(Bug::kSwallowsAcceptError);
  RunResult run = RunPlan(subject, "accept#1=EMFILE");
  EXPECT_TRUE(run.record.status.ok());
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kSwallowedError))
      << run.verdict.Format();
  EXPECT_FALSE(run.verdict.Has(ViolationKind::kInvalidPair));  // reported once
}

TEST_P(OraclesTest, WrongErrnoAndWrongStepAreReported) {
  const Subject close_errno = BrokenSubject(Bug::kReportsCloseErrno);
  RunResult run = RunPlan(close_errno, "accept#1=EMFILE");
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kWrongErrno))
      << run.verdict.Format();
  EXPECT_THAT(
      MessageOf(run.verdict, ViolationKind::kWrongErrno),
      HasSubstr("reported EIO at \"close\"; accept#1=EMFILE should surface as "
                "EMFILE at \"accept\""));

  const Subject wrong_step = BrokenSubject(Bug::kWrongStep);
  run = RunPlan(wrong_step, "accept#1=EMFILE");
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kWrongStep))
      << run.verdict.Format();
  EXPECT_FALSE(run.verdict.Has(ViolationKind::kWrongErrno));
}

TEST_P(OraclesTest, GivingUpOnARetryableFaultIsAnUnexpectedError) {
  const Subject subject = BrokenSubject(Bug::kGivesUpOnEintr);
  // The routine's first poll waits (timeout > 0), so EINTR is realistic there.
  RunResult run = RunPlan(subject, "accept#1=EAGAIN; poll#1=EINTR");
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kUnexpectedError))
      << run.verdict.Format();
  EXPECT_THAT(MessageOf(run.verdict, ViolationKind::kUnexpectedError),
              HasSubstr("reported EINTR at \"poll\" but only retryable"));
}

TEST_P(OraclesTest, ForeignPairIsReported) {
  const Subject subject = BrokenSubject(Bug::kNoPeerCheck);
  RunResult run = RunPlan(subject, "foreign@listen#1");
  ASSERT_TRUE(run.record.status.ok()) << run.record.status;
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kForeignPair))
      << run.verdict.Format();
}

TEST_P(OraclesTest, BusySpinIsReported) {
  const Subject subject = BrokenSubject(Bug::kSpinsOnEmfile);
  RunResult run = RunPlan(subject, "accept#*=EMFILE");
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kBusySpin))
      << run.verdict.Format();
  EXPECT_THAT(MessageOf(run.verdict, ViolationKind::kBusySpin),
              HasSubstr("accept on fd"));
}

TEST_P(OraclesTest, LostFlagsAreReported) {
  const Subject subject = BrokenSubject(Bug::kLosesCloexec);
  PairOptions options;
  options.type = SOCK_STREAM | SOCK_CLOEXEC;
  RunResult run = RunPlan(subject, "none", options);
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kFlagsLost))
      << run.verdict.Format();
  EXPECT_THAT(
      MessageOf(run.verdict, ViolationKind::kFlagsLost),
      HasSubstr("has O_NONBLOCK off (asked: off) and FD_CLOEXEC off (asked: "
                "on)"));
}

TEST_P(OraclesTest, CorrectRoutinesAreQuiet) {
  const std::vector<std::string> plans = {
      "none",
      "accept#1=ECONNABORTED",
      "accept#1=EMFILE",
      "accept#1=EAGAIN; accept#2=EAGAIN",
      "close#*=EINTR",
      "close#*=EIO",
      "socket#1=EMFILE",
      "socket#2=ENFILE",
      "bind#1=EADDRINUSE",
      "listen#1=EADDRINUSE",
      "getsockname#1=ENOBUFS",
      "getpeername#1=ENOTCONN",
      "connect#1=ECONNREFUSED",
      "connect#1=EADDRNOTAVAIL",
      "foreign@listen#1",
      "impostor@listen#1",
      "fdlimit=0",
      "fdlimit=1",
      "fdlimit=2",
      "getrandom#1=ENOSYS",
  };
  const Subject* hardened = FindSubject("hardened");
  ASSERT_NE(hardened, nullptr);
  for (const std::string& plan : plans) {
    for (int family : {AF_INET, AF_INET6}) {
      PairOptions options;
      options.family = family;
      RunResult run = RunPlan(*hardened, plan, options);
      EXPECT_TRUE(run.verdict.ok())
          << plan << " family " << family << ":\n"
          << run.verdict.Format() << FormatTrace(run.record.trace);
    }
    // The simple routine makes no getrandom or getpeername call, and after
    // accept ECONNABORTED has consumed its only connection it waits for another
    // until its deadline: only the hardened emulation reconnects.
    if (plan.find("getrandom") == std::string::npos &&
        plan.find("getpeername") == std::string::npos &&
        plan.find("ECONNABORTED") == std::string::npos) {
      const Subject simple = BrokenSubject(Bug::kNone);
      RunResult run = RunPlan(simple, plan);
      EXPECT_TRUE(run.verdict.ok()) << "simple routine, " << plan << ":\n"
                                    << run.verdict.Format();
    }
  }
}

// What the hardened emulation reads is checked: an echoed token cut short by
// end of stream or altered ends the call at that step, with nothing leaked,
// and the propagation oracle takes the stream fault as the cause.
TEST_P(OraclesTest, HardenedRejectsAnEchoCutShortOrAltered) {
  const struct {
    const char* plan;
    const char* step;
    const char* detail;
  } cases[] = {
      {"recv#2=eof", "recv", "end of stream while reading the echoed token"},
      {"recv#2=corrupt", "verify", "the token came back altered"},
      // Every token altered: it takes its own connection for a stranger's.
      {"recv#*=corrupt", "connect", "our connection was lost 4 times"},
  };
  for (const auto& c : cases) {
    RunSpec spec;
    spec.subject = FindSubject("hardened");
    spec.adversarial = true;
    spec.options.peer_check = PeerCheck::kToken;
    spec.plan = *ParsePlan(c.plan);
    RunResult run = RunOnce(spec, GetParam().make_world);
    EXPECT_TRUE(run.verdict.ok())
        << c.plan << ":\n"
        << run.verdict.Format() << FormatTrace(run.record.trace);
    const std::optional<StepError> error = GetStepError(run.record.status);
    ASSERT_TRUE(error.has_value()) << c.plan << ": " << run.record.status;
    EXPECT_EQ(error->step, c.step) << c.plan;
    EXPECT_THAT(run.record.status.message(), HasSubstr(c.detail)) << c.plan;
  }
}

TEST_P(OraclesTest, TwoFaultsTogetherExposeALeakNeitherShowsAlone) {
  const Subject subject = BrokenSubject(Bug::kLeaksAfterEintr);
  EXPECT_TRUE(RunPlan(subject, "poll#1=EINTR").verdict.ok());
  EXPECT_TRUE(RunPlan(subject, "accept#1=EMFILE").verdict.ok());
  EXPECT_TRUE(RunPlan(subject, "poll#1=EINTR; accept#1=EMFILE")
                  .verdict.Has(ViolationKind::kLeak));
}

INSTANTIATE_TEST_SUITE_P(
    Backends, OraclesTest,
    ::testing::Values(Backend{"Sim", *MakeWorldFactory(BackendKind::kSim)},
                      Backend{"Real", *MakeWorldFactory(BackendKind::kReal)}),
    [](const ::testing::TestParamInfo<Backend>& info) {
      return info.param.name;
    });

// Only the simulated kernel can tell that a blocking call would never return.
TEST(OraclesSimTest, HangIsReportedWithTheKernelState) {
  const Subject subject = BrokenSubject(Bug::kBlockingAccept);
  RunSpec spec;
  spec.subject = &subject;
  spec.plan = *ParsePlan("flood@listen#1");
  RunResult run = RunOnce(spec, *MakeWorldFactory(BackendKind::kSim));
  ASSERT_TRUE(run.verdict.Has(ViolationKind::kHang)) << run.verdict.Format();
  EXPECT_THAT(MessageOf(run.verdict, ViolationKind::kHang),
              HasSubstr("accept#1 on fd 3 would block forever"));
  EXPECT_FALSE(run.record.hang_dump.empty());
  // The hardened emulation meets the same flood with its deadline.
  spec.subject = FindSubject("hardened");
  run = RunOnce(spec, *MakeWorldFactory(BackendKind::kSim));
  EXPECT_TRUE(run.verdict.ok()) << run.verdict.Format();
  EXPECT_EQ(run.record.status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(run.record.elapsed, PairOptions().timeout);
}

// Giving up after many fruitless wake-ups is fair, but only on a failure the
// routine retried: here fifteen send EINTRs are followed by the first of a
// run of poll EINTRs. The fuzzer found the hardened emulation reporting that
// first poll EINTR at once (a retryable error given up on at first sight).
TEST(OraclesSimTest, HardenedGivesUpOnlyOnAFailureItRetried) {
  RunSpec spec;
  spec.subject = FindSubject("hardened");
  spec.adversarial = true;
  spec.options.family = AF_INET6;
  spec.options.peer_check = PeerCheck::kToken;
  spec.plan = *ParsePlan("send#2-=EINTR; poll#16-=EINTR");
  RunResult run = RunOnce(spec, *MakeWorldFactory(BackendKind::kSim));
  EXPECT_TRUE(run.verdict.ok())
      << run.verdict.Format() << FormatTrace(run.record.trace);
  EXPECT_THAT(run.record.status.message(),
              HasSubstr("times in a row without progress"));
  // It gave up on poll's EINTR only after meeting it a second time.
  uint32_t polls = 0;
  for (const TraceEvent& event : run.record.trace) {
    if (event.call == CallKind::kPoll) polls = event.occurrence;
  }
  EXPECT_EQ(polls, 17u);
}

TEST(OraclesSimTest, DeadlineMissedIsReported) {
  // A routine that says it honours its deadline but waits 3 s past it.
  Subject subject;
  subject.honours_deadline = true;
  subject.make_pair = [](const PairOptions& options,
                         Syscalls& sys) -> absl::StatusOr<SocketPair> {
    pollfd nothing = {-1, 0, 0};
    (void)sys.Poll(
        absl::MakeSpan(&nothing, 1),
        static_cast<int>(absl::ToInt64Milliseconds(options.timeout)) + 3000);
    return StepErrorStatus("accept", ETIMEDOUT);
  };
  RunSpec spec;
  spec.subject = &subject;
  RunResult run = RunOnce(spec, *MakeWorldFactory(BackendKind::kSim));
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kDeadlineMissed))
      << run.verdict.Format();
  EXPECT_THAT(MessageOf(run.verdict, ViolationKind::kDeadlineMissed),
              HasSubstr("returned after 8s; its deadline was 5s"));
}

}  // namespace
}  // namespace sockfi::testing
