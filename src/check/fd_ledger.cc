#include "src/check/fd_ledger.h"

#include <algorithm>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/sys/errno_name.h"

namespace sockfi {
namespace {

struct FdHistory {
  bool open = false;
  int made_by = -1;    // event index of the creating call
  int closed_by = -1;  // event index of the close that released it
};

std::string EventName(const Trace& trace, int index) {
  const TraceEvent& event = trace[index];
  return absl::StrCat(CallName(event.call), "#", event.occurrence, " (event ",
                      index, ")");
}

// Returns ", after accept#1=ECONNABORTED, close#2=EINTR" for the faults
// injected before event `index`, or "" when none had fired.
std::string FaultsBefore(const RunRecord& record, int index) {
  std::vector<std::string> fired;
  for (int i = 0; i < index; ++i) {
    const FiredFault& fault = record.trace[i].fault;
    if (!fault.injected()) continue;
    if (fault.kind == FaultKind::kFdLimit) {
      fired.push_back(absl::StrCat(CallName(record.trace[i].call), "#",
                                   record.trace[i].occurrence,
                                   "=EMFILE (fdlimit)"));
    } else if (fault.rule >= 0) {
      fired.push_back(PrintRule(record.plan.faults[fault.rule]));
    }
  }
  if (fired.empty()) return "";
  return absl::StrCat(", after ", absl::StrJoin(fired, ", "));
}

// Returns whether the close in `event` released its fd.
bool Released(const TraceEvent& event) {
  if (event.error_number == 0) return true;
  // A close the injector failed "after" released the fd; one failed "before"
  // did not.
  return event.fault.kind == FaultKind::kErrno &&
         event.fault.timing == Timing::kAfter;
}

bool UsesFd(CallKind call) {
  return call != CallKind::kSocket && call != CallKind::kSocketPair &&
         call != CallKind::kPoll && call != CallKind::kGetRandom &&
         call != CallKind::kClose;
}

// The fds of one run (a handful): a small map kept in a vector, searched in
// order, so judging a run costs no hash table.
template <typename Value>
class FdMap {
 public:
  Value* Find(int fd) {
    for (auto& [key, value] : entries_) {
      if (key == fd) return &value;
    }
    return nullptr;
  }
  Value& operator[](int fd) {
    if (Value* value = Find(fd)) return *value;
    entries_.emplace_back(fd, Value());
    return entries_.back().second;
  }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  absl::InlinedVector<std::pair<int, Value>, 16> entries_;
};

}  // namespace

void CheckFdLedger(const RunRecord& record, std::vector<Violation>* out) {
  FdMap<FdHistory> fds;
  const Trace& trace = record.trace;
  for (int i = 0; i < static_cast<int>(trace.size()); ++i) {
    const TraceEvent& event = trace[i];
    for (int fd : event.new_fds) {
      if (fd < 0) continue;
      FdHistory& history = fds[fd];
      history = FdHistory{true, i, -1};
    }
    if (event.fd < 0) continue;
    FdHistory* history = fds.Find(event.fd);
    if (event.call == CallKind::kClose) {
      if (history == nullptr) {
        out->push_back(
            {ViolationKind::kForeignClose,
             absl::StrCat(EventName(trace, i), " closed fd ", event.fd,
                          ", which the routine never opened")});
      } else if (!history->open) {
        out->push_back(
            {ViolationKind::kDoubleClose,
             absl::StrCat(EventName(trace, i), " closed fd ", event.fd,
                          " again; ", EventName(trace, history->closed_by),
                          " had closed it", FaultsBefore(record, i))});
      } else if (Released(event)) {
        history->open = false;
        history->closed_by = i;
      }
      continue;
    }
    if (UsesFd(event.call) && history != nullptr && !history->open) {
      out->push_back(
          {ViolationKind::kUseAfterClose,
           absl::StrCat(EventName(trace, i), " used fd ", event.fd, " after ",
                        EventName(trace, history->closed_by), " closed it")});
    }
  }
  std::vector<std::pair<int, int>>
      leaked;  // (made_by, fd), in order of creation
  for (const auto& [fd, history] : fds) {
    if (!history.open) continue;
    if (record.status.ok() && (fd == record.fds[0] || fd == record.fds[1]))
      continue;
    leaked.emplace_back(history.made_by, fd);
  }
  std::sort(leaked.begin(), leaked.end());
  for (const auto& [made_by, fd] : leaked) {
    out->push_back(
        {ViolationKind::kLeak,
         absl::StrCat(
             "fd ", fd, " from ", EventName(trace, made_by),
             " was never closed",
             FaultsBefore(record, static_cast<int>(trace.size())),
             record.status.ok() ? "" : "; the routine returned an error")});
  }
}

absl::InlinedVector<int, 8> OpenAtEnd(const Trace& trace) {
  FdMap<bool> open;
  for (const TraceEvent& event : trace) {
    for (int fd : event.new_fds) {
      if (fd >= 0) open[fd] = true;
    }
    if (event.call == CallKind::kClose && event.fd >= 0 && Released(event)) {
      open[event.fd] = false;
    }
  }
  absl::InlinedVector<int, 8> result;
  for (const auto& [fd, is_open] : open) {
    if (is_open) result.push_back(fd);
  }
  std::sort(result.begin(), result.end());
  return result;
}

}  // namespace sockfi
