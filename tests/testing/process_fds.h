// What the real kernel says about this process's descriptors.

#ifndef SOCKFI_TESTS_TESTING_PROCESS_FDS_H_
#define SOCKFI_TESTS_TESTING_PROCESS_FDS_H_

#include <vector>

namespace sockfi::testing {

// Returns the open fds of this process, ascending (from /proc/self/fd, without
// the fd used to read it).
std::vector<int> OpenFds();

// Returns the number of open fds of this process.
int CountOpenFds();

// Returns the lowest fd number that is not open.
int LowestFreeFd();

}  // namespace sockfi::testing

#endif  // SOCKFI_TESTS_TESTING_PROCESS_FDS_H_
