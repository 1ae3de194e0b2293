// `sockfi stress` end to end: the real binary, short runs, and its usage
// errors.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/run_program.h"

namespace sockfi::testing {
namespace {

using ::testing::AllOf;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

ProgramResult Sockfi(std::vector<std::string> args) {
  args.insert(args.begin(), RunfilePath("src/cli/sockfi"));
  return RunProgram(args);
}

TEST(StressCommandTest, RunsEveryScenarioAndPrintsTheTable) {
  ProgramResult r = Sockfi({"stress", "--duration=5s", "--seed=42"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("5 scenarios on the real kernel, 1s each; "
                               "seed 42 (--seed=42 repeats"));
  EXPECT_THAT(r.out, ContainsRegex("scenario +runs +pairs made +faults +errors "
                                   "ok +leaks +foreign +worst +violations"));
  for (const char* row : {"concurrency", "signals", "fd-exhaustion", "foreign",
                          "churn", "total"}) {
    // Each row: leaks 0 and violations 0.
    EXPECT_THAT(r.out,
                ContainsRegex(std::string("\n") + row +
                              " +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +0 +[0-9]+ +"
                              "[0-9.]+ [mu]s +0 +[0-9.]+s\n"))
        << row;
  }
  EXPECT_THAT(r.out, HasSubstr("seed 42, 8 threads"));
  EXPECT_THAT(r.out, HasSubstr("\nno violation, no leak\n"));
  EXPECT_THAT(r.err, HasSubstr("stress: concurrency (1s)...\n"));
}

TEST(StressCommandTest, RunsTheChosenScenariosInTheirOrder) {
  ProgramResult r = Sockfi({"stress", "--duration=1s",
                            "--scenarios=churn,fd-exhaustion", "--threads=2"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 scenarios on the real kernel, 500ms each"));
  EXPECT_THAT(r.out, ContainsRegex("\nfd-exhaustion +[0-9]+.*\nchurn +[0-9]+"));
  EXPECT_THAT(r.out, Not(HasSubstr("\nconcurrency ")));
}

TEST(StressCommandTest, BadFlagsAreUsageErrorsNamingTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--duration=0s"}, "--duration=0: expected a time above 0"},
      {{"--duration=25h"},
       "--duration=25h: expected a time above 0 and at "
       "most 24h"},
      {{"--duration=soon"}, "--duration=soon"},
      {{"--scenarios=bogus"},
       "--scenarios=bogus: unknown scenario \"bogus\"; expected all or "
       "concurrency, signals, fd-exhaustion, foreign, churn"},
      {{"--threads=65"}, "--threads=65: expected 1 to 64"},
      {{"--count=3"}, "unknown flag --count for `sockfi stress`"},
      {{"now"}, "unexpected argument \"now\""}};
  for (const auto& [flags, message] : cases) {
    std::vector<std::string> args = {"stress"};
    args.insert(args.end(), flags.begin(), flags.end());
    ProgramResult r = Sockfi(args);
    EXPECT_EQ(r.exit_code, 2) << flags[0];
    EXPECT_THAT(r.err, AllOf(HasSubstr("sockfi stress: "), HasSubstr(message)))
        << flags[0];
    EXPECT_EQ(r.out, "") << flags[0];
  }
}

TEST(StressCommandTest, HelpNamesEveryScenarioAndFlag) {
  ProgramResult r = Sockfi({"stress", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* text :
       {"usage: sockfi stress [--duration=60s]", "  concurrency ", "  signals ",
        "  fd-exhaustion ", "  foreign ", "  churn ", "--duration=1m",
        "--scenarios=all", "--seed=0", "--threads=8", "Exit status: 0"}) {
    EXPECT_THAT(r.out, HasSubstr(text));
  }
}

}  // namespace
}  // namespace sockfi::testing
