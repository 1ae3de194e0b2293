// The models of other projects' socketpair emulations (src/subjects/models.h):
// each makes a working pair when nothing goes wrong, on the simulated kernel
// and on this machine's, and each shows the flaw it is known for under the
// plan that exposes it, caught by the oracle that exists for it.

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/explore/run.h"
#include "src/explore/world.h"
#include "src/fault/fault_plan.h"
#include "src/fault/trace.h"
#include "src/subjects/subject.h"
#include "src/sys/errno_name.h"
#include "src/sys/step_error.h"

namespace sockfi {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kModels = {"cpython", "curl", "libevent", "tor"};

const Subject& Model(absl::string_view name) {
  const Subject* subject = FindSubject(name);
  EXPECT_NE(subject, nullptr) << name;
  return *subject;
}

RunResult RunModel(absl::string_view subject, absl::string_view plan_text,
                   BackendKind backend = BackendKind::kSim,
                   PairOptions options = PairOptions()) {
  absl::StatusOr<FaultPlan> plan = ParsePlan(plan_text);
  EXPECT_TRUE(plan.ok()) << plan.status();
  RunSpec spec;
  spec.subject = &Model(subject);
  spec.plan = *plan;
  spec.options = options;
  return RunOnce(spec, *MakeWorldFactory(backend));
}

std::string Describe(const RunResult& run) {
  return absl::StrCat(run.record.status.ToString(), "\n", run.verdict.Format());
}

// The step and errno the run's error carries, as "accept EINTR".
std::string StepOf(const RunResult& run) {
  std::optional<StepError> error = GetStepError(run.record.status);
  if (!error.has_value()) return "none";
  return absl::StrCat(error->step, " ", error->error_number);
}

std::string StepText(absl::string_view step, int error_number) {
  return absl::StrCat(step, " ", error_number);
}

TEST(ModelsTest, AreRegisteredAfterKafkaPythonWithTheirReference) {
  std::vector<std::string> names;
  for (const Subject& subject : AllSubjects()) names.push_back(subject.name);
  auto at = [&](absl::string_view name) {
    return std::find(names.begin(), names.end(), name) - names.begin();
  };
  EXPECT_LT(at("kafka_python"), at("cpython"));
  EXPECT_LT(at("cpython"), at("curl"));
  EXPECT_LT(at("curl"), at("libevent"));
  EXPECT_LT(at("libevent"), at("tor"));
  for (const std::string& name : kModels) {
    const Subject& subject = Model(name);
    EXPECT_FALSE(subject.description.empty()) << name;
    EXPECT_FALSE(subject.reference.empty()) << name;
    // None is bounded by PairOptions::timeout, none checks every option.
    EXPECT_FALSE(subject.honours_deadline) << name;
    EXPECT_FALSE(subject.checks_arguments) << name;
    EXPECT_EQ(subject.planted_violation, "") << name;
  }
}

class FaultFreeTest
    : public ::testing::TestWithParam<std::tuple<std::string, BackendKind>> {};

TEST_P(FaultFreeTest, MakesAWorkingPair) {
  const auto& [name, backend] = GetParam();
  RunResult run = RunModel(name, "none", backend);
  EXPECT_TRUE(run.record.status.ok()) << Describe(run);
  EXPECT_TRUE(run.verdict.ok()) << Describe(run);
  EXPECT_GE(run.record.fds[0], 0);
  EXPECT_GE(run.record.fds[1], 0);
  EXPECT_NE(run.record.fds[0], run.record.fds[1]);
}

INSTANTIATE_TEST_SUITE_P(
    Models, FaultFreeTest,
    ::testing::Combine(::testing::ValuesIn(kModels),
                       ::testing::Values(BackendKind::kSim,
                                         BackendKind::kReal)),
    [](const auto& info) {
      return absl::StrCat(std::get<0>(info.param), "_",
                          BackendName(std::get<1>(info.param)));
    });

// --- cpython ---------------------------------------------------------------

TEST(CPythonModelTest, RetriesAcceptOnEintrWhereKafkaPythonGivesUp) {
  RunResult run = RunModel("cpython", "accept#1=EINTR");
  EXPECT_TRUE(run.record.status.ok()) << Describe(run);
  EXPECT_TRUE(run.verdict.ok()) << Describe(run);
  EXPECT_TRUE(RunModel("kafka_python", "accept#1=EINTR")
                  .verdict.Has(ViolationKind::kUnexpectedError));
}

TEST(CPythonModelTest, RefusesAForeignPeerInsteadOfReturningIt) {
  for (const char* plan : {"foreign@listen#1", "impostor@listen#1"}) {
    RunResult run = RunModel("cpython", plan);
    // A hijack becomes a denial of service: an error, never a foreign pair.
    EXPECT_FALSE(run.record.status.ok()) << plan << ": " << Describe(run);
    EXPECT_FALSE(run.verdict.Has(ViolationKind::kForeignPair)) << plan;
    EXPECT_TRUE(run.verdict.ok()) << plan << ": " << Describe(run);
    EXPECT_TRUE(
        RunModel("kafka_python", plan).verdict.Has(ViolationKind::kForeignPair))
        << plan;
  }
}

TEST(CPythonModelTest, HangsInItsBlockingAcceptWhenTheQueueIsFull) {
  RunResult run = RunModel("cpython", "flood@listen#1");
  ASSERT_TRUE(run.verdict.Has(ViolationKind::kHang)) << Describe(run);
  EXPECT_THAT(run.verdict.Format(), HasSubstr("accept#1"));
}

TEST(CPythonModelTest, ACloseErrorInTheFinallyReplacesTheOutcome) {
  // The pair was made; lsock.close() raising throws it away.
  RunResult run = RunModel("cpython", "close#1=EINTR");
  EXPECT_EQ(StepOf(run), StepText("close", EINTR)) << Describe(run);
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kUnexpectedError))
      << Describe(run);
  // ... and hides a real error behind it.
  run = RunModel("cpython", "accept#1=EMFILE; close#2=EIO");
  EXPECT_EQ(StepOf(run), StepText("close", EIO)) << Describe(run);
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kWrongErrno)) << Describe(run);
  EXPECT_FALSE(run.verdict.Has(ViolationKind::kLeak)) << Describe(run);
}

