// The calling process's fd table as the kernel reports it: which fds are open
// (/proc/self/fd) and the per-process limit (RLIMIT_NOFILE).
//
// Leak referees for code that runs on the real kernel: a run that leaves the
// count of open fds different from before leaked (or closed) one, whatever its
// trace says. The limit can be lowered to make the real kernel return EMFILE.

#ifndef SOCKFI_SRC_SYS_PROCESS_FDS_H_
#define SOCKFI_SRC_SYS_PROCESS_FDS_H_

#include <cstdint>
#include <vector>

#include "src/sys/sys_result.h"

namespace sockfi {

// Returns the fds open in this process, ascending (without the one used to
// read /proc/self/fd), or the errno of opening that directory (EMFILE when no
// fd is left to read it with).
SysResult<std::vector<int>> ListOpenFds();

// Returns how many fds are open in this process, as ListOpenFds.
SysResult<int> CountOpenFds();

struct ProcessFdLimit {
  uint64_t soft = 0;  // RLIM_INFINITY when unlimited
  uint64_t hard = 0;
};

// Returns RLIMIT_NOFILE.
SysResult<ProcessFdLimit> GetFdLimit();

// Sets RLIMIT_NOFILE's soft limit to `soft` (the hard limit stays); fds already
// open stay open. EINVAL when `soft` is above the hard limit.
SysStatus SetSoftFdLimit(uint64_t soft);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SYS_PROCESS_FDS_H_
