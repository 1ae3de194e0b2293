#include "src/sim/sim_settings.h"

#include "gtest/gtest.h"

namespace sockfi {
namespace {

TEST(SimSettingsTest, ParsesEveryKeyAndPrintsWhatDiffers) {
  absl::StatusOr<SimConfig> config = ParseSimSettings(
      "seed=9,fd_limit=64,system_fd_limit=100,somaxconn=8,abort_on_overflow=1,"
      "syn_retries=2,ports=40000-40010,time_wait=2s,buffer=16,ipv6=0");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->seed, 9u);
  EXPECT_EQ(config->somaxconn, 8);
  EXPECT_TRUE(config->abort_on_overflow);
  EXPECT_EQ(config->ephemeral_port_min, 40000);
  EXPECT_EQ(config->ephemeral_port_max, 40010);
  EXPECT_EQ(config->time_wait, absl::Seconds(2));
  EXPECT_EQ(config->socket_buffer_bytes, 16u);
  EXPECT_FALSE(config->ipv6);
  const std::string printed = PrintSimSettings(*config);
  EXPECT_EQ(printed,
            "seed=9,fd_limit=64,system_fd_limit=100,somaxconn=8,"
            "abort_on_overflow=1,syn_retries=2,ports=40000-40010,time_wait=2s,"
            "buffer=16,ipv6=0");
  absl::StatusOr<SimConfig> again = ParseSimSettings(printed);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(PrintSimSettings(*again), printed);
  EXPECT_EQ(PrintSimSettings(SimConfig()), "");
  EXPECT_TRUE(ParseSimSettings("").ok());
}

TEST(SimSettingsTest, BadSettingsAreExplained) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"bogus=1",
       "unknown sim setting \"bogus\"; the settings are seed, fd_limit, "
       "system_fd_limit, somaxconn, abort_on_overflow, syn_retries, ports, "
       "time_wait, buffer, ipv6"},
      {"somaxconn", "sim setting \"somaxconn\": expected key=value"},
      {"somaxconn=many", "sim setting somaxconn=many: expected a number"},
      {"ipv6=maybe", "sim setting ipv6=maybe: expected 0 or 1"},
      {"ports=1", "sim setting ports=1: expected MIN-MAX, e.g. 32768-60999"},
      {"time_wait=soon",
       "sim setting time_wait=soon: expected a duration such as 60s or 250ms"},
      {"fd_limit=99999999999",
       "sim setting fd_limit=99999999999: expected a number"},
  };
  for (const auto& [text, message] : cases) {
    absl::StatusOr<SimConfig> config = ParseSimSettings(text);
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_EQ(config.status().message(), message);
  }
  // Values the kernel refuses are refused with ValidateSimConfig's words.
  absl::StatusOr<SimConfig> zero = ParseSimSettings("fd_limit=0");
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().message(), "SimConfig.fd_limit must be > 0, got 0");
}

}  // namespace
}  // namespace sockfi
