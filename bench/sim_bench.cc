// Cost of one full MakeSocketPair run on SimKernel, the unit of work of a
// fuzzer or an explorer: with a fresh kernel per run (what a fuzzer does per
// input, so construction is part of the cost) and with one kernel reused.
// Families: AF_INET (the default options), AF_INET6, AF_UNIX (socketpair).
// items_per_second is runs per second.
//
// Virtual time stands still while nothing blocks, so on a reused kernel every
// closed pair leaves a TIME_WAIT entry that never expires and, on a single
// address (::1), the ephemeral ports run out after about 28,000 pairs, as on
// Linux (LINUX_SEMANTICS.md, "Churn"). The reused benchmark therefore closes
// the connecting side first and lets virtual time pass (an empty poll of
// time_wait + 1 s) every 1,000 runs, as a long-lived harness would.

#include <sys/socket.h>

#include <cstdlib>
#include <memory>

#include "benchmark/benchmark.h"
#include "src/pair/socket_pair.h"
#include "src/sim/sim_kernel.h"

namespace sockfi {
namespace {

std::unique_ptr<SimKernel> NewKernel(uint64_t seed) {
  SimConfig config;
  config.seed = seed;
  absl::StatusOr<std::unique_ptr<SimKernel>> kernel = SimKernel::Create(config);
  if (!kernel.ok()) std::abort();
  return *std::move(kernel);
}

void RunOnce(const PairOptions& options, SimKernel& kernel) {
  absl::StatusOr<SocketPair> pair = MakeSocketPair(options, kernel);
  if (!pair.ok()) std::abort();
  benchmark::DoNotOptimize(pair->fds[0].get());
  (void)pair->fds[0].Close();  // the connecting side first
}

void BM_FreshKernelPerRun(benchmark::State& state) {
  PairOptions options;
  options.family = static_cast<int>(state.range(0));
  uint64_t seed = 1;
  for (auto _ : state) {
    std::unique_ptr<SimKernel> kernel = NewKernel(seed++);
    RunOnce(options, *kernel);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ReusedKernel(benchmark::State& state) {
  PairOptions options;
  options.family = static_cast<int>(state.range(0));
  std::unique_ptr<SimKernel> kernel = NewKernel(1);
  const int sleep_ms = static_cast<int>(
      absl::ToInt64Milliseconds(kernel->config().time_wait + absl::Seconds(1)));
  int runs = 0;
  for (auto _ : state) {
    RunOnce(options, *kernel);
    if (++runs % 1000 == 0) (void)kernel->Poll({}, sleep_ms);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_FreshKernelPerRun)
    ->ArgName("family")
    ->Arg(AF_INET)
    ->Arg(AF_INET6)
    ->Arg(AF_UNIX);
BENCHMARK(BM_ReusedKernel)
    ->ArgName("family")
    ->Arg(AF_INET)
    ->Arg(AF_INET6)
    ->Arg(AF_UNIX);

}  // namespace
}  // namespace sockfi

BENCHMARK_MAIN();
