#include "src/sys/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "src/sys/real_syscalls.h"
#include "src/sys/unique_fd.h"

namespace sockfi {

SysResult<std::string> ReadFile(const std::string& path) {
  RealSyscalls real;
  UniqueFd fd(real, ::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return SysError{errno};
  struct stat info;
  if (::fstat(fd.get(), &info) != 0) return SysError{errno};
  // open(2) opens a directory for reading; read(2) would then fail with EISDIR.
  if (S_ISDIR(info.st_mode)) return SysError{EISDIR};
  std::string bytes;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(fd.get(), buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return SysError{errno};
    if (got == 0) return bytes;
    bytes.append(buffer, static_cast<size_t>(got));
  }
}

}  // namespace sockfi
