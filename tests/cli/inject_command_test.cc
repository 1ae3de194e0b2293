// sockfi inject and sockfi explore --command, as a user runs them: on
// libevent's evutil_ersatz_socketpair_ (tests/interop/ersatz_pair), with the
// interposer found in sockfi's runfiles.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/run_program.h"

namespace sockfi::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ProgramResult Sockfi(std::vector<std::string> args) {
  args.insert(args.begin(), RunfilePath("src/cli/sockfi"));
  return RunProgram(args);
}

std::string Harness() { return RunfilePath("tests/interop/ersatz_pair"); }

TEST(InjectCommandTest, ReportsTheFaultThatFiredAndKeepsTheExitStatus) {
  ProgramResult r =
      Sockfi({"inject", "--plan=socket#2=EMFILE", "--", Harness()});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // the harness reports the error
  EXPECT_THAT(r.err, HasSubstr("plan:     socket#2=EMFILE"));
  EXPECT_THAT(r.err, HasSubstr("injected   socket#2=EMFILE"));
  EXPECT_THAT(r.err, HasSubstr("outcome:  exit 1"));
  EXPECT_THAT(r.err, HasSubstr("leaks:    none"));
  EXPECT_THAT(r.err, Not(HasSubstr("swallowed-error")));
}

TEST(InjectCommandTest, ReportsALeakWithItsProvenance) {
  ProgramResult r = Sockfi({"inject", "--", Harness(), "--leak"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("faults: none fired"));
  EXPECT_THAT(r.err, HasSubstr("leak: fd "));
  EXPECT_THAT(r.err, HasSubstr("made by accept#1"));
}

TEST(InjectCommandTest, SaysWhichRulesNeverMatched) {
  ProgramResult r =
      Sockfi({"inject", "--plan=accept#9=EINTR", "--", Harness()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("never matched a call: accept#9=EINTR"));
}

TEST(InjectCommandTest, BadInputIsAUsageError) {
  ProgramResult none = Sockfi({"inject", "--plan=accept#1=EINTR"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("no program given"));
  ProgramResult plan = Sockfi({"inject", "--plan=accept#1=EFOO", "--", "true"});
  EXPECT_EQ(plan.exit_code, 2);
  EXPECT_THAT(plan.err, HasSubstr("--plan"));
  EXPECT_THAT(plan.err, HasSubstr("EFOO"));
  ProgramResult missing =
      Sockfi({"inject", "--", "/nonexistent/sockfi-no-such-program"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("cannot run"));
  ProgramResult library =
      Sockfi({"inject", "--preload=/nonexistent.so", "--", "true"});
  EXPECT_EQ(library.exit_code, 2);
  EXPECT_THAT(library.err,
              HasSubstr("--preload=/nonexistent.so: no such file"));
}

TEST(InjectCommandTest, UnderBazelRunRelativePathsAreTheCallers) {
  // `bazel run` starts sockfi in its runfiles tree and says where the user
  // was in BUILD_WORKING_DIRECTORY: relative paths must be read from there.
  const char* tmp = std::getenv("TEST_TMPDIR");
  ASSERT_NE(tmp, nullptr);
  const std::string dir = std::string(tmp) + "/caller";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(Harness(), dir + "/harness",
                             std::filesystem::copy_options::overwrite_existing);
  ProgramResult r = RunProgram({RunfilePath("src/cli/sockfi"), "inject",
                                "--trace=trace.jsonl", "--", "./harness"},
                               {"BUILD_WORKING_DIRECTORY=" + dir});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir + "/trace.jsonl"));
}

TEST(ExploreCommandFlagTest, ExploresAProgramAndPrintsReplayableFindings) {
  ProgramResult r =
      Sockfi({"explore", "--command=" + Harness(), "--command_timeout=3s"});
  EXPECT_THAT(r.out, HasSubstr("schedules"));
  EXPECT_THAT(r.out, HasSubstr("socket       EMFILE"));
  if (r.exit_code == 1) {
    EXPECT_THAT(r.out, HasSubstr("sockfi inject --plan="));
  } else {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("no violation"));
  }
  ProgramResult failing =
      Sockfi({"explore", "--command=" + Harness() + " --no-such-option"});
  EXPECT_EQ(failing.exit_code, 1);
  EXPECT_THAT(failing.err, HasSubstr("succeed without faults"));
}

}  // namespace
}  // namespace sockfi::testing
