#include "src/stress/fd_exhaustion_scenario.h"

#include <sys/socket.h>

#include <cerrno>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "src/fault/fault_injector.h"
#include "src/stress/judged_run.h"
#include "src/sys/errno_name.h"
#include "src/sys/process_fds.h"
#include "src/sys/real_syscalls.h"
#include "src/sys/step_error.h"

namespace sockfi {
namespace {

struct Variant {
  std::string name;
  PairOptions options;
  // The step that meets EMFILE with room for 0, 1, ... more fds; the pair is
  // made with room for steps.size().
  std::vector<std::string> steps;
};

std::vector<Variant> Variants(Syscalls& real) {
  std::vector<Variant> variants;
  const std::vector<std::string> inet_steps = {"socket", "socket", "accept"};
  Variant addresses{"inet", PairOptions(), inet_steps};
  variants.push_back(addresses);
  Variant token{"inet token nonblock cloexec", PairOptions(), inet_steps};
  token.options.peer_check = PeerCheck::kToken;
  token.options.type = SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC;
  variants.push_back(token);
  Variant both{"inet both checks 127.0.0.1", PairOptions(), inet_steps};
  both.options.peer_check = PeerCheck::kAddressesAndToken;
  both.options.listen_address = ListenAddress::kLoopback;
  variants.push_back(both);
  Variant inet6{"inet6", PairOptions(), inet_steps};
  inet6.options.family = AF_INET6;
  if (MakeSocketPair(inet6.options, real).ok()) variants.push_back(inet6);
  Variant unix{"unix", PairOptions(), {"socketpair", "socketpair"}};
  unix.options.family = AF_UNIX;
  variants.push_back(unix);
  return variants;
}

// Returns the soft limit that leaves room for exactly `room` more fds: the
// (room + 1)-th lowest fd number not open now.
int LimitWithRoom(Syscalls& real, int room) {
  int free_seen = 0;
  for (int fd = 0;; ++fd) {
    SysResult<FdFlags> flags = real.GetFdFlags(fd);
    if (!flags.ok() && flags.error() == EBADF && free_seen++ == room) {
      return fd;
    }
  }
}

// Lowers RLIMIT_NOFILE's soft limit for the life of the object.
class ScopedSoftFdLimit {
 public:
  explicit ScopedSoftFdLimit(uint64_t soft) {
    SysResult<ProcessFdLimit> saved = GetFdLimit();
    if (!saved.ok()) return;
    saved_ = saved->soft;
    held_ = true;
    set_ = SetSoftFdLimit(soft).ok();
  }
  ~ScopedSoftFdLimit() { (void)Restore(); }
  bool set() const { return set_; }
  // Puts the saved limit back; returns false when that failed.
  bool Restore() {
    if (!held_) return true;
    held_ = false;
    return SetSoftFdLimit(saved_).ok();
  }

 private:
  uint64_t saved_ = 0;
  bool held_ = false;  // whether saved_ is still to be put back
  bool set_ = false;
};

}  // namespace

ScenarioStats RunFdExhaustionScenario(const FdExhaustionConfig& config,
                                      const StressProgress& progress) {
  const absl::Time start = absl::Now();
  const absl::Time end = start + config.budget.max_duration;
  ScenarioStats stats;
  stats.scenario = "fd-exhaustion";
  stats.fault_meaning =
      "a call made under an RLIMIT_NOFILE that leaves one fd too few (real "
      "EMFILE)";
  RealSyscalls real;
  const SysResult<int> fds_before = CountOpenFds();
  if (!fds_before.ok()) {
    stats.AddViolation("setup: cannot read /proc/self/fd");
    return stats;
  }
  const std::vector<Variant> variants = Variants(real);
  FaultInjector injector(real, FaultPlan());
  absl::Time last_progress = start;
  int64_t limits_set = 0;
  for (int64_t k = 0; stats.runs < config.budget.max_runs; ++k) {
    const absl::Time now = absl::Now();
    if (now >= end) break;
    if (progress != nullptr && now - last_progress >= absl::Milliseconds(100)) {
      last_progress = now;
      stats.elapsed = now - start;
      progress(stats);
    }
    const Variant& variant = variants[(k / 4) % variants.size()];
    const int room =
        static_cast<int>(k % 4) % static_cast<int>(variant.steps.size() + 1);
    const bool should_fail = room < static_cast<int>(variant.steps.size());
    const std::string context =
        absl::StrCat(variant.name, ", room for ", room, " fd(s)");
    JudgedRunSpec spec;
    spec.options = variant.options;
    std::optional<JudgedRun> run;
    {
      ScopedSoftFdLimit limit(LimitWithRoom(real, room));
      if (!limit.set()) {
        stats.AddViolation(absl::StrCat(context, ": setrlimit failed"));
        break;
      }
      ++limits_set;
      run = RunJudged(injector, real, spec);
      if (!limit.Restore()) {
        stats.AddViolation(absl::StrCat(
            context, ": could not restore RLIMIT_NOFILE; stopping"));
        break;
      }
    }
    if (should_fail) ++stats.faults;
    const SysResult<int> fds_now = CountOpenFds();
    const absl::Status& status = run->record.status;
    std::string wrong;
    if (should_fail) {
      const StepError expected{variant.steps[room], EMFILE};
      if (!(GetStepError(status) == expected) ||
          status.code() != absl::StatusCode::kResourceExhausted) {
        wrong = absl::StrCat("expected ", expected.step, " EMFILE, got ",
                             status.ToString());
      }
    } else if (!status.ok()) {
      wrong = absl::StrCat("expected a pair, got ", status.ToString());
    }
    if (!fds_now.ok() || *fds_now != *fds_before) {
      wrong = absl::StrCat(wrong, wrong.empty() ? "" : "; ",
                           "the process holds ", fds_now.ok() ? *fds_now : -1,
                           " fds, ", *fds_before, " before");
    }
    if (!wrong.empty()) {
      // Counted once, as this scenario's violation, with the oracles' verdict.
      ++stats.runs;
      stats.CountOutcome(status);
      stats.AddViolation(
          absl::StrCat(context, ": ", wrong, "; ", run->verdict.Format()));
      continue;
    }
    CountJudgedRun(*run, context, &stats);
  }
  stats.elapsed = absl::Now() - start;
  const SysResult<int> fds_after = CountOpenFds();
  stats.leaked_fds = fds_after.ok() ? *fds_after - *fds_before : 0;
  stats.figures["RLIMIT_NOFILE lowered"] = limits_set;
  stats.figures["pair variants"] = static_cast<int64_t>(variants.size());
  return stats;
}

}  // namespace sockfi
