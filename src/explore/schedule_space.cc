#include "src/explore/schedule_space.h"

#include <algorithm>
#include <cerrno>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "src/sys/errno_name.h"

namespace sockfi {
namespace {

// Errnos an adversary adds to every call, beyond the catalog.
constexpr int kAdversarialErrnos[] = {EINTR, EAGAIN, EBADF, EINVAL, ENOMEM};

bool ConditionHolds(const CatalogEntry& entry, const TraceEvent& event) {
  switch (entry.condition) {
    case Condition::kAnyCall:
      return true;
    case Condition::kNonBlockingOnly:
      return event.nonblocking;
    case Condition::kBlockingOnly:
      return !event.nonblocking;
  }
  return false;
}

// Returns false for the two adversarial timings that no correct routine could
// survive, which are not worth exploring: a close that fails "before" keeps its
// fd (only a retry, a bug on Linux, would not leak it), and a send or recv that
// fails "after" moving bytes loses or repeats them (Linux returns a short count
// instead).
bool Survivable(CallKind call, Timing timing) {
  if (call == CallKind::kClose) return timing == Timing::kAfter;
  if (call == CallKind::kSend || call == CallKind::kRecv) {
    return timing == Timing::kBefore;
  }
  return true;
}

// Returns the most fds the run held at once.
uint32_t MostFdsHeld(const Trace& trace) {
  int open = 0;
  int most = 0;
  for (const TraceEvent& event : trace) {
    for (int fd : event.new_fds) open += fd >= 0;
    if (event.call == CallKind::kClose && event.fd >= 0 &&
        (event.error_number == 0 || event.fault.timing == Timing::kAfter)) {
      --open;
    }
    most = std::max(most, open);
  }
  return static_cast<uint32_t>(most);
}

class AtomCollector {
 public:
  void Add(std::variant<FaultRule, ActorRule, FdLimit> rule) {
    Atom atom = MakeAtom(std::move(rule));
    if (seen_.insert(atom.text).second) atoms_.push_back(std::move(atom));
  }
  std::vector<Atom> Take() { return std::move(atoms_); }

 private:
  absl::flat_hash_set<std::string> seen_;
  std::vector<Atom> atoms_;
};

FaultRule ErrnoRule(const TraceEvent& event, int error_number,
                    std::optional<Timing> timing, bool from_here_on) {
  FaultRule rule;
  rule.call = event.call;
  rule.when.first = event.occurrence;
  rule.when.last = from_here_on ? Occurrences::kOpenEnd : event.occurrence;
  rule.action = ErrnoFault{error_number, timing};
  return rule;
}

}  // namespace

Atom MakeAtom(std::variant<FaultRule, ActorRule, FdLimit> rule) {
  Atom atom;
  if (const auto* fault = std::get_if<FaultRule>(&rule)) {
    atom.text = PrintRule(*fault);
  } else if (const auto* actor = std::get_if<ActorRule>(&rule)) {
    atom.text = PrintRule(*actor);
  } else {
    atom.text = absl::StrCat("fdlimit=", std::get<FdLimit>(rule).limit);
  }
  atom.rule = std::move(rule);
  return atom;
}

FaultPlan PlanOf(const std::vector<Atom>& atoms) {
  FaultPlan plan;
  for (const Atom& atom : atoms) {
    if (const auto* fault = std::get_if<FaultRule>(&atom.rule)) {
      plan.faults.push_back(*fault);
    } else if (const auto* actor = std::get_if<ActorRule>(&atom.rule)) {
      plan.actors.push_back(*actor);
    } else {
      plan.fd_limit = std::get<FdLimit>(atom.rule).limit;
    }
  }
  return plan;
}

std::vector<Atom> AtomsOf(const FaultPlan& plan) {
  std::vector<Atom> atoms;
  if (plan.fd_limit.has_value())
    atoms.push_back(MakeAtom(FdLimit{*plan.fd_limit}));
  for (const FaultRule& rule : plan.faults) atoms.push_back(MakeAtom(rule));
  for (const ActorRule& rule : plan.actors) atoms.push_back(MakeAtom(rule));
  return atoms;
}

std::vector<Atom> CandidateAtoms(const Trace& trace, bool with_fd_limits,
                                 const ScheduleSpaceOptions& options) {
  AtomCollector atoms;
  if (with_fd_limits) {
    const uint32_t most = MostFdsHeld(trace);
    for (uint32_t limit = 0; limit < most; ++limit) atoms.Add(FdLimit{limit});
  }
  for (const TraceEvent& event : trace) {
    if (event.error_number == kHangErrno)
      break;  // nothing after a hang is real
    const auto entries = options.catalog->EntriesFor(event.call);
    for (const CatalogEntry& entry : entries) {
      if (!options.adversarial && !ConditionHolds(entry, event)) continue;
      atoms.Add(ErrnoRule(event, entry.error_number, std::nullopt, false));
      if (entry.persistent) {
        atoms.Add(ErrnoRule(event, entry.error_number, std::nullopt, true));
      }
      if (options.adversarial) {
        const Timing other =
            entry.timing == Timing::kBefore ? Timing::kAfter : Timing::kBefore;
        if (Survivable(event.call, other)) {
          atoms.Add(ErrnoRule(event, entry.error_number, other, false));
        }
      }
    }
    if (options.adversarial) {
      for (int error_number : kAdversarialErrnos) {
        if (options.catalog->Find(event.call, error_number) != nullptr) {
          continue;
        }
        for (Timing timing : {Timing::kBefore, Timing::kAfter}) {
          if (Survivable(event.call, timing)) {
            atoms.Add(ErrnoRule(event, error_number, timing, false));
          }
        }
      }
    }
    if ((event.call == CallKind::kSend || event.call == CallKind::kRecv) &&
        event.arg > 1) {
      FaultRule rule;
      rule.call = event.call;
      rule.when = {event.occurrence, event.occurrence};
      rule.action = ShortTransfer{1};
      atoms.Add(rule);
    }
    if (options.adversarial && event.call == CallKind::kRecv && event.arg > 0) {
      for (StreamFault fault :
           {StreamFault::kEndOfStream, StreamFault::kCorrupt}) {
        FaultRule rule;
        rule.call = event.call;
        rule.when = {event.occurrence, event.occurrence};
        rule.action = fault;
        atoms.Add(rule);
      }
    }
    if (event.call == CallKind::kListen && event.error_number == 0) {
      for (ActorKind actor : kAllActorKinds) {
        if (actor == ActorKind::kHalfOpen && !options.half_open) continue;
        atoms.Add(ActorRule{
            actor, CallKind::kListen, {event.occurrence, event.occurrence}});
      }
    }
  }
  return atoms.Take();
}

}  // namespace sockfi
