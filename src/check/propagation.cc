#include "src/check/propagation.h"

#include <algorithm>
#include <cerrno>
#include <string>

#include "absl/container/inlined_vector.h"
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
// The faults that fired in one run: a few.
using FiredFaults = absl::InlinedVector<Fired, 8>;

// Returns whether an errno rule or the fdlimit of the plan failed `event`.
bool FailedByThePlan(const TraceEvent& event) {
  return event.fault.kind == FaultKind::kErrno ||
         event.fault.kind == FaultKind::kFdLimit;
}

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

int ErrnoOf(const TraceEvent& event) {
  return event.fault.kind == FaultKind::kFdLimit ? EMFILE
                                                 : event.fault.error_number;
}

// Returns whether the reported error has a cause the routine was right to
// report: a fatal fault at that step with that errno (the last one, or an
// earlier one it went on after); a flood, for ETIMEDOUT; a failure the kernel
// produced by itself (IPv6 disabled; a refused connection read from SO_ERROR,
// counted as connect); or a retryable fault that kept firing at that step,
// which a routine may give up on.
// Returns whether the routine tried to get past `fault`: after it, it made a
// call other than close (a wait, a retry, a new connection), not just cleaned
// up.
bool WentOnAfter(const RunRecord& record, const TraceEvent& fault) {
  const size_t after = static_cast<size_t>(&fault - record.trace.data()) + 1;
  for (size_t i = after; i < record.trace.size(); ++i) {
    if (record.trace[i].call != CallKind::kClose) return true;
  }
  return false;
}

