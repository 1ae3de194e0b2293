#include "src/check/liveness.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "src/sys/errno_name.h"

namespace sockfi {
namespace {

// Calls whose success shows the routine moved on.
std::string FirstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

void CheckLiveness(const RunRecord& record, const LivenessLimits& limits,
                   std::vector<Violation>* out) {
  for (const TraceEvent& event : record.trace) {
    if (event.error_number == kHangErrno) {
      std::string message = absl::StrCat(
          CallName(event.call), "#", event.occurrence, " on fd ", event.fd,
          " would block forever: nothing could ever complete it");
      if (!record.hang_dump.empty()) {
        absl::StrAppend(&message, " (", FirstLine(record.hang_dump), ")");
      }
      out->push_back({ViolationKind::kHang, message});
      break;
    }
  }

  // Busy spin: one (call, fd, errno) failing again and again without progress.
  int run = 0;
  const TraceEvent* last = nullptr;
  for (const TraceEvent& event : record.trace) {
    if (IsProgress(event)) {
      run = 0;
      last = nullptr;
      continue;
    }
    if (!IsFailure(event)) continue;
    run = last != nullptr && SameFailure(*last, event) ? run + 1 : 1;
    last = &event;
    if (run > limits.spin_budget) {
      out->push_back(
          {ViolationKind::kBusySpin,
           absl::StrCat(CallName(event.call), " on fd ", event.fd,
                        event.error_number == 0
                            ? std::string(" read end of stream")
                            : absl::StrCat(" failed with ",
                                           ErrnoName(event.error_number)),
                        " more than ", limits.spin_budget,
                        " times without progress")});
      break;
    }
  }

  const bool cut_off = std::any_of(
      record.trace.begin(), record.trace.end(),
      [](const TraceEvent& e) { return e.error_number == kCutOffErrno; });
  // A run cut off for spinning is reported as the spin, unless it was long too.
  const bool spun = std::any_of(
      out->begin(), out->end(),
      [](const Violation& v) { return v.kind == ViolationKind::kBusySpin; });
  if (static_cast<int>(record.trace.size()) > limits.call_budget ||
      (cut_off && !spun)) {
    out->push_back(
        {ViolationKind::kCallBudget,
         absl::StrCat(record.trace.size(), " calls, more than the budget of ",
                      limits.call_budget)});
  }
  if (record.deadline != absl::InfiniteDuration() &&
      record.elapsed > record.deadline + limits.deadline_slack) {
    out->push_back(
        {ViolationKind::kDeadlineMissed,
         absl::StrCat("returned after ", absl::FormatDuration(record.elapsed),
                      "; its deadline was ",
                      absl::FormatDuration(record.deadline))});
  }
}

}  // namespace sockfi
