#include "src/cli/catalog_command.h"

#include <cstdio>

#include "src/fault/errno_catalog.h"

namespace sockfi::cli {
namespace {

int RunCatalog(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "sockfi catalog: unexpected argument \"%s\"\n",
                 args[0].c_str());
    return kExitUsage;
  }
  std::fputs(ErrnoCatalog::Linux().FormatTable().c_str(), stdout);
  return kExitOk;
}

}  // namespace

Command CatalogCommand() {
  return Command{
      "catalog",
      "print which errnos Linux returns from each call, and what they do",
      "sockfi catalog",
      "Prints the errno catalog: for each call of the shim, each errno Linux "
      "really "
      "returns there,\n"
      "its timing (before: the call had no effect; after: it took effect, then "
      "failed), what a\n"
      "correct caller does (retry, propagate, ignore), when Linux can return "
      "it, "
      "whether the cause\n"
      "lasts, and the cause. Realistic fault plans may only use these.",
      {},
      &RunCatalog,
  };
}

}  // namespace sockfi::cli
