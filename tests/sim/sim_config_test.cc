// Bad SimConfigs are refused with InvalidArgument naming the field.

#include "src/sim/sim_config.h"

#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/sim/sim_kernel.h"

namespace sockfi {
namespace {

TEST(SimConfigTest, DefaultsAreValid) {
  EXPECT_TRUE(ValidateSimConfig(SimConfig()).ok());
  EXPECT_TRUE(SimKernel::Create(SimConfig()).ok());
}

TEST(SimConfigTest, BadFieldsAreNamed) {
  struct Case {
    std::function<void(SimConfig&)> mutate;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](SimConfig& c) { c.fd_limit = 0; },
       "SimConfig.fd_limit must be > 0, got 0"},
      {[](SimConfig& c) { c.fd_limit = -5; },
       "SimConfig.fd_limit must be > 0, got -5"},
      {[](SimConfig& c) { c.first_fd = -1; },
       "SimConfig.first_fd must be >= 0 and < fd_limit (1024), got -1"},
      {[](SimConfig& c) { c.first_fd = 1024; },
       "SimConfig.first_fd must be >= 0 and < fd_limit (1024), got 1024"},
      {[](SimConfig& c) { c.system_fd_limit = 0; },
       "SimConfig.system_fd_limit must be > 0, got 0"},
      {[](SimConfig& c) { c.somaxconn = 0; },
       "SimConfig.somaxconn must be > 0, got 0"},
      {[](SimConfig& c) { c.syn_retries = 0; },
       "SimConfig.syn_retries must be in [1, 127], got 0"},
      {[](SimConfig& c) { c.syn_retries = 128; },
       "SimConfig.syn_retries must be in [1, 127], got 128"},
      {[](SimConfig& c) { c.ephemeral_port_min = 0; },
       "SimConfig.ephemeral_port_min must be >= 1, got 0"},
      {[](SimConfig& c) {
         c.ephemeral_port_min = 5000;
         c.ephemeral_port_max = 4999;
       },
       "SimConfig.ephemeral_port_max must be >= ephemeral_port_min (5000), got "
       "4999"},
      {[](SimConfig& c) { c.time_wait = absl::Seconds(-1); },
       "SimConfig.time_wait must be finite and >= 0, got -1s"},
      {[](SimConfig& c) { c.time_wait = absl::InfiniteDuration(); },
       "SimConfig.time_wait must be finite and >= 0, got inf"},
      {[](SimConfig& c) { c.socket_buffer_bytes = 0; },
       "SimConfig.socket_buffer_bytes must be in [1, 1073741824], got 0"},
      {[](SimConfig& c) { c.socket_buffer_bytes = size_t{1} << 31; },
       "SimConfig.socket_buffer_bytes must be in [1, 1073741824], got "
       "2147483648"},
      {[](SimConfig& c) {
         c.foreign_clients.push_back({});
         c.foreign_clients.push_back(
             {ActorTrigger::kAfterCall, 0, ForeignClientMode::kHalfOpen});
       },
       "SimConfig.foreign_clients[1].nth must be >= 1, got 0"},
      {[](SimConfig& c) {
         c.foreign_clients.push_back({ActorTrigger::kAfterListen, 1,
                                      static_cast<ForeignClientMode>(7)});
       },
       "SimConfig.foreign_clients[0].mode must be a ForeignClientMode, got 7"},
      {[](SimConfig& c) {
         c.flood = FloodSpec{static_cast<ActorTrigger>(9), 1};
       },
       "SimConfig.flood.trigger must be an ActorTrigger, got 9"},
      {[](SimConfig& c) {
         c.flood = FloodSpec{ActorTrigger::kAfterCall, -3};
       },
       "SimConfig.flood.nth must be >= 1, got -3"},
  };
  for (const Case& c : cases) {
    SimConfig config;
    c.mutate(config);
    absl::Status status = ValidateSimConfig(config);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(status.message(), c.message);
    absl::StatusOr<std::unique_ptr<SimKernel>> kernel =
        SimKernel::Create(config);
    EXPECT_EQ(kernel.status(), status);
  }
}

}  // namespace
}  // namespace sockfi
