// The pieces the scenarios share: random plans, scenario selection, the
// report.

#include <random>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/fault/errno_catalog.h"
#include "src/fault/fault_plan.h"
#include "src/stress/random_plans.h"
#include "src/stress/scenario_stats.h"
#include "src/stress/stress_scenarios.h"
#include "src/sys/real_syscalls.h"
#include "src/sys/step_error.h"

namespace sockfi {
namespace {

using ::testing::HasSubstr;

TEST(RandomPlansTest, PlansAreRealisticAndRepeatForASeed) {
  RealSyscalls real;
  absl::StatusOr<RandomPlans> plans = RandomPlans::Make(
      real, RandomPlans::DefaultVariants(absl::Milliseconds(300)));
  ASSERT_TRUE(plans.ok()) << plans.status();
  ASSERT_GE(plans->variant_count(), 3u);  // inet6 may be missing here
  for (size_t i = 0; i < plans->variant_count(); ++i) {
    EXPECT_GT(plans->candidate_count(i), 10u);
  }
  std::mt19937_64 first(7);
  std::mt19937_64 second(7);
  int with_faults = 0;
  bool flood = false;
  for (int i = 0; i < 500; ++i) {
    const PlannedRun a = plans->Next(first);
    const PlannedRun b = plans->Next(second);
    EXPECT_EQ(PrintPlan(a.plan), PrintPlan(b.plan));
    EXPECT_EQ(a.options.family, b.options.family);
    EXPECT_EQ(a.options.timeout, absl::Milliseconds(300));
    EXPECT_TRUE(CheckRealistic(a.plan, ErrnoCatalog::Linux()).ok())
        << PrintPlan(a.plan);
    EXPECT_LE(a.plan.faults.size() + a.plan.actors.size() +
                  (a.plan.fd_limit.has_value() ? 1 : 0),
              3u);
    if (!a.plan.empty()) ++with_faults;
    for (const ActorRule& actor : a.plan.actors) {
      flood |= actor.actor == ActorKind::kFlood ||
               actor.actor == ActorKind::kHalfOpen;
    }
  }
  EXPECT_GT(with_faults, 350);  // about 7 in 8
  EXPECT_LT(with_faults, 500);
  EXPECT_FALSE(flood);
}

TEST(StressScenariosTest, SelectsByNameInRunOrder) {
  absl::StatusOr<std::vector<const StressScenario*>> all =
      SelectStressScenarios("all");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[0]->name, "concurrency");
  absl::StatusOr<std::vector<const StressScenario*>> two =
      SelectStressScenarios("churn,signals,churn");
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0]->name, "signals");
  EXPECT_EQ((*two)[1]->name, "churn");
  absl::StatusOr<std::vector<const StressScenario*>> bad =
      SelectStressScenarios("signals,nope");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("unknown scenario \"nope\""));
}

TEST(ScenarioStatsTest, OutcomesMergeAndReport) {
  ScenarioStats a;
  a.scenario = "alpha";
  a.fault_meaning = "a thing";
  a.runs = 3;
  a.pairs_made = 2;
  a.errors_propagated = 1;
  a.worst_latency = absl::Microseconds(80);
  a.CountOutcome(absl::OkStatus());
  a.CountOutcome(absl::OkStatus());
  a.CountOutcome(StepErrorStatus("accept", EMFILE));
  a.figures["widgets"] = 4;
  ScenarioStats b;
  b.runs = 1;
  b.worst_latency = absl::Milliseconds(3);
  for (int i = 0; i < 12; ++i) b.AddViolation("wrong " + std::to_string(i));
  b.figures["widgets"] = 1;
  a.Merge(b);
  EXPECT_EQ(a.runs, 4);
  EXPECT_EQ(a.violations, 12);
  EXPECT_EQ(a.violation_messages.size(), 10u);
  EXPECT_EQ(a.worst_latency, absl::Milliseconds(3));
  EXPECT_EQ(a.figures["widgets"], 5);
  EXPECT_EQ(a.outcomes["pair"], 2);
  EXPECT_EQ(a.outcomes["accept EMFILE"], 1);
  EXPECT_FALSE(a.ok());
  const std::string report = FormatStressReport({a});
  EXPECT_THAT(report, HasSubstr("alpha                  4           2"));
  EXPECT_THAT(report, HasSubstr("3.0 ms"));
  EXPECT_THAT(report, HasSubstr("outcomes: pair 2, accept EMFILE 1\n"));
  EXPECT_THAT(report, HasSubstr("widgets: 5\n"));
  EXPECT_THAT(report, HasSubstr("12 violations, the first 10:\n    wrong 0\n"));
  EXPECT_THAT(report, HasSubstr("  alpha          a thing\n"));
}

}  // namespace
}  // namespace sockfi
