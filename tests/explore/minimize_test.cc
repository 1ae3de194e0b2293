#include "src/explore/minimize.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "src/explore/schedule_space.h"

namespace sockfi {
namespace {

FaultPlan Plan(absl::string_view text) { return *ParsePlan(text); }

std::set<std::string> Rules(const FaultPlan& plan) {
  std::set<std::string> rules;
  for (const Atom& atom : AtomsOf(plan)) rules.insert(atom.text);
  return rules;
}

bool Contains(const FaultPlan& plan, const std::string& rule) {
  return Rules(plan).count(rule) > 0;
}

TEST(MinimizeTest, FindsThePairOfRulesThatFailsTogether) {
  const FaultPlan big = Plan(
      "fdlimit=4; socket#1=EMFILE; poll#1=EINTR; bind#1=EADDRINUSE; "
      "accept#2=EMFILE; "
      "close#*=EINTR; foreign@listen#1; send#1=short:1");
  int tests = 0;
  const auto fails = [&](const FaultPlan& plan) {
    ++tests;
    return Contains(plan, "poll#1=EINTR") && Contains(plan, "accept#2=EMFILE");
  };
  const FaultPlan minimal = Minimize(big, fails);
  EXPECT_EQ(Rules(minimal),
            (std::set<std::string>{"poll#1=EINTR", "accept#2=EMFILE"}));
  EXPECT_LE(tests, 8 * 8);  // ddmin's worst case is n^2 tests
}

TEST(MinimizeTest, ResultIsOneMinimal) {
  const FaultPlan big = Plan(
      "accept#1=EAGAIN; accept#2=EAGAIN; accept#3=EAGAIN; accept#4=EAGAIN; "
      "accept#5=EAGAIN");
  // Fails when at least three EAGAINs are present.
  const auto fails = [](const FaultPlan& plan) {
    return plan.faults.size() >= 3;
  };
  const FaultPlan minimal = Minimize(big, fails);
  ASSERT_EQ(minimal.faults.size(), 3u);
  std::vector<Atom> atoms = AtomsOf(minimal);
  for (size_t i = 0; i < atoms.size(); ++i) {
    std::vector<Atom> without = atoms;
    without.erase(without.begin() + i);
    EXPECT_FALSE(fails(PlanOf(without)));
  }
}

TEST(MinimizeTest, KeepsASingleRuleAndDropsOneThatIsNotNeeded) {
  EXPECT_EQ(PrintPlan(Minimize(Plan("accept#1=EMFILE"),
                               [](const FaultPlan& p) { return !p.empty(); })),
            "accept#1=EMFILE");
  // When even no fault fails, the minimal plan is none.
  EXPECT_EQ(PrintPlan(Minimize(Plan("accept#1=EMFILE"),
                               [](const FaultPlan&) { return true; })),
            "none");
}

}  // namespace
}  // namespace sockfi
