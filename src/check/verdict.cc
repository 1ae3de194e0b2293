#include "src/check/verdict.h"

#include "absl/strings/str_cat.h"

namespace sockfi {
namespace {

constexpr std::array<absl::string_view, kViolationKindCount> kNames = {
    "leak",
    "double-close",
    "foreign-close",
    "use-after-close",
    "swallowed-error",
    "wrong-errno",
    "wrong-step",
    "unexpected-error",
    "invalid-pair",
    "foreign-pair",
    "flags-lost",
    "hang",
    "busy-spin",
    "call-budget",
    "deadline-missed",
    "crash"};

}  // namespace

absl::string_view ViolationName(ViolationKind kind) {
  return kNames[static_cast<size_t>(kind)];
}

std::optional<ViolationKind> ViolationKindFromName(absl::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<ViolationKind>(i);
  }
  return std::nullopt;
}

bool Verdict::Has(ViolationKind kind) const {
  for (const Violation& violation : violations) {
    if (violation.kind == kind) return true;
  }
  return false;
}

std::string Verdict::Format() const {
  if (ok()) return "OK: no violation\n";
  std::string text;
  for (const Violation& violation : violations) {
    absl::StrAppend(&text, ViolationName(violation.kind), ": ",
                    violation.message, "\n");
  }
  return text;
}

}  // namespace sockfi
