#include "src/sim/sim_settings.h"

#include <cstdint>
#include <limits>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace sockfi {
namespace {

absl::Status BadValue(absl::string_view key, absl::string_view value,
                      absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat("sim setting ", key, "=", value, ": expected ", expected));
}

bool ParseBool(absl::string_view value, bool* out) {
  if (value == "1" || value == "true") {
    *out = true;
    return true;
  }
  if (value == "0" || value == "false") {
    *out = false;
    return true;
  }
  return false;
}

template <typename Int>
bool ParseInt(absl::string_view value, Int* out) {
  int64_t parsed;
  if (!absl::SimpleAtoi(value, &parsed)) return false;
  if (parsed < static_cast<int64_t>(std::numeric_limits<Int>::min()) ||
      parsed > static_cast<int64_t>(std::numeric_limits<Int>::max())) {
    return false;
  }
  *out = static_cast<Int>(parsed);
  return true;
}

}  // namespace

absl::StatusOr<SimConfig> ParseSimSettings(absl::string_view text,
                                           const SimConfig& base) {
  SimConfig config = base;
  for (absl::string_view item :
       absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    const size_t equals = item.find('=');
    if (equals == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("sim setting \"", item, "\": expected key=value"));
    }
    const absl::string_view key = item.substr(0, equals);
    const absl::string_view value = item.substr(equals + 1);
    bool ok = true;
    if (key == "seed") {
      ok = absl::SimpleAtoi(value, &config.seed);
    } else if (key == "fd_limit") {
      ok = ParseInt(value, &config.fd_limit);
    } else if (key == "system_fd_limit") {
      ok = ParseInt(value, &config.system_fd_limit);
    } else if (key == "somaxconn") {
      ok = ParseInt(value, &config.somaxconn);
    } else if (key == "abort_on_overflow") {
      ok = ParseBool(value, &config.abort_on_overflow);
    } else if (key == "syn_retries") {
      ok = ParseInt(value, &config.syn_retries);
    } else if (key == "ports") {
      std::vector<absl::string_view> range = absl::StrSplit(value, '-');
      ok = range.size() == 2 &&
           ParseInt(range[0], &config.ephemeral_port_min) &&
           ParseInt(range[1], &config.ephemeral_port_max);
      if (!ok) return BadValue(key, value, "MIN-MAX, e.g. 32768-60999");
    } else if (key == "time_wait") {
      ok = absl::ParseDuration(value, &config.time_wait);
      if (!ok) return BadValue(key, value, "a duration such as 60s or 250ms");
    } else if (key == "buffer") {
      ok = absl::SimpleAtoi(value, &config.socket_buffer_bytes);
    } else if (key == "ipv6") {
      ok = ParseBool(value, &config.ipv6);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown sim setting \"", key,
          "\"; the settings are seed, fd_limit, system_fd_limit, somaxconn, "
          "abort_on_overflow, syn_retries, ports, time_wait, buffer, ipv6"));
    }
    if (!ok) {
      return BadValue(
          key, value,
          key == "abort_on_overflow" || key == "ipv6" ? "0 or 1" : "a number");
    }
  }
  absl::Status valid = ValidateSimConfig(config);
  if (!valid.ok()) return valid;
  return config;
}

std::string PrintSimSettings(const SimConfig& config) {
  const SimConfig defaults;
  std::vector<std::string> settings;
  if (config.seed != defaults.seed) {
    settings.push_back(absl::StrCat("seed=", config.seed));
  }
  if (config.fd_limit != defaults.fd_limit) {
    settings.push_back(absl::StrCat("fd_limit=", config.fd_limit));
  }
  if (config.system_fd_limit != defaults.system_fd_limit) {
    settings.push_back(
        absl::StrCat("system_fd_limit=", config.system_fd_limit));
  }
  if (config.somaxconn != defaults.somaxconn) {
    settings.push_back(absl::StrCat("somaxconn=", config.somaxconn));
  }
  if (config.abort_on_overflow != defaults.abort_on_overflow) {
    settings.push_back(
        absl::StrCat("abort_on_overflow=", config.abort_on_overflow ? 1 : 0));
  }
  if (config.syn_retries != defaults.syn_retries) {
    settings.push_back(absl::StrCat("syn_retries=", config.syn_retries));
  }
  if (config.ephemeral_port_min != defaults.ephemeral_port_min ||
      config.ephemeral_port_max != defaults.ephemeral_port_max) {
    settings.push_back(absl::StrCat("ports=", config.ephemeral_port_min, "-",
                                    config.ephemeral_port_max));
  }
  if (config.time_wait != defaults.time_wait) {
    settings.push_back(
        absl::StrCat("time_wait=", absl::FormatDuration(config.time_wait)));
  }
  if (config.socket_buffer_bytes != defaults.socket_buffer_bytes) {
    settings.push_back(absl::StrCat("buffer=", config.socket_buffer_bytes));
  }
  if (config.ipv6 != defaults.ipv6) {
    settings.push_back(absl::StrCat("ipv6=", config.ipv6 ? 1 : 0));
  }
  return absl::StrJoin(settings, ",");
}

}  // namespace sockfi
