#include "src/sys/child_process.h"

#include <signal.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sockfi {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<ChildExit> Shell(const std::string& script,
                                ChildSpec spec = ChildSpec()) {
  spec.argv = {"/bin/sh", "-c", script};
  spec.capture_output = true;
  return RunChild(spec);
}

TEST(ChildProcessTest, ReportsTheExitCodeAndOutput) {
  absl::StatusOr<ChildExit> child = Shell("echo out; echo err >&2; exit 3");
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_TRUE(child->exited);
  EXPECT_EQ(child->exit_code, 3);
  EXPECT_EQ(child->ShellStatus(), 3);
  EXPECT_EQ(child->output, "out\nerr\n");
  EXPECT_EQ(child->Describe(), "exit 3");
}

TEST(ChildProcessTest, SetsTheGivenEnvironmentOverOurs) {
  setenv("SOCKFI_CHILD_TEST", "ours", 1);
  ChildSpec spec;
  setenv("SOCKFI_CHILD_GONE", "ours", 1);
  spec.env = {{"SOCKFI_CHILD_TEST", "theirs"}, {"SOCKFI_CHILD_NEW", "x"}};
  spec.unset_env = {"SOCKFI_CHILD_GONE"};
  absl::StatusOr<ChildExit> child = Shell(
      "echo $SOCKFI_CHILD_TEST $SOCKFI_CHILD_NEW ${SOCKFI_CHILD_GONE-unset}",
      spec);
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_EQ(child->output, "theirs x unset\n");
}

TEST(ChildProcessTest, ReportsTheSignalThatKilledIt) {
  absl::StatusOr<ChildExit> child = Shell("kill -SEGV $$");
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_FALSE(child->exited);
  EXPECT_EQ(child->signal, SIGSEGV);
  EXPECT_EQ(child->ShellStatus(), 128 + SIGSEGV);
  EXPECT_EQ(child->Describe(), "killed by SIGSEGV");
}

TEST(ChildProcessTest, KillsTheChildAndItsChildrenAtTheTimeout) {
  ChildSpec spec;
  spec.timeout = absl::Milliseconds(200);
  // The grandchild holds the output pipe open: it must not hold us either.
  absl::StatusOr<ChildExit> child = Shell("sleep 30 & sleep 30", spec);
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_TRUE(child->timed_out);
  EXPECT_FALSE(child->exited);
  EXPECT_LT(child->elapsed, absl::Seconds(20));
  EXPECT_THAT(child->Describe(), HasSubstr("timed out after"));
}

TEST(ChildProcessTest, KeepsTheHeadAndTailOfLongOutput) {
  ChildSpec spec;
  spec.max_output = 100;
  absl::StatusOr<ChildExit> child =
      Shell("echo BEGIN; seq 1 10000; echo END", spec);
  ASSERT_TRUE(child.ok()) << child.status();
  EXPECT_THAT(child->output, HasSubstr("BEGIN"));
  EXPECT_THAT(child->output, HasSubstr("END"));
  EXPECT_THAT(child->output, HasSubstr("bytes left out"));
  EXPECT_LT(child->output.size(), 200u);
}

TEST(ChildProcessTest, AProgramThatCannotStartIsAnError) {
  ChildSpec spec;
  spec.argv = {"/nonexistent/sockfi-no-such-program"};
  absl::StatusOr<ChildExit> child = RunChild(spec);
  ASSERT_FALSE(child.ok());
  EXPECT_THAT(std::string(child.status().message()),
              HasSubstr("cannot run /nonexistent/sockfi-no-such-program"));
  EXPECT_THAT(std::string(child.status().message()), HasSubstr("ENOENT"));
  EXPECT_FALSE(RunChild(ChildSpec()).ok());
}

}  // namespace
}  // namespace sockfi
