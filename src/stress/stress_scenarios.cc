#include "src/stress/stress_scenarios.h"

#include <algorithm>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "src/stress/churn_scenario.h"
#include "src/stress/concurrency_scenario.h"
#include "src/stress/fd_exhaustion_scenario.h"
#include "src/stress/foreign_scenario.h"
#include "src/stress/signal_scenario.h"

namespace sockfi {
namespace {

// Only time bounds a scenario run from the command line.
StressBudget TimeOnly(absl::Duration duration) {
  return {std::numeric_limits<int64_t>::max(), duration};
}

ScenarioStats Concurrency(const StressSettings& settings) {
  ConcurrencyConfig config;
  config.budget = TimeOnly(settings.duration);
  config.seed = settings.seed;
  config.threads = settings.threads;
  return RunConcurrencyScenario(config, settings.progress);
}

ScenarioStats Signals(const StressSettings& settings) {
  SignalConfig config;
  config.budget = TimeOnly(settings.duration);
  return RunSignalScenario(config, settings.progress);
}

ScenarioStats FdExhaustion(const StressSettings& settings) {
  FdExhaustionConfig config;
  config.budget = TimeOnly(settings.duration);
  return RunFdExhaustionScenario(config, settings.progress);
}

ScenarioStats Foreign(const StressSettings& settings) {
  ForeignConfig config;
  config.budget = TimeOnly(settings.duration);
  return RunForeignScenario(config, settings.progress);
}

ScenarioStats Churn(const StressSettings& settings) {
  ChurnConfig config;
  config.budget = TimeOnly(settings.duration);
  return RunChurnScenario(config, settings.progress);
}

}  // namespace

const std::vector<StressScenario>& AllStressScenarios() {
  static const std::vector<StressScenario>* const kScenarios =
      new std::vector<StressScenario>{
          {"concurrency",
           "threads making pairs through one shared fault injector, each run "
           "with a random plan of its own",
           &Concurrency},
          {"signals",
           "a SIGALRM every 50 us (no SA_RESTART) while pairs are made",
           &Signals},
          {"fd-exhaustion",
           "RLIMIT_NOFILE lowered so each fd-creating step meets EMFILE in "
           "turn",
           &FdExhaustion},
          {"foreign",
           "a thread connecting to every listener, and floods of the listen "
           "queue",
           &Foreign},
          {"churn", "pairs made and closed in a row, in each close order",
           &Churn},
      };
  return *kScenarios;
}

absl::StatusOr<std::vector<const StressScenario*>> SelectStressScenarios(
    absl::string_view names) {
  const std::vector<StressScenario>& all = AllStressScenarios();
  std::vector<bool> chosen(all.size(), names == "all");
  if (names != "all") {
    for (absl::string_view name : absl::StrSplit(names, ',')) {
      auto found =
          std::find_if(all.begin(), all.end(),
                       [&](const StressScenario& s) { return s.name == name; });
      if (found == all.end()) {
        std::vector<std::string> known;
        for (const StressScenario& s : all) known.push_back(s.name);
        return absl::InvalidArgumentError(
            absl::StrCat("unknown scenario \"", name, "\"; expected all or ",
                         absl::StrJoin(known, ", "), " (comma-separated)"));
      }
      chosen[found - all.begin()] = true;
    }
  }
  std::vector<const StressScenario*> selected;
  for (size_t i = 0; i < all.size(); ++i) {
    if (chosen[i]) selected.push_back(&all[i]);
  }
  return selected;
}

}  // namespace sockfi
