#include "src/sys/step_error.h"

#include <cerrno>

#include "gtest/gtest.h"

namespace sockfi {
namespace {

TEST(StepErrorTest, CarriesStepAndErrno) {
  const absl::Status status = StepErrorStatus("accept", EMFILE);
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(status.message(), "accept: Too many open files [EMFILE]");
  const std::optional<StepError> error = GetStepError(status);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->step, "accept");
  EXPECT_EQ(error->error_number, EMFILE);
}

TEST(StepErrorTest, TimeoutIsDeadlineExceeded) {
  const absl::Status status = StepErrorStatus("connect", ETIMEDOUT, "no pair");
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(status.message(),
            "connect: Connection timed out [ETIMEDOUT]: no pair");
  EXPECT_EQ(GetStepError(status), (StepError{"connect", ETIMEDOUT}));
}

TEST(StepErrorTest, OtherStatusesCarryNone) {
  EXPECT_EQ(GetStepError(absl::OkStatus()), std::nullopt);
  EXPECT_EQ(GetStepError(absl::InvalidArgumentError("x")), std::nullopt);
  absl::Status garbled = absl::InternalError("x");
  garbled.SetPayload(kStepErrorTypeUrl, absl::Cord("nonsense"));
  EXPECT_EQ(GetStepError(garbled), std::nullopt);
}

}  // namespace
}  // namespace sockfi
