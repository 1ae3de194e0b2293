// ChildProcess: runs another program to completion, with extra environment
// variables, an optional wall-clock limit and captured output.
//
// `sockfi inject` and `sockfi explore --command` run unmodified programs under
// the LD_PRELOAD interposer through this; errno stays inside src/sys.

#ifndef SOCKFI_SRC_SYS_CHILD_PROCESS_H_
#define SOCKFI_SRC_SYS_CHILD_PROCESS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace sockfi {

struct ChildSpec {
  // The program and its arguments; argv[0] is looked up in PATH when it has no
  // slash.
  std::vector<std::string> argv;
  // Variables set in the child's environment on top of this process's own
  // (a name given here replaces the inherited value).
  std::vector<std::pair<std::string, std::string>> env;
  // Variables removed from the child's environment.
  std::vector<std::string> unset_env;
  // The child and everything it started are killed (SIGKILL to its process
  // group) when it runs longer than this.
  absl::Duration timeout = absl::InfiniteDuration();
  // Collect the child's stdout and stderr (merged) instead of letting it write
  // to ours; its stdin is /dev/null then.
  bool capture_output = false;
  // Keep at most this many bytes of captured output: the first half and the
  // last half, with a marker between.
  size_t max_output = 64 * 1024;
};

struct ChildExit {
  bool exited = false;     // it called exit (or returned from main)
  int exit_code = 0;       // when exited
  int signal = 0;          // the signal that killed it, when !exited
  bool timed_out = false;  // we killed it at ChildSpec::timeout
  std::string output;      // when ChildSpec::capture_output
  absl::Duration elapsed;

  // Returns the status a shell would report: the exit code, or 128 + signal.
  int ShellStatus() const { return exited ? exit_code : 128 + signal; }
  // Returns "exit 0", "exit 3", "killed by SIGSEGV", "timed out after 2s".
  std::string Describe() const;
};

// Runs `spec.argv` and waits for it. Returns an error (with the reason) when
// the program cannot be started at all — not found, not executable — or when
// argv is empty; a program that starts and then fails is a ChildExit.
absl::StatusOr<ChildExit> RunChild(const ChildSpec& spec);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SYS_CHILD_PROCESS_H_