bool Explained(const RunRecord& record, const FiredFaults& fired,
               const StepError& reported, const ErrnoCatalog& catalog) {
  const auto matches = [&](CallKind call, int error_number) {
    return reported.step == CallName(call) &&
           reported.error_number == error_number;
  };
  for (const Fired& f : fired) {
    if (f.handling == Handling::kPropagate &&
        matches(f.event->call, ErrnoOf(*f.event))) {
      return true;
    }
  }
  // Other processes connecting (foreign clients take queue slots, a flood
  // fills the queue, a storm of them is an attack) explain giving up at
  // "verify" or at the deadline.
  bool actors_acted = false;
  for (const TraceEvent& event : record.trace)
    actors_acted |= event.actors != 0;
  if (actors_acted &&
      (reported.step == "verify" || reported.error_number == ETIMEDOUT)) {
    return true;
  }
  // A recv that read end of stream or altered bytes (an eof or corrupt rule)
  // explains giving up where what was read is judged, at recv or "verify".
  // Altered bytes can also make a routine take its own connection for a
  // stranger's and close it: the resets of its connection that follow (seen
  // at "connect"), and a deadline met while it waited for another, are
  // explained too.
  for (const TraceEvent& event : record.trace) {
    if (event.fault.kind != FaultKind::kEndOfStream &&
        event.fault.kind != FaultKind::kCorrupt) {
      continue;
    }
    if (reported.step == "recv" || reported.step == "verify" ||
        (reported.step == "connect" && reported.error_number == ECONNRESET) ||
        (reported.error_number == ETIMEDOUT && WentOnAfter(record, event))) {
      return true;
    }
  }
  // Once its deadline has passed (actors' time included: the routine's clock
  // counts it), DeadlineExceeded is the fair end of any routine, whatever it
  // was doing. On the real kernel time passes between any two calls, so the
  // deadline can fall right after a fault the routine would have got past.
  if (reported.error_number == ETIMEDOUT &&
      record.elapsed + record.actor_time >= record.deadline) {
    return true;
  }
  // A deadline is a fair end for a routine that was still working on getting
  // past a fault (a retry, a new connection, bytes that never came) when time
  // ran out.
  if (reported.error_number == ETIMEDOUT) {
    for (const Fired& f : fired) {
      if (WentOnAfter(record, *f.event)) return true;
    }
  }
  for (const TraceEvent& event : record.trace) {
    if (event.fault.injected()) continue;
    if (event.error_number != 0 && event.error_number != kHangErrno &&
        matches(event.call, event.error_number)) {
      // A failure the kernel gave by itself explains the error, but one a
      // correct caller retries (a real signal's EINTR, EAGAIN) only once the
      // routine tried to get past it, as for an injected one — unless other
      // processes (actors) were at work, whose doing it may be for good.
      const CatalogEntry* entry = catalog.Find(event.call, event.error_number);
      if (entry == nullptr || entry->handling != Handling::kRetry ||
          actors_acted || WentOnAfter(record, event)) {
        return true;
      }
    }
    if (event.call == CallKind::kGetSockOpt && event.error_number == 0 &&
        event.value != 0 && matches(CallKind::kConnect, event.value)) {
      return true;
    }
  }
  for (const Fired& f : fired) {
    if (f.handling != Handling::kRetry ||
        !matches(f.event->call, f.event->fault.error_number)) {
      continue;
    }
    // A routine may give up on a retryable fault once it has tried to get
    // past it. Giving up at once is the bug.
    if (WentOnAfter(record, *f.event)) return true;
  }
  // A fault that took a queued connection (accept failing "after") resets the
  // client of that connection: the reset may surface on the client's side.
  const bool reset_surfaces =
      (reported.step == "connect" || reported.step == "send" ||
       reported.step == "recv") &&
      (reported.error_number == ECONNRESET || reported.error_number == EPIPE ||
       reported.error_number == ECONNABORTED);
  if (reset_surfaces) {
    for (const Fired& f : fired) {
      if (f.event->call == CallKind::kAccept &&
          f.event->fault.kind == FaultKind::kErrno &&
          f.event->fault.timing == Timing::kAfter) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void CheckPropagation(const RunRecord& record, const ErrnoCatalog& catalog,
                      bool pair_works, std::vector<Violation>* out) {
  FiredFaults fired;
  // A run that kept failing can hold hundreds: reserve once rather than grow.
  fired.reserve(static_cast<size_t>(std::count_if(
      record.trace.begin(), record.trace.end(), FailedByThePlan)));
  for (const TraceEvent& event : record.trace) {
    if (FailedByThePlan(event)) {
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

  if (record.argument_error.has_value()) {
    // Invalid options: the one right outcome is InvalidArgument, at once.
    if (record.status.code() == absl::StatusCode::kInvalidArgument &&
        record.trace.empty()) {
      return;
    }
    out->push_back(
        {record.status.ok() ? ViolationKind::kSwallowedError
                            : ViolationKind::kUnexpectedError,
         absl::StrCat("the options are invalid (", *record.argument_error,
                      "), yet the routine ",
                      record.status.ok()
                          ? std::string("made a pair")
                          : absl::StrCat("returned ", record.status.ToString()),
                      " after ", record.trace.size(),
                      " system calls; expected InvalidArgument and none")});
    return;
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
  if (reported.has_value() && (reported->error_number == kHangErrno ||
                               reported->error_number == kCutOffErrno)) {
    return;  // the liveness oracle reports hangs and runaway runs
  }
  if (!reported.has_value()) {
    out->push_back({ViolationKind::kWrongStep,
                    absl::StrCat("the error names no step and errno: ",
                                 record.status.ToString())});
    return;
  }
  if (Explained(record, fired, *reported, catalog)) return;
  const std::string said = absl::StrCat(ErrnoName(reported->error_number),
                                        " at \"", reported->step, "\"");
  if (fatal != nullptr) {
    const TraceEvent& cause = *fatal->event;
    const int expected = ErrnoOf(cause);
    if (reported->error_number != expected) {
      out->push_back(
          {ViolationKind::kWrongErrno,
           absl::StrCat("reported ", said, "; ", Describe(cause, record.plan),
                        " should surface as ", ErrnoName(expected), " at \"",
                        CallName(cause.call), "\"")});
    } else {
      out->push_back(
          {ViolationKind::kWrongStep,
           absl::StrCat("reported ", said, "; ", Describe(cause, record.plan),
                        " happened at \"", CallName(cause.call), "\"")});
    }
    return;
  }
  std::string why = "no fault fired";
  if (!fired.empty()) {
    std::vector<std::string> names;
    for (const Fired& f : fired) {
      std::string name = Describe(*f.event, record.plan);
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(std::move(name));
      }
    }
    why = absl::StrCat("only retryable or ignorable faults fired (",
                       absl::StrJoin(names, ", "), ")");
  }
  out->push_back({ViolationKind::kUnexpectedError,
                  absl::StrCat("reported ", said, " but ", why)});
}

}  // namespace sockfi
