// A crash the fuzzer found stays a failing test until the bug is fixed.
//
// corpus/subject_fuzzer/regressions/ holds the input subject_fuzzer found
// against the rejected_candidate_leaked subject (the hardened emulation with
// one planted bug). Replayed against that subject it fails, naming the input;
// replayed against the hardened emulation — the same code without the bug, i.e.
// "after the fix" — it passes, as
// //fuzz:subject_fuzzer does on every run of bazel test.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/run_program.h"

namespace sockfi::testing {
namespace {

using ::testing::HasSubstr;

ProgramResult ReplayRegressions(const std::string& subject) {
  return RunProgram(
      {RunfilePath("fuzz/subject_fuzzer"), "corpus/subject_fuzzer/regressions"},
      {"SOCKFI_SUBJECT=" + subject});
}

TEST(RegressionTest, FailsWhileTheBugIsThere) {
  ProgramResult r = ReplayRegressions("rejected_candidate_leaked");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("leak: fd "));
  EXPECT_THAT(r.err, HasSubstr("sockfi replay: the target crashed on input "
                               "corpus/subject_fuzzer/regressions/crash-"));
}

TEST(RegressionTest, PassesOnceItIsFixed) {
  ProgramResult r = ReplayRegressions("hardened");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("inputs replayed, none failed"));
}

}  // namespace
}  // namespace sockfi::testing