// --- curl ------------------------------------------------------------------

TEST(CurlModelTest, ConnectEintrIsFatal) {
  RunResult run = RunModel("curl", "connect#1=EINTR");
  EXPECT_EQ(StepOf(run), StepText("connect", EINTR)) << Describe(run);
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kUnexpectedError))
      << Describe(run);
}

TEST(CurlModelTest, ASilentForeignPeerHangsItsBlockingRead) {
  // The 1 s poll does not protect the blocking recv that follows it.
  RunResult run = RunModel("curl", "foreign@listen#1");
  ASSERT_TRUE(run.verdict.Has(ViolationKind::kHang)) << Describe(run);
  EXPECT_THAT(run.verdict.Format(), HasSubstr("recv#1"));
}

TEST(CurlModelTest, AnIgnoredFailedSendHangsTheRead) {
  RunResult run = RunModel("curl", "send#1=EINTR");
  ASSERT_TRUE(run.verdict.Has(ViolationKind::kHang)) << Describe(run);
  EXPECT_THAT(run.verdict.Format(), HasSubstr("recv#1"));
}

TEST(CurlModelTest, TheTokenRejectsAnImpostor) {
  RunResult run = RunModel("curl", "impostor@listen#1");
  EXPECT_EQ(StepOf(run), StepText("verify", ECONNABORTED)) << Describe(run);
  EXPECT_TRUE(run.verdict.ok()) << Describe(run);
}

TEST(CurlModelTest, APeerThatHangsUpMakesTheReadLoopSpin) {
  // A local client that connects and closes at once is accepted (no address
  // check); reading the token from it returns 0, and the loop, which only
  // leaves on -1 or a full token, goes round without waiting.
  RunResult run = RunModel("curl", "hangup@listen#1");
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kBusySpin)) << Describe(run);
  EXPECT_THAT(run.verdict.Format(), HasSubstr("read end of stream"));
  int eofs = 0;
  for (const TraceEvent& event : run.record.trace) eofs += IsEndOfStream(event);
  // The injector cuts a run off after 1,000 identical results in a row; the
  // 60 s cap (checked only when recv returns -1) never applied.
  EXPECT_GE(eofs, 1000);
  EXPECT_LT(eofs, 1100);
  EXPECT_EQ(StepOf(run), StepText("recv", kCutOffErrno));
  EXPECT_FALSE(run.verdict.Has(ViolationKind::kCallBudget)) << Describe(run);
}

