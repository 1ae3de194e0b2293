// Mutation score: the explorer (depth 2, simulated kernel, default options)
// catches every mutant of hardened, each as the violation kind it was planted
// for, and finds nothing wrong with hardened itself.

#include <string>

#include "gtest/gtest.h"
#include "src/explore/explorer.h"
#include "src/explore/report.h"
#include "src/subjects/mutants.h"
#include "src/subjects/subject.h"

namespace sockfi {
namespace {

ExploreReport ExploreAtDepthTwo(const Subject& subject) {
  ExploreOptions options;
  options.depth = 2;
  return Explore(subject, BackendKind::kSim,
                 *MakeWorldFactory(BackendKind::kSim), options);
}

TEST(MutationScoreTest, ThereAreAtLeastTwelveMutantsEachPlantedForAKind) {
  std::vector<Subject> mutants = MutantSubjects();
  EXPECT_GE(mutants.size(), 12u);
  for (const Subject& mutant : mutants) {
    EXPECT_TRUE(ViolationKindFromName(mutant.planted_violation).has_value())
        << mutant.name << ": \"" << mutant.planted_violation << "\"";
    EXPECT_NE(FindSubject(mutant.name), nullptr) << mutant.name;
  }
}

TEST(MutationScoreTest, EveryMutantIsCaughtAsThePlantedKind) {
  for (const Subject& mutant : MutantSubjects()) {
    const ExploreReport report = ExploreAtDepthTwo(mutant);
    const ViolationKind planted =
        *ViolationKindFromName(mutant.planted_violation);
    bool caught = false;
    for (const Finding& finding : report.findings) {
      caught |= finding.kind == planted;
    }
    EXPECT_TRUE(caught) << mutant.name << " escaped: no "
                        << mutant.planted_violation << " finding\n"
                        << FormatReport(report);
  }
}

TEST(MutationScoreTest, HardenedHasNoFinding) {
  const ExploreReport report =
      ExploreAtDepthTwo(*FindSubject(kHardenedSubject));
  EXPECT_TRUE(report.findings.empty()) << FormatReport(report);
}

}  // namespace
}  // namespace sockfi
