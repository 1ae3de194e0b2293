// socketpair_real_fuzzer: the hardened emulation on this machine's kernel under
// the fault plan and pair options the input encodes (the kernel settings are
// the real ones; each run's deadline is at most 300 ms). Besides the oracles,
// the process's fd table is the leak referee: it must hold as many fds after a
// run as before.

#include <dirent.h>

#include <cstdint>

#include "fuzz/violation.h"
#include "src/explore/fuzz_targets.h"

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
  static const sockfi::FuzzTarget& target =
      *sockfi::FindFuzzTarget("socketpair_real_fuzzer");
  const sockfi::Scenario scenario =
      sockfi::ScenarioForInput(target, {data, size}, "hardened");
  const int before = CountOpenFds();
  const sockfi::RunResult result =
      sockfi::RunScenario(scenario, target.backend);
  const int after = CountOpenFds();
  sockfi::AbortOnViolation(
      scenario, target.backend, result,
      after != before ? "the process holds a different number of fds after the "
                        "run than before\n"
                      : "");
  return 0;
}
