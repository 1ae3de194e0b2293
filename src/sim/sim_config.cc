#include "src/sim/sim_config.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace sockfi {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view rule,
                 absl::string_view got) {
  return absl::InvalidArgumentError(
      absl::StrCat("SimConfig.", field, " must be ", rule, ", got ", got));
}

absl::Status CheckTrigger(absl::string_view field, ActorTrigger trigger,
                          int nth) {
  if (trigger != ActorTrigger::kAfterListen &&
      trigger != ActorTrigger::kAfterCall) {
    return Bad(absl::StrCat(field, ".trigger"), "an ActorTrigger",
               absl::StrCat(static_cast<int>(trigger)));
  }
  if (nth < 1) {
    return Bad(absl::StrCat(field, ".nth"), ">= 1", absl::StrCat(nth));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateSimConfig(const SimConfig& config) {
  if (config.fd_limit <= 0) {
    return Bad("fd_limit", "> 0", absl::StrCat(config.fd_limit));
  }
  if (config.first_fd < 0 || config.first_fd >= config.fd_limit) {
    return Bad("first_fd",
               absl::StrCat(">= 0 and < fd_limit (", config.fd_limit, ")"),
               absl::StrCat(config.first_fd));
  }
  if (config.system_fd_limit <= 0) {
    return Bad("system_fd_limit", "> 0", absl::StrCat(config.system_fd_limit));
  }
  if (config.somaxconn <= 0) {
    return Bad("somaxconn", "> 0", absl::StrCat(config.somaxconn));
  }
  if (config.syn_retries < 1 || config.syn_retries > 127) {
    return Bad("syn_retries", "in [1, 127]", absl::StrCat(config.syn_retries));
  }
  if (config.ephemeral_port_min == 0) {
    return Bad("ephemeral_port_min", ">= 1", "0");
  }
  if (config.ephemeral_port_min > config.ephemeral_port_max) {
    return Bad(
        "ephemeral_port_max",
        absl::StrCat(">= ephemeral_port_min (", config.ephemeral_port_min, ")"),
        absl::StrCat(config.ephemeral_port_max));
  }
  if (config.time_wait < absl::ZeroDuration() ||
      config.time_wait == absl::InfiniteDuration()) {
    return Bad("time_wait", "finite and >= 0",
               absl::FormatDuration(config.time_wait));
  }
  if (config.socket_buffer_bytes == 0 ||
      config.socket_buffer_bytes > (size_t{1} << 30)) {
    return Bad("socket_buffer_bytes", "in [1, 1073741824]",
               absl::StrCat(config.socket_buffer_bytes));
  }
  for (size_t i = 0; i < config.foreign_clients.size(); ++i) {
    const ForeignClientSpec& spec = config.foreign_clients[i];
    const std::string field = absl::StrCat("foreign_clients[", i, "]");
    absl::Status trigger = CheckTrigger(field, spec.trigger, spec.nth);
    if (!trigger.ok()) return trigger;
    if (spec.mode != ForeignClientMode::kCompletesSilently &&
        spec.mode != ForeignClientMode::kSendsGarbage &&
        spec.mode != ForeignClientMode::kHalfOpen &&
        spec.mode != ForeignClientMode::kHangsUp) {
      return Bad(absl::StrCat(field, ".mode"), "a ForeignClientMode",
                 absl::StrCat(static_cast<int>(spec.mode)));
    }
  }
  if (config.flood.has_value()) {
    absl::Status trigger =
        CheckTrigger("flood", config.flood->trigger, config.flood->nth);
    if (!trigger.ok()) return trigger;
  }
  return absl::OkStatus();
}

}  // namespace sockfi
