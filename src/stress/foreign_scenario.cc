#include "src/stress/foreign_scenario.h"

#include <sys/socket.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "src/fault/fault_injector.h"
#include "src/fault/fault_plan.h"
#include "src/fault/real_host_actors.h"
#include "src/fault/trace.h"
#include "src/stress/intruder.h"
#include "src/stress/judged_run.h"
#include "src/stress/random_plans.h"
#include "src/sys/process_fds.h"
#include "src/sys/real_syscalls.h"

namespace sockfi {
namespace {

// How long an intruder connection may take to see the emulation end it.
constexpr int kEndWaitMs = 1000;

// The other processes of one run: the intruder for foreign clients, a real
// flood for floods.
class ScenarioActors final : public HostActors {
 public:
  ScenarioActors(Intruder& intruder, bool intruder_first, Syscalls& real)
      : intruder_(intruder), intruder_first_(intruder_first), flood_(real) {}

  absl::Status Act(ActorKind actor, const SockAddr& listener) override {
    if (actor == ActorKind::kForeign) {
      intruder_.Target(listener, intruder_first_);
      return absl::OkStatus();
    }
    return flood_.Act(actor, listener);
  }

 private:
  Intruder& intruder_;
  const bool intruder_first_;
  RealHostActors flood_;
};

std::vector<PairOptions> Variants(Syscalls& real, absl::Duration timeout) {
  std::vector<PairOptions> variants;
  for (const PairOptions& options : RandomPlans::DefaultVariants(timeout)) {
    if (options.family == AF_INET6 && !MakeSocketPair(options, real).ok()) {
      continue;  // no ::1 here
    }
    variants.push_back(options);
  }
  return variants;
}

}  // namespace

ScenarioStats RunForeignScenario(const ForeignConfig& config,
                                 const StressProgress& progress) {
  const absl::Time start = absl::Now();
  const absl::Time end = start + config.budget.max_duration;
  ScenarioStats stats;
  stats.scenario = "foreign";
  stats.fault_meaning =
      "a foreign connection established to the emulation's listener, or a "
      "flood";
  RealSyscalls real;
  const SysResult<int> fds_before = CountOpenFds();
  if (!fds_before.ok()) {
    stats.AddViolation("setup: cannot read /proc/self/fd");
    return stats;
  }
  const std::vector<PairOptions> variants = Variants(real, config.pair_timeout);
  const FaultPlan intruder_plan = *ParsePlan("foreign@listen#*");
  const FaultPlan flood_plan = *ParsePlan("foreign@listen#*; flood@listen#*");
  FaultInjector injector(real, FaultPlan());
  absl::Duration worst_overshoot = absl::InfiniteDuration() * -1;
  int64_t floods = 0;
  int64_t ended = 0;
  int64_t intruder_connections = 0;
  int64_t self_connected = 0;
  int64_t accepted_intruders = 0;
  int64_t half_open = 0;
  {
    Intruder intruder(real);
    absl::Time last_progress = start;
    for (int64_t k = 0; k < config.budget.max_runs; ++k) {
      const absl::Time now = absl::Now();
      if (now >= end) break;
      if (progress != nullptr &&
          now - last_progress >= absl::Milliseconds(100)) {
        last_progress = now;
        stats.elapsed = now - start;
        progress(stats);
      }
      const bool flood = config.flood_every > 0 &&
                         k % config.flood_every == config.flood_every - 1;
      const bool intruder_first = k % 2 == 0;
      ScenarioActors actors(intruder, intruder_first, real);
      JudgedRunSpec spec;
      spec.options = variants[(k / 2) % variants.size()];
      spec.plan = flood ? flood_plan : intruder_plan;
      spec.actors = &actors;
      spec.deadline_slack = config.deadline_slack;
      if (flood) {
        spec.options.timeout =
            config.flood_timeouts[floods % config.flood_timeouts.size()];
        ++floods;
      }
      const JudgedRun run = RunJudged(injector, real, spec);
      const std::string context = absl::StrCat(
          "run ", k, flood ? ", flood" : "",
          intruder_first ? ", intruder first" : ", intruder racing");
      std::string wrong;
      std::vector<Intruder::Connection> connections =
          intruder.TakeConnections();
      intruder_connections += static_cast<int64_t>(connections.size());
      stats.faults +=
          static_cast<int64_t>(connections.size()) + (flood ? 1 : 0);
      if (run.record.status.ok()) {
        // The pair is closed by now; the trace says whom its accepted end was
        // connected to: the peer of the last call that made that fd number.
        const TraceEvent* made = nullptr;
        for (const TraceEvent& event : run.record.trace) {
          if (event.new_fds[0] == run.record.fds[1] ||
              event.new_fds[1] == run.record.fds[1]) {
            made = &event;
          }
        }
        for (const Intruder::Connection& c : connections) {
          if (made != nullptr && made->call == CallKind::kAccept &&
              made->address == c.local) {
            absl::StrAppend(&wrong,
                            "returned a pair whose accepted end is the "
                            "intruder's connection from ",
                            c.local.ToString(), "; ");
          }
        }
      }
      for (const Intruder::Connection& c : connections) {
        const bool accepted = std::any_of(
            run.record.trace.begin(), run.record.trace.end(),
            [&](const TraceEvent& event) {
              return event.call == CallKind::kAccept &&
                     event.error_number == 0 && event.address == c.local;
            });
        // One the emulation accepted must be closed by it. One still queued
        // is reset when the listener closes, unless its final ACK raced that
        // close: then Linux leaves the client established and drops its
        // SYN-RECV side silently (seen here with plain sockets too).
        const absl::Status end = CheckConnectionEnded(
            real, c, accepted ? kEndWaitMs : kEndWaitMs / 10);
        if (end.ok()) {
          ++ended;
        } else if (accepted) {
          absl::StrAppend(&wrong, "the intruder's ", end.message(),
                          ", though the emulation accepted it; ");
        } else {
          ++half_open;
        }
        if (accepted) ++accepted_intruders;
      }
      // The deadline runs from the call on, the actors' time included.
      const absl::Duration took = run.latency + run.record.actor_time;
      const absl::Duration overshoot = took - spec.options.timeout;
      worst_overshoot = std::max(worst_overshoot, overshoot);
      if (overshoot > config.deadline_slack) {
        absl::StrAppend(&wrong, "returned after ", absl::FormatDuration(took),
                        ", past its ",
                        absl::FormatDuration(spec.options.timeout),
                        " deadline by more than ",
                        absl::FormatDuration(config.deadline_slack), "; ");
      }
      if (wrong.empty()) {
        CountJudgedRun(run, context, &stats);
        continue;
      }
      ++stats.runs;
      stats.CountOutcome(run.record.status);
      stats.worst_latency = std::max(stats.worst_latency, run.latency);
      stats.AddViolation(absl::StrCat(context, ": ", wrong,
                                      run.verdict.Format(), "\n",
                                      FormatTrace(run.record.trace)));
    }
    self_connected = intruder.self_connected();
  }
  stats.elapsed = absl::Now() - start;
  const SysResult<int> fds_after = CountOpenFds();
  stats.leaked_fds = fds_after.ok() ? *fds_after - *fds_before : 0;
  stats.figures["intruder connections established"] = intruder_connections;
  stats.figures
      ["intruder connections accepted (and rejected) by the emulation"] =
      accepted_intruders;
  stats.figures
      ["intruder connections ended (closed, or reset with the listener)"] =
      ended;
  stats.figures["intruder connections the listener's close left half-open"] =
      half_open;
  stats.figures["runs with a flood"] = floods;
  stats.figures["intruder sockets connected to themselves (listener gone)"] =
      self_connected;
  std::string flood_deadlines;
  for (absl::Duration timeout : config.flood_timeouts) {
    absl::StrAppend(&flood_deadlines, flood_deadlines.empty() ? "" : " or ",
                    absl::FormatDuration(timeout));
  }
  stats.notes.push_back(
      absl::StrCat("deadlines: ", absl::FormatDuration(config.pair_timeout),
                   ", ", flood_deadlines, " with a flood; the latest return ",
                   stats.runs == 0 ? "(none)"
                   : worst_overshoot >= absl::ZeroDuration()
                       ? absl::StrCat(absl::FormatDuration(worst_overshoot),
                                      " past its deadline")
                       : absl::StrCat(absl::FormatDuration(-worst_overshoot),
                                      " before its deadline"),
                   " (allowed: up to ",
                   absl::FormatDuration(config.deadline_slack), " past)"));
  return stats;
}

}  // namespace sockfi
