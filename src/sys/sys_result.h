// SysResult<T>: the value of a system call, or the errno it failed with.
//
// Every method of the Syscalls shim returns a SysResult, so no code above
// src/sys ever reads the global `errno`. A SysResult is either ok() and holds a
// T, or holds a non-zero error number.

#ifndef SOCKFI_SRC_SYS_SYS_RESULT_H_
#define SOCKFI_SRC_SYS_SYS_RESULT_H_

#include <cassert>
#include <optional>
#include <utility>

namespace sockfi {

// SysError marks a failed call; it converts to any SysResult<T>.
struct SysError {
  int error_number;
};

template <typename T>
class [[nodiscard]] SysResult {
 public:
  // Holds a successful call's value.
  SysResult(T value)
      : value_(std::move(value)) {}  // NOLINT: implicit by design
  // Holds a failed call's errno, which must be non-zero.
  SysResult(SysError error) : error_(error.error_number) {  // NOLINT
    assert(error_ != 0);
  }

  // Returns true when the call succeeded.
  bool ok() const { return error_ == 0; }
  // Returns the errno of a failed call, or 0 when it succeeded.
  int error() const { return error_; }

  // Returns the value; only valid when ok().
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::optional<T> value_;
  int error_ = 0;
};

// The result of a call that returns no value.
template <>
class [[nodiscard]] SysResult<void> {
 public:
  // Holds success.
  SysResult() = default;
  // Holds a failed call's errno, which must be non-zero.
  SysResult(SysError error) : error_(error.error_number) {  // NOLINT
    assert(error_ != 0);
  }

  bool ok() const { return error_ == 0; }
  int error() const { return error_; }

 private:
  int error_ = 0;
};

using SysStatus = SysResult<void>;

}  // namespace sockfi

#endif  // SOCKFI_SRC_SYS_SYS_RESULT_H_
