// ScheduleSpace: the faults worth trying at each call of a trace.
//
// A schedule is a set of atoms — single fault rules, actor rules, or an fd
// limit — and its plan is their union. Atoms are generated from a run's trace:
// every call occurrence × every errno the catalog lists for that call under the
// conditions the call ran in (EAGAIN only where the call could not block, ...),
// persistent causes also from that occurrence on, short transfers for send and
// recv, actors after each listen, and fd limits below what the run held at
// once.

#ifndef SOCKFI_SRC_EXPLORE_SCHEDULE_SPACE_H_
#define SOCKFI_SRC_EXPLORE_SCHEDULE_SPACE_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "src/fault/errno_catalog.h"
#include "src/fault/fault_plan.h"
#include "src/fault/trace.h"

namespace sockfi {

struct FdLimit {
  uint32_t limit = 0;
  friend bool operator==(const FdLimit& a, const FdLimit& b) {
    return a.limit == b.limit;
  }
};

// One fault of a schedule.
struct Atom {
  std::variant<FaultRule, ActorRule, FdLimit> rule;
  std::string text;  // its plan text, e.g. "accept#2=EMFILE"
};

// Returns the atom for each rule, printing its text.
Atom MakeAtom(std::variant<FaultRule, ActorRule, FdLimit> rule);
// Returns the plan made of `atoms` (the last fd limit wins).
FaultPlan PlanOf(const std::vector<Atom>& atoms);
// Returns the atoms of `plan`: its fd limit, fault rules and actor rules.
std::vector<Atom> AtomsOf(const FaultPlan& plan);

struct ScheduleSpaceOptions {
  // Add errnos and timings Linux could not produce — but not the two no
  // correct routine could survive: a close that keeps its fd (only a retry,
  // wrong on Linux, would not leak it) and a send or recv that fails after
  // moving bytes (they are lost or sent twice).
  bool adversarial = false;
  bool half_open = true;  // the backend can make half-open clients
  const ErrnoCatalog* catalog = &ErrnoCatalog::Linux();
};

// Returns every atom worth trying on the calls of `trace`, in trace order,
// without duplicates. Fd limits are offered only when `with_fd_limits`.
std::vector<Atom> CandidateAtoms(const Trace& trace, bool with_fd_limits,
                                 const ScheduleSpaceOptions& options);

}  // namespace sockfi

#endif  // SOCKFI_SRC_EXPLORE_SCHEDULE_SPACE_H_
