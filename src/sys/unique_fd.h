// UniqueFd: sole, move-only ownership of a file descriptor opened through a
// Syscalls.
//
// The fd is closed through the same Syscalls backend that produced it, so
// simulated and fault-injected backends see every close. Destruction closes and
// ignores the result: Linux releases the fd even when close fails, and retrying
// could close a stranger's fd.

#ifndef SOCKFI_SRC_SYS_UNIQUE_FD_H_
#define SOCKFI_SRC_SYS_UNIQUE_FD_H_

#include "src/sys/sys_result.h"
#include "src/sys/syscalls.h"

namespace sockfi {

class UniqueFd {
 public:
  // Constructs an empty owner (get() == -1).
  UniqueFd() = default;
  // Takes ownership of `fd` (a negative fd makes an empty owner); `syscalls`
  // must outlive this object.
  UniqueFd(Syscalls& syscalls, int fd);

  UniqueFd(UniqueFd&& other) noexcept;
  // Closes the fd held now, then takes `other`'s.
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  // Returns the fd, or -1 when empty.
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }
  // Returns the backend that closes this fd (nullptr when empty).
  Syscalls* syscalls() const { return syscalls_; }

  // Gives up ownership without closing; returns the fd.
  int Release();
  // Closes the fd now and returns close's result. The owner is empty afterwards
  // even when close failed (the kernel released the fd). Closing an empty owner
  // succeeds.
  SysStatus Close();

 private:
  Syscalls* syscalls_ = nullptr;
  int fd_ = -1;
};

// Returns the fd of a successful fd-creating call wrapped in a UniqueFd, or its
// errno.
inline SysResult<UniqueFd> Own(Syscalls& syscalls, SysResult<int> result) {
  if (!result.ok()) return SysError{result.error()};
  return UniqueFd(syscalls, *result);
}

}  // namespace sockfi

#endif  // SOCKFI_SRC_SYS_UNIQUE_FD_H_
