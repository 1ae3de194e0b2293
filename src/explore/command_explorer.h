// Command exploration: fault schedules for an unmodified program, run under the
// LD_PRELOAD interposer (src/preload/preload_contract.h) in a fresh process
// each, and judged from outside.
//
// A run is judged by what can be seen from outside the program:
//   hang             it did not exit within the per-run timeout (killed);
//   crash            it died of a signal;
//   leak             the interposer's leak report names a socket still open at
//                    exit (one finding per leaked socket, with its provenance);
//   swallowed-error  a fault the catalog calls fatal (propagate) was injected,
//                    yet the program exited 0;
//   unexpected-error it exited non-zero although only retryable faults were
//                    injected and no other process (actor) interfered: it
//                    gave up on what it should have retried.
// The exploration itself is the in-process one (ExplorePlans): the fault-free
// run's trace gives every call occurrence × catalogued errno, depth 1 by
// default, each finding minimised and replayable with `sockfi inject`.

#ifndef SOCKFI_SRC_EXPLORE_COMMAND_EXPLORER_H_
#define SOCKFI_SRC_EXPLORE_COMMAND_EXPLORER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "src/check/verdict.h"
#include "src/explore/explorer.h"
#include "src/fault/fault_plan.h"
#include "src/fault/trace.h"
#include "src/preload/preload_trace.h"
#include "src/sys/child_process.h"

namespace sockfi {

struct CommandSpec {
  std::string command;          // run with /bin/sh -c
  std::string preload_library;  // the path of libsockfi_preload.so
  absl::Duration timeout = absl::Seconds(10);  // per run
  bool adversarial = false;
};

// One run of a command under a plan.
struct CommandRun {
  ChildExit exit;
  PreloadTrace preload_trace;
  Trace trace;  // the preload trace in the explorer's form
  std::vector<Violation> violations;
};

// Returns the spec that runs `argv` under the interposer at `library` with
// `plan` (empty: no faults, SOCKFI_PLAN unset), its JSON-lines trace going to
// `trace_path` and no leak report on stderr. LD_PRELOAD is the library, then
// this process's own LD_PRELOAD; a sanitizer build of sockfi (whose interposer
// links ASan's or TSan's runtime too) puts that runtime first, as it must be.
ChildSpec InterposedChild(std::vector<std::string> argv,
                          const std::string& library, const FaultPlan& plan,
                          bool adversarial, const std::string& trace_path);

// Returns the trace the interposer wrote to `path`: empty when the file does
// not exist (the program made no socket); an error when it cannot be read or
// parsed.
absl::StatusOr<PreloadTrace> ReadPreloadTraceFile(const std::string& path);

// Runs `spec.command` once under `plan` (empty: no faults) and judges it.
// Returns an error when the command cannot be run at all or its trace cannot
// be read.
absl::StatusOr<CommandRun> RunCommandUnderPlan(const CommandSpec& spec,
                                               const FaultPlan& plan);

// Returns the violations of a finished run (see the file comment).
std::vector<Violation> JudgeCommandRun(const ChildExit& exit,
                                       const PreloadTrace& trace,
                                       absl::Duration timeout);

// Returns `preload` as a sockfi Trace: every call a plan can name, in process
// then seq order, with occurrences, fds, whether the call could block, the
// fault that fired (its rule's index in `plan`) and the actors that acted.
Trace ToTrace(const PreloadTrace& preload, const FaultPlan& plan);

// Explores `spec.command`. Fails (FailedPrecondition, with the program's
// output) when the fault-free run does not exit 0, or makes no socket call the
// interposer sees: there is nothing to judge faults against then.
absl::StatusOr<ExploreReport> ExploreCommand(const CommandSpec& spec,
                                             const ExploreOptions& options);

}  // namespace sockfi

#endif  // SOCKFI_SRC_EXPLORE_COMMAND_EXPLORER_H_
