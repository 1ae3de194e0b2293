#include "src/explore/command_explorer.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/fault/errno_catalog.h"
#include "src/preload/preload_contract.h"
#include "src/sys/errno_name.h"

namespace sockfi {
namespace {

// Returns a path no other run of this process (or another) uses.
std::string FreshTracePath() {
  static std::atomic<uint64_t> counter{0};
  std::error_code error;
  std::filesystem::path directory = std::filesystem::temp_directory_path(error);
  if (error) directory = "/tmp";
  return (directory / absl::StrCat("sockfi-trace-", getpid(), "-",
                                   counter.fetch_add(1), ".jsonl"))
      .string();
}

// What a fault does to the operation, by the catalog (an errno Linux would
// not return there counts as fatal).
Handling HandlingOf(const PreloadCall& call) {
  if (!call.kind.has_value()) return Handling::kPropagate;
  const CatalogEntry* entry =
      ErrnoCatalog::Linux().Find(*call.kind, call.fault_errno);
  return entry != nullptr ? entry->handling : Handling::kPropagate;
}

std::string FaultText(const PreloadCall& call) {
  return call.rule.has_value() ? *call.rule
                               : absl::StrCat(call.call, "#", call.occurrence,
                                              "=", call.fault.value_or("?"));
}

std::optional<ActorKind> ActorFromName(absl::string_view name) {
  for (ActorKind actor : kAllActorKinds) {
    if (ActorName(actor) == name) return actor;
  }
  return std::nullopt;
}

bool Contains(const std::optional<std::string>& text, absl::string_view part) {
  return text.has_value() && absl::StrContains(*text, part);
}

}  // namespace

namespace {

// Returns the LD_PRELOAD value for `library` (see InterposedChild).
std::string LdPreloadFor(const std::string& library) {
  std::string value = library;
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const size_t path = line.find('/');
    if (path == std::string::npos) continue;
    if (line.find("/libasan.so", path) != std::string::npos ||
        line.find("/libtsan.so", path) != std::string::npos) {
      value = absl::StrCat(line.substr(path), ":", library);
      break;
    }
  }
  if (const char* others = std::getenv("LD_PRELOAD");
      others != nullptr && *others != '\0') {
    absl::StrAppend(&value, ":", others);
  }
  return value;
}

}  // namespace

ChildSpec InterposedChild(std::vector<std::string> argv,
                          const std::string& library, const FaultPlan& plan,
                          bool adversarial, const std::string& trace_path) {
  ChildSpec child;
  child.argv = std::move(argv);
  child.env = {{"LD_PRELOAD", LdPreloadFor(library)},
               {preload::kTraceEnv, trace_path},
               {preload::kLeakReportEnv, "off"},
               {preload::kAdversarialEnv, adversarial ? "1" : "0"}};
  if (plan.empty()) {
    child.unset_env.push_back(preload::kPlanEnv);
  } else {
    child.env.emplace_back(preload::kPlanEnv, PrintPlan(plan));
  }
  return child;
}

absl::StatusOr<PreloadTrace> ReadPreloadTraceFile(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return PreloadTrace();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read the trace ", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParsePreloadTrace(text.str());
}

