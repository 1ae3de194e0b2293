#include "src/cli/plan_argument.h"

#include <cerrno>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/sys/errno_name.h"
#include "src/sys/read_file.h"

namespace sockfi::cli {

absl::StatusOr<FaultPlan> ReadPlanArgument(const std::string& argument,
                                           bool adversarial) {
  std::string text = argument;
  std::string where = "--plan";
  if (!argument.empty() && argument[0] == '@') {
    const std::string path = argument.substr(1);
    SysResult<std::string> contents = ReadFile(path);
    if (!contents.ok()) {
      const int error = contents.error();
      return absl::Status(
          error == EISDIR ? absl::StatusCode::kInvalidArgument
                          : absl::ErrnoToStatusCode(error),
          absl::StrCat(
              "cannot read plan file \"", path, "\": ",
              error == EISDIR ? "it is a directory" : ErrnoDescription(error)));
    }
    text = std::move(*contents);
    where = absl::StrCat("plan file \"", path, "\"");
  }
  absl::StatusOr<FaultPlan> plan = ParsePlan(text);
  if (!plan.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ", ", plan.status().message()));
  }
  if (!adversarial) {
    absl::Status realistic = CheckRealistic(*plan, ErrnoCatalog::Linux());
    if (!realistic.ok()) return realistic;
  }
  return plan;
}

}  // namespace sockfi::cli
