// Runs programs under libsockfi_preload.so and checks what they saw against
// the plan and the trace: faults fire where planned with the catalog's side
// effects, the trace holds every call, leaks are reported with provenance, a
// bad environment stops the program before main, a program without sockets is
// untouched.

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "src/preload/preload_contract.h"
#include "src/preload/preload_trace.h"
#include "src/sys/errno_name.h"
#include "tests/testing/run_program.h"

namespace sockfi {
namespace {

using ::sockfi::testing::ProgramResult;
using ::sockfi::testing::RunfilePath;
using ::sockfi::testing::RunProgram;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// Returns the LD_PRELOAD value for the interposer. Under --config=asan (or
// tsan) the interposer links the sanitizer's runtime, which must be the first
// library of a process: the runtime this test runs with goes first then.
std::string Library() {
  std::string preload = RunfilePath("src/preload/libsockfi_preload.so");
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const size_t path = line.find('/');
    if (path != std::string::npos &&
        (line.find("/libasan.so", path) != std::string::npos ||
         line.find("/libtsan.so", path) != std::string::npos)) {
      return line.substr(path) + ":" + preload;
    }
  }
  return preload;
}
std::string Routines() { return RunfilePath("tests/preload/socket_routines"); }
std::string ErsatzPair() { return RunfilePath("tests/interop/ersatz_pair"); }

std::string TempPath(const std::string& name) {
  static int counter = 0;
  const char* tmp = std::getenv("TEST_TMPDIR");
  return absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/", name, ".", getpid(),
                      ".", ++counter);
}

