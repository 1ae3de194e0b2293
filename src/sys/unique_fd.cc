#include "src/sys/unique_fd.h"

#include <utility>

namespace sockfi {

UniqueFd::UniqueFd(Syscalls& syscalls, int fd)
    : syscalls_(fd >= 0 ? &syscalls : nullptr), fd_(fd >= 0 ? fd : -1) {}

UniqueFd::UniqueFd(UniqueFd&& other) noexcept
    : syscalls_(std::exchange(other.syscalls_, nullptr)),
      fd_(std::exchange(other.fd_, -1)) {}

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    (void)Close();
    syscalls_ = std::exchange(other.syscalls_, nullptr);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() { (void)Close(); }

int UniqueFd::Release() {
  syscalls_ = nullptr;
  return std::exchange(fd_, -1);
}

SysStatus UniqueFd::Close() {
  if (fd_ < 0) return SysStatus();
  Syscalls* syscalls = std::exchange(syscalls_, nullptr);
  return syscalls->Close(std::exchange(fd_, -1));
}

}  // namespace sockfi
