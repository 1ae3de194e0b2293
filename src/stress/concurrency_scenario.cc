#include "src/stress/concurrency_scenario.h"

#include <atomic>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "src/fault/fault_injector.h"
#include "src/fault/real_host_actors.h"
#include "src/stress/judged_run.h"
#include "src/stress/random_plans.h"
#include "src/sys/process_fds.h"
#include "src/sys/real_syscalls.h"

namespace sockfi {
namespace {

// What the workers share while they run.
struct Shared {
  std::atomic<int64_t> runs_started{0};
  std::atomic<int64_t> runs{0};
  std::atomic<int64_t> pairs{0};
  std::atomic<int64_t> errors{0};
  std::atomic<int64_t> violations{0};
  std::atomic<int64_t> direct{0};
  std::atomic<int64_t> indirect{0};
  std::mutex mu;
  ScenarioStats stats;  // guarded by mu: each worker's share, merged at its end
};

void Work(int index, const ConcurrencyConfig& config, const RandomPlans& plans,
          FaultInjector& injector, RealSyscalls& real, absl::Time end,
          Shared* shared) {
  std::seed_seq seq{static_cast<uint32_t>(config.seed),
                    static_cast<uint32_t>(config.seed >> 32),
                    static_cast<uint32_t>(index)};
  std::mt19937_64 random(seq);
  ScenarioStats mine;
  for (int64_t k = 0;; ++k) {
    if (shared->runs_started.fetch_add(1) >= config.budget.max_runs ||
        absl::Now() >= end) {
      break;
    }
    PlannedRun planned = plans.Next(random);
    RealHostActors actors(real);
    JudgedRunSpec spec;
    spec.options = planned.options;
    spec.plan = std::move(planned.plan);
    spec.actors = &actors;
    spec.deadline_slack = config.deadline_slack;
    const JudgedRun run = RunJudged(injector, real, spec);
    CountJudgedRun(run, absl::StrCat("thread ", index, ", run ", k), &mine);
    shared->runs.fetch_add(1);
    if (!run.ok()) {
      shared->violations.fetch_add(1);
    } else if (run.record.status.ok()) {
      shared->pairs.fetch_add(1);
    } else {
      shared->errors.fetch_add(1);
      (run.cause == ErrorCause::kDirect ? shared->direct : shared->indirect)
          .fetch_add(1);
    }
  }
  std::lock_guard<std::mutex> lock(shared->mu);
  shared->stats.Merge(mine);
}

}  // namespace

ScenarioStats RunConcurrencyScenario(const ConcurrencyConfig& config,
                                     const StressProgress& progress) {
  const absl::Time start = absl::Now();
  const absl::Time end = start + config.budget.max_duration;
  Shared shared;
  shared.stats.scenario = "concurrency";
  shared.stats.fault_meaning = absl::StrCat(
      "a fault of a run's own random plan that fired (errno, fd limit, "
      "foreign client), ",
      config.threads, " threads sharing one injector");
  RealSyscalls real;
  const SysResult<int> fds_before = CountOpenFds();

  absl::StatusOr<RandomPlans> plans = RandomPlans::Make(
      real, RandomPlans::DefaultVariants(config.pair_timeout));
  if (!plans.ok() || !fds_before.ok()) {
    shared.stats.AddViolation(
        absl::StrCat("setup: ", plans.ok() ? "cannot read /proc/self/fd"
                                           : plans.status().ToString()));
    return shared.stats;
  }
  FaultInjector injector(real, FaultPlan());
  std::vector<std::thread> workers;
  for (int t = 0; t < config.threads; ++t) {
    workers.emplace_back(Work, t, std::cref(config), std::cref(*plans),
                         std::ref(injector), std::ref(real), end, &shared);
  }
  std::atomic<int> done{0};
  std::thread joiner([&] {
    for (std::thread& worker : workers) worker.join();
    done = 1;
  });
  while (done == 0) {
    absl::SleepFor(absl::Milliseconds(100));
    if (progress == nullptr) continue;
    ScenarioStats now;
    now.scenario = shared.stats.scenario;
    now.runs = shared.runs;
    now.pairs_made = shared.pairs;
    now.errors_propagated = shared.errors;
    now.violations = shared.violations;
    now.elapsed = absl::Now() - start;
    progress(now);
  }
  joiner.join();

  ScenarioStats stats = std::move(shared.stats);
  stats.elapsed = absl::Now() - start;
  const Trace outside = injector.TakeTrace();
  if (!outside.empty()) {
    stats.AddViolation(absl::StrCat(
        "the shared injector saw ", outside.size(),
        " calls outside every thread's run: a thread's calls leaked out of "
        "its ThreadRun"));
  }
  const SysResult<int> fds_after = CountOpenFds();
  stats.leaked_fds = fds_after.ok() ? *fds_after - *fds_before : 0;
  stats.notes.push_back(absl::StrCat(
      "seed ", config.seed, ", ", config.threads, " threads, deadline ",
      absl::FormatDuration(config.pair_timeout), " per run"));
  stats.notes.push_back(absl::StrCat(
      "errors at the step and errno of a fault of their own run: ",
      shared.direct.load(),
      "; explained by the oracle through faults of their own run (a retry "
      "given up on, a deadline): ",
      shared.indirect.load()));
  return stats;
}

}  // namespace sockfi
