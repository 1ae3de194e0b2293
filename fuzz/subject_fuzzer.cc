// subject_fuzzer: like socketpair_sim_fuzzer, for any registered subject,
// chosen at start-up with --subject=NAME (libFuzzer ignores flags that start
// with "--") or the environment variable SOCKFI_SUBJECT; "hardened" by default.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "src/explore/scenario.h"
#include "src/fault/trace.h"
#include "src/subjects/subject.h"

namespace {
std::string g_subject = "hardened";
}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  if (const char* env = std::getenv("SOCKFI_SUBJECT"); env != nullptr && *env) {
    g_subject = env;
  }
  for (int i = 1; i < *argc; ++i) {
    if (std::strncmp((*argv)[i], "--subject=", 10) == 0)
      g_subject = (*argv)[i] + 10;
  }
  if (sockfi::FindSubject(g_subject) == nullptr) {
    std::fprintf(
        stderr,
        "subject_fuzzer: no subject named \"%s\"; the subjects are: %s\n",
        g_subject.c_str(), sockfi::SubjectNames().c_str());
    std::exit(2);
  }
  std::fprintf(stderr, "subject_fuzzer: fuzzing subject %s\n",
               g_subject.c_str());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sockfi::Scenario scenario = sockfi::DecodeScenario({data, size});
  scenario.subject = g_subject;
  const sockfi::RunResult result =
      sockfi::RunScenario(scenario, sockfi::BackendKind::kSim);
  if (!result.verdict.ok()) {
    std::fprintf(
        stderr, "\nsockfi: violation\n  %s\n%s\n%s",
        sockfi::RunCommandFor(scenario, sockfi::BackendKind::kSim).c_str(),
        result.verdict.Format().c_str(),
        sockfi::FormatTrace(result.record.trace).c_str());
    std::abort();
  }
  return 0;
}
