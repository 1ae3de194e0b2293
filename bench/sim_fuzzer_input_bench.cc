// What one input of socketpair_sim_fuzzer costs without libFuzzer around it:
// each file of a corpus decoded and run as the target runs it (one scratch
// kernel for all, judged, recycled), round after round. items_per_second is
// inputs per second; calls_per_input is the mean number of calls the routine
// made. The workload is fixed, so unlike libFuzzer's exec/s it compares builds:
//
//   bazel run --config=asan //bench:sim_fuzzer_input_bench
//   bazel run --config=asan //bench:sim_fuzzer_input_bench -- /path/to/corpus
//
// The default corpus is the seed corpus; a corpus a fuzzing run grew is heavier
// (more foreign clients, longer runs).

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "benchmark/benchmark.h"
#include "src/explore/fuzz_targets.h"
#include "src/explore/scenario.h"

namespace sockfi {
namespace {

std::string& CorpusDir() {
  static std::string dir = "corpus/socketpair_sim_fuzzer";
  return dir;
}

std::vector<std::string> ReadCorpus(const std::string& dir) {
  std::vector<std::string> inputs;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream file(entry.path(), std::ios::binary);
    inputs.emplace_back(std::istreambuf_iterator<char>(file),
                        std::istreambuf_iterator<char>());
  }
  return inputs;
}

void BM_SimFuzzerInput(benchmark::State& state) {
  const std::vector<std::string> inputs = ReadCorpus(CorpusDir());
  if (inputs.empty()) {
    state.SkipWithError(("no inputs in " + CorpusDir()).c_str());
    return;
  }
  const FuzzTarget& target = *FindFuzzTarget("socketpair_sim_fuzzer");
  RunScratch scratch;
  size_t next = 0;
  int64_t calls = 0;
  for (auto _ : state) {
    const std::string& input = inputs[next];
    next = (next + 1) % inputs.size();
    const Scenario scenario = ScenarioForInput(
        target, {reinterpret_cast<const uint8_t*>(input.data()), input.size()},
        "hardened");
    RunResult result = RunScenario(scenario, target.backend, &scratch);
    calls += static_cast<int64_t>(result.record.trace.size());
    benchmark::DoNotOptimize(result.verdict);
    scratch.Recycle(std::move(result));
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["calls_per_input"] = benchmark::Counter(
      static_cast<double>(calls), benchmark::Counter::kAvgIterations);
  state.counters["inputs"] = static_cast<double>(inputs.size());
}
BENCHMARK(BM_SimFuzzerInput);

}  // namespace
}  // namespace sockfi

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc > 2) {
    std::fprintf(stderr, "usage: sim_fuzzer_input_bench [CORPUS_DIR]\n");
    return 2;
  }
  if (argc == 2) sockfi::CorpusDir() = argv[1];
  if (!std::filesystem::is_directory(sockfi::CorpusDir())) {
    std::fprintf(stderr, "sim_fuzzer_input_bench: %s is not a directory\n",
                 sockfi::CorpusDir().c_str());
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
