// `sockfi run`, `sockfi explore` and `sockfi catalog` end to end: the real
// binary.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/subjects/subject.h"
#include "tests/testing/run_program.h"

namespace sockfi::testing {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

ProgramResult Sockfi(std::vector<std::string> args) {
  args.insert(args.begin(), RunfilePath("src/cli/sockfi"));
  return RunProgram(args);
}

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

TEST(RunCommandTest, PrintsTraceOutcomeAndVerdict) {
  ProgramResult r = Sockfi({"run", "--plan=accept#1=EMFILE"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out,
              StartsWith("plan:     accept#1=EMFILE\n"
                         "subject:  hardened (sockfi src/pair/socket_pair.cc)\n"
                         "backend:  sim\n"));
  EXPECT_THAT(r.out, HasSubstr("accept#1"));
  EXPECT_THAT(r.out, HasSubstr("EMFILE (before)"));
  EXPECT_THAT(r.out,
              HasSubstr("outcome:  RESOURCE_EXHAUSTED: accept: Too many open "
                        "files [EMFILE], after "));
  EXPECT_THAT(r.out, HasSubstr("verdict:  OK: no violation\n"));
}

TEST(RunCommandTest, ViolationExitsOne) {
  // A close that keeps its fd (not Linux): the hardened emulation does not
  // retry close, so the listener leaks.
  ProgramResult r =
      Sockfi({"run", "--plan=close#1=EINTR:before", "--adversarial"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("backend:  sim, adversarial"));
  EXPECT_THAT(r.out, HasSubstr("verdict:  leak: fd 3 from socket#1"));
}

TEST(RunCommandTest, ReadsPlansFromFiles) {
  const std::string path = TempPath("plan.txt");
  std::ofstream(path)
      << "# the listener's first accept fails\naccept#1=ECONNABORTED\n"
         "foreign@listen#1  # and a stranger connects\n";
  ProgramResult r = Sockfi({"run", "--plan=@" + path, "--backend=real"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(
      r.out, StartsWith("plan:     accept#1=ECONNABORTED; foreign@listen#1\n"));
  EXPECT_THAT(r.out, HasSubstr("backend:  real\n"));
}

TEST(RunCommandTest, BadInputIsAUsageErrorThatSaysWhy) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"run"},
       "sockfi run: --plan is required, e.g. --plan='accept#1=EMFILE' (or "
       "--plan=none for a fault-free run)\n"},
      {{"run", "--plan=acept#1=EINTR"},
       "sockfi run: --plan, line 1, column 1: unknown call \"acept\"; expected "
       "one "
       "of socket, socketpair, bind, listen, getsockname, getpeername, "
       "connect, "
       "accept, fcntl, getsockopt, poll, send, recv, close, getrandom, or "
       "fdlimit, "
       "none, or an actor such as foreign@listen#1\n"},
      {{"run", "--plan=accept#1=EBADF"},
       "sockfi run: accept#1=EBADF: Linux does not return EBADF from accept on "
       "a "
       "socket the program owns (its errnos there: EAGAIN, EINTR, "
       "ECONNABORTED, "
       "EPROTO, ENETUNREACH, EMFILE, ENFILE, ENOBUFS, ENOMEM); use "
       "--adversarial to "
       "inject it anyway\n"},
      {{"run", "--plan=@/nonexistent/plan"},
       "sockfi run: cannot read plan file \"/nonexistent/plan\": No such file "
       "or "
       "directory\n"},
      {{"run", "--plan=none", "--backend=moon"},
       "sockfi run: --backend=moon: expected sim or real\n"},
      {{"run", "--plan=none", "--subject=nope"},
       "sockfi run: --subject=nope: no subject named \"nope\"; the subjects "
       "are: " +
           SubjectNames() + ", or all\n"},
      {{"run", "accept#1=EINTR"},
       "sockfi run: unexpected argument \"accept#1=EINTR\" (quote the plan: "
       "--plan='...')\n"},
  };
  for (const auto& [args, message] : cases) {
    ProgramResult r = Sockfi(args);
    EXPECT_EQ(r.exit_code, 2) << args.back();
    EXPECT_EQ(r.err, message);
  }
  // A plan file that is a directory.
  ProgramResult dir = Sockfi({"run", "--plan=@/tmp"});
  EXPECT_EQ(dir.exit_code, 2);
  EXPECT_EQ(dir.err,
            "sockfi run: cannot read plan file \"/tmp\": it is a directory\n");
}

TEST(ExploreCommandTest, ExploresAndWritesJson) {
  const std::string json_path = TempPath("report.json");
  ProgramResult r = Sockfi({"explore", "--depth=1", "--json=" + json_path});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith("subject hardened, backend sim, depth 1: "));
  EXPECT_THAT(r.out, HasSubstr(" schedules/s), fault-free run of "));
  EXPECT_THAT(r.out, HasSubstr("  accept       EMFILE "));
  EXPECT_THAT(r.out, HasSubstr("\nno violation\n"));
  std::stringstream json;
  json << std::ifstream(json_path).rdbuf();
  EXPECT_THAT(json.str(),
              StartsWith("{\"subjects\": [\n  {\"subject\": \"hardened\", "
                         "\"backend\": \"sim\", \"depth\": 1, "));
  EXPECT_THAT(json.str(), HasSubstr("\"violations\": []"));
}

