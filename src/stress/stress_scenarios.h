// The reliability scenarios by name, as `sockfi stress` runs them: each for a
// chosen time, one after another.

#ifndef SOCKFI_SRC_STRESS_STRESS_SCENARIOS_H_
#define SOCKFI_SRC_STRESS_STRESS_SCENARIOS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/stress/scenario_stats.h"

namespace sockfi {

struct StressSettings {
  absl::Duration duration = absl::Seconds(10);  // this scenario's time
  uint64_t seed = 1;                            // the concurrency plans' seed
  int threads = 8;                              // concurrency threads
  StressProgress progress;                      // may be null
};

struct StressScenario {
  std::string name;     // "concurrency", "signals", ...
  std::string summary;  // one line, for --help
  // Runs the scenario for settings.duration (calls are not counted).
  ScenarioStats (*run)(const StressSettings& settings);
};

// Returns every scenario, in the order `sockfi stress` runs them:
// concurrency, signals, fd-exhaustion, foreign, churn.
const std::vector<StressScenario>& AllStressScenarios();

// Returns the scenarios named in `names` ("all", or names separated by
// commas), in AllStressScenarios order, each once; InvalidArgument naming the
// unknown one and listing the known ones otherwise.
absl::StatusOr<std::vector<const StressScenario*>> SelectStressScenarios(
    absl::string_view names);

}  // namespace sockfi

#endif  // SOCKFI_SRC_STRESS_STRESS_SCENARIOS_H_
