#include "src/sys/step_error.h"

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "src/sys/errno_name.h"

namespace sockfi {

absl::Status StepErrorStatus(absl::string_view step, int error_number,
                             absl::string_view detail) {
  // One allocation for the whole message (this runs on every error path).
  const std::string message =
      detail.empty()
          ? absl::StrCat(step, ": ", ErrnoDescription(error_number), " [",
                         ErrnoName(error_number), "]")
          : absl::StrCat(step, ": ", ErrnoDescription(error_number), " [",
                         ErrnoName(error_number), "]: ", detail);
  absl::Status status(absl::ErrnoToStatusCode(error_number), message);
  // Payload: "<errno> <step>".
  status.SetPayload(kStepErrorTypeUrl,
                    absl::Cord(absl::StrCat(error_number, " ", step)));
  return status;
}

std::optional<StepError> GetStepError(const absl::Status& status) {
  const auto payload = status.GetPayload(kStepErrorTypeUrl);
  if (!payload.has_value()) return std::nullopt;
  const std::string text(*payload);
  const size_t space = text.find(' ');
  StepError result;
  if (space == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(text).substr(0, space),
                        &result.error_number)) {
    return std::nullopt;
  }
  result.step = text.substr(space + 1);
  return result;
}

}  // namespace sockfi