TEST(ExploreCommandTest, AllSubjectsGiveTheMatrixJsonAndHtml) {
  const std::string json_path = TempPath("all.json");
  const std::string html_path = TempPath("all.html");
  ProgramResult r = Sockfi({"explore", "--subject=all", "--json=" + json_path,
                            "--html=" + html_path});
  // Models and mutants have findings; only hardened's would fail the command.
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, StartsWith(absl::StrCat(AllSubjects().size(),
                                             " subjects, backend sim, depth "
                                             "2: ")));
  EXPECT_THAT(r.out, HasSubstr("\nsubject "));
  EXPECT_THAT(r.out, HasSubstr("    leak    close  swallow    errno"));
  EXPECT_THAT(r.out, HasSubstr("\nhardened: no violation\n"));
  EXPECT_THAT(r.out,
              HasSubstr("@listen#1' --subject=kafka_python --backend=sim"));
  EXPECT_THAT(r.out, HasSubstr("mutation score: "));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("ESCAPED")));
  std::stringstream json;
  json << std::ifstream(json_path).rdbuf();
  for (const Subject& subject : AllSubjects()) {
    EXPECT_THAT(r.out, HasSubstr("\n" + subject.name + " ")) << subject.name;
    EXPECT_THAT(json.str(),
                HasSubstr("{\"subject\": \"" + subject.name + "\", "));
  }
  EXPECT_THAT(json.str(), HasSubstr("{\"kind\": \"foreign-pair\", "
                                    "\"plan\": \"foreign@listen#1\", "));
  std::stringstream html;
  html << std::ifstream(html_path).rdbuf();
  EXPECT_THAT(html.str(), StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(html.str(), HasSubstr("kafka_python"));
}

