#include "src/explore/shell_quote.h"

namespace sockfi {

std::string ShellQuote(absl::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace sockfi
