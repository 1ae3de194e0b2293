#include "src/stress/random_plans.h"

#include <sys/socket.h>

#include <algorithm>
#include <variant>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "src/fault/errno_catalog.h"
#include "src/fault/fault_injector.h"

namespace sockfi {
namespace {

// Returns whether a correct routine must give up on `atom` (report it).
bool IsFatal(const Atom& atom) {
  if (std::holds_alternative<FdLimit>(atom.rule)) return true;
  const auto* rule = std::get_if<FaultRule>(&atom.rule);
  if (rule == nullptr) return false;  // an actor
  const auto* fault = std::get_if<ErrnoFault>(&rule->action);
  if (fault == nullptr) return false;  // a short transfer
  const CatalogEntry* entry =
      ErrnoCatalog::Linux().Find(rule->call, fault->error_number);
  return entry == nullptr || entry->handling == Handling::kPropagate;
}

const Atom& Pick(const std::vector<Atom>& atoms, std::mt19937_64& random) {
  return atoms[std::uniform_int_distribution<size_t>(0,
                                                     atoms.size() - 1)(random)];
}

}  // namespace

std::vector<PairOptions> RandomPlans::DefaultVariants(absl::Duration timeout) {
  std::vector<PairOptions> variants(4);
  variants[1].family = AF_INET6;
  variants[2].peer_check = PeerCheck::kToken;
  variants[2].type = SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC;
  variants[3].peer_check = PeerCheck::kAddressesAndToken;
  variants[3].listen_address = ListenAddress::kLoopback;
  for (PairOptions& options : variants) options.timeout = timeout;
  return variants;
}

absl::StatusOr<RandomPlans> RandomPlans::Make(
    Syscalls& real, absl::Span<const PairOptions> variants) {
  RandomPlans plans;
  ScheduleSpaceOptions space;
  space.half_open = false;
  for (const PairOptions& options : variants) {
    FaultInjector injector(real, FaultPlan());
    Trace trace;
    {
      absl::StatusOr<SocketPair> pair = MakeSocketPair(options, injector);
      if (!pair.ok()) continue;
      trace = injector.TakeTrace();
    }
    Variant variant{options, {}, {}};
    for (Atom& atom : CandidateAtoms(trace, /*with_fd_limits=*/true, space)) {
      const auto* actor = std::get_if<ActorRule>(&atom.rule);
      if (actor != nullptr && (actor->actor == ActorKind::kFlood ||
                               actor->actor == ActorKind::kHalfOpen)) {
        continue;
      }
      (IsFatal(atom) ? variant.fatal : variant.survivable)
          .push_back(std::move(atom));
    }
    plans.variants_.push_back(std::move(variant));
  }
  if (plans.variants_.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("none of the ", variants.size(),
                     " pair variants could make a fault-free pair here"));
  }
  return plans;
}

PlannedRun RandomPlans::Next(std::mt19937_64& random, int max_faults) const {
  const Variant& variant = variants_[std::uniform_int_distribution<size_t>(
      0, variants_.size() - 1)(random)];
  PlannedRun run;
  run.options = variant.options;
  int count = 0;
  if (max_faults > 0 && std::uniform_int_distribution<int>(0, 7)(random) != 0) {
    count = std::uniform_int_distribution<int>(1, max_faults)(random);
  }
  std::vector<Atom> atoms;
  for (int i = 0; i < count; ++i) {
    const bool survivable =
        std::uniform_int_distribution<int>(0, 9)(random) < 7;
    const std::vector<Atom>& pool =
        (survivable && !variant.survivable.empty()) || variant.fatal.empty()
            ? variant.survivable
            : variant.fatal;
    if (pool.empty()) break;
    const Atom& atom = Pick(pool, random);
    const bool again =
        std::any_of(atoms.begin(), atoms.end(),
                    [&](const Atom& a) { return a.text == atom.text; });
    if (!again) atoms.push_back(atom);
  }
  run.plan = PlanOf(atoms);
  return run;
}

}  // namespace sockfi
