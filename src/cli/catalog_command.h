// `sockfi catalog`: the errno catalog as a table.

#ifndef SOCKFI_SRC_CLI_CATALOG_COMMAND_H_
#define SOCKFI_SRC_CLI_CATALOG_COMMAND_H_

#include "src/cli/command.h"

namespace sockfi::cli {

Command CatalogCommand();

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_CATALOG_COMMAND_H_
