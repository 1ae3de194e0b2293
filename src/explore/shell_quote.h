// ShellQuote: text as one POSIX shell word.

#ifndef SOCKFI_SRC_EXPLORE_SHELL_QUOTE_H_
#define SOCKFI_SRC_EXPLORE_SHELL_QUOTE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace sockfi {

// Returns `text` between single quotes, each ' written as '\''.
std::string ShellQuote(absl::string_view text);

}  // namespace sockfi

#endif  // SOCKFI_SRC_EXPLORE_SHELL_QUOTE_H_
