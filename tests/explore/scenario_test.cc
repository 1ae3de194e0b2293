// The scenario codec: every input decodes to a valid scenario, encoding
// round-trips, and the replay command says everything the run depends on.

#include "src/explore/scenario.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <random>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "src/explore/fuzz_targets.h"
#include "src/sim/sim_settings.h"
#include "src/subjects/subject.h"
#include "tests/testing/random_bytes.h"

namespace sockfi {
namespace {

using ::sockfi::testing::RandomBytes;

TEST(ScenarioTest, EveryInputDecodesToAValidScenario) {
  std::mt19937 rng(7);       // a fixed seed: the test is deterministic
  int invalid = 0;           // inputs whose options are invalid on purpose
  int eof = 0, corrupt = 0;  // stream faults (adversarial only)
  for (int i = 0; i < 20000; ++i) {
    const std::vector<uint8_t> input = RandomBytes(rng, 80);
    const Scenario s = DecodeScenario(input);
    invalid += !ValidatePairOptions(s.options).ok();
    ASSERT_TRUE(ValidateSimConfig(s.sim).ok()) << i;
    ASSERT_LE(s.plan.faults.size() + s.plan.actors.size(), 16u);
    if (!s.adversarial) {
      ASSERT_TRUE(CheckRealistic(s.plan, ErrnoCatalog::Linux()).ok())
          << PrintPlan(s.plan);
    }
    for (const FaultRule& rule : s.plan.faults) {
      if (const auto* stream = std::get_if<StreamFault>(&rule.action)) {
        (*stream == StreamFault::kEndOfStream ? eof : corrupt) += 1;
      }
      const auto* fault = std::get_if<ErrnoFault>(&rule.action);
      if (fault == nullptr || !fault->timing.has_value()) continue;
      // Timings no routine could survive are never generated.
      if (rule.call == CallKind::kClose) {
        EXPECT_EQ(*fault->timing, Timing::kAfter);
      }
      if (rule.call == CallKind::kSend || rule.call == CallKind::kRecv) {
        EXPECT_EQ(*fault->timing, Timing::kBefore);
      }
    }
  }
  // About 6 in 32 (and none but those) exercise the argument checks.
  EXPECT_GT(invalid, 20000 * 4 / 32);
  EXPECT_LT(invalid, 20000 * 8 / 32);
  // The checks a routine makes of what it reads are exercised too.
  EXPECT_GT(eof, 100);
  EXPECT_GT(corrupt, 100);
}

TEST(ScenarioTest, InvalidOptionsAreRefusedBeforeAnySystemCall) {
  for (uint8_t which = 1; which <= 6; ++which) {
    const uint8_t input[] = {0, 0, static_cast<uint8_t>(which << 3), 0};
    const Scenario s = DecodeScenario(input);
    ASSERT_FALSE(ValidatePairOptions(s.options).ok()) << int{which};
    EXPECT_EQ(DecodeScenario(EncodeScenario(s)).options.family,
              s.options.family);
    const RunResult run = RunScenario(s, BackendKind::kSim);
    EXPECT_EQ(run.record.status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(run.record.trace.empty());
    EXPECT_TRUE(run.verdict.ok()) << run.verdict.Format();
    EXPECT_NE(RunCommandFor(s, BackendKind::kSim).find("# invalid options ("),
              std::string::npos);
  }
}

// subject_fuzzer gives any subject the same inputs: one that claims argument
// checks must refuse invalid options whatever it changes in the options it is
// given (a mutant that forced token checking on once turned an invalid
// peer_check into a valid one, and the fuzzer stopped on that instead of on
// its planted bug).
TEST(ScenarioTest, EverySubjectThatChecksArgumentsRefusesInvalidOptions) {
  for (const Subject& subject : AllSubjects()) {
    if (!subject.checks_arguments) continue;
    for (uint8_t which = 1; which <= 6; ++which) {
      const uint8_t input[] = {0, 0, static_cast<uint8_t>(which << 3), 0};
      Scenario s = DecodeScenario(input);
      s.subject = subject.name;
      const RunResult run = RunScenario(s, BackendKind::kSim);
      EXPECT_EQ(run.record.status.code(), absl::StatusCode::kInvalidArgument)
          << subject.name << ", broken option " << int{which};
      EXPECT_TRUE(run.verdict.ok())
          << subject.name << ", broken option " << int{which} << ": "
          << run.verdict.Format();
    }
  }
}

TEST(ScenarioTest, DecodingWhatWasEncodedGivesTheSameScenario) {
  std::mt19937 rng(11);
  for (int i = 0; i < 5000; ++i) {
    const Scenario first = DecodeScenario(RandomBytes(rng, 80));
    const Scenario second = DecodeScenario(EncodeScenario(first));
    ASSERT_EQ(PrintPlan(second.plan), PrintPlan(first.plan)) << i;
    EXPECT_EQ(second.options.family, first.options.family);
    EXPECT_EQ(second.options.type, first.options.type);
    EXPECT_EQ(second.options.timeout, first.options.timeout);
    EXPECT_EQ(second.options.peer_check, first.options.peer_check);
    EXPECT_EQ(second.options.listen_address, first.options.listen_address);
    EXPECT_EQ(second.adversarial, first.adversarial);
    EXPECT_EQ(PrintSimSettings(second.sim), PrintSimSettings(first.sim));
  }
}

TEST(ScenarioTest, EmptyInputIsTheFaultFreeDefault) {
  const Scenario s = DecodeScenario({});
  EXPECT_TRUE(s.plan.empty());
  EXPECT_EQ(s.options.family, AF_INET);
  EXPECT_EQ(s.options.type, SOCK_STREAM);
  EXPECT_EQ(s.options.timeout, absl::Seconds(5));
  EXPECT_EQ(PrintSimSettings(s.sim), "");
  EXPECT_EQ(RunCommandFor(s, BackendKind::kSim),
            "sockfi run --plan='none' --subject=hardened --backend=sim");
}

TEST(ScenarioTest, ReplayCommandSaysEverythingTheRunDependsOn) {
  Scenario s;
  s.subject = "kafka_python";
  s.options.family = AF_INET6;
  s.options.type = SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC;
  s.options.timeout = absl::Milliseconds(100);
  s.options.peer_check = PeerCheck::kAddressesAndToken;
  s.options.listen_address = ListenAddress::kLoopback;
  s.adversarial = true;
  s.sim.somaxconn = 8;
  s.sim.socket_buffer_bytes = 16;
  s.plan = *ParsePlan("accept#1=EINTR; impostor@listen#1");
  EXPECT_EQ(RunCommandFor(s, BackendKind::kSim),
            "sockfi run --plan='accept#1=EINTR; impostor@listen#1' "
            "--subject=kafka_python --backend=sim --family=inet6 --nonblock "
            "--cloexec --timeout=100ms --peer_check=both "
            "--listen_address=loopback --adversarial "
            "--sim='somaxconn=8,buffer=16'");
  // The real kernel has no simulated settings.
  EXPECT_EQ(RunCommandFor(s, BackendKind::kReal).find("--sim"),
            std::string::npos);
}

TEST(ScenarioTest, RunScenarioRefusesWhatItCannotRun) {
  Scenario s;
  s.subject = "nobody";
  EXPECT_EQ(RunScenario(s, BackendKind::kSim).record.status.code(),
            absl::StatusCode::kNotFound);
  s.subject = "hardened";
  s.sim.fd_limit = 0;
  EXPECT_EQ(RunScenario(s, BackendKind::kSim).record.status.code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FuzzTargetsTest, TargetsAreFoundByNameAndByPath) {
  ASSERT_NE(FindFuzzTarget("subject_fuzzer"), nullptr);
  EXPECT_TRUE(FindFuzzTarget("subject_fuzzer")->chooses_subject);
  EXPECT_EQ(FindFuzzTarget("nope"), nullptr);
  EXPECT_EQ(FuzzTargetOfPath("x/corpus/fault_plan_fuzzer/abc")->name,
            "fault_plan_fuzzer");
  EXPECT_EQ(
      FuzzTargetOfPath("fuzz-out/socketpair_real_fuzzer/artifacts/crash-1")
          ->name,
      "socketpair_real_fuzzer");
  EXPECT_EQ(FuzzTargetOfPath("/tmp/crash-123"), nullptr);
}

TEST(FuzzTargetsTest, TheRealTargetKeepsRunsShort) {
  Scenario slow;
  slow.options.timeout = absl::Seconds(200);
  const std::vector<uint8_t> bytes = EncodeScenario(slow);
  const Scenario real =
      ScenarioForInput(*FindFuzzTarget("socketpair_real_fuzzer"), bytes, "x");
  EXPECT_EQ(real.options.timeout, absl::Milliseconds(300));
  EXPECT_EQ(real.subject, "hardened");
  const Scenario chosen = ScenarioForInput(*FindFuzzTarget("subject_fuzzer"),
                                           bytes, "kafka_python");
  EXPECT_EQ(chosen.subject, "kafka_python");
  EXPECT_EQ(chosen.options.timeout, absl::Seconds(200));
}

// socketpair_real_fuzzer's referee beyond the oracles: the process's fd table
// must hold as many fds after a run on the real kernel as before.
TEST(ScenarioTest, TheRealTargetsHarnessCountsTheProcesssFds) {
  const FuzzTarget& real = *FindFuzzTarget("socketpair_real_fuzzer");
  Scenario clean = DecodeScenario({});
  const HarnessRun fine = RunAsHarness(real, clean);
  EXPECT_TRUE(fine.ok()) << fine.result.verdict.Format()
                         << fine.fd_table_finding;

  // A routine that leaks its listener when accept fails leaves one fd more.
  Scenario leak = clean;
  leak.subject = "listener_leaked_on_accept_error";
  leak.plan.faults.push_back(FaultRule{CallKind::kAccept, Occurrences{},
                                       ErrnoFault{EMFILE, std::nullopt}});
  const HarnessRun leaked = RunAsHarness(real, leak);
  EXPECT_FALSE(leaked.ok());
  EXPECT_TRUE(absl::StartsWith(leaked.fd_table_finding, "the process holds "))
      << leaked.fd_table_finding;
  EXPECT_TRUE(absl::EndsWith(leaked.fd_table_finding, " before it"))
      << leaked.fd_table_finding;
}

}  // namespace
}  // namespace sockfi
