// RunScratch: runs through one scratch are the runs of fresh kernels, and each
// run frees what it allocated (libFuzzer's leak check relies on it).

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "src/explore/scenario.h"
#include "src/fault/trace.h"
#include "src/subjects/subject.h"
#include "tests/testing/random_bytes.h"

// Every allocation of this test binary is counted.
namespace {
std::atomic<int64_t> g_allocations{0};
std::atomic<int64_t> g_frees{0};
}  // namespace

void* operator new(size_t size) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  if (p == nullptr) return;
  g_frees.fetch_add(1, std::memory_order_relaxed);
  std::free(p);
}
void operator delete(void* p, size_t) noexcept { operator delete(p); }

namespace sockfi {
namespace {

using ::sockfi::testing::RandomBytes;

// Returns the scenario of a random input, for the `i`-th subject in turn.
Scenario RandomScenario(std::mt19937& rng, int i) {
  const std::vector<Subject>& subjects = AllSubjects();
  Scenario scenario = DecodeScenario(RandomBytes(rng, 68));
  scenario.subject = subjects[i % subjects.size()].name;
  return scenario;
}

// What a run's result depends on, as one text to compare.
std::string ResultText(const RunResult& result) {
  const RunRecord& record = result.record;
  return absl::StrCat(record.status.ToString(), "\n", FormatTrace(record.trace),
                      "elapsed ", absl::FormatDuration(record.elapsed), "\n",
                      result.verdict.Format(), "\n", record.hang_dump);
}

TEST(RunScratchTest, RunsThroughOneScratchAreTheRunsOfFreshKernels) {
  // Inputs of every kind, each subject in turn: whatever a run leaves in the
  // reused kernel (queues, ports, TIME_WAIT, timers, a hang, actors) must not
  // show in the next one.
  std::mt19937 rng(11);
  RunScratch scratch;
  int hangs = 0;
  int violations = 0;
  for (int i = 0; i < 3000; ++i) {
    const Scenario scenario = RandomScenario(rng, i);
    const RunResult fresh = RunScenario(scenario, BackendKind::kSim);
    RunResult reused = RunScenario(scenario, BackendKind::kSim, &scratch);
    ASSERT_EQ(ResultText(reused), ResultText(fresh))
        << "input " << i << ": " << RunCommandFor(scenario, BackendKind::kSim);
    hangs += !fresh.record.hang_dump.empty();
    violations += !fresh.verdict.ok();
    scratch.Recycle(std::move(reused));
  }
  // The inputs did reach the states a reset must clear.
  EXPECT_GT(hangs, 10);
  EXPECT_GT(violations, 100);
}

TEST(RunScratchTest, AWarmRunFreesWhatItAllocated) {
  // Run each input once to warm the scratch, then a run that leaves nothing
  // behind, then the input again: that run and its Recycle must free as many
  // blocks as they allocate, notes on the trace and a hang's dump included.
  std::mt19937 rng(5);
  RunScratch scratch;
  int noted = 0;
  int hung = 0;
  for (int i = 0; i < 2000; ++i) {
    const Scenario scenario = RandomScenario(rng, i);
    scratch.Recycle(RunScenario(scenario, BackendKind::kSim, &scratch));
    scratch.Recycle(RunScenario(Scenario(), BackendKind::kSim, &scratch));
    const int64_t allocations = g_allocations.load();
    const int64_t frees = g_frees.load();
    {
      RunResult result = RunScenario(scenario, BackendKind::kSim, &scratch);
      for (const TraceEvent& event : result.record.trace) {
        noted += !event.note.empty();
      }
      hung += !result.record.hang_dump.empty();
      scratch.Recycle(std::move(result));
    }
    ASSERT_EQ(g_allocations.load() - allocations, g_frees.load() - frees)
        << "input " << i << ": " << RunCommandFor(scenario, BackendKind::kSim);
  }
  EXPECT_GT(noted, 2);
  EXPECT_GT(hung, 10);
}

}  // namespace
}  // namespace sockfi
