#include "src/explore/explorer.h"

#include <algorithm>
#include <deque>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "src/explore/minimize.h"
#include "src/explore/schedule_space.h"
#include "src/sys/errno_name.h"

namespace sockfi {
namespace {

using Schedule = std::vector<Atom>;

// The schedule's identity: its atoms' texts, sorted.
std::string KeyOf(const Schedule& schedule) {
  std::vector<std::string> texts;
  texts.reserve(schedule.size());
  for (const Atom& atom : schedule) texts.push_back(atom.text);
  std::sort(texts.begin(), texts.end());
  return absl::StrJoin(texts, "; ");
}

bool HasFdLimit(const Schedule& schedule) {
  for (const Atom& atom : schedule) {
    if (std::holds_alternative<FdLimit>(atom.rule)) return true;
  }
  return false;
}

// Returns the (call, fault) label of every atom of `plan` that fired in
// `trace`.
std::vector<std::pair<std::string, std::string>> FiredLabels(
    const FaultPlan& plan, const Trace& trace) {
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<bool> rule_fired(plan.faults.size(), false);
  for (const TraceEvent& event : trace) {
    if (event.fault.kind == FaultKind::kErrno ||
        event.fault.kind == FaultKind::kShort ||
        event.fault.kind == FaultKind::kEndOfStream ||
        event.fault.kind == FaultKind::kCorrupt) {
      rule_fired[event.fault.rule] = true;
    } else if (event.fault.kind == FaultKind::kFdLimit) {
      labels.emplace_back(std::string(CallName(event.call)),
                          "EMFILE (fdlimit)");
    }
    for (ActorKind actor : kAllActorKinds) {
      if (event.ActorActed(actor)) {
        labels.emplace_back(std::string(CallName(event.call)),
                            std::string(ActorName(actor)));
      }
    }
  }
  for (size_t i = 0; i < plan.faults.size(); ++i) {
    if (!rule_fired[i]) continue;
    const FaultRule& rule = plan.faults[i];
    std::string fault;
    if (const auto* e = std::get_if<ErrnoFault>(&rule.action)) {
      fault = ErrnoName(e->error_number);
      if (e->timing.has_value())
        absl::StrAppend(&fault, ":", TimingName(*e->timing));
    } else if (const auto* shorten = std::get_if<ShortTransfer>(&rule.action)) {
      fault = absl::StrCat("short:", shorten->max_bytes);
    } else {
      fault = std::string(StreamFaultName(std::get<StreamFault>(rule.action)));
    }
    labels.emplace_back(std::string(CallName(rule.call)), fault);
  }
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  return labels;
}

class Explorer {
 public:
  Explorer(const PlanRunner& run, ExploreReport identity,
           const ExploreOptions& options)
      : run_(run), options_(options), report_(std::move(identity)) {
    report_.depth = options.depth;
    report_.adversarial = options.adversarial;
    space_.adversarial = options.adversarial;
    space_.half_open = options.half_open;
  }

  ExploreReport Run() {
    const absl::Time start = absl::Now();
    PlanRun baseline = run_(FaultPlan());
    ++report_.schedules;
    report_.baseline_calls = baseline.trace.size();
    for (const Violation& v : baseline.violations) {
      AddFinding(v.kind, "none", v.message);
    }
    std::vector<Schedule> level;
    for (Atom& atom : CandidateAtoms(baseline.trace, true, space_)) {
      Schedule schedule = {std::move(atom)};
      if (seen_.insert(KeyOf(schedule)).second)
        level.push_back(std::move(schedule));
    }
    for (int depth = 1; depth <= options_.depth && !level.empty(); ++depth) {
      progress_.level = depth;
      std::vector<Schedule> next;
      for (size_t i = 0; i < level.size(); ++i) {
        if (report_.schedules >= options_.max_schedules) {
          report_.truncated = true;
          break;
        }
        progress_.pending = level.size() - i + next.size();
        RunSchedule(level[i], depth < options_.depth ? &next : nullptr);
      }
      if (report_.truncated) break;
      level = std::move(next);
    }
    report_.seconds = absl::ToDoubleSeconds(absl::Now() - start);
    std::sort(report_.findings.begin(), report_.findings.end(),
              [](const Finding& a, const Finding& b) {
                return std::make_pair(a.kind, a.plan) <
                       std::make_pair(b.kind, b.plan);
              });
    progress_.pending = 0;
    if (options_.on_progress) options_.on_progress(progress_);
    return std::move(report_);
  }