Trace ToTrace(const PreloadTrace& preload, const FaultPlan& plan) {
  Trace trace;
  std::vector<std::string> rule_texts;
  for (const FaultRule& rule : plan.faults)
    rule_texts.push_back(PrintRule(rule));
  for (int pid : preload.Pids()) {
    std::map<int, bool> nonblocking;  // this process's fds
    for (const PreloadCall* call : preload.CallsOf(pid)) {
      const auto fd_nonblocking = [&](int fd) {
        auto it = nonblocking.find(fd);
        return it != nonblocking.end() && it->second;
      };
      const int64_t flags = call->flags.value_or(0);
      bool made_nonblocking = false;
      if (call->call == "socket" || call->call == "socketpair") {
        made_nonblocking = Contains(call->socket_type, "SOCK_NONBLOCK");
      } else if (call->call == "accept") {
        made_nonblocking = (flags & SOCK_NONBLOCK) != 0;
      }
      for (int fd : call->new_fds) nonblocking[fd] = made_nonblocking;
      if (call->call == "fcntl" && call->cmd == "F_SETFL" &&
          call->result >= 0) {
        nonblocking[call->fd] = (call->arg.value_or(0) & O_NONBLOCK) != 0;
      }
      if (call->call == "close" && call->result == 0)
        nonblocking.erase(call->fd);
      if (!call->kind.has_value()) continue;  // setsockopt, dup

      TraceEvent event;
      event.index = static_cast<uint32_t>(trace.size());
      event.call = *call->kind;
      event.occurrence = call->occurrence;
      event.fd = call->fd;
      event.arg = static_cast<int>(call->len.value_or(0));
      event.arg2 = static_cast<int>(flags);
      if (event.call == CallKind::kPoll) {
        event.arg = static_cast<int>(call->timeout_ms.value_or(-1));
        event.arg2 = static_cast<int>(call->nfds.value_or(0));
        event.nonblocking = call->timeout_ms.value_or(-1) == 0;
      } else {
        event.nonblocking =
            fd_nonblocking(call->fd) || (flags & MSG_DONTWAIT) != 0;
      }
      for (size_t i = 0; i < call->new_fds.size() && i < 2; ++i) {
        event.new_fds[i] = call->new_fds[i];
      }
      event.error_number = call->error;
      event.value = call->result;
      if (call->injected()) {
        if (call->fault == "short") {
          event.fault.kind = FaultKind::kShort;
        } else if (call->fault == "eof") {
          event.fault.kind = FaultKind::kEndOfStream;
        } else if (call->fault == "corrupt") {
          event.fault.kind = FaultKind::kCorrupt;
        } else if (call->rule.has_value() &&
                   absl::StartsWith(*call->rule, "fdlimit")) {
          event.fault.kind = FaultKind::kFdLimit;
        } else {
          event.fault.kind = FaultKind::kErrno;
        }
        event.fault.error_number = call->fault_errno;
        if (const CatalogEntry* entry =
                ErrnoCatalog::Linux().Find(event.call, call->fault_errno)) {
          event.fault.timing = entry->timing;
        }
        for (size_t i = 0; i < rule_texts.size(); ++i) {
          if (call->rule == rule_texts[i]) {
            event.fault.rule = static_cast<int>(i);
            const auto* errno_fault =
                std::get_if<ErrnoFault>(&plan.faults[i].action);
            if (errno_fault != nullptr && errno_fault->timing.has_value()) {
              event.fault.timing = *errno_fault->timing;
            }
            break;
          }
        }
        // A fault the explorer cannot place in the plan is still a failure
        // of the call, but not one of the plan's rules.
        if (event.fault.kind != FaultKind::kFdLimit && event.fault.rule < 0) {
          event.fault.kind = FaultKind::kNone;
        }
      } else if (call->rule_status == PreloadRuleStatus::kSuppressed) {
        event.fault.kind = FaultKind::kSuppressed;
      } else if (call->rule_status == PreloadRuleStatus::kMissed) {
        event.fault.kind = FaultKind::kMissed;
      }
      for (const std::string& name : call->actors) {
        if (std::optional<ActorKind> actor = ActorFromName(name)) {
          event.actors |= 1u << static_cast<int>(*actor);
        }
      }
      if (call->note.has_value()) event.note = *call->note;
      trace.push_back(std::move(event));
    }
  }
  return trace;
}

std::vector<Violation> JudgeCommandRun(const ChildExit& exit,
                                       const PreloadTrace& trace,
                                       absl::Duration timeout) {
  std::vector<Violation> violations;
  std::vector<const PreloadCall*> injected;
  bool actors_acted = false;
  for (const PreloadCall& call : trace.calls) {
    if (call.injected()) injected.push_back(&call);
    actors_acted |= !call.actors.empty();
  }
  std::vector<std::string> fatal;
  std::vector<std::string> survivable;
  // End of stream or altered bytes: what they mean is the program's to say, so
  // they explain any exit status.
  std::vector<std::string> altered;
  for (const PreloadCall* call : injected) {
    if (call->fault == "short") continue;  // data arrives in pieces: no error
    if (call->stream_fault()) {
      altered.push_back(FaultText(*call));
      continue;
    }
    (HandlingOf(*call) == Handling::kPropagate ? fatal : survivable)
        .push_back(FaultText(*call));
  }
  std::vector<std::string> causes = fatal;
  causes.insert(causes.end(), survivable.begin(), survivable.end());
  causes.insert(causes.end(), altered.begin(), altered.end());
  for (const PreloadCall& call : trace.calls) {
    for (const std::string& actor : call.actors) {
      causes.push_back(
          absl::StrCat(actor, "@", call.call, "#", call.occurrence));
    }
  }
  const std::string after =
      causes.empty() ? std::string(" with no fault injected")
                     : absl::StrCat(" after ", absl::StrJoin(causes, ", "));

  if (exit.timed_out) {
    std::string last = "no socket call";
    if (!trace.calls.empty()) {
      const PreloadCall& call = trace.calls.back();
      last = absl::StrCat(call.function, " (", call.call, "#", call.occurrence,
                          ")");
    }
    violations.push_back(
        {ViolationKind::kHang,
         absl::StrCat("did not exit within ", absl::FormatDuration(timeout),
                      after, "; the last call it returned from was ", last)});
    return violations;  // killed: no leak report, no exit status
  }
  if (!exit.exited) {
    violations.push_back(
        {ViolationKind::kCrash, absl::StrCat(exit.Describe(), after)});
    return violations;
  }
  for (const PreloadLeak& leak : trace.leaks) {
    std::string where = absl::StrCat(leak.domain, " ", leak.socket_type);
    if (leak.local.has_value()) absl::StrAppend(&where, " ", *leak.local);
    if (leak.peer.has_value()) absl::StrAppend(&where, " <-> ", *leak.peer);
    violations.push_back(
        {ViolationKind::kLeak,
         absl::StrCat("fd ", leak.fd, " (", where, "), made by ", leak.call,
                      "#", leak.occurrence, " (", leak.function,
                      "), is still open at exit",
                      leak.last_fault.has_value()
                          ? absl::StrCat(", after fault ", *leak.last_fault)
                          : "")});
  }
  if (exit.exit_code == 0 && !fatal.empty()) {
    violations.push_back(
        {ViolationKind::kSwallowedError,
         absl::StrCat(absl::StrJoin(fatal, ", "),
                      fatal.size() == 1 ? " was" : " were",
                      " injected (fatal: the operation fails), yet the "
                      "program exited 0")});
  }
  if (exit.exit_code != 0 && fatal.empty() && altered.empty() &&
      !actors_acted) {
    violations.push_back(
        {ViolationKind::kUnexpectedError,
         absl::StrCat("exit ", exit.exit_code, after,
                      injected.empty()
                          ? ": it fails by itself (is it deterministic?)"
                          : ": it gave up on a fault it should have retried "
                            "or ignored")});
  }
  return violations;
}

