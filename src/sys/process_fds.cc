#include "src/sys/process_fds.h"

#include <dirent.h>
#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace sockfi {

SysResult<std::vector<int>> ListOpenFds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return SysError{errno};
  const int own = ::dirfd(dir);
  std::vector<int> fds;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    const int fd = std::atoi(entry->d_name);
    if (fd != own) fds.push_back(fd);
  }
  ::closedir(dir);
  std::sort(fds.begin(), fds.end());
  return fds;
}

SysResult<int> CountOpenFds() {
  SysResult<std::vector<int>> fds = ListOpenFds();
  if (!fds.ok()) return SysError{fds.error()};
  return static_cast<int>(fds->size());
}

SysResult<ProcessFdLimit> GetFdLimit() {
  rlimit limit;
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return SysError{errno};
  return ProcessFdLimit{limit.rlim_cur, limit.rlim_max};
}

SysStatus SetSoftFdLimit(uint64_t soft) {
  rlimit limit;
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return SysError{errno};
  limit.rlim_cur = soft;
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) return SysError{errno};
  return SysStatus();
}

}  // namespace sockfi