 private:
  // Returns the violation kinds of `plan`'s run, running it at most once.
  const std::vector<Violation>& ViolationsOf(const FaultPlan& plan) {
    const std::string key = PrintPlan(plan);
    auto it = memo_.find(key);
    if (it == memo_.end()) {
      it = memo_.emplace(key, run_(plan).violations).first;
    }
    return it->second;
  }

  void RunSchedule(const Schedule& schedule, std::vector<Schedule>* next) {
    const FaultPlan plan = PlanOf(schedule);
    PlanRun run = run_(plan);
    ++report_.schedules;
    ++progress_.done;
    const bool clean = run.violations.empty();
    for (const auto& label : FiredLabels(plan, run.trace)) {
      FaultTally& tally = report_.tallies[label];
      ++(clean ? tally.handled : tally.violations);
    }
    if (!clean) {
      ++progress_.violating;
      memo_.emplace(PrintPlan(plan), run.violations);
      absl::flat_hash_set<ViolationKind> kinds;
      for (const Violation& v : run.violations) kinds.insert(v.kind);
      for (ViolationKind kind : kinds) Record(plan, kind);
    } else if (next != nullptr && run.cost <= options_.extend_runs_up_to) {
      // Extend by one more atom from what this run did.
      const bool limited = HasFdLimit(schedule);
      for (Atom& atom : CandidateAtoms(run.trace, false, space_)) {
        if (limited && std::holds_alternative<FdLimit>(atom.rule)) continue;
        if (std::any_of(schedule.begin(), schedule.end(),
                        [&](const Atom& a) { return a.text == atom.text; })) {
          continue;
        }
        Schedule longer = schedule;
        longer.push_back(std::move(atom));
        if (seen_.insert(KeyOf(longer)).second)
          next->push_back(std::move(longer));
      }
    }
    if (options_.on_progress && progress_.done % 256 == 0) {
      options_.on_progress(progress_);
    }
  }

  void Record(const FaultPlan& plan, ViolationKind kind) {
    const auto has_kind = [&](const FaultPlan& candidate) {
      for (const Violation& v : ViolationsOf(candidate)) {
        if (v.kind == kind) return true;
      }
      return false;
    };
    const FaultPlan minimal = Minimize(plan, has_kind);
    const std::string text = PrintPlan(minimal);
    std::string message;
    for (const Violation& v : ViolationsOf(minimal)) {
      if (v.kind == kind) {
        message = v.message;
        break;
      }
    }
    AddFinding(kind, text, message);
  }

  void AddFinding(ViolationKind kind, const std::string& plan,
                  const std::string& message) {
    if (found_.insert(absl::StrCat(static_cast<int>(kind), " ", plan)).second) {
      report_.findings.push_back({kind, plan, message});
    }
  }

  const PlanRunner& run_;
  const ExploreOptions& options_;
  ScheduleSpaceOptions space_;
  ExploreReport report_;
  ExploreProgress progress_;
  absl::flat_hash_set<std::string> seen_;
  absl::flat_hash_set<std::string> found_;
  absl::flat_hash_map<std::string, std::vector<Violation>> memo_;
};

}  // namespace

ExploreReport ExplorePlans(const PlanRunner& run, ExploreReport identity,
                           const ExploreOptions& options) {
  return Explorer(run, std::move(identity), options).Run();
}

ExploreReport Explore(const Subject& subject, BackendKind backend,
                      const WorldFactory& make_world,
                      const ExploreOptions& options) {
  const PlanRunner run = [&](const FaultPlan& plan) {
    RunSpec spec;
    spec.subject = &subject;
    spec.plan = plan;
    spec.adversarial = options.adversarial;
    spec.options = options.pair_options;
    RunResult result = RunOnce(spec, make_world);
    return PlanRun{std::move(result.record.trace),
                   std::move(result.verdict.violations),
                   result.record.elapsed + result.record.actor_time};
  };
  ExploreReport identity;
  identity.subject = subject.name;
  identity.backend = backend;
  identity.pair_options = options.pair_options;
  identity.sim = options.sim;
  return ExplorePlans(run, std::move(identity), options);
}

}  // namespace sockfi