// --- libevent --------------------------------------------------------------

TEST(LibeventModelTest, EintrIsFatalInBlockingMode) {
  for (const char* plan : {"connect#1=EINTR", "accept#1=EINTR"}) {
    RunResult run = RunModel("libevent", plan);
    EXPECT_FALSE(run.record.status.ok()) << plan;
    EXPECT_TRUE(run.verdict.Has(ViolationKind::kUnexpectedError))
        << plan << ": " << Describe(run);
  }
}

TEST(LibeventModelTest, AForeignPeerFailsTheAddressCheck) {
  RunResult run = RunModel("libevent", "foreign@listen#1");
  EXPECT_EQ(StepOf(run), StepText("verify", ECONNABORTED)) << Describe(run);
  EXPECT_TRUE(run.verdict.ok()) << Describe(run);
}

TEST(LibeventModelTest, NonBlockingAcceptRetriesInABusyLoop) {
  PairOptions options;
  options.type = SOCK_STREAM | SOCK_NONBLOCK;
  // ECONNABORTED took our connection; EAGAIN follows forever, without poll.
  RunResult run =
      RunModel("libevent", "accept#1=ECONNABORTED", BackendKind::kSim, options);
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kBusySpin)) << Describe(run);
  // Blocking, the same fault is simply fatal.
  run = RunModel("libevent", "accept#1=ECONNABORTED");
  EXPECT_FALSE(run.verdict.Has(ViolationKind::kBusySpin)) << Describe(run);
  EXPECT_EQ(StepOf(run), StepText("accept", ECONNABORTED)) << Describe(run);
}

// --- tor -------------------------------------------------------------------

TEST(TorModelTest, EintrIsFatal) {
  for (const char* plan : {"connect#1=EINTR", "accept#1=EINTR"}) {
    RunResult run = RunModel("tor", plan);
    EXPECT_FALSE(run.record.status.ok()) << plan;
    EXPECT_TRUE(run.verdict.Has(ViolationKind::kUnexpectedError))
        << plan << ": " << Describe(run);
  }
}

TEST(TorModelTest, TheListenersCloseClobbersErrnoBeforeItIsRead) {
  RunResult run = RunModel("tor", "bind#1=EADDRINUSE; close#1=EIO");
  EXPECT_EQ(StepOf(run), StepText("bind", EIO)) << Describe(run);
  EXPECT_TRUE(run.verdict.Has(ViolationKind::kWrongErrno)) << Describe(run);
  // Without the failing close the errno is right.
  run = RunModel("tor", "bind#1=EADDRINUSE");
  EXPECT_EQ(StepOf(run), StepText("bind", EADDRINUSE)) << Describe(run);
  EXPECT_TRUE(run.verdict.ok()) << Describe(run);
}

TEST(TorModelTest, SetsCloseOnExecAfterTheFactNotAtomically) {
  RunResult run = RunModel("tor", "none");
  ASSERT_TRUE(run.verdict.ok()) << Describe(run);
  int fcntls_after_accept = 0;
  bool accepted = false;
  for (const TraceEvent& event : run.record.trace) {
    if (event.call == CallKind::kSocket) {
      EXPECT_EQ(event.arg & SOCK_CLOEXEC, 0) << FormatArguments(event);
    }
    if (event.call == CallKind::kAccept) {
      EXPECT_EQ(event.arg, 0);  // plain accept: no SOCK_CLOEXEC either
      accepted = true;
    }
    fcntls_after_accept += accepted && event.call == CallKind::kFcntl;
  }
  EXPECT_EQ(fcntls_after_accept, 2);
}

TEST(TorModelTest, AForeignPeerFailsTheAddressCheck) {
  RunResult run = RunModel("tor", "foreign@listen#1");
  EXPECT_EQ(StepOf(run), StepText("verify", ECONNABORTED)) << Describe(run);
  EXPECT_TRUE(run.verdict.ok()) << Describe(run);
}

}  // namespace
}  // namespace sockfi
