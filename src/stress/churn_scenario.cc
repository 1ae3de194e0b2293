#include "src/stress/churn_scenario.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "src/check/pair_proof.h"
#include "src/pair/socket_pair.h"
#include "src/sys/errno_name.h"
#include "src/sys/process_fds.h"
#include "src/sys/real_syscalls.h"

namespace sockfi {
namespace {

// Returns the host's TCP sockets in TIME_WAIT ("tw" in /proc/net/sockstat),
// or nullopt when that file cannot be read.
std::optional<int64_t> TimeWaitSockets() {
  std::ifstream file("/proc/net/sockstat");
  std::string line;
  while (std::getline(file, line)) {
    if (line.rfind("TCP:", 0) != 0) continue;
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      int64_t value;
      if (word == "tw" && words >> value) return value;
    }
  }
  return std::nullopt;
}

std::string TimeWaitText(std::optional<int64_t> count) {
  return count.has_value() ? absl::StrCat(*count) : "?";
}

}  // namespace

absl::string_view CloseOrderName(CloseOrder order) {
  return order == CloseOrder::kConnectingFirst ? "connecting side first"
                                               : "accepted side first";
}

ScenarioStats RunChurnScenario(const ChurnConfig& config,
                               const StressProgress& progress) {
  const absl::Time start = absl::Now();
  ScenarioStats stats;
  stats.scenario = "churn";
  stats.fault_meaning =
      "none: TIME_WAIT entries left by the pairs before are the pressure";
  RealSyscalls real;
  const SysResult<int> fds_before = CountOpenFds();
  if (!fds_before.ok() || config.orders.empty()) {
    stats.AddViolation(fds_before.ok() ? "setup: no close order"
                                       : "setup: cannot read /proc/self/fd");
    return stats;
  }
  const int64_t shares = static_cast<int64_t>(config.orders.size());
  absl::Time last_progress = start;
  for (size_t o = 0; o < config.orders.size(); ++o) {
    const CloseOrder order = config.orders[o];
    const int closed_first = order == CloseOrder::kConnectingFirst ? 0 : 1;
    const absl::Time order_start = absl::Now();
    const absl::Time end = order_start + config.budget.max_duration / shares;
    const int64_t max_pairs = config.budget.max_runs / shares;
    const std::optional<int64_t> tw_before = TimeWaitSockets();
    int64_t made = 0;
    int64_t failed = 0;
    for (int64_t i = 0; i < max_pairs; ++i) {
      const absl::Time now = absl::Now();
      if (now >= end) break;
      if (progress != nullptr &&
          now - last_progress >= absl::Milliseconds(100)) {
        last_progress = now;
        stats.elapsed = now - start;
        progress(stats);
      }
      const absl::Time call = real.Now();
      absl::StatusOr<SocketPair> pair = MakeSocketPair(PairOptions(), real);
      stats.worst_latency = std::max(stats.worst_latency, real.Now() - call);
      ++stats.runs;
      stats.CountOutcome(pair.status());
      const std::string context =
          absl::StrCat("pair ", i + 1, " (", CloseOrderName(order), ")");
      if (!pair.ok()) {
        ++failed;
        stats.AddViolation(
            absl::StrCat(context, ": ", pair.status().ToString()));
        continue;
      }
      if (config.prove_every > 0 && i % config.prove_every == 0) {
        absl::Status proof =
            ProvePair(real, pair->fds[0].get(), pair->fds[1].get(),
                      static_cast<uint64_t>(i));
        if (!proof.ok()) {
          stats.AddViolation(absl::StrCat(context, ": ", proof.message()));
          continue;
        }
      }
      SysStatus first = pair->fds[closed_first].Close();
      SysStatus second = pair->fds[1 - closed_first].Close();
      if (!first.ok() || !second.ok()) {
        stats.AddViolation(absl::StrCat(
            context, ": close failed with ",
            ErrnoName(!first.ok() ? first.error() : second.error())));
        continue;
      }
      ++made;
      ++stats.pairs_made;
    }
    const absl::Duration took = absl::Now() - order_start;
    stats.figures[absl::StrCat("pairs made, ", CloseOrderName(order))] = made;
    stats.notes.push_back(absl::StrFormat(
        "%s: %d pairs in %.1f s, %.1f us per pair, %d failed; TIME_WAIT "
        "sockets on the host %s before, %s after",
        CloseOrderName(order), made + failed, absl::ToDoubleSeconds(took),
        made + failed > 0 ? absl::ToDoubleMicroseconds(took) / (made + failed)
                          : 0.0,
        failed, TimeWaitText(tw_before), TimeWaitText(TimeWaitSockets())));
  }
  stats.elapsed = absl::Now() - start;
  const SysResult<int> fds_after = CountOpenFds();
  stats.leaked_fds = fds_after.ok() ? *fds_after - *fds_before : 0;
  return stats;
}

}  // namespace sockfi
