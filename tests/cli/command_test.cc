// The command-line parser: dispatch, flag checking, help and usage errors.

#include "src/cli/command.h"

#include <sstream>

#include "absl/flags/flag.h"
#include "gtest/gtest.h"

ABSL_FLAG(int, test_number, 7, "a number for the test command");
ABSL_FLAG(bool, test_switch, false, "a switch for the test command");
ABSL_FLAG(std::string, other_command_flag, "", "belongs to no test command");

namespace sockfi::cli {
namespace {

std::vector<std::string> g_args;
int RecordArgs(const std::vector<std::string>& args) {
  g_args = args;
  return 42;
}

std::vector<Command> TestCommands() {
  return {Command{"probe",
                  "probes things",
                  "sockfi probe [--test_number=N]",
                  "Probes.",
                  {"test_number", "test_switch"},
                  &RecordArgs}};
}

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome RunCli(std::vector<std::string> argv) {
  argv.insert(argv.begin(), "sockfi");
  std::ostringstream out, err;
  const int code = RunCommandLine(TestCommands(), argv, out, err);
  return {code, out.str(), err.str()};
}

class CommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::SetFlag(&FLAGS_test_number, 7);
    absl::SetFlag(&FLAGS_test_switch, false);
    g_args.clear();
  }
};

TEST_F(CommandTest, DispatchesWithFlagsAndArguments) {
  Outcome o =
      RunCli({"probe", "--test_number=3", "--test_switch", "a", "--", "--x"});
  EXPECT_EQ(o.code, 42);
  EXPECT_EQ(absl::GetFlag(FLAGS_test_number), 3);
  EXPECT_TRUE(absl::GetFlag(FLAGS_test_switch));
  EXPECT_EQ(g_args, (std::vector<std::string>{"a", "--x"}));
}

TEST_F(CommandTest, AcceptsSeparateValuesAndNegatedSwitches) {
  absl::SetFlag(&FLAGS_test_switch, true);
  Outcome o = RunCli({"probe", "--test_number", "9", "--notest_switch"});
  EXPECT_EQ(o.code, 42);
  EXPECT_EQ(absl::GetFlag(FLAGS_test_number), 9);
  EXPECT_FALSE(absl::GetFlag(FLAGS_test_switch));
}

TEST_F(CommandTest, RejectsFlagsOfOtherCommands) {
  Outcome o = RunCli({"probe", "--other_command_flag=x"});
  EXPECT_EQ(o.code, kExitUsage);
  EXPECT_EQ(
      o.err,
      "sockfi probe: unknown flag --other_command_flag for `sockfi probe`: "
      "its flags are --test_number, --test_switch\n");
  EXPECT_EQ(RunCli({"probe", "--nosuch"}).code, kExitUsage);
}

TEST_F(CommandTest, RejectsBadValuesAndMissingValues) {
  Outcome bad = RunCli({"probe", "--test_number=many"});
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_NE(bad.err.find("--test_number=many: "), std::string::npos) << bad.err;
  Outcome missing = RunCli({"probe", "--test_number"});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_EQ(missing.err, "sockfi probe: flag --test_number needs a value\n");
}

TEST_F(CommandTest, UnknownCommandListsTheCommands) {
  Outcome o = RunCli({"frobnicate"});
  EXPECT_EQ(o.code, kExitUsage);
  EXPECT_EQ(
      o.err,
      "sockfi: unknown command \"frobnicate\"; the commands are: probe (see "
      "sockfi --help)\n");
}

TEST_F(CommandTest, HelpDescribesCommandsAndFlags) {
  Outcome overview = RunCli({"--help"});
  EXPECT_EQ(overview.code, kExitOk);
  EXPECT_NE(overview.out.find("  probe  probes things"), std::string::npos);
  Outcome command = RunCli({"probe", "--help"});
  EXPECT_EQ(command.code, kExitOk);
  EXPECT_NE(command.out.find("usage: sockfi probe [--test_number=N]"),
            std::string::npos);
  EXPECT_NE(
      command.out.find("--test_number=7\n      a number for the test command"),
      std::string::npos)
      << command.out;
  EXPECT_EQ(RunCli({"help", "probe"}).out, command.out);
  Outcome nothing = RunCli({});
  EXPECT_EQ(nothing.code, kExitUsage);
  EXPECT_NE(nothing.err.find("usage: sockfi <command>"), std::string::npos);
  EXPECT_EQ(g_args.size(), 0u);
}

}  // namespace
}  // namespace sockfi::cli
