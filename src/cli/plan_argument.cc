#include "src/cli/plan_argument.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace sockfi::cli {

absl::StatusOr<FaultPlan> ReadPlanArgument(const std::string& argument,
                                           bool adversarial) {
  std::string text = argument;
  std::string where = "--plan";
  if (!argument.empty() && argument[0] == '@') {
    const std::string path = argument.substr(1);
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (error) {
      return absl::NotFoundError(absl::StrCat("cannot read plan file \"", path,
                                              "\": ", error.message()));
    }
    if (std::filesystem::is_directory(status)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "cannot read plan file \"", path, "\": it is a directory"));
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
      return absl::PermissionDeniedError(
          absl::StrCat("cannot read plan file \"", path, "\""));
    }
    std::stringstream contents;
    contents << file.rdbuf();
    text = contents.str();
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
