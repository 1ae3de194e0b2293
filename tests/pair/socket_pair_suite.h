// The MakeSocketPair test suite, run on every Syscalls backend.
//
// A backend's test binary instantiates the suite with a PairBackend:
//   INSTANTIATE_TEST_SUITE_P(Real, SocketPairSuite,
//                            ::testing::Values(RealBackend()), BackendName);

#ifndef SOCKFI_TESTS_PAIR_SOCKET_PAIR_SUITE_H_
#define SOCKFI_TESTS_PAIR_SOCKET_PAIR_SUITE_H_

#include <cerrno>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "src/sys/step_error.h"
#include "src/sys/syscalls.h"

namespace sockfi::testing {

struct PairBackend {
  std::string name;
  // Returns a fresh backend.
  std::function<std::unique_ptr<Syscalls>()> make;
  // Returns how many fds are open in `backend` (for leak checks).
  std::function<int(Syscalls& backend)> count_open_fds;
};

class SocketPairSuite : public ::testing::TestWithParam<PairBackend> {
 protected:
  void SetUp() override { syscalls_ = GetParam().make(); }
  Syscalls& syscalls() { return *syscalls_; }
  int CountOpenFds() { return GetParam().count_open_fds(*syscalls_); }

 private:
  std::unique_ptr<Syscalls> syscalls_;
};

// One fd-creating step of the emulation, and what it must report when it meets
// EMFILE: with `room` fds left to the process, the call that needs one more
// fails.
struct FdStep {
  int room;
  StepError expected;
};

// Returns the emulation's three fd-creating steps in order: the listener's
// socket, the connecting socket, the accepted socket.
inline std::vector<FdStep> FdCreatingSteps() {
  return {{0, {"socket", EMFILE}},
          {1, {"socket", EMFILE}},
          {2, {"accept", EMFILE}}};
}

inline std::string BackendName(
    const ::testing::TestParamInfo<PairBackend>& info) {
  return info.param.name;
}

}  // namespace sockfi::testing

#endif  // SOCKFI_TESTS_PAIR_SOCKET_PAIR_SUITE_H_
