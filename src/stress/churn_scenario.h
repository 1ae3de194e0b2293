// The churn scenario: pairs made and closed in a row, in each close order,
// as code that re-creates a wake-up channel often does.

#ifndef SOCKFI_SRC_STRESS_CHURN_SCENARIO_H_
#define SOCKFI_SRC_STRESS_CHURN_SCENARIO_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "src/stress/scenario_stats.h"

namespace sockfi {

enum class CloseOrder {
  kConnectingFirst,  // the connecting end closes first: its TIME_WAIT entry
                     // holds an ephemeral port of 127.0.0.1
  kAcceptedFirst,    // the accepted end closes first: its TIME_WAIT entry
                     // holds the listener's address and port
};

// Returns "connecting side first" or "accepted side first".
absl::string_view CloseOrderName(CloseOrder order);

struct ChurnConfig {
  // Pairs and time over all orders, shared evenly between them.
  StressBudget budget = {100000, absl::Seconds(60)};
  std::vector<CloseOrder> orders = {CloseOrder::kConnectingFirst,
                                    CloseOrder::kAcceptedFirst};
  // Every this many pairs, one is proven (a token both ways, peer addresses).
  int prove_every = 1000;
};

// Makes pairs with the hardened emulation (default options: the listener on a
// random 127.x.y.z) straight on the real kernel and closes both ends in one
// order, then in the next, each until its share of the budget is spent.
// Every pair must be made: a failure (EADDRNOTAVAIL when ephemeral ports run
// out, ...) is a violation, and so is a close that fails or a proof that does
// not hold. Notes give each order's pairs, time per pair and the TIME_WAIT
// sockets of the host before and after (from /proc/net/sockstat).
ScenarioStats RunChurnScenario(const ChurnConfig& config,
                               const StressProgress& progress = nullptr);

}  // namespace sockfi

#endif  // SOCKFI_SRC_STRESS_CHURN_SCENARIO_H_
