#include "src/cli/preload_library.h"

#include <filesystem>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/preload/preload_contract.h"

ABSL_FLAG(std::string, preload, "",
          "the path of libsockfi_preload.so (default: $SOCKFI_PRELOAD_LIBRARY, "
          "else the one Bazel built)");
ABSL_FLAG(absl::Duration, command_timeout, absl::InfiniteDuration(),
          "kill the program (and what it started) after this long; explore "
          "--command uses 10s per run when unset");

namespace sockfi::cli {
namespace {

namespace fs = std::filesystem;

bool IsFile(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

std::string Absolute(const fs::path& path) {
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error);
  return error ? path.string() : absolute.lexically_normal().string();
}

}  // namespace

absl::StatusOr<std::string> FindPreloadLibrary(const std::string& flag) {
  if (!flag.empty()) {
    if (IsFile(flag)) return Absolute(flag);
    return absl::InvalidArgumentError(
        absl::StrCat("--preload=", flag, ": no such file"));
  }
  if (const char* env = std::getenv("SOCKFI_PRELOAD_LIBRARY");
      env != nullptr && *env != '\0') {
    if (IsFile(env)) return Absolute(env);
    return absl::InvalidArgumentError(
        absl::StrCat("SOCKFI_PRELOAD_LIBRARY=", env, ": no such file"));
  }
  std::vector<fs::path> candidates;
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path runfiles = exe.string() + ".runfiles";
    candidates.push_back(runfiles / "sockfi/src/preload" /
                         preload::kLibraryName);
    // bazel-bin/src/cli/sockfi -> bazel-bin/src/preload/
    candidates.push_back(exe.parent_path().parent_path() / "preload" /
                         preload::kLibraryName);
    candidates.push_back(exe.parent_path() / preload::kLibraryName);
  }
  if (const char* dir = std::getenv("RUNFILES_DIR"); dir != nullptr) {
    candidates.push_back(fs::path(dir) / "sockfi/src/preload" /
                         preload::kLibraryName);
  }
  std::vector<std::string> tried;
  for (const fs::path& candidate : candidates) {
    if (IsFile(candidate)) return Absolute(candidate);
    tried.push_back(candidate.string());
  }
  return absl::NotFoundError(absl::StrCat(
      "cannot find ", preload::kLibraryName, " (looked in ",
      absl::StrJoin(tried, ", "),
      "); build it with `bazel build //src/preload:libsockfi_preload.so` and "
      "pass --preload=PATH or set SOCKFI_PRELOAD_LIBRARY"));
}

}  // namespace sockfi::cli
