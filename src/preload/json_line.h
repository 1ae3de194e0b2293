// JsonLine: one JSON object built in a fixed buffer, without allocating, for
// trace lines written from inside intercepted calls (and signal handlers).

#ifndef SOCKFI_SRC_PRELOAD_JSON_LINE_H_
#define SOCKFI_SRC_PRELOAD_JSON_LINE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace sockfi::preload {

class JsonLine {
 public:
  // The largest line, newline included. Strings are cut to kMaxString bytes
  // of output, so the interposer's lines stay far below it; a line that would
  // not fit is replaced by {"type":"<type>","overflow":true}.
  static constexpr size_t kCapacity = 2048;
  static constexpr size_t kMaxString = 160;

  // Starts the object: {"type":"<type>"
  explicit JsonLine(const char* type);

  // Each adds ,"<key>":<value>, `key` being a string literal. Strings are
  // escaped and cut to kMaxString bytes; a null `value` writes null.
  template <size_t N>
  void Str(const char (&key)[N], const char* value) {
    Key(key, N - 1);
    if (value == nullptr) {
      Raw("null", 4);
    } else {
      Quoted(value);
    }
  }
  // Like Str, for a value known to need no escaping (printable ASCII without
  // quotes or backslashes: names the interposer makes itself).
  template <size_t N>
  void SafeStr(const char (&key)[N], const char* value) {
    Key(key, N - 1);
    if (value == nullptr) {
      Raw("null", 4);
      return;
    }
    Char('"');
    Raw(value, __builtin_strlen(value));
    Char('"');
  }
  template <size_t N>
  void Int(const char (&key)[N], int64_t value) {
    Key(key, N - 1);
    Number(value);
  }
  template <size_t N>
  void Bool(const char (&key)[N], bool value) {
    Key(key, N - 1);
    if (value) {
      Raw("true", 4);
    } else {
      Raw("false", 5);
    }
  }
  template <size_t N>
  void Null(const char (&key)[N]) {
    Key(key, N - 1);
    Raw("null", 4);
  }
  template <size_t N>
  void IntArray(const char (&key)[N], const int* values, size_t count) {
    Key(key, N - 1);
    Char('[');
    for (size_t i = 0; i < count; ++i) {
      if (i > 0) Char(',');
      Number(values[i]);
    }
    Char(']');
  }
  // Adds ,"<key>":["a","b"] from NUL-terminated strings.
  template <size_t N>
  void StrArray(const char (&key)[N], const char* const* values, size_t count) {
    Key(key, N - 1);
    Char('[');
    for (size_t i = 0; i < count; ++i) {
      if (i > 0) Char(',');
      Quoted(values[i]);
    }
    Char(']');
  }
  // Adds `text` (a string literal holding whole ,"key":value members) as is.
  template <size_t N>
  void Members(const char (&text)[N]) {
    Raw(text, N - 1);
  }
  // Adds `size` bytes of whole ,"key":value members as is.
  void Members(const char* text, size_t size) { Raw(text, size); }

  // Closes the object and ends the line: }\n. Returns the line.
  const char* Finish();
  size_t size() const { return size_; }

 private:
  void Raw(const char* text, size_t size) {
    if (size_ + size + kReserved > kCapacity) {
      overflow_ = true;
      return;
    }
    __builtin_memcpy(buffer_ + size_, text, size);
    size_ += size;
  }
  void Char(char c) {
    if (size_ + 1 + kReserved > kCapacity) {
      overflow_ = true;
      return;
    }
    buffer_[size_++] = c;
  }
  void Key(const char* key, size_t size) {
    if (size_ + size + 4 + kReserved > kCapacity) {
      overflow_ = true;
      return;
    }
    char* out = buffer_ + size_;
    out[0] = ',';
    out[1] = '"';
    __builtin_memcpy(out + 2, key, size);
    out[size + 2] = '"';
    out[size + 3] = ':';
    size_ += size + 4;
  }
  void Number(int64_t value);
  void Quoted(const char* value);

  // Two bytes stay free for Finish's "}\n".
  static constexpr size_t kReserved = 2;

  const char* type_;
  bool overflow_ = false;
  char buffer_[kCapacity];
  size_t size_ = 0;
};

}  // namespace sockfi::preload

#endif  // SOCKFI_SRC_PRELOAD_JSON_LINE_H_