bool Exists(const std::string& path) {
  struct stat status;
  return stat(path.c_str(), &status) == 0;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct TracedRun {
  ProgramResult program;
  std::string trace_text;
  PreloadTrace trace;
};

// Runs `argv` under the interposer with `plan` (none when empty) and a fresh
// trace file, and parses the trace (which must parse).
TracedRun RunTraced(const std::vector<std::string>& argv,
                    const std::string& plan,
                    std::vector<std::string> env = {}) {
  const std::string trace_path = TempPath("trace.jsonl");
  env.push_back("LD_PRELOAD=" + Library());
  env.push_back(absl::StrCat(preload::kTraceEnv, "=", trace_path));
  if (!plan.empty()) env.push_back(absl::StrCat(preload::kPlanEnv, "=", plan));
  TracedRun run;
  run.program = RunProgram(argv, env);
  run.trace_text = ReadFile(trace_path);
  absl::StatusOr<PreloadTrace> trace = ParsePreloadTrace(run.trace_text);
  EXPECT_TRUE(trace.ok()) << trace.status() << "\n" << run.trace_text;
  if (trace.ok()) run.trace = *std::move(trace);
  return run;
}

// Returns the calls named `call` of the trace's first process, by seq.
std::vector<const PreloadCall*> CallsNamed(const PreloadTrace& trace,
                                           const std::string& call) {
  std::vector<const PreloadCall*> out;
  if (trace.Pids().empty()) return out;
  for (const PreloadCall* c : trace.CallsOf(trace.Pids()[0])) {
    if (c->call == call) out.push_back(c);
  }
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// --- The trace is complete -------------------------------------------------

TEST(PreloadTest, TraceHoldsEveryCallTheProgramMadeInOrder) {
  const TracedRun run = RunTraced({Routines(), "classic"}, "");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  ASSERT_TRUE(CheckPreloadTraceComplete(run.trace).ok())
      << CheckPreloadTraceComplete(run.trace) << "\n"
      << run.trace_text;
  ASSERT_EQ(run.trace.Pids().size(), 1u);
  const int pid = run.trace.Pids()[0];

  // The program's own log: "call FUNCTION FD RESULT ERRNO".
  std::vector<std::string> logged;
  for (const std::string& line : Lines(run.program.out)) {
    if (absl::StartsWith(line, "call ")) logged.push_back(line.substr(5));
  }
  ASSERT_EQ(logged.size(), 19u) << run.program.out;
  std::vector<std::string> traced;
  std::map<std::string, uint32_t> next_occurrence;
  for (const PreloadCall* call : run.trace.CallsOf(pid)) {
    traced.push_back(
        absl::StrCat(call->function, " ", call->fd, " ", call->result, " ",
                     call->error == 0 ? "-" : ErrnoName(call->error)));
    // Occurrences of each call name run 1, 2, 3, ... in the order of calls.
    EXPECT_EQ(call->occurrence, ++next_occurrence[call->call])
        << call->call << " at line " << call->line;
    EXPECT_FALSE(call->injected());
    EXPECT_EQ(call->tid, pid);
  }
  // poll is logged with fd -1 by the program too; everything else matches.
  EXPECT_EQ(traced, logged);
  EXPECT_EQ(next_occurrence["socket"], 2u);
  EXPECT_EQ(next_occurrence["fcntl"], 3u);
  EXPECT_EQ(next_occurrence["send"], 2u);  // write and send
  EXPECT_EQ(next_occurrence["recv"], 2u);  // read and recv
  EXPECT_EQ(next_occurrence["close"], 3u);
  ASSERT_EQ(run.trace.starts.size(), 1u);
  EXPECT_EQ(run.trace.starts[0].plan, "none");
  EXPECT_FALSE(run.trace.starts[0].forked_from.has_value());
  EXPECT_THAT(run.trace.leaks, IsEmpty());
  ASSERT_NE(run.trace.EndOf(pid), nullptr);
  EXPECT_EQ(run.trace.EndOf(pid)->faults, 0u);

  // Arguments the trace carries.
  const PreloadCall& first = *run.trace.CallsOf(pid)[0];
  EXPECT_EQ(first.domain, "AF_INET");
  EXPECT_EQ(first.socket_type, "SOCK_STREAM|SOCK_CLOEXEC");
  ASSERT_EQ(first.new_fds.size(), 1u);
  EXPECT_EQ(first.new_fds[0], first.result);
  const PreloadCall& bind = *run.trace.CallsOf(pid)[1];
  EXPECT_EQ(bind.addr, "127.0.0.1:0");
  const PreloadCall& poll = *CallsNamed(run.trace, "poll")[0];
  EXPECT_EQ(poll.nfds, 2);
  EXPECT_EQ(poll.timeout_ms, 5000);
  EXPECT_EQ(poll.poll_fds.size(), 2u);
}

TEST(PreloadTest,
     ThreadsCountOccurrencesTogetherAndEachThreadsCallsStayInOrder) {
  constexpr int kThreads = 4;
  constexpr int kPairs = 25;
  const TracedRun run = RunTraced(
      {Routines(), "threads", absl::StrCat(kThreads), absl::StrCat(kPairs)},
      "");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  ASSERT_TRUE(CheckPreloadTraceComplete(run.trace).ok())
      << CheckPreloadTraceComplete(run.trace);
  const int pid = run.trace.Pids()[0];
  const std::vector<const PreloadCall*> calls = run.trace.CallsOf(pid);
  // One classic pair is 19 calls.
  ASSERT_EQ(calls.size(), 19u * kThreads * kPairs);

  // Occurrences of each call name are exactly 1..n across all threads.
  std::map<std::string, std::set<uint32_t>> occurrences;
  std::map<int, std::vector<std::string>> by_thread;
  for (const PreloadCall* call : calls) {
    EXPECT_TRUE(occurrences[call->call].insert(call->occurrence).second)
        << call->call << "#" << call->occurrence << " twice";
    by_thread[call->tid].push_back(call->function);
  }
  for (const auto& [name, seen] : occurrences) {
    EXPECT_EQ(*seen.begin(), 1u) << name;
    EXPECT_EQ(*seen.rbegin(), seen.size()) << name << " has gaps";
  }
  EXPECT_EQ(occurrences["socket"].size(), 2u * kThreads * kPairs);
  EXPECT_EQ(occurrences["accept"].size(), 1u * kThreads * kPairs);
  EXPECT_EQ(occurrences["close"].size(), 3u * kThreads * kPairs);

  // Each thread's calls, in seq order, are its pairs one after the other.
  const std::vector<std::string> pair = {
      "socket",  "bind",  "listen",  "getsockname", "socket",
      "fcntl",   "fcntl", "connect", "poll",        "getsockopt",
      "accept4", "close", "fcntl",   "write",       "read",
      "send",    "recv",  "close",   "close"};
  ASSERT_EQ(by_thread.size(), static_cast<size_t>(kThreads));
  for (const auto& [tid, functions] : by_thread) {
    EXPECT_NE(tid, pid);
    ASSERT_EQ(functions.size(), pair.size() * kPairs);
    for (size_t i = 0; i < functions.size(); ++i) {
      ASSERT_EQ(functions[i], pair[i % pair.size()])
          << "thread " << tid << ", call " << i;
    }
  }
  EXPECT_THAT(run.trace.leaks, IsEmpty());
}

// --- Faults fire where planned, with their side effects ----------------------

TEST(PreloadTest, AcceptEconnabortedConsumesTheConnection) {
  const TracedRun run =
      RunTraced({Routines(), "accept"}, "accept#1=ECONNABORTED");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  // The client's connection was taken and closed: it reads end of stream, and
  // nothing is left in the queue.
  EXPECT_THAT(Lines(run.program.out),
              ElementsAre("accept1 ECONNABORTED", "queued 0", "client eof",
                          "accept2 ok", "proven yes"));
  const std::vector<const PreloadCall*> accepts =
      CallsNamed(run.trace, "accept");
  ASSERT_EQ(accepts.size(), 2u);
  EXPECT_EQ(accepts[0]->occurrence, 1u);
  EXPECT_EQ(accepts[0]->fault, "ECONNABORTED");
  EXPECT_EQ(accepts[0]->rule, "accept#1=ECONNABORTED");
  EXPECT_EQ(accepts[0]->rule_status, PreloadRuleStatus::kInjected);
  EXPECT_EQ(accepts[0]->result, -1);
  EXPECT_EQ(accepts[0]->error, ECONNABORTED);
  EXPECT_THAT(accepts[0]->new_fds, IsEmpty());
  EXPECT_FALSE(accepts[1]->fault.has_value());
  EXPECT_GE(accepts[1]->result, 0);
  EXPECT_THAT(run.trace.leaks, IsEmpty());
  EXPECT_EQ(run.trace.ends.at(0).faults, 1u);
}

TEST(PreloadTest, AcceptEagainOnANonBlockingListenerLeavesTheConnectionQueued) {
  const TracedRun run =
      RunTraced({Routines(), "accept", "nb"}, "accept#1=EAGAIN");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  EXPECT_THAT(Lines(run.program.out),
              ElementsAre("accept1 EAGAIN", "queued 1", "client open",
                          "accept2 ok", "proven yes"));
  EXPECT_EQ(CallsNamed(run.trace, "accept").at(0)->fault, "EAGAIN");
}

TEST(PreloadTest, AcceptEmfileLeavesTheConnectionQueued) {
  const TracedRun run = RunTraced({Routines(), "accept"}, "accept#1=EMFILE");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  EXPECT_THAT(Lines(run.program.out),
              ElementsAre("accept1 EMFILE", "queued 1", "client open",
                          "accept2 ok", "proven yes"));
}

TEST(PreloadTest, EagainIsSuppressedOnABlockingListener) {
  const TracedRun run = RunTraced({Routines(), "accept"}, "accept#1=EAGAIN");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  EXPECT_THAT(Lines(run.program.out), ElementsAre("accept1 ok", "proven yes"));
  const PreloadCall& accept = *CallsNamed(run.trace, "accept").at(0);
  EXPECT_EQ(accept.rule_status, PreloadRuleStatus::kSuppressed);
  EXPECT_FALSE(accept.fault.has_value());
  EXPECT_EQ(accept.note, "EAGAIN needs a call that cannot block");
  EXPECT_GE(accept.result, 0);
  EXPECT_EQ(run.trace.ends.at(0).faults, 0u);
}

TEST(PreloadTest, AdversarialModeInjectsWhatLinuxWouldNot) {
  const TracedRun run = RunTraced({Routines(), "accept"}, "accept#1=EBADF",
                                  {"SOCKFI_ADVERSARIAL=1"});
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  EXPECT_THAT(Lines(run.program.out).at(0), "accept1 EBADF");
  EXPECT_TRUE(run.trace.starts.at(0).adversarial);
}

TEST(PreloadTest, CloseEintrStillReleasesTheFd) {
  const TracedRun run = RunTraced({Routines(), "close"}, "close#1=EINTR");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  EXPECT_THAT(Lines(run.program.out),
              ElementsAre("close EINTR", "fd gone", "number reused yes"));
  const std::vector<const PreloadCall*> closes = CallsNamed(run.trace, "close");
  ASSERT_EQ(closes.size(), 2u);
  EXPECT_EQ(closes[0]->fault, "EINTR");
  EXPECT_EQ(closes[0]->error, EINTR);
  // The fcntl on the closed fd is not traced (the fd is no longer tracked),
  // and nothing leaked.
  EXPECT_THAT(CallsNamed(run.trace, "fcntl"), IsEmpty());
  EXPECT_THAT(run.trace.leaks, IsEmpty());
}

TEST(PreloadTest, ConnectEintrLeavesTheAttemptRunning) {
  const TracedRun run = RunTraced({Routines(), "connect"}, "connect#1=EINTR");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  EXPECT_THAT(Lines(run.program.out),
              ElementsAre("connect EINTR", "blocking yes", "completed yes",
                          "proven yes"));
  EXPECT_EQ(CallsNamed(run.trace, "connect").at(0)->fault, "EINTR");
}

TEST(PreloadTest, ShortTransferMovesAtMostTheBytesAllowed) {
  const TracedRun run = RunTraced({Routines(), "short"}, "send#1=short:3");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  EXPECT_THAT(Lines(run.program.out), ElementsAre("sent 3 received 3"));
  const PreloadCall& send = *CallsNamed(run.trace, "send").at(0);
  EXPECT_EQ(send.fault, "short");
  EXPECT_EQ(send.len, 10);
  EXPECT_EQ(send.result, 3);
  const PreloadCall& pair = *CallsNamed(run.trace, "socketpair").at(0);
  EXPECT_EQ(pair.new_fds.size(), 2u);
}

TEST(PreloadTest, EofReadsNothingAndCorruptInvertsWhatWasRead) {
  const std::vector<std::string> adversarial = {"SOCKFI_ADVERSARIAL=1"};
  TracedRun run =
      RunTraced({Routines(), "readback"}, "recv#1=eof", adversarial);
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  // Nothing taken: the second read gets all four bytes.
  EXPECT_THAT(Lines(run.program.out),
              ElementsAre("recvmsg 0: 00 00; recv 4: 41 42"));
  EXPECT_EQ(CallsNamed(run.trace, "recv").at(0)->fault, "eof");

  run = RunTraced({Routines(), "readback"}, "recv#*=corrupt", adversarial);
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  // Every byte read is inverted, across recvmsg's buffers too.
  EXPECT_THAT(Lines(run.program.out),
              ElementsAre("recvmsg 2: be bd; recv 2: bc bb"));
  EXPECT_EQ(CallsNamed(run.trace, "recv").at(1)->fault, "corrupt");
}

TEST(PreloadTest, ErrnoIsWhatTheKernelOrTheFaultSays) {
  const TracedRun run = RunTraced({Routines(), "errno"}, "recv#1=ECONNRESET");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  EXPECT_THAT(Lines(run.program.out),
              ElementsAre("after tracked success EDOM",
                          "after untracked success ERANGE",
                          "untracked failure -1 EBADF",
                          "tracked failure -1 ECONNRESET"));
}

TEST(PreloadTest, FdLimitRefusesTheFdPastIt) {
  const TracedRun run = RunTraced({ErsatzPair()}, "fdlimit=2");
  EXPECT_EQ(run.program.exit_code, 1);
  EXPECT_THAT(run.program.err, HasSubstr("EMFILE"));
  const PreloadCall& accept = *CallsNamed(run.trace, "accept").at(0);
  EXPECT_EQ(accept.fault, "EMFILE");
  EXPECT_EQ(accept.rule, "fdlimit=2");
  EXPECT_THAT(run.trace.leaks, IsEmpty());
}

// --- libevent's emulation, unmodified ----------------------------------------

TEST(PreloadTest, LibeventPairWorksUnderTheInterposer) {
  const TracedRun run = RunTraced({ErsatzPair()}, "");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  EXPECT_THAT(run.program.out, StartsWith("pair: fds "));
  EXPECT_TRUE(CheckPreloadTraceComplete(run.trace).ok());
  std::vector<std::string> calls;
  for (const PreloadCall* call : run.trace.CallsOf(run.trace.Pids()[0])) {
    calls.push_back(call->function);
  }
  // libevent 2.1's sequence, then the harness's proof and closes.
  EXPECT_THAT(calls,
              ElementsAre("socket", "bind", "listen", "socket", "getsockname",
                          "connect", "accept", "getsockname", "close", "write",
                          "read", "write", "read", "close", "close"));
  EXPECT_THAT(run.trace.leaks, IsEmpty());
  EXPECT_EQ(run.trace.ends.at(0).leaks, 0u);
}

TEST(PreloadTest, LibeventPropagatesAnAcceptEconnabortedAndLeaksNothing) {
  const TracedRun run = RunTraced({ErsatzPair()}, "accept#1=ECONNABORTED");
  EXPECT_EQ(run.program.exit_code, 1);
  EXPECT_THAT(run.program.err,
              HasSubstr("evutil_ersatz_socketpair_ failed: ECONNABORTED"));
  EXPECT_EQ(CallsNamed(run.trace, "accept").at(0)->fault, "ECONNABORTED");
  EXPECT_THAT(run.trace.leaks, IsEmpty());
  EXPECT_EQ(CallsNamed(run.trace, "close").size(), 2u);  // listener, connector
}

TEST(PreloadTest, LibeventRejectsAForeignConnectionQueuedFirst) {
  const TracedRun run = RunTraced({ErsatzPair()}, "foreign@listen#1");
  // libevent compares the accepted peer with its connector's address.
  EXPECT_EQ(run.program.exit_code, 1);
  EXPECT_THAT(run.program.err, HasSubstr("ECONNABORTED"));
  const PreloadCall& listen = *CallsNamed(run.trace, "listen").at(0);
  EXPECT_THAT(listen.actors, ElementsAre("foreign"));
  EXPECT_THAT(run.trace.leaks, IsEmpty());
}

// --- Leaks
// ---------------------------------------------------------------------

TEST(PreloadTest, LeakReportNamesExactlyTheLeakedSocketAndItsOrigin) {
  const TracedRun run = RunTraced({ErsatzPair(), "--leak"}, "");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  int leaked = -1;
  for (const std::string& line : Lines(run.program.out)) {
    if (absl::StartsWith(line, "leaked fd ")) {
      ASSERT_TRUE(absl::SimpleAtoi(line.substr(10), &leaked));
    }
  }
  ASSERT_GE(leaked, 0) << run.program.out;
  const int pid = run.trace.Pids().at(0);
  ASSERT_EQ(run.trace.leaks.size(), 1u) << run.trace_text;
  const PreloadLeak& leak = run.trace.leaks[0];
  EXPECT_EQ(leak.fd, leaked);
  EXPECT_EQ(leak.pid, pid);
  EXPECT_EQ(leak.created_pid, pid);
  EXPECT_EQ(leak.call, "accept");
  EXPECT_EQ(leak.function, "accept");
  EXPECT_EQ(leak.occurrence, 1u);
  EXPECT_EQ(leak.domain, "AF_INET");
  EXPECT_EQ(leak.socket_type, "SOCK_STREAM");
  EXPECT_THAT(leak.local.value_or(""), StartsWith("127.0.0.1:"));
  EXPECT_TRUE(leak.peer.has_value());  // the connector is closed, not gone
  EXPECT_EQ(leak.faults_before, 0u);
  EXPECT_FALSE(leak.last_fault.has_value());
  EXPECT_EQ(run.trace.EndOf(pid)->leaks, 1u);
  // The accept that made it is in the trace with that fd.
  EXPECT_THAT(CallsNamed(run.trace, "accept").at(0)->new_fds,
              ElementsAre(leaked));
  // With a trace, no report on stderr unless asked for.
  EXPECT_THAT(run.program.err, IsEmpty());
}

TEST(PreloadTest, LeakProvenanceNamesTheLastFaultBeforeIt) {
  // libevent ignores the result of closing its listener, so the first pair is
  // made despite close#1=EINTR; the second pair's accepted end leaks.
  const TracedRun run =
      RunTraced({ErsatzPair(), "--count=2", "--leak"}, "close#1=EINTR");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  ASSERT_EQ(run.trace.leaks.size(), 1u) << run.trace_text;
  const PreloadLeak& leak = run.trace.leaks[0];
  EXPECT_EQ(leak.call, "accept");
  EXPECT_EQ(leak.occurrence, 2u);
  EXPECT_EQ(leak.faults_before, 1u);
  EXPECT_EQ(leak.last_fault, "close#1=EINTR");
}

TEST(PreloadTest, LibeventClosesEverythingWhenItsAddressCheckFails) {
  const TracedRun run = RunTraced({ErsatzPair()}, "getsockname#2=ENOBUFS");
  EXPECT_EQ(run.program.exit_code, 1);
  EXPECT_THAT(run.program.err, HasSubstr("ENOBUFS"));
  EXPECT_EQ(CallsNamed(run.trace, "close").size(), 3u);
  EXPECT_THAT(run.trace.leaks, IsEmpty());
}

TEST(PreloadTest, HumanLeakReportGoesToStderrWithoutATrace) {
  const ProgramResult leaking =
      RunProgram({ErsatzPair(), "--leak"}, {"LD_PRELOAD=" + Library()});
  ASSERT_EQ(leaking.exit_code, 0) << leaking.err;
  int leaked = -1;
  for (const std::string& line : Lines(leaking.out)) {
    if (absl::StartsWith(line, "leaked fd ")) {
      ASSERT_TRUE(absl::SimpleAtoi(line.substr(10), &leaked));
    }
  }
  const std::vector<std::string> report = Lines(leaking.err);
  ASSERT_EQ(report.size(), 2u) << leaking.err;
  EXPECT_THAT(report[0], StartsWith("sockfi-preload: 1 socket still open at "
                                    "exit (pid "));
  EXPECT_THAT(report[1],
              StartsWith(absl::StrCat("sockfi-preload:   fd ", leaked,
                                      " AF_INET SOCK_STREAM 127.0.0.1:")));
  EXPECT_THAT(report[1], HasSubstr(", made by accept#1 (accept)"));

  const ProgramResult clean =
      RunProgram({ErsatzPair()}, {"LD_PRELOAD=" + Library()});
  ASSERT_EQ(clean.exit_code, 0);
  EXPECT_THAT(clean.err, IsEmpty());

  const ProgramResult silenced =
      RunProgram({ErsatzPair(), "--leak"},
                 {"LD_PRELOAD=" + Library(), "SOCKFI_LEAK_REPORT=off"});
  EXPECT_THAT(silenced.err, IsEmpty());
}

TEST(PreloadTest, ReportOnStderrAndTraceWhenAskedForBoth) {
  const TracedRun run =
      RunTraced({ErsatzPair(), "--leak"}, "", {"SOCKFI_LEAK_REPORT=stderr"});
  EXPECT_EQ(run.trace.leaks.size(), 1u);
  EXPECT_THAT(run.program.err, HasSubstr("made by accept#1 (accept)"));
}

TEST(PreloadTest, DupCopiesTheOriginToTheNewFd) {
  const TracedRun run = RunTraced({Routines(), "dup"}, "");
  ASSERT_EQ(run.program.exit_code, 0);
  ASSERT_EQ(run.trace.leaks.size(), 1u);
  EXPECT_EQ(run.trace.leaks[0].call, "dup");
  EXPECT_EQ(run.trace.leaks[0].occurrence, 1u);
  EXPECT_EQ(absl::StrCat("copy ", run.trace.leaks[0].fd, "\n"),
            run.program.out);
}

TEST(PreloadTest, ASocketClosedBehindTheInterposersBackIsNotALeak) {
  const TracedRun run = RunTraced({Routines(), "fclose"}, "");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  int socket_fd = -1;
  int pipe_read = -1;
  int pipe_write = -1;
  ASSERT_EQ(sscanf(run.program.out.c_str(), "socket %d pipe %d %d", &socket_fd,
                   &pipe_read, &pipe_write),
            3)
      << run.program.out;
  EXPECT_EQ(pipe_read, socket_fd);  // the number was reused
  EXPECT_THAT(run.trace.leaks, IsEmpty());
  EXPECT_EQ(run.trace.ends.at(0).leaks, 0u);
}

TEST(PreloadTest, ForkChildTracksOnWithItsOwnLinesAndLeaks) {
  const TracedRun run = RunTraced({Routines(), "fork"}, "");
  ASSERT_EQ(run.program.exit_code, 0) << run.program.err;
  ASSERT_TRUE(CheckPreloadTraceComplete(run.trace).ok())
      << CheckPreloadTraceComplete(run.trace) << "\n"
      << run.trace_text;
  const std::vector<int> pids = run.trace.Pids();
  ASSERT_EQ(pids.size(), 2u) << run.trace_text;
  const int parent = pids[0];
  const int child = pids[1];
  for (const PreloadStart& start : run.trace.starts) {
    if (start.pid == child) {
      EXPECT_EQ(start.forked_from, parent);
    } else {
      EXPECT_FALSE(start.forked_from.has_value());
    }
  }
  // The child's socket is the process's second: counts go on from the fork.
  const std::vector<const PreloadCall*> child_calls = run.trace.CallsOf(child);
  ASSERT_EQ(child_calls.size(), 1u);
  EXPECT_EQ(child_calls[0]->call, "socket");
  EXPECT_EQ(child_calls[0]->occurrence, 2u);
  EXPECT_EQ(child_calls[0]->seq, 0u);
  // The child exited with both sockets open; the parent closed its listener.
  EXPECT_THAT(run.trace.LeaksOf(parent), IsEmpty());
  const std::vector<const PreloadLeak*> leaks = run.trace.LeaksOf(child);
  ASSERT_EQ(leaks.size(), 2u);
  EXPECT_EQ(leaks[0]->created_pid, parent);  // the inherited listener
  EXPECT_EQ(leaks[0]->occurrence, 1u);
  EXPECT_EQ(leaks[1]->created_pid, child);
  EXPECT_EQ(leaks[1]->occurrence, 2u);
}

// --- The environment ---------------------------------------------------------

struct BadEnvironment {
  std::vector<std::string> env;
  std::string message;  // what stderr must start with
};

TEST(PreloadTest, BadEnvironmentExitsTwoBeforeMainWithTheReason) {
  const std::string plan_file = TempPath("plan.txt");
  std::ofstream(plan_file) << "accept#1=EINTR\nclose#x=EINTR\n";
  const std::vector<BadEnvironment> cases = {
      {{"SOCKFI_PLAN=accept#1=EFOO"},
       "sockfi-preload: SOCKFI_PLAN: line 1, column 10: unknown errno "
       "\"EFOO\""},
      {{"SOCKFI_PLAN=accept#1=EINTR; bogus#1=EINTR"},
       "sockfi-preload: SOCKFI_PLAN: line 1, column 17: unknown call "
       "\"bogus\""},
      {{"SOCKFI_PLAN="}, "sockfi-preload: SOCKFI_PLAN: the plan is empty"},
      {{"SOCKFI_PLAN=@" + plan_file},
       "sockfi-preload: SOCKFI_PLAN: @" + plan_file +
           ": line 2, column 7: expected an occurrence"},
      {{"SOCKFI_PLAN=@/no/such/plan"},
       "sockfi-preload: SOCKFI_PLAN: @/no/such/plan: cannot read the plan "
       "file: No such file or directory"},
      {{"SOCKFI_PLAN=accept#1=EBADF"},
       "sockfi-preload: SOCKFI_PLAN: accept#1=EBADF: Linux does not return "
       "EBADF from accept"},
      {{"SOCKFI_PLAN=recv#1=eof"},
       "sockfi-preload: SOCKFI_PLAN: recv#1=eof: Linux reads end of stream "
       "only once the peer has shut its side down"},
      {{"SOCKFI_ADVERSARIAL=yes"},
       "sockfi-preload: SOCKFI_ADVERSARIAL: expected 1 or 0, found \"yes\""},
      {{"SOCKFI_TRACE="}, "sockfi-preload: SOCKFI_TRACE: is empty"},
      {{"SOCKFI_TRACE=/no/such/dir/trace.jsonl"},
       "sockfi-preload: SOCKFI_TRACE: cannot create /no/such/dir/trace.jsonl"},
      {{"SOCKFI_LEAK_REPORT=loud"},
       "sockfi-preload: SOCKFI_LEAK_REPORT: expected stderr or off"},
  };
  for (const BadEnvironment& bad : cases) {
    std::vector<std::string> env = bad.env;
    env.push_back("LD_PRELOAD=" + Library());
    const ProgramResult result = RunProgram({Routines(), "nosocket"}, env);
    EXPECT_EQ(result.exit_code, preload::kBadEnvironmentExitStatus)
        << bad.env[0];
    EXPECT_THAT(result.err, StartsWith(bad.message)) << bad.env[0];
    EXPECT_EQ(Lines(result.err).size(), 1u) << result.err;
    EXPECT_THAT(result.out, IsEmpty()) << "main ran for " << bad.env[0];
  }
  // The unrealistic plan's message says how to inject it anyway.
  const ProgramResult unrealistic =
      RunProgram({Routines(), "nosocket"},
                 {"LD_PRELOAD=" + Library(), "SOCKFI_PLAN=accept#1=EBADF"});
  EXPECT_THAT(unrealistic.err, HasSubstr("set SOCKFI_ADVERSARIAL=1"));
}

TEST(PreloadTest, ProgramWithoutSocketsBehavesExactlyAsWithoutTheInterposer) {
  const ProgramResult plain = RunProgram({Routines(), "nosocket"});
  ASSERT_EQ(plain.exit_code, 3);
  const std::string trace = TempPath("untouched.jsonl");
  const ProgramResult preloaded =
      RunProgram({Routines(), "nosocket"},
                 {"LD_PRELOAD=" + Library(), "SOCKFI_TRACE=" + trace,
                  "SOCKFI_PLAN=close#*=EINTR; recv#*=ECONNRESET; poll#*=ENOMEM",
                  "SOCKFI_LEAK_REPORT=stderr"});
  EXPECT_EQ(preloaded.exit_code, plain.exit_code);
  EXPECT_EQ(preloaded.out, plain.out);
  EXPECT_EQ(preloaded.err, plain.err);
  EXPECT_FALSE(Exists(trace));
  const ProgramResult untraced =
      RunProgram({Routines(), "nosocket"}, {"LD_PRELOAD=" + Library()});
  EXPECT_EQ(untraced.out, plain.out);
  EXPECT_EQ(untraced.err, plain.err);
  EXPECT_EQ(untraced.exit_code, plain.exit_code);
}

TEST(PreloadTest, TraceFileIsAppendedToNotTruncated) {
  const std::string trace = TempPath("shared.jsonl");
  const std::vector<std::string> env = {"LD_PRELOAD=" + Library(),
                                        "SOCKFI_TRACE=" + trace};
  ASSERT_EQ(RunProgram({ErsatzPair()}, env).exit_code, 0);
  ASSERT_EQ(RunProgram({ErsatzPair()}, env).exit_code, 0);
  absl::StatusOr<PreloadTrace> parsed = ParsePreloadTrace(ReadFile(trace));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->Pids().size(), 2u);
  EXPECT_EQ(parsed->ends.size(), 2u);
  EXPECT_TRUE(CheckPreloadTraceComplete(*parsed).ok());
  // Each process trimmed its padding: no blank line is left.
  EXPECT_THAT(ReadFile(trace), Not(HasSubstr("  ")));
}

}  // namespace
}  // namespace sockfi
