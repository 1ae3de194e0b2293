#include "src/cli/stress_command.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "src/stress/scenario_stats.h"
#include "src/stress/stress_scenarios.h"

ABSL_FLAG(absl::Duration, duration, absl::Seconds(60),
          "total time, shared evenly by the scenarios run (e.g. 60s, 5m)");
ABSL_FLAG(uint64_t, seed, 0,
          "seed of the concurrency scenario's random plans (0: a fresh one, "
          "printed)");
ABSL_FLAG(std::string, scenarios, "all",
          "which scenarios to run: all, or names separated by commas "
          "(concurrency, signals, fd-exhaustion, foreign, churn)");
ABSL_FLAG(int32_t, threads, 8, "threads of the concurrency scenario (1 to 64)");

namespace sockfi::cli {
namespace {

constexpr absl::Duration kMaxDuration = absl::Hours(24);

int Usage(const std::string& message) {
  std::fprintf(stderr, "sockfi stress: %s\n", message.c_str());
  return kExitUsage;
}

// Shows a scenario's figures on stderr: redrawn in place on a terminal, a
// line every 10 s otherwise (only long runs get any).
class ProgressLine {
 public:
  ProgressLine(absl::string_view name, absl::Duration duration)
      : name_(name), duration_(duration), terminal_(isatty(STDERR_FILENO)) {}
  ~ProgressLine() {
    if (terminal_ && shown_) std::fprintf(stderr, "\r%100s\r", "");
  }

  void Show(const ScenarioStats& stats) {
    const absl::Time now = absl::Now();
    const absl::Duration every =
        terminal_ ? absl::Milliseconds(200) : absl::Seconds(10);
    if (now - last_ < every) return;
    if (!terminal_ && last_ == absl::InfinitePast()) {
      last_ = now;  // the first line after 10 s
      return;
    }
    last_ = now;
    shown_ = true;
    std::fprintf(
        stderr,
        "%s%s %.0f/%.0f s: %lld runs, %lld pairs, %lld errors ok, "
        "%lld violations%s",
        terminal_ ? "\r" : "", name_.c_str(),
        absl::ToDoubleSeconds(stats.elapsed), absl::ToDoubleSeconds(duration_),
        static_cast<long long>(stats.runs),
        static_cast<long long>(stats.pairs_made),
        static_cast<long long>(stats.errors_propagated),
        static_cast<long long>(stats.violations), terminal_ ? "   " : "\n");
  }

 private:
  const std::string name_;
  const absl::Duration duration_;
  const bool terminal_;
  absl::Time last_ = absl::InfinitePast();
  bool shown_ = false;
};

int RunStress(const std::vector<std::string>& args) {
  if (!args.empty()) {
    return Usage(absl::StrCat("unexpected argument \"", args[0], "\""));
  }
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  if (duration <= absl::ZeroDuration() || duration > kMaxDuration) {
    return Usage(absl::StrCat("--duration=", absl::FormatDuration(duration),
                              ": expected a time above 0 and at most 24h "
                              "(e.g. 60s)"));
  }
  const int threads = absl::GetFlag(FLAGS_threads);
  if (threads < 1 || threads > 64) {
    return Usage(absl::StrCat("--threads=", threads, ": expected 1 to 64"));
  }
  absl::StatusOr<std::vector<const StressScenario*>> scenarios =
      SelectStressScenarios(absl::GetFlag(FLAGS_scenarios));
  if (!scenarios.ok()) {
    return Usage(absl::StrCat("--scenarios=", absl::GetFlag(FLAGS_scenarios),
                              ": ", scenarios.status().message()));
  }
  uint64_t seed = absl::GetFlag(FLAGS_seed);
  if (seed == 0) {
    std::random_device device;
    seed = (uint64_t{device()} << 32) | device() | 1;
  }
  StressSettings settings;
  settings.duration = duration / static_cast<int64_t>(scenarios->size());
  settings.seed = seed;
  settings.threads = threads;
  std::printf(
      "sockfi stress: %zu scenario%s on the real kernel, %s each; seed %llu "
      "(--seed=%llu repeats the concurrency plans)\n\n",
      scenarios->size(), scenarios->size() == 1 ? "" : "s",
      absl::FormatDuration(settings.duration).c_str(),
      static_cast<unsigned long long>(seed),
      static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  std::vector<ScenarioStats> results;
  for (const StressScenario* scenario : *scenarios) {
    std::fprintf(stderr, "stress: %s (%s)...\n", scenario->name.c_str(),
                 absl::FormatDuration(settings.duration).c_str());
    ProgressLine line(scenario->name, settings.duration);
    settings.progress = [&line](const ScenarioStats& s) { line.Show(s); };
    results.push_back(scenario->run(settings));
  }
  std::printf("%s", FormatStressReport(results).c_str());
  bool ok = true;
  for (const ScenarioStats& s : results) ok = ok && s.ok();
  std::printf("\n%s\n",
              ok ? "no violation, no leak" : "VIOLATIONS or leaks: see above");
  return ok ? kExitOk : kExitFailure;
}

}  // namespace

Command StressCommand() {
  std::string scenarios;
  for (const StressScenario& s : AllStressScenarios()) {
    absl::StrAppendFormat(&scenarios, "  %-14s %s\n", s.name, s.summary);
  }
  return Command{
      "stress",
      "reliability on the real kernel: threads, signals, fd exhaustion, "
      "foreign connections, churn",
      "sockfi stress [--duration=60s] [--scenarios=all|NAME,NAME...] "
      "[--seed=N] [--threads=8]",
      absl::StrCat(
          "Runs the hardened emulation on this machine's kernel under real "
          "pressure, one scenario\n"
          "after another, each for its share of --duration:\n",
          scenarios,
          "Every call is judged by the oracles (fd ledger, error propagation, "
          "the pair proven\n"
          "connected to itself, liveness and the deadline) and by the "
          "scenario's own checks, and\n"
          "the process's open fds are counted before and after each "
          "scenario. Progress goes to\n"
          "stderr. At the end it prints a table: per scenario the runs, pairs "
          "made, faults, errors\n"
          "propagated, fd leaks, foreign connections rejected, the worst "
          "latency and violations,\n"
          "then each scenario's outcomes and figures, and each violation "
          "with the `sockfi run`\n"
          "command that replays its plan (where it has one).\n"
          "\n"
          "fd-exhaustion lowers this process's RLIMIT_NOFILE for one call at "
          "a time and restores it;\n"
          "churn leaves tens of thousands of TIME_WAIT sockets on the host "
          "for a minute.\n"
          "Exit status: 0 when nothing was wrong, 1 for a violation or a "
          "leak, 2 for bad flags."),
      {"duration", "scenarios", "seed", "threads"},
      &RunStress,
  };
}

}  // namespace sockfi::cli
