#include "src/sys/step_error.h"

#include <cerrno>
#include <string>

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

// Messages are assembled in a fixed buffer when they fit: one that does not
// must come out whole all the same, as must one that fills it exactly.
TEST(StepErrorTest, LongDetailsComeOutWhole) {
  const std::string prefix = "recv: Connection reset by peer [ECONNRESET]: ";
  for (size_t size :
       {size_t{0}, 256 - prefix.size(), 257 - prefix.size(), size_t{4000}}) {
    const std::string detail(size, 'x');
    const absl::Status status = StepErrorStatus("recv", ECONNRESET, detail);
    EXPECT_EQ(status.message(), detail.empty()
                                    ? prefix.substr(0, prefix.size() - 2)
                                    : prefix + detail)
        << size;
    EXPECT_EQ(GetStepError(status), (StepError{"recv", ECONNRESET}));
  }
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
