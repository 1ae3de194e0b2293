#include "src/preload/json_line.h"

#include "src/preload/names.h"

namespace sockfi::preload {

JsonLine::JsonLine(const char* type) : type_(type) {
  Raw("{\"type\":", 8);
  Quoted(type);
}

void JsonLine::Number(int64_t value) {
  char digits[24];
  Raw(digits, FormatInt(value, digits));
}

void JsonLine::Quoted(const char* value) {
  static constexpr char kHex[] = "0123456789abcdef";
  Char('"');
  // The common case: nothing to escape, short enough.
  size_t plain = 0;
  while (plain < kMaxString && value[plain] != '\0') {
    const unsigned char c = static_cast<unsigned char>(value[plain]);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') break;
    ++plain;
  }
  Raw(value, plain);
  size_t written = plain;
  for (const char* next = value + plain; *next != '\0' && written < kMaxString;
       ++next) {
    const unsigned char c = static_cast<unsigned char>(*next);
    if (c == '"' || c == '\\') {
      Char('\\');
      Char(static_cast<char>(c));
      written += 2;
    } else if (c < 0x20 || c == 0x7f) {
      const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      Raw(escape, 6);
      written += 6;
    } else if (c >= 0x80) {
      Char('?');  // keeps the line valid UTF-8 whatever the bytes were
      ++written;
    } else {
      Char(static_cast<char>(c));
      ++written;
    }
  }
  Char('"');
}

const char* JsonLine::Finish() {
  if (overflow_) {
    size_ = 0;
    overflow_ = false;
    Raw("{\"type\":", 8);
    Quoted(type_);
    Raw(",\"overflow\":true", 16);
  }
  buffer_[size_++] = '}';
  buffer_[size_++] = '\n';
  return buffer_;
}

}  // namespace sockfi::preload
