// socketpair_real_fuzzer: the hardened emulation on this machine's kernel under
// the fault plan and pair options the input encodes (the kernel settings are
// the real ones; each run's deadline is at most 300 ms). Besides the oracles,
// the process's fd table is the leak referee: it must hold as many fds after a
// run as before.

#include <dirent.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "absl/time/time.h"
#include "src/explore/scenario.h"
#include "src/fault/trace.h"

namespace {

int CountOpenFds() {
  int count = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (readdir(dir) != nullptr) ++count;
    closedir(dir);
  }
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sockfi::Scenario scenario = sockfi::DecodeScenario({data, size});
  scenario.subject = "hardened";
  scenario.options.timeout =
      std::min(scenario.options.timeout, absl::Milliseconds(300));
  const int before = CountOpenFds();
  const sockfi::RunResult result =
      sockfi::RunScenario(scenario, sockfi::BackendKind::kReal);
  const int after = CountOpenFds();
  if (!result.verdict.ok() || after != before) {
    std::fprintf(
        stderr, "\nsockfi: violation\n  %s\n%s%s\n%s",
        sockfi::RunCommandFor(scenario, sockfi::BackendKind::kReal).c_str(),
        result.verdict.Format().c_str(),
        after != before ? "the process holds a different number of fds "
                          "after the run than before\n"
                        : "",
        sockfi::FormatTrace(result.record.trace).c_str());
    std::abort();
  }
  return 0;
}
