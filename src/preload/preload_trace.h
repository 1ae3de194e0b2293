// PreloadTrace: the JSON-lines trace libsockfi_preload.so writes (see
// src/preload/preload_contract.h for the format), read back into structs.

#ifndef SOCKFI_SRC_PRELOAD_PRELOAD_TRACE_H_
#define SOCKFI_SRC_PRELOAD_PRELOAD_TRACE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/fault/call_kind.h"
#include "src/preload/preload_contract.h"

namespace sockfi {

// A "start" line: a process began making sockets.
struct PreloadStart {
  int line = 0;  // 1-based line number in the trace text
  int pid = 0;
  int ppid = 0;
  std::string exe;
  std::string plan;
  bool adversarial = false;
  std::optional<int> forked_from;
};

enum class PreloadRuleStatus : uint8_t {
  kNone,        // no rule matched the call
  kInjected,    // the rule's fault was injected
  kSuppressed,  // realistic mode: Linux could not fail this call that way
  kMissed,      // an "after" rule, but the real call failed by itself first
};

// A "call" line: one intercepted call on a tracked socket.
struct PreloadCall {
  int line = 0;
  int pid = 0;
  int tid = 0;
  uint64_t seq = 0;
  std::string call;              // "accept", ..., "setsockopt", "dup"
  std::optional<CallKind> kind;  // nullopt for setsockopt and dup
  std::string function;          // "accept4", "read", ...
  uint32_t occurrence = 0;
  int fd = -1;
  std::vector<int> new_fds;
  // The injected fault: an errno name, "short", "eof", "corrupt", or nullopt.
  std::optional<std::string> fault;
  int fault_errno = 0;  // the fault's errno, 0 for short, eof, corrupt or none
  std::optional<std::string> rule;
  PreloadRuleStatus rule_status = PreloadRuleStatus::kNone;
  std::optional<std::string> note;
  int64_t result = 0;
  int error = 0;  // the errno the program saw (result -1), else 0
  // Optional fields: absent when the call has none.
  std::optional<std::string> addr;
  std::optional<std::string> domain;
  std::optional<std::string> socket_type;
  std::optional<int64_t> flags;
  std::optional<int64_t> len;
  std::optional<std::string> cmd;
  std::optional<int64_t> arg;
  std::optional<int64_t> level;
  std::optional<int64_t> optname;
  std::optional<int64_t> backlog;
  std::optional<int64_t> timeout_ms;
  std::optional<int64_t> nfds;
  std::vector<int> poll_fds;
  std::vector<std::string> actors;

  // Returns true when a fault was injected into this call.
  bool injected() const { return rule_status == PreloadRuleStatus::kInjected; }
  // Returns true when the fault is a stream fault (eof or corrupt).
  bool stream_fault() const { return fault == "eof" || fault == "corrupt"; }
};

// A "leak" line: a tracked socket still open when a process exited.
struct PreloadLeak {
  int line = 0;
  int pid = 0;
  int fd = -1;
  std::string call;
  std::string function;
  uint32_t occurrence = 0;
  int created_pid = 0;
  std::string domain;
  std::string socket_type;
  std::optional<std::string> local;
  std::optional<std::string> peer;
  uint32_t faults_before = 0;
  std::optional<std::string> last_fault;  // "accept#1=ECONNABORTED"
};

// An "end" line: a process exited normally.
struct PreloadEnd {
  int line = 0;
  int pid = 0;
  uint64_t calls = 0;
  uint64_t faults = 0;
  uint64_t leaks = 0;
};

struct PreloadTrace {
  std::vector<PreloadStart> starts;  // each kind in file order
  std::vector<PreloadCall> calls;
  std::vector<PreloadLeak> leaks;
  std::vector<PreloadEnd> ends;

  // Returns the process ids that wrote lines, in order of first appearance.
  std::vector<int> Pids() const;
  // Returns the calls of process `pid`, sorted by seq.
  std::vector<const PreloadCall*> CallsOf(int pid) const;
  // Returns the leaks reported by process `pid`.
  std::vector<const PreloadLeak*> LeaksOf(int pid) const;
  // Returns the end line of process `pid`, or null when it has none (it did
  // not exit normally, or has not exited yet).
  const PreloadEnd* EndOf(int pid) const;
};

// Parses a trace. Whitespace-only lines are skipped; fields the contract does
// not name are ignored. On malformed input returns InvalidArgument whose
// message starts with "line N: " (or "line N, column C: " for JSON syntax)
// and says what was found and what was expected: not an object, an unknown
// "type", a missing field or one of the wrong type, an unknown errno or call
// name, a duplicate key.
absl::StatusOr<PreloadTrace> ParsePreloadTrace(absl::string_view jsonl);

// Checks that the trace holds every line its processes wrote: each process
// with a "start" line has an "end" line, its call lines number exactly the
// end's "calls", their seq run 0, 1, ... without gap or repeat, and its leak
// lines number the end's "leaks". Returns FailedPrecondition naming the first
// process that fails and how, e.g. "pid 42: no end line (it did not exit
// normally)" or "pid 42: seq 7 is missing".
absl::Status CheckPreloadTraceComplete(const PreloadTrace& trace);

}  // namespace sockfi

#endif  // SOCKFI_SRC_PRELOAD_PRELOAD_TRACE_H_