TEST(ExploreCommandTest, OneModelWithFindingsExitsZero) {
  ProgramResult r = Sockfi({"explore", "--subject=kafka_python", "--depth=1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("foreign-pair ("));
}

TEST(ExploreCommandTest, HelpSaysWhenTheExitStatusIsOne) {
  ProgramResult r = Sockfi({"explore", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Exit status: 1 only when `hardened` was "
                               "explored and has a violation"));
  EXPECT_THAT(r.out, HasSubstr("--html"));
}

TEST(ExploreCommandTest, BadInputIsAUsageError) {
  ProgramResult depth = Sockfi({"explore", "--depth=5"});
  EXPECT_EQ(depth.exit_code, 2);
  EXPECT_EQ(depth.err, "sockfi explore: --depth=5: expected 1 to 4\n");
  ProgramResult json = Sockfi({"explore", "--json=/nonexistent/dir/r.json"});
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_EQ(json.err,
            "sockfi explore: --json=/nonexistent/dir/r.json: cannot write that "
            "file\n");
  ProgramResult html = Sockfi({"explore", "--html=/nonexistent/dir/r.html"});
  EXPECT_EQ(html.exit_code, 2);
  EXPECT_EQ(html.err,
            "sockfi explore: --html=/nonexistent/dir/r.html: cannot write that "
            "file\n");
}

TEST(ReplayCommandTest, ReplaysCorpusFilesAndCrashes) {
  // The regression input found against rejected_candidate_leaked: a violation
  // there, none in the hardened emulation.
  const std::string crashes = "corpus/subject_fuzzer/regressions";
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(crashes)) {
    files.push_back(entry.path().string());
  }
  ASSERT_EQ(files.size(), 1u);
  ProgramResult bug =
      Sockfi({"replay", "--subject=rejected_candidate_leaked", files[0]});
  EXPECT_EQ(bug.exit_code, 1) << bug.err;
  EXPECT_THAT(bug.out,
              HasSubstr("target:   subject_fuzzer\nreplay:   sockfi run "
                        "--plan='"));
  EXPECT_THAT(bug.out, HasSubstr("--subject=rejected_candidate_leaked"));
  EXPECT_THAT(bug.out, HasSubstr("verdict:  leak: fd "));
  // Without a subject, replay says the input does not record one.
  ProgramResult fixed = Sockfi({"replay", files[0]});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.out;
  EXPECT_THAT(fixed.out,
              HasSubstr("note:     the input does not record the subject it "
                        "was fuzzed with; replaying with hardened"));
  EXPECT_THAT(fixed.out, HasSubstr("verdict:  OK: no violation"));

  ProgramResult text =
      Sockfi({"replay", "--target=fault_plan_fuzzer", files[0]});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.out, HasSubstr("target:   fault_plan_fuzzer\ntext:     \""));
  EXPECT_THAT(text.out, HasSubstr("parse:    refused: line 1, column 1: "));

  // A plan the parser accepts is judged as fault_plan_fuzzer judges it.
  const std::string plan = TempPath("fuzz-out/fault_plan_fuzzer/plan-1");
  std::filesystem::create_directories(TempPath("fuzz-out/fault_plan_fuzzer"));
  std::ofstream(plan) << "accept#1=EBADF";
  ProgramResult parsed = Sockfi({"replay", plan});
  EXPECT_EQ(parsed.exit_code, 0) << parsed.out;
  EXPECT_THAT(parsed.out,
              HasSubstr("parse:    accept#1=EBADF\nrealism:  accept#1=EBADF: "
                        "Linux does not return EBADF from accept"));
  EXPECT_THAT(parsed.out, HasSubstr("verdict:  OK: no violation"));
}

// A folder stands for its files and its subfolders' (a corpus and its
// regressions/), in name order; with several inputs a last line names those
// that show a violation.
TEST(ReplayCommandTest, ReplaysEveryFileOfAFolder) {
  const std::string folder = TempPath("fuzz-out/subject_fuzzer/artifacts");
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder + "/not-an-input");
  std::filesystem::create_directories(folder + "/regressions");
  const std::string crash =
      "corpus/subject_fuzzer/regressions/"
      "crash-bc2f269b44edebe4d66f26a39a9c32652d106bc3";
  std::filesystem::copy_file(crash, folder + "/regressions/crash-b");
  std::ofstream(folder + "/crash-a", std::ios::binary) << "";  // no faults

  ProgramResult bug =
      Sockfi({"replay", "--subject=rejected_candidate_leaked", folder});
  EXPECT_EQ(bug.exit_code, 1) << bug.err;
  const size_t a = bug.out.find("file:     " + folder + "/crash-a ");
  const size_t b =
      bug.out.find("file:     " + folder + "/regressions/crash-b ");
  ASSERT_NE(a, std::string::npos) << bug.out;
  ASSERT_NE(b, std::string::npos) << bug.out;
  EXPECT_LT(a, b);
  EXPECT_THAT(bug.out, EndsWith("2 inputs replayed: 1 shows a violation: " +
                                folder + "/regressions/crash-b\n"));

  ProgramResult fixed = Sockfi({"replay", folder});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_THAT(fixed.out,
              EndsWith("2 inputs replayed: none shows a violation\n"));
}

TEST(ReplayCommandTest, BadInputIsAUsageError) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"replay"},
       "sockfi replay: name at least one file (a crash or corpus file of a "
       "fuzz target)\n"},
      {{"replay", "/nonexistent/crash-1"},
       "sockfi replay: cannot read /nonexistent/crash-1: No such file or "
       "directory\n"},
      {{"replay", "--target=nope", "x"},
       "sockfi replay: --target=nope: the targets are socketpair_sim_fuzzer, "
       "subject_fuzzer, socketpair_real_fuzzer, fault_plan_fuzzer\n"},
      {{"replay", "--subject=all", "x"},
       "sockfi replay: --subject=all: replay runs one subject; the subjects "
       "are: " +
           SubjectNames() + "\n"},
  };
  for (const auto& [args, message] : cases) {
    ProgramResult r = Sockfi(args);
    EXPECT_EQ(r.exit_code, 2) << args.back();
    EXPECT_EQ(r.err, message);
  }
  const std::string empty = TempPath("empty-crash-folder");
  std::filesystem::create_directories(empty);
  ProgramResult nothing = Sockfi({"replay", empty});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_EQ(nothing.err, "sockfi replay: " + empty +
                             " is a directory without files to replay\n");
  const std::string orphan = TempPath("crash-orphan");
  std::ofstream(orphan) << "x";
  ProgramResult r = Sockfi({"replay", orphan});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("cannot tell which fuzz target"));
  // The reason a file cannot be read is the kernel's.
  ProgramResult under = Sockfi({"replay", orphan + "/x"});
  EXPECT_EQ(under.exit_code, 2);
  EXPECT_EQ(under.err,
            "sockfi replay: cannot read " + orphan + "/x: Not a directory\n");
}

TEST(CatalogCommandTest, PrintsTheTable) {
  ProgramResult r = Sockfi({"catalog"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(
      r.out, StartsWith("call         errno          timing  handling   when"));
  EXPECT_THAT(r.out, HasSubstr("close        EINTR          after   ignore"));
}

}  // namespace
}  // namespace sockfi::testing
