#include "src/stress/judged_run.h"

#include <sys/socket.h>

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/check/judge.h"
#include "src/explore/scenario.h"
#include "src/explore/world.h"
#include "src/fault/errno_catalog.h"
#include "src/fault/thread_run.h"
#include "src/sys/errno_name.h"
#include "src/sys/step_error.h"

namespace sockfi {
namespace {

ErrorCause CauseOf(const RunRecord& record) {
  if (record.status.ok()) return ErrorCause::kNone;
  const std::optional<StepError> reported = GetStepError(record.status);
  bool anything = false;
  for (const TraceEvent& event : record.trace) {
    const bool injected = event.fault.kind == FaultKind::kErrno ||
                          event.fault.kind == FaultKind::kFdLimit;
    const bool failed = event.error_number != 0;
    anything |= injected || failed || event.actors != 0;
    if (!reported.has_value() || !failed) continue;
    const int error_number =
        event.fault.kind == FaultKind::kFdLimit ? EMFILE : event.error_number;
    if (CallName(event.call) == reported->step &&
        error_number == reported->error_number) {
      return ErrorCause::kDirect;
    }
  }
  return anything ? ErrorCause::kIndirect : ErrorCause::kNothing;
}

// Returns what JudgedRun::retry_given_up says, or "".
std::string RetryGivenUpAtOnce(const RunRecord& record) {
  const std::optional<StepError> reported = GetStepError(record.status);
  if (!reported.has_value()) return "";
  const Trace& trace = record.trace;
  for (size_t i = 0; i < trace.size(); ++i) {
    const TraceEvent& event = trace[i];
    if (event.fault.injected() || event.error_number == 0 ||
        CallName(event.call) != reported->step ||
        event.error_number != reported->error_number) {
      continue;
    }
    const CatalogEntry* entry =
        ErrnoCatalog::Linux().Find(event.call, event.error_number);
    if (entry == nullptr || entry->handling != Handling::kRetry) return "";
    for (size_t j = i + 1; j < trace.size(); ++j) {
      if (trace[j].call != CallKind::kClose) return "";  // it went on
    }
    return absl::StrCat("gave up at once on ", CallName(event.call), "#",
                        event.occurrence, " ", ErrnoName(event.error_number),
                        ", which the kernel returned by itself and a caller "
                        "should retry");
  }
  return "";
}

}  // namespace

JudgedRun RunJudged(FaultInjector& injector, Syscalls& real,
                    const JudgedRunSpec& spec) {
  JudgedRun run;
  run.options = spec.options;
  RunRecord& record = run.record;
  ThreadRun thread_run(injector, spec.plan, spec.actors);
  const absl::Time start = real.Now();
  absl::StatusOr<SocketPair> pair = MakeSocketPair(spec.options, injector);
  record.actor_time = thread_run.actor_time();
  record.elapsed = real.Now() - start - record.actor_time;
  record.plan = spec.plan;
  record.trace = thread_run.TakeTrace();
  record.status = pair.status();
  if (pair.ok()) record.fds = {pair->fds[0].get(), pair->fds[1].get()};
  record.requested_type = spec.options.type;
  record.inet = spec.options.family != AF_UNIX;
  record.deadline = spec.options.timeout;
  LivenessLimits limits;
  limits.deadline_slack = spec.deadline_slack;
  run.verdict = Judge(record, real, ErrnoCatalog::Linux(), limits);
  run.latency = record.elapsed;
  run.cause = CauseOf(record);
  run.retry_given_up = RetryGivenUpAtOnce(record);
  for (const TraceEvent& event : record.trace) {
    if (event.fault.injected()) ++run.faults_fired;
    for (ActorKind actor : kAllActorKinds) {
      if (event.ActorActed(actor)) ++run.faults_fired;
    }
    if (event.call == CallKind::kAccept && event.error_number == 0) {
      ++run.foreign_rejected;
    }
  }
  // All but the accepted end returned (fd numbers are reused, so count).
  if (record.status.ok() && run.foreign_rejected > 0) --run.foreign_rejected;
  return run;  // the pair closes here, through the injector, after judging
}

void CountJudgedRun(const JudgedRun& run, absl::string_view context,
                    ScenarioStats* stats) {
  const RunRecord& record = run.record;
  ++stats->runs;
  stats->faults += run.faults_fired;
  stats->foreign_rejected += run.foreign_rejected;
  stats->worst_latency = std::max(stats->worst_latency, run.latency);
  stats->CountOutcome(record.status);
  if (run.ok()) {
    if (record.status.ok()) {
      ++stats->pairs_made;
    } else {
      ++stats->errors_propagated;
    }
    return;
  }
  std::string what;
  if (!run.verdict.ok()) {
    what = run.verdict.Format();
  } else if (!run.retry_given_up.empty()) {
    what = absl::StrCat("returned ", record.status.ToString(), ": ",
                        run.retry_given_up);
  } else {
    what = absl::StrCat("returned ", record.status.ToString(),
                        " though nothing in its own run failed or was "
                        "injected");
  }
  Scenario replay;
  replay.options = run.options;
  replay.plan = record.plan;
  stats->AddViolation(absl::StrCat(context, ": ", what, "\n      replay: ",
                                   RunCommandFor(replay, BackendKind::kReal)));
}

}  // namespace sockfi
