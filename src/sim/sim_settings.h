// The text form of a SimConfig's settings, for the command line and for
// replays: "somaxconn=8,buffer=1024,abort_on_overflow=1".

#ifndef SOCKFI_SRC_SIM_SIM_SETTINGS_H_
#define SOCKFI_SRC_SIM_SIM_SETTINGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/sim/sim_config.h"

namespace sockfi {

// Returns `base` with the comma-separated key=value settings of `text` applied.
// Keys: seed, fd_limit, system_fd_limit, somaxconn, abort_on_overflow (0 or 1),
// syn_retries, ports (MIN-MAX), time_wait (a duration such as 60s), buffer
// (bytes), ipv6 (0 or 1). An empty text changes nothing. Returns
// InvalidArgument naming the setting for an unknown key, a bad value, or a
// config ValidateSimConfig refuses.
absl::StatusOr<SimConfig> ParseSimSettings(absl::string_view text,
                                           const SimConfig& base = SimConfig());

// Returns the settings of `config` that differ from the defaults, in the order
// ParseSimSettings lists its keys, or "" when none does. Actors and tracing are
// not settings.
std::string PrintSimSettings(const SimConfig& config);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SIM_SIM_SETTINGS_H_
