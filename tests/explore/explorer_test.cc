// The explorer on the hardened emulation (both backends) and on routines with
// planted bugs.

#include "src/explore/explorer.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/explore/report.h"
#include "src/explore/schedule_space.h"
#include "tests/check/broken_routines.h"

namespace sockfi {
namespace {

using testing::BrokenSubject;
using testing::Bug;
using ::testing::HasSubstr;

ExploreReport ExploreOn(const Subject& subject, BackendKind backend,
                        int depth) {
  ExploreOptions options;
  options.depth = depth;
  if (backend == BackendKind::kReal) {
    options.pair_options.timeout = absl::Milliseconds(300);
    options.extend_runs_up_to = absl::Milliseconds(20);
    options.half_open = false;
  }
  return Explore(subject, backend, *MakeWorldFactory(backend), options);
}

TEST(ExplorerTest, HardenedHasNoViolationAtDepthTwoOnTheSimulatedKernel) {
  ExploreReport report =
      ExploreOn(*FindSubject("hardened"), BackendKind::kSim, 2);
  EXPECT_TRUE(report.findings.empty()) << FormatReport(report);
  EXPECT_GT(report.schedules, 1000u);
  EXPECT_FALSE(report.truncated);
  // Every fault of the catalog that can fire in the fault-free run fired
  // somewhere.
  EXPECT_GT(report.tallies.size(), 30u);
}

// The real kernel runs at depth 2 too (about 5 s here): runs that reach the 300
// ms deadline are not extended.
TEST(ExplorerTest, HardenedHasNoViolationAtDepthTwoOnTheRealKernel) {
  ExploreReport report =
      ExploreOn(*FindSubject("hardened"), BackendKind::kReal, 2);
  EXPECT_TRUE(report.findings.empty()) << FormatReport(report);
  EXPECT_GT(report.schedules, 1000u);
}

TEST(ExplorerTest, AdversarialHardenedHasNoViolationAtDepthTwo) {
  ExploreOptions options;
  options.adversarial = true;
  ExploreReport report = Explore(*FindSubject("hardened"), BackendKind::kSim,
                                 *MakeWorldFactory(BackendKind::kSim), options);
  EXPECT_TRUE(report.findings.empty()) << FormatReport(report);
}

// With token checking the emulation reads what it sent back: adversarial
// exploration also cuts that short (eof) and alters it (corrupt).
TEST(ExplorerTest, AdversarialHardenedWithTokensHasNoViolationAtDepthOne) {
  ExploreOptions options;
  options.adversarial = true;
  options.depth = 1;
  options.pair_options.peer_check = PeerCheck::kToken;
  ExploreReport report = Explore(*FindSubject("hardened"), BackendKind::kSim,
                                 *MakeWorldFactory(BackendKind::kSim), options);
  EXPECT_TRUE(report.findings.empty()) << FormatReport(report);
  // The faults fired, tallied by (call, fault).
  EXPECT_EQ(report.tallies.count({"recv", "eof"}), 1u);
  EXPECT_EQ(report.tallies.count({"recv", "corrupt"}), 1u);
}

// Returns whether `plan` makes `subject` commit a violation of `kind` on the
// sim.
bool Violates(const Subject& subject, const FaultPlan& plan,
              ViolationKind kind) {
  RunSpec spec;
  spec.subject = &subject;
  spec.plan = plan;
  return RunOnce(spec, *MakeWorldFactory(BackendKind::kSim)).verdict.Has(kind);
}

TEST(ExplorerTest, FindsAPlantedLeakWithOneMinimalPlans) {
  const Subject subject = BrokenSubject(Bug::kLeaksListener);
  ExploreReport report = ExploreOn(subject, BackendKind::kSim, 2);
  bool found = false;
  for (const Finding& finding : report.findings) {
    if (finding.kind != ViolationKind::kLeak) continue;
    found |= finding.plan == "accept#1=EMFILE";
    // Each plan still leaks, and leaks no more once any one of its rules is
    // gone (e.g. accept#1=EAGAIN; accept#2=EMFILE needs both).
    const FaultPlan plan = *ParsePlan(finding.plan);
    EXPECT_TRUE(Violates(subject, plan, ViolationKind::kLeak)) << finding.plan;
    const std::vector<Atom> atoms = AtomsOf(plan);
    for (size_t i = 0; i < atoms.size(); ++i) {
      std::vector<Atom> fewer = atoms;
      fewer.erase(fewer.begin() + i);
      EXPECT_FALSE(Violates(subject, PlanOf(fewer), ViolationKind::kLeak))
          << finding.plan << " without " << atoms[i].text;
    }
  }
  EXPECT_TRUE(found) << FormatReport(report);
}

TEST(ExplorerTest, FindsABugThatNeedsTwoFaultsOnlyAtDepthTwo) {
  const Subject subject = BrokenSubject(Bug::kLeaksAfterEintr);
  ExploreReport shallow = ExploreOn(subject, BackendKind::kSim, 1);
  for (const Finding& finding : shallow.findings) {
    EXPECT_NE(finding.kind, ViolationKind::kLeak) << finding.plan;
  }
  ExploreReport deep = ExploreOn(subject, BackendKind::kSim, 2);
  bool found = false;
  for (const Finding& finding : deep.findings) {
    if (finding.kind != ViolationKind::kLeak) continue;
    absl::StatusOr<FaultPlan> plan = ParsePlan(finding.plan);
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(AtomsOf(*plan).size(), 2u) << finding.plan;
    found |= finding.plan.find("poll#1=EINTR") != std::string::npos;
  }
  EXPECT_TRUE(found) << FormatReport(deep);
}

TEST(ExplorerTest, KafkaPythonModelHandsOutForeignPairsAndHangsOnAFullQueue) {
  ExploreReport report =
      ExploreOn(*FindSubject("kafka_python"), BackendKind::kSim, 1);
  std::set<std::string> found;
  for (const Finding& finding : report.findings) {
    found.insert(absl::StrCat(ViolationName(finding.kind), " ", finding.plan));
  }
  EXPECT_TRUE(found.count("foreign-pair foreign@listen#1"))
      << FormatReport(report);
  EXPECT_TRUE(found.count("hang flood@listen#1")) << FormatReport(report);
  EXPECT_TRUE(found.count("unexpected-error accept#1=EINTR"))
      << FormatReport(report);
  EXPECT_TRUE(found.count("unexpected-error close#1=EINTR"))
      << FormatReport(report);
}

TEST(ExplorerTest, ReportsSayWhatWasFoundAndHowToReplayIt) {
  const Subject subject = BrokenSubject(Bug::kLeaksListener);
  ExploreReport report = ExploreOn(subject, BackendKind::kSim, 1);
  ASSERT_FALSE(report.findings.empty());
  const std::string text = FormatReport(report);
  EXPECT_THAT(text, HasSubstr("subject broken, backend sim, depth 1: "));
  EXPECT_THAT(text, HasSubstr("  accept       EMFILE"));
  EXPECT_THAT(text, HasSubstr("  leak ("));
  EXPECT_THAT(text, HasSubstr("sockfi run --plan='fdlimit=2' --subject=broken "
                              "--backend=sim"));
  EXPECT_THAT(text, HasSubstr("more (--json lists them all)"));
  const std::string json = ReportsToJson({report});
  EXPECT_EQ(
      json.rfind("{\"subjects\": [\n  {\"subject\": \"broken\", \"backend\": "
                 "\"sim\", \"depth\": 1, \"schedules\": ",
                 0),
      0u)
      << json;
  EXPECT_THAT(json,
              HasSubstr("{\"kind\": \"leak\", \"plan\": \"accept#1=EMFILE\", "
                        "\"message\": \"fd 3 from socket#1"));
  EXPECT_THAT(json, HasSubstr("\"faults\": ["));
}

TEST(ExplorerTest, SameInputsGiveTheSameReportOnTheSimulatedKernel) {
  const Subject subject = BrokenSubject(Bug::kReportsCloseErrno);
  ExploreReport a = ExploreOn(subject, BackendKind::kSim, 2);
  ExploreReport b = ExploreOn(subject, BackendKind::kSim, 2);
  ASSERT_EQ(a.findings.size(), b.findings.size());
  for (size_t i = 0; i < a.findings.size(); ++i) {
    EXPECT_EQ(a.findings[i].plan, b.findings[i].plan);
    EXPECT_EQ(a.findings[i].message, b.findings[i].message);
  }
  EXPECT_EQ(a.schedules, b.schedules);
}

}  // namespace
}  // namespace sockfi
