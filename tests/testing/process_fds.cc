#include "tests/testing/process_fds.h"

#include <dirent.h>
#include <fcntl.h>

#include <algorithm>
#include <cstdlib>
#include <string>

namespace sockfi::testing {

std::vector<int> OpenFds() {
  std::vector<int> fds;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) std::abort();
  const int own = dirfd(dir);
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] == '.') continue;
    const int fd = std::atoi(entry->d_name);
    if (fd != own) fds.push_back(fd);
  }
  closedir(dir);
  std::sort(fds.begin(), fds.end());
  return fds;
}

int CountOpenFds() { return static_cast<int>(OpenFds().size()); }

int LowestFreeFd() {
  int fd = 0;
  while (fcntl(fd, F_GETFD) != -1) ++fd;
  return fd;
}

}  // namespace sockfi::testing
