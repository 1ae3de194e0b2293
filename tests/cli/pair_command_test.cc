// `sockfi pair` end to end: the real binary on the real kernel.

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/run_program.h"

namespace sockfi::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

ProgramResult Sockfi(std::vector<std::string> args) {
  args.insert(args.begin(), RunfilePath("src/cli/sockfi"));
  return RunProgram(args);
}

TEST(PairCommandTest, MakesAndProvesAnInetPair) {
  ProgramResult r = Sockfi({"pair"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(
      r.out,
      MatchesRegex("pair 1: fd [0-9]+ 127\\.[0-9.]+:[0-9]+ \\[blocking\\]  "
                   "<->  fd [0-9]+ 127\\.[0-9.]+:[0-9]+ \\[blocking\\]  "
                   "proven both ways, made in [0-9.]+ us\n"));
}

TEST(PairCommandTest, HonoursFamilyAndFlags) {
  ProgramResult r = Sockfi(
      {"pair", "--family=inet6", "--nonblock", "--cloexec", "--count=3"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("pair 3: fd "));
  EXPECT_THAT(r.out, HasSubstr("[::1]:"));
  EXPECT_THAT(r.out, HasSubstr("[nonblock,cloexec]"));
  EXPECT_THAT(r.out,
              HasSubstr("3 pairs: 3 made and proven, 0 failed; time to make "
                        "one: min "));
  ProgramResult unix_pair = Sockfi({"pair", "--family=unix"});
  EXPECT_EQ(unix_pair.exit_code, 0);
  EXPECT_THAT(unix_pair.out, HasSubstr(" unix [blocking]  <->  fd "));
}

TEST(PairCommandTest, ManyPairsShowTenAndASummary) {
  ProgramResult r = Sockfi({"pair", "--count=200", "--peer_check=both"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("pair 10: "));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("pair 11: ")));
  EXPECT_THAT(r.out, HasSubstr("200 pairs: 200 made and proven, 0 failed"));
}

TEST(PairCommandTest, BadArgumentsAreUsageErrors) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"pair", "--family=ipx"},
       "sockfi pair: --family=ipx: expected unix, inet or inet6\n"},
      {{"pair", "--count=0"}, "sockfi pair: --count=0: must be at least 1\n"},
      {{"pair", "--timeout=-1s"},
       "sockfi pair: timeout -1s is not positive and finite\n"},
      {{"pair", "--peer_check=magic"},
       "sockfi pair: --peer_check=magic: expected addresses, token or both\n"},
      {{"pair", "extra"}, "sockfi pair: unexpected argument \"extra\"\n"},
  };
  for (const auto& [args, message] : cases) {
    ProgramResult r = Sockfi(args);
    EXPECT_EQ(r.exit_code, 2) << args[1];
    EXPECT_EQ(r.err, message);
    EXPECT_EQ(r.out, "");
  }
}

}  // namespace
}  // namespace sockfi::testing
