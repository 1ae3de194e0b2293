#include "src/sys/step_error.h"

#include <array>
#include <cstring>
#include <initializer_list>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "src/sys/errno_name.h"

namespace sockfi {

namespace {

// Writes the pieces one after another into `buffer`; returns what they fill,
// or an empty view when they do not fit.
absl::string_view Join(absl::Span<char> buffer,
                       std::initializer_list<absl::string_view> pieces) {
  size_t size = 0;
  for (absl::string_view piece : pieces) {
    if (piece.size() > buffer.size() - size) return {};
    std::memcpy(buffer.data() + size, piece.data(), piece.size());
    size += piece.size();
  }
  return absl::string_view(buffer.data(), size);
}

}  // namespace

absl::Status StepErrorStatus(absl::string_view step, int error_number,
                             absl::string_view detail) {
  // The message is assembled on the stack when it fits (this runs on every
  // error path, and the status copies it anyway).
  const std::string name = ErrnoName(error_number);
  const absl::string_view separator = detail.empty() ? "" : ": ";
  std::array<char, 256> buffer;
  absl::string_view message =
      Join(absl::MakeSpan(buffer), {step, ": ", ErrnoDescription(error_number),
                                    " [", name, "]", separator, detail});
  std::string long_message;
  if (message.empty()) {
    long_message = absl::StrCat(step, ": ", ErrnoDescription(error_number),
                                " [", name, "]", separator, detail);
    message = long_message;
  }
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
