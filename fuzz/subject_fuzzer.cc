// subject_fuzzer: like socketpair_sim_fuzzer, for any registered subject,
// chosen at start-up with --subject=NAME (libFuzzer ignores flags that start
// with "--") or the environment variable SOCKFI_SUBJECT; "hardened" by default.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "fuzz/violation.h"
#include "src/explore/fuzz_targets.h"
#include "src/subjects/subject.h"

namespace {
std::string g_subject = "hardened";
}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  if (const char* env = std::getenv("SOCKFI_SUBJECT"); env != nullptr && *env) {
    g_subject = env;
  }
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp((*argv)[i], "--subject=", 10) == 0) {
      g_subject = (*argv)[i] + 10;
    }
  }
  if (sockfi::FindSubject(g_subject) == nullptr) {
    std::fprintf(stderr,
                 "subject_fuzzer: no subject named \"%s\"; the subjects are: "
                 "%s\n",
                 g_subject.c_str(), sockfi::SubjectNames().c_str());
    std::exit(2);
  }
  std::fprintf(stderr, "subject_fuzzer: fuzzing subject %s\n",
               g_subject.c_str());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const sockfi::FuzzTarget& target =
      *sockfi::FindFuzzTarget("subject_fuzzer");
  const sockfi::Scenario scenario =
      sockfi::ScenarioForInput(target, {data, size}, g_subject);
  // One simulated kernel and one trace's storage serve every input: under
  // ASan each fresh allocation costs more than the run that fills it.
  static sockfi::RunScratch scratch;
  sockfi::HarnessRun run = sockfi::RunAsHarness(target, scenario, &scratch);
  sockfi::AbortOnViolation(scenario, target.backend, run);
  scratch.Recycle(std::move(run.result));
  return 0;
}
