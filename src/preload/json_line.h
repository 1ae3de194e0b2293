// JsonLine: one JSON object built in a fixed buffer, without allocating, for
// trace lines written from inside intercepted calls (and signal handlers).

#ifndef SOCKFI_SRC_PRELOAD_JSON_LINE_H_
#define SOCKFI_SRC_PRELOAD_JSON_LINE_H_

#include <cstddef>
#include <cstdint>

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

  // Each adds ,"<key>":<value>. Strings are escaped and cut to kMaxString
  // bytes; a null `value` writes null.
  void Str(const char* key, const char* value);
  void Int(const char* key, int64_t value);
  void Bool(const char* key, bool value);
  void Null(const char* key);
  void IntArray(const char* key, const int* values, size_t count);
  // Adds ,"<key>":["a","b"] from NUL-terminated strings.
  void StrArray(const char* key, const char* const* values, size_t count);

  // Closes the object and ends the line: }\n. Returns the line.
  const char* Finish();
  size_t size() const { return size_; }

 private:
  void Raw(const char* text);
  void Char(char c);
  void Key(const char* key);
  void Quoted(const char* value);

  const char* type_;
  bool overflow_ = false;
  char buffer_[kCapacity];
  size_t size_ = 0;
};

}  // namespace sockfi::preload

#endif  // SOCKFI_SRC_PRELOAD_JSON_LINE_H_
