// The flags that choose where and what to run (--backend, --subject,
// --adversarial), shared by run and explore.

#ifndef SOCKFI_SRC_CLI_BACKEND_FLAGS_H_
#define SOCKFI_SRC_CLI_BACKEND_FLAGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "src/explore/run.h"
#include "src/explore/world.h"
#include "src/sim/sim_config.h"
#include "src/subjects/subject.h"

namespace sockfi::cli {

struct BackendChoice {
  BackendKind backend = BackendKind::kSim;
  WorldFactory make_world;
  std::vector<const Subject*> subjects;  // at least one
  bool adversarial = false;
  SimConfig sim;  // the simulated kernel's settings (--sim)
};

// Reads --backend, --subject (a name, a comma-separated list, or "all"),
// --adversarial and --sim. Returns InvalidArgument naming the flag for a bad
// value.
absl::StatusOr<BackendChoice> ReadBackendFlags();

// Returns `own` followed by the names of the backend flags.
std::vector<std::string> WithBackendFlags(std::vector<std::string> own);

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_BACKEND_FLAGS_H_
