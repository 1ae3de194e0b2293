#include "src/check/propagation.h"

#include <cerrno>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/sys/errno_name.h"
#include "src/sys/step_error.h"

namespace sockfi {
namespace {

struct Fired {
  const TraceEvent* event;
  Handling handling;
};

Handling HandlingOf(const TraceEvent& event, const ErrnoCatalog& catalog) {
  if (event.call == CallKind::kClose) return Handling::kIgnore;
  if (event.fault.kind == FaultKind::kFdLimit) return Handling::kPropagate;
  const CatalogEntry* entry =
      catalog.Find(event.call, event.fault.error_number);
  if (entry != nullptr) return entry->handling;
  // An adversarial errno Linux would not return here: reporting it is right,
  // and so is getting past it.
  return Handling::kPropagate;
}

std::string Describe(const TraceEvent& event, const FaultPlan& plan) {
  if (event.fault.kind == FaultKind::kFdLimit) {
    return absl::StrCat(CallName(event.call), "#", event.occurrence,
                        "=EMFILE (fdlimit=", plan.fd_limit.value_or(0), ")");
  }
  return PrintRule(plan.faults[event.fault.rule]);
}

}  // namespace

void CheckPropagation(const RunRecord& record, const ErrnoCatalog& catalog,
                      bool pair_works, std::vector<Violation>* out) {
  std::vector<Fired> fired;
  for (const TraceEvent& event : record.trace) {
    if (event.fault.kind == FaultKind::kErrno ||
        event.fault.kind == FaultKind::kFdLimit) {
      fired.push_back({&event, HandlingOf(event, catalog)});
    }
  }
  // The last fatal fault the routine did not get past: one it recovered from
  // (the same call on the same fd succeeded later, e.g. bind with another
  // address) no longer decides the outcome.
  const Fired* fatal = nullptr;
  for (const Fired& f : fired) {
    if (f.handling != Handling::kPropagate) continue;
    bool recovered = false;
    for (size_t i = f.event->index + 1; i < record.trace.size() && !recovered;
         ++i) {
      const TraceEvent& later = record.trace[i];
      recovered = later.call == f.event->call && later.fd == f.event->fd &&
                  later.error_number == 0;
    }
    if (!recovered) fatal = &f;
  }
  bool flooded = false;
  for (const TraceEvent& event : record.trace) {
    flooded |= event.actor_acted && event.actor == ActorKind::kFlood;
  }

  if (record.status.ok()) {
    if (fatal != nullptr && !pair_works) {
      out->push_back(
          {ViolationKind::kSwallowedError,
           absl::StrCat(Describe(*fatal->event, record.plan),
                        " fired, yet the routine reported success with a "
                        "pair that does not work")});
    }
    return;
  }

  const std::optional<StepError> reported = GetStepError(record.status);
  if (reported.has_value() && reported->error_number == kHangErrno) {
    return;  // the liveness oracle reports hangs
  }
  if (!reported.has_value()) {
    out->push_back({ViolationKind::kWrongStep,
                    absl::StrCat("the error names no step and errno: ",
                                 record.status.ToString())});
    return;
  }
  const std::string said = absl::StrCat(ErrnoName(reported->error_number),
                                        " at \"", reported->step, "\"");
  if (fatal != nullptr) {
    const TraceEvent& cause = *fatal->event;
    const int expected = cause.fault.kind == FaultKind::kFdLimit
                             ? EMFILE
                             : cause.fault.error_number;
    if (reported->error_number != expected) {
      out->push_back(
          {ViolationKind::kWrongErrno,
           absl::StrCat("reported ", said, "; ", Describe(cause, record.plan),
                        " should surface as ", ErrnoName(expected), " at \"",
                        CallName(cause.call), "\"")});
    } else if (reported->step != CallName(cause.call)) {
      out->push_back(
          {ViolationKind::kWrongStep,
           absl::StrCat("reported ", said, "; ", Describe(cause, record.plan),
                        " happened at \"", CallName(cause.call), "\"")});
    }
    return;
  }
  if (flooded && reported->error_number == ETIMEDOUT) return;
  // A routine may give up on a retryable fault that keeps firing at the same
  // call.
  for (const Fired& f : fired) {
    if (f.handling != Handling::kRetry) continue;
    int times = 0;
    for (const Fired& g : fired) {
      times += g.event->call == f.event->call &&
               g.event->fault.error_number == f.event->fault.error_number;
    }
    if (times >= 2 && reported->step == CallName(f.event->call) &&
        reported->error_number == f.event->fault.error_number) {
      return;
    }
  }
  std::string why = "no fault fired";
  if (!fired.empty()) {
    std::vector<std::string> names;
    for (const Fired& f : fired)
      names.push_back(Describe(*f.event, record.plan));
    why = absl::StrCat("only retryable or ignorable faults fired (",
                       absl::StrJoin(names, ", "), ")");
  }
  out->push_back({ViolationKind::kUnexpectedError,
                  absl::StrCat("reported ", said, " but ", why)});
}

}  // namespace sockfi
