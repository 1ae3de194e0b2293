// The replay driver: runs a libFuzzer target's LLVMFuzzerTestOneInput on files,
// so that `bazel test` replays every corpus under any compiler, no libFuzzer
// needed.
//
//   X_replay corpus/X/ corpus/X/regressions/crash-1234...
//
// Directories are read recursively; a path that does not exist adds nothing (a
// target may have no regressions yet). Fails (exit 1) when there is no input at
// all (an empty corpus replays nothing) or a file cannot be read; an input that
// crashes the target (a signal, or a sanitizer's report) is named on stderr
// before the process dies.

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
    __attribute__((weak));
// Present when a sanitizer runtime is linked (GCC's or clang's): a sanitizer
// reports an error and exits without a signal, calling this callback first.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void))
    __attribute__((weak));

namespace {

// The input being replayed, for the crash handler (async-signal-safe to read).
char g_current[4096] = "";

// Names the input being replayed on stderr.
void NameCurrentInput() {
  static const char kPrefix[] = "\nsockfi replay: the target crashed on input ";
  (void)!write(STDERR_FILENO, kPrefix, sizeof(kPrefix) - 1);
  (void)!write(STDERR_FILENO, g_current, strlen(g_current));
  (void)!write(STDERR_FILENO, "\n", 1);
}

void OnCrash(int signal_number) {
  NameCurrentInput();
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

// Appends the files named by `path` (a file, or a directory read recursively).
bool CollectInputs(const std::string& path, std::vector<std::string>* inputs) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(path, error)) {
      if (entry.is_regular_file()) inputs->push_back(entry.path().string());
    }
    return !error;
  }
  if (!std::filesystem::exists(path, error)) return true;  // nothing there
  inputs->push_back(path);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::string> inputs;
  for (int i = 1; i < argc; ++i) {
    if (argv[i][0] == '-') continue;  // libFuzzer-style flags are not ours
    if (!CollectInputs(argv[i], &inputs)) return 1;
  }
  if (inputs.empty()) {
    std::fprintf(
        stderr,
        "sockfi replay: no inputs: the corpus of this target is empty, so "
        "nothing would be checked\n");
    return 1;
  }
  std::sort(inputs.begin(), inputs.end());
  for (int s : {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE}) signal(s, OnCrash);
  if (__sanitizer_set_death_callback != nullptr) {
    __sanitizer_set_death_callback(NameCurrentInput);
  }
  for (const std::string& input : inputs) {
    std::ifstream file(input, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "sockfi replay: cannot read %s\n", input.c_str());
      return 1;
    }
    const std::vector<uint8_t> data((std::istreambuf_iterator<char>(file)),
                                    std::istreambuf_iterator<char>());
    std::snprintf(g_current, sizeof(g_current), "%s", input.c_str());
    LLVMFuzzerTestOneInput(data.data(), data.size());
  }
  std::printf("sockfi replay: %zu inputs replayed, none failed\n",
              inputs.size());
  return 0;
}
