#include "src/stress/signal_scenario.h"

#include <cerrno>
#include <map>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "src/fault/fault_injector.h"
#include "src/fault/fault_plan.h"
#include "src/fault/real_host_actors.h"
#include "src/stress/judged_run.h"
#include "src/stress/random_plans.h"
#include "src/stress/signal_storm.h"
#include "src/sys/process_fds.h"
#include "src/sys/real_syscalls.h"

namespace sockfi {
namespace {

// One run in this many has its listen queue kept full by a flood.
constexpr int64_t kFloodEvery = 100;

}  // namespace

ScenarioStats RunSignalScenario(const SignalConfig& config,
                                const StressProgress& progress) {
  const absl::Time start = absl::Now();
  ScenarioStats stats;
  stats.scenario = "signals";
  stats.fault_meaning =
      absl::StrCat("a SIGALRM caught (handler without SA_RESTART), one every ",
                   absl::FormatDuration(config.interval));
  RealSyscalls real;
  const SysResult<int> fds_before = CountOpenFds();
  if (!fds_before.ok()) {
    stats.AddViolation("setup: cannot read /proc/self/fd");
    return stats;
  }
  const std::vector<PairOptions> variants =
      RandomPlans::DefaultVariants(config.pair_timeout);
  FaultInjector injector(real, FaultPlan());
  std::map<std::string, int64_t> interrupted;  // calls that saw EINTR
  const FaultPlan flood_plan = *ParsePlan("flood@listen#1");
  int64_t flooded = 0;
  uint64_t delivered = 0;
  {
    absl::StatusOr<std::unique_ptr<SignalStorm>> storm =
        SignalStorm::Start(config.interval);
    if (!storm.ok()) {
      stats.AddViolation(absl::StrCat("setup: ", storm.status().ToString()));
      return stats;
    }
    const absl::Time end = start + config.budget.max_duration;
    absl::Time last_progress = start;
    for (int64_t k = 0; k < config.budget.max_runs; ++k) {
      const absl::Time now = absl::Now();
      if (now >= end) break;
      if (progress != nullptr &&
          now - last_progress >= absl::Milliseconds(100)) {
        last_progress = now;
        stats.faults = static_cast<int64_t>((*storm)->delivered());
        stats.elapsed = now - start;
        progress(stats);
      }
      JudgedRunSpec spec;
      spec.options = variants[k % variants.size()];
      spec.deadline_slack = config.deadline_slack;
      // On loopback nothing in the emulation's common path blocks, so nothing
      // there can be interrupted. A flood keeps its connect from completing:
      // then it waits in poll until its deadline, under the storm.
      RealHostActors actors(real);
      if (k % kFloodEvery == kFloodEvery - 1) {
        spec.plan = flood_plan;
        spec.actors = &actors;
        spec.options.timeout = config.flood_timeout;
        ++flooded;
      }
      const JudgedRun run = RunJudged(injector, real, spec);
      CountJudgedRun(run, absl::StrCat("run ", k), &stats);
      for (const TraceEvent& event : run.record.trace) {
        if (event.error_number == EINTR) {
          ++interrupted[std::string(CallName(event.call))];
        }
      }
    }
    delivered = (*storm)->delivered();
  }
  stats.faults = static_cast<int64_t>(delivered);
  stats.elapsed = absl::Now() - start;
  const SysResult<int> fds_after = CountOpenFds();
  stats.leaked_fds = fds_after.ok() ? *fds_after - *fds_before : 0;
  stats.figures["signals caught"] = static_cast<int64_t>(delivered);
  stats.figures["runs with a flood (the emulation waits in poll)"] = flooded;
  int64_t eintr = 0;
  for (const auto& [call, count] : interrupted) {
    stats.figures[absl::StrCat(call, " calls that failed with EINTR")] = count;
    eintr += count;
  }
  stats.figures["calls that failed with EINTR"] = eintr;
  stats.notes.push_back(absl::StrCat(
      "a flood keeps the listen queue full in one run of ", kFloodEvery,
      " (deadline ", absl::FormatDuration(config.flood_timeout),
      "): nothing else in the emulation's path blocks on loopback"));
  return stats;
}

}  // namespace sockfi