absl::StatusOr<CommandRun> RunCommandUnderPlan(const CommandSpec& spec,
                                               const FaultPlan& plan) {
  const std::string trace_path = FreshTracePath();
  std::error_code ignored;
  std::filesystem::remove(trace_path, ignored);

  ChildSpec child =
      InterposedChild({"/bin/sh", "-c", spec.command}, spec.preload_library,
                      plan, spec.adversarial, trace_path);
  child.capture_output = true;
  child.timeout = spec.timeout;
  absl::StatusOr<ChildExit> exit = RunChild(child);
  if (!exit.ok()) return exit.status();
  absl::StatusOr<PreloadTrace> parsed = ReadPreloadTraceFile(trace_path);
  std::filesystem::remove(trace_path, ignored);
  if (exit->exited && exit->exit_code == preload::kBadEnvironmentExitStatus &&
      absl::StrContains(exit->output,
                        absl::StrCat(preload::kMessagePrefix, "SOCKFI_"))) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the interposer refused to run the command: ", exit->output));
  }
  if (!parsed.ok()) {
    return absl::DataLossError(absl::StrCat(
        "the trace of `", spec.command, "` under plan '", PrintPlan(plan),
        "' is unreadable: ", parsed.status().message()));
  }
  CommandRun run;
  run.exit = *std::move(exit);
  run.preload_trace = *std::move(parsed);
  run.trace = ToTrace(run.preload_trace, plan);
  run.violations = JudgeCommandRun(run.exit, run.preload_trace, spec.timeout);
  return run;
}

absl::StatusOr<ExploreReport> ExploreCommand(const CommandSpec& spec,
                                             const ExploreOptions& options) {
  absl::StatusOr<CommandRun> baseline = RunCommandUnderPlan(spec, FaultPlan());
  if (!baseline.ok()) return baseline.status();
  if (!baseline->exit.exited || baseline->exit.exit_code != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "without faults, `", spec.command, "` ends with ",
        baseline->exit.Describe(),
        "; sockfi explores programs that succeed without faults. Its "
        "output:\n",
        baseline->exit.output));
  }
  if (baseline->trace.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "`", spec.command,
        "` made no socket call the interposer sees: is it statically linked, "
        "or does it not make sockets at all? Its output:\n",
        baseline->exit.output));
  }

  absl::Status failure;
  const PlanRunner run = [&](const FaultPlan& plan) -> PlanRun {
    if (plan.empty()) {
      return PlanRun{baseline->trace, baseline->violations,
                     baseline->exit.elapsed};
    }
    if (!failure.ok()) return PlanRun{};
    absl::StatusOr<CommandRun> result = RunCommandUnderPlan(spec, plan);
    if (!result.ok()) {
      failure = result.status();
      return PlanRun{};
    }
    return PlanRun{std::move(result->trace), std::move(result->violations),
                   result->exit.elapsed};
  };
  ExploreReport identity;
  identity.subject = spec.command;
  identity.command = spec.command;
  identity.backend = BackendKind::kReal;
  ExploreOptions command_options = options;
  command_options.adversarial = spec.adversarial;
  command_options.half_open = false;  // the interposer cannot make half-open
  ExploreReport report =
      ExplorePlans(run, std::move(identity), command_options);
  if (!failure.ok()) return failure;
  return report;
}

}  // namespace sockfi
