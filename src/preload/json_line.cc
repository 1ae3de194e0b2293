#include "src/preload/json_line.h"

#include "src/preload/names.h"

namespace sockfi::preload {

// Two bytes stay free for Finish's "}\n".
constexpr size_t kReserved = 2;

JsonLine::JsonLine(const char* type) : type_(type) {
  Raw("{\"type\":");
  Quoted(type);
}

void JsonLine::Char(char c) {
  if (size_ + kReserved < kCapacity) {
    buffer_[size_++] = c;
  } else {
    overflow_ = true;
  }
}

void JsonLine::Raw(const char* text) {
  while (*text != '\0') Char(*text++);
}

void JsonLine::Key(const char* key) {
  Raw(",\"");
  Raw(key);
  Raw("\":");
}

void JsonLine::Quoted(const char* value) {
  static constexpr char kHex[] = "0123456789abcdef";
  Char('"');
  const size_t start = size_;
  for (size_t i = 0; value[i] != '\0' && size_ - start < kMaxString; ++i) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      Char('\\');
      Char(static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7f) {
      Raw("\\u00");
      Char(kHex[c >> 4]);
      Char(kHex[c & 0xf]);
    } else if (c >= 0x80) {
      Char('?');  // keeps the line valid UTF-8 whatever the bytes were
    } else {
      Char(static_cast<char>(c));
    }
  }
  Char('"');
}

void JsonLine::Str(const char* key, const char* value) {
  Key(key);
  if (value == nullptr) {
    Raw("null");
  } else {
    Quoted(value);
  }
}

void JsonLine::Int(const char* key, int64_t value) {
  Key(key);
  char digits[24];
  const size_t count = FormatInt(value, digits);
  for (size_t i = 0; i < count; ++i) Char(digits[i]);
}

void JsonLine::Bool(const char* key, bool value) {
  Key(key);
  Raw(value ? "true" : "false");
}

void JsonLine::Null(const char* key) {
  Key(key);
  Raw("null");
}

void JsonLine::IntArray(const char* key, const int* values, size_t count) {
  Key(key);
  Char('[');
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) Char(',');
    char digits[24];
    const size_t size = FormatInt(values[i], digits);
    for (size_t j = 0; j < size; ++j) Char(digits[j]);
  }
  Char(']');
}

void JsonLine::StrArray(const char* key, const char* const* values,
                        size_t count) {
  Key(key);
  Char('[');
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) Char(',');
    Quoted(values[i]);
  }
  Char(']');
}

const char* JsonLine::Finish() {
  if (overflow_) {
    size_ = 0;
    overflow_ = false;
    Raw("{\"type\":");
    Quoted(type_);
    Raw(",\"overflow\":true");
  }
  buffer_[size_++] = '}';
  buffer_[size_++] = '\n';
  return buffer_;
}

}  // namespace sockfi::preload
