// RandomPlans: random realistic fault plans for the hardened emulation on the
// real kernel, drawn from the faults the explorer would try.

#ifndef SOCKFI_SRC_STRESS_RANDOM_PLANS_H_
#define SOCKFI_SRC_STRESS_RANDOM_PLANS_H_

#include <random>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "src/explore/schedule_space.h"
#include "src/fault/fault_plan.h"
#include "src/pair/socket_pair.h"
#include "src/sys/syscalls.h"

namespace sockfi {

// A pair request and the plan to run it under.
struct PlannedRun {
  PairOptions options;
  FaultPlan plan;
};

class RandomPlans {
 public:
  // Returns the pair options RandomPlans draws from by default: inet with
  // addresses checked, inet6, inet with the token and
  // SOCK_NONBLOCK|SOCK_CLOEXEC, inet with both checks on 127.0.0.1; each with
  // `timeout`.
  static std::vector<PairOptions> DefaultVariants(absl::Duration timeout);

  // Records a fault-free run of the emulation through `real` for each of
  // `variants`, and keeps the faults the explorer would try on its calls
  // (CandidateAtoms, realistic, fd limits included) but floods, which cost the
  // whole deadline, and half-open clients, which the real kernel cannot make.
  // A variant whose fault-free run fails (IPv6 disabled, ...) is left out.
  // Returns FailedPrecondition when every variant failed.
  static absl::StatusOr<RandomPlans> Make(
      Syscalls& real, absl::Span<const PairOptions> variants);

  // Returns a variant and a plan of up to `max_faults` distinct faults of its
  // candidates (none in about one draw of eight), from `random`. Each fault is
  // one a correct routine gets past (a retryable or ignorable errno, a short
  // transfer, a foreign client) seven times in ten, else one it must report
  // (most candidates are of that kind, and most end the run at once).
  PlannedRun Next(std::mt19937_64& random, int max_faults = 3) const;

  // Returns how many candidate faults variant `i` has, and the variant count.
  size_t candidate_count(size_t i) const {
    return variants_[i].survivable.size() + variants_[i].fatal.size();
  }
  size_t variant_count() const { return variants_.size(); }

 private:
  struct Variant {
    PairOptions options;
    std::vector<Atom> survivable;  // retry or ignore, short transfers, actors
    std::vector<Atom> fatal;       // propagate, fd limits
  };
  std::vector<Variant> variants_;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_STRESS_RANDOM_PLANS_H_
