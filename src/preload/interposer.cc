// libsockfi_preload.so: the LD_PRELOAD interposer. Its contract is
// src/preload/preload_contract.h.
//
// This file holds the interposer's process-wide state (the only global mutable
// state in sockfi, as DESIGN.md allows for src/preload) and the functions it
// exports. Calls on untracked fds go straight to the next definition; tracked
// calls count their occurrence, decide their fault, make the real call (or
// not), write a trace line and set errno — all with atomics, without locks or
// allocation.

#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "src/fault/call_kind.h"
#include "src/fault/errno_catalog.h"
#include "src/fault/fault_plan.h"
#include "src/fault/real_host_actors.h"
#include "src/preload/fd_registry.h"
#include "src/preload/json_line.h"
#include "src/preload/names.h"
#include "src/preload/next_calls.h"
#include "src/preload/next_syscalls.h"
#include "src/preload/preload_contract.h"
#include "src/preload/trace_writer.h"
#include "src/sys/errno_name.h"
#include "src/sys/sock_addr.h"

extern "C" void __chk_fail(void) __attribute__((noreturn));

namespace sockfi::preload {
namespace {

// ---------------------------------------------------------------------------
// Configuration: written by the constructor before main, read-only afterwards.

struct PreparedRule {
  Occurrences when;
  bool is_short = false;
  uint32_t short_bytes = 0;
  bool is_stream = false;  // eof or corrupt (recv only, adversarial only)
  StreamFault stream = StreamFault::kEndOfStream;
  int error = 0;
  Timing timing = Timing::kBefore;
  const CatalogEntry* entry = nullptr;  // null outside the catalog
  char text[96] = {};                   // PrintRule
};

struct Config {
  bool adversarial = false;
  bool trace = false;
  bool leak_report = false;  // print the human report to stderr
  // Rules grouped by kind: rules[rule_begin[k] .. rule_begin[k + 1]).
  const PreparedRule* rules = nullptr;
  uint32_t rule_begin[kTraceKindCount + 1] = {};
  bool has_fd_limit = false;
  uint32_t fd_limit = 0;
  char fd_limit_text[32] = {};
  const ActorRule* actors = nullptr;
  size_t actor_count = 0;
  const char* plan_text = "none";
};

Config g_config;
// What g_config points into, kept reachable (leak checkers would count them
// lost otherwise: volatile, so that the compiler keeps these stores nobody
// reads); never freed.
std::vector<PreparedRule>* volatile g_rules_storage = nullptr;
std::vector<ActorRule>* volatile g_actors_storage = nullptr;
std::string* volatile g_plan_storage = nullptr;

// Names of errnos 0..kNamedErrnos-1, precomputed (ErrnoName allocates).
constexpr int kNamedErrnos = 256;
char g_errno_names[kNamedErrnos][24];

// ---------------------------------------------------------------------------
// Process state.

enum Phase : int { kNotReady = 0, kReady = 1, kFinished = 2 };

std::atomic<int> g_phase{kNotReady};
FdRegistry g_fds;
TraceWriter g_writer;
std::atomic<uint32_t> g_occurrences[kTraceKindCount];
std::atomic<uint64_t> g_seq{0};
// Call lines the writer dropped: the lines written are g_seq minus these.
std::atomic<uint64_t> g_dropped_calls{0};
std::atomic<uint64_t> g_faults_here{0};   // injected by this process
std::atomic<uint32_t> g_faults_total{0};  // errno faults, a fork parent's too
std::atomic<uint64_t> g_last_fault{0};    // PackFault of the last errno fault
// 0: no start line yet; 1: being written; 2: written.
std::atomic<int> g_start_state{0};
pid_t g_pid = 0;
pid_t g_forked_from = 0;
std::atomic<HostActors*> g_actor_host{nullptr};

__attribute__((tls_model("initial-exec"))) thread_local pid_t t_tid = 0;
// ,"pid":P,"tid":T for this thread's call lines (empty until first needed).
__attribute__((tls_model("initial-exec"))) thread_local char t_ids[48];
__attribute__((tls_model("initial-exec"))) thread_local size_t t_ids_size = 0;

bool Ready() { return g_phase.load(std::memory_order_acquire) == kReady; }

pid_t Tid() {
  if (t_tid == 0) t_tid = gettid();
  return t_tid;
}

uint32_t Count(TraceKind kind) {
  return g_occurrences[static_cast<int>(kind)].fetch_add(
             1, std::memory_order_relaxed) +
         1;
}

const char* ErrnoNameOf(int error, NameBuffer* buffer) {
  if (error >= 0 && error < kNamedErrnos && g_errno_names[error][0] != '\0') {
    return g_errno_names[error];
  }
  char digits[24];
  const size_t size = FormatInt(error, digits);
  memcpy(buffer->text, "errno ", 6);
  memcpy(buffer->text + 6, digits, size);
  buffer->text[6 + size] = '\0';
  return buffer->text;
}

void WriteStderr(const char* text) {
  size_t size = strlen(text);
  while (size > 0) {
    const ssize_t wrote = CallWrite(2, text, size);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return;
    }
    text += wrote;
    size -= static_cast<size_t>(wrote);
  }
}

// ---------------------------------------------------------------------------
// Deciding a call's fault.

enum class RuleStatus : uint8_t { kNone, kInjected, kSuppressed, kMissed };

const char* RuleStatusName(RuleStatus status) {
  switch (status) {
    case RuleStatus::kInjected:
      return "injected";
    case RuleStatus::kSuppressed:
      return "suppressed";
    case RuleStatus::kMissed:
      return "missed";
    case RuleStatus::kNone:
      break;
  }
  return nullptr;
}

struct Decision {
  const char* rule_text = nullptr;
  RuleStatus status = RuleStatus::kNone;
  bool is_short = false;
  uint32_t short_bytes = 0;
  bool is_stream = false;
  StreamFault stream = StreamFault::kEndOfStream;
  int error = 0;
  Timing timing = Timing::kBefore;
  // Why a rule was suppressed ("<errno> needs a call that blocks") or missed
  // ("the call itself failed with <errno> first").
  const char* note = nullptr;
  int missed_errno = 0;

  bool Before() const {
    return status == RuleStatus::kInjected && !is_short && !is_stream &&
           timing == Timing::kBefore;
  }
  bool After() const {
    return status == RuleStatus::kInjected && !is_short && !is_stream &&
           timing == Timing::kAfter;
  }
  // Records that the real call failed with `error` before an "after" fault.
  void Miss(int error_number) {
    status = RuleStatus::kMissed;
    missed_errno = error_number;
  }
};

// Answers "can this call not block?" once, on demand (an fcntl(F_GETFL) is
// only made when a rule's realism depends on it).
class NonBlockingProbe {
 public:
  // `fd` < 0: decided by `known` alone.
  NonBlockingProbe(int fd, bool known) : fd_(fd), answer_(known ? 1 : -1) {
    if (fd_ < 0 && !known) answer_ = 0;
  }
  bool operator()() {
    if (answer_ < 0) {
      const int flags = CallFcntl(fd_, F_GETFL, 0);
      answer_ = (flags >= 0 && (flags & O_NONBLOCK) != 0) ? 1 : 0;
    }
    return answer_ == 1;
  }

 private:
  int fd_;
  int answer_;  // -1 unknown, 0 blocking, 1 non-blocking
};

Decision Decide(TraceKind kind, uint32_t occurrence, NonBlockingProbe probe) {
  Decision decision;
  if (!IsPlanKind(kind)) return decision;
  const int k = static_cast<int>(kind);
  for (uint32_t i = g_config.rule_begin[k]; i < g_config.rule_begin[k + 1];
       ++i) {
    const PreparedRule& rule = g_config.rules[i];
    if (!rule.when.Contains(occurrence)) continue;
    decision.rule_text = rule.text;
    decision.status = RuleStatus::kInjected;
    if (rule.is_short) {
      decision.is_short = true;
      decision.short_bytes = rule.short_bytes;
      return decision;
    }
    if (rule.is_stream) {
      decision.is_stream = true;
      decision.stream = rule.stream;
      return decision;
    }
    decision.error = rule.error;
    decision.timing = rule.timing;
    if (!g_config.adversarial && rule.entry != nullptr) {
      if (rule.entry->condition == Condition::kNonBlockingOnly && !probe()) {
        decision.status = RuleStatus::kSuppressed;
        decision.note = " needs a call that cannot block";
      } else if (rule.entry->condition == Condition::kBlockingOnly && probe()) {
        decision.status = RuleStatus::kSuppressed;
        decision.note = " needs a call that blocks";
      }
    }
    return decision;
  }
  return decision;
}

// fdlimit: a call that would make `new_fds` fds when no rule matched it.
void ApplyFdLimit(Decision* decision, int new_fds) {
  if (!g_config.has_fd_limit || decision->rule_text != nullptr) return;
  if (static_cast<uint32_t>(g_fds.open_count() + new_fds) <=
      g_config.fd_limit) {
    return;
  }
  decision->rule_text = g_config.fd_limit_text;
  decision->status = RuleStatus::kInjected;
  decision->error = EMFILE;
  decision->timing = Timing::kBefore;
}

// ---------------------------------------------------------------------------
// Recording a call.

constexpr int kMaxPollFds = 16;

struct Record {
  Record(TraceKind k, Function f) : kind(k), function(f) {
    actor_note[0] = '\0';
  }

  TraceKind kind;
  Function function;
  uint32_t occurrence = 0;
  int fd = -1;
  int new_fds[2] = {-1, -1};
  int new_count = 0;
  Decision decision;
  int64_t result = 0;
  int error = 0;        // the errno the program sees when result is -1
  int errno_after = 0;  // errno as the real call left it

  // Optional fields (see the contract).
  const sockaddr* address = nullptr;
  socklen_t address_size = 0;
  bool has_socket_args = false;
  int domain = 0;
  int type = 0;
  bool has_flags = false;
  int flags = 0;
  bool has_len = false;
  int64_t len = 0;
  bool has_cmd = false;
  int cmd = 0;
  bool has_arg = false;
  int64_t arg = 0;
  bool has_sockopt = false;
  int level = 0;
  int optname = 0;
  bool has_backlog = false;
  int backlog = 0;
  bool is_poll = false;
  int timeout_ms = 0;
  int64_t nfds = 0;
  int poll_fds[kMaxPollFds];
  int poll_fd_count = 0;
  uint8_t actors = 0;    // bit 1 << ActorKind for each that acted
  char actor_note[128];  // NUL-terminated; set in the constructor
};

const char* ActorNameOf(int actor) {
  static constexpr const char* kNames[] = {"foreign", "impostor", "halfopen",
                                           "flood", "hangup"};
  return kNames[actor];
}

// Writes the process's "start" line once; other threads wait for it (briefly:
// a signal handler that interrupted the writer goes on without it).
void EnsureStartLine() {
  if (g_start_state.load(std::memory_order_acquire) == 2) return;
  int expected = 0;
  if (!g_start_state.compare_exchange_strong(expected, 1)) {
    for (int spins = 0; spins < 20000 && g_start_state.load() != 2; ++spins) {
      sched_yield();
    }
    return;
  }
  char exe[512];
  const ssize_t size = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
  exe[size > 0 ? size : 0] = '\0';
  JsonLine line("start");
  line.Int("pid", g_pid);
  line.Int("ppid", getppid());
  line.Str("exe", exe);
  line.Str("plan", g_config.plan_text);
  line.Bool("adversarial", g_config.adversarial);
  if (g_forked_from != 0) {
    line.Int("forked_from", g_forked_from);
  } else {
    line.Null("forked_from");
  }
  const char* text = line.Finish();
  g_writer.Append(text, line.size());
  g_start_state.store(2, std::memory_order_release);
}

// Notes an injected fault, then writes the call's line (when tracing).
void Emit(const Record& record) {
  const Decision& decision = record.decision;
  if (decision.status == RuleStatus::kInjected) {
    g_faults_here.fetch_add(1);
    if (!decision.is_short && !decision.is_stream) {
      g_faults_total.fetch_add(1);
      g_last_fault.store(
          PackFault(record.kind, record.occurrence, decision.error));
    }
  }
  if (!g_config.trace) return;
  EnsureStartLine();
  NameBuffer names[4];
  JsonLine line("call");
  if (t_ids_size == 0) {
    // The ids are the same for every line of the thread: format them once.
    JsonLine ids("");
    const size_t empty = ids.size();
    ids.Int("pid", g_pid);
    ids.Int("tid", Tid());
    t_ids_size = ids.size() - empty;
    memcpy(t_ids, ids.Finish() + empty, t_ids_size);
  }
  line.Members(t_ids, t_ids_size);
  const uint64_t seq = g_seq.fetch_add(1);
  line.Int("seq", static_cast<int64_t>(seq));
  line.SafeStr("call", TraceKindName(record.kind));
  line.SafeStr("function", FunctionName(record.function));
  line.Int("occurrence", record.occurrence);
  line.Int("fd", record.fd);
  line.IntArray("new_fds", record.new_fds, record.new_count);
  if (decision.status == RuleStatus::kNone && record.actor_note[0] == '\0') {
    line.Members(
        ",\"fault\":null,\"rule\":null,\"rule_status\":null,\"note\":null");
  } else {
    if (decision.status == RuleStatus::kInjected) {
      // StreamFaultName views a string literal: NUL-terminated.
      line.SafeStr("fault", decision.is_short ? "short"
                            : decision.is_stream
                                ? StreamFaultName(decision.stream).data()
                                : ErrnoNameOf(decision.error, &names[0]));
    } else {
      line.Null("fault");
    }
    line.SafeStr("rule", decision.rule_text);
    line.SafeStr("rule_status", RuleStatusName(decision.status));
    if (decision.status == RuleStatus::kSuppressed) {
      char note[96];
      const char* name = ErrnoNameOf(decision.error, &names[1]);
      const size_t name_size = strlen(name);
      const size_t note_size = strlen(decision.note);
      memcpy(note, name, name_size);
      memcpy(note + name_size, decision.note, note_size + 1);
      line.Str("note", note);
    } else if (decision.status == RuleStatus::kMissed) {
      char note[96] = "the call itself failed with ";
      const char* name = ErrnoNameOf(decision.missed_errno, &names[1]);
      strncat(note, name, 30);
      strcat(note, " first");
      line.Str("note", note);
    } else if (record.actor_note[0] != '\0') {
      line.Str("note", record.actor_note);
    } else {
      line.Null("note");
    }
  }
  line.Int("result", record.result);
  if (record.result == -1) {
    line.SafeStr("errno", ErrnoNameOf(record.error, &names[2]));
  } else {
    line.Members(",\"errno\":null");
  }
  if (record.address != nullptr) {
    line.Str("addr",
             FormatAddress(record.address, record.address_size, &names[3]));
  }
  if (record.has_socket_args) {
    line.SafeStr("domain", FormatDomain(record.domain, &names[0]));
    line.SafeStr("socket_type", FormatSocketType(record.type, &names[1]));
  }
  if (record.has_flags) line.Int("flags", record.flags);
  if (record.has_len) line.Int("len", record.len);
  if (record.has_cmd) {
    line.SafeStr("cmd", FormatFcntlCommand(record.cmd, &names[0]));
  }
  if (record.has_arg) line.Int("arg", record.arg);
  if (record.has_sockopt) {
    line.Int("level", record.level);
    line.Int("optname", record.optname);
  }
  if (record.has_backlog) line.Int("backlog", record.backlog);
  if (record.is_poll) {
    line.Int("timeout_ms", record.timeout_ms);
    line.Int("nfds", record.nfds);
    line.IntArray("poll_fds", record.poll_fds, record.poll_fd_count);
  }
  if (record.actors != 0) {
    const char* acted[5];
    size_t count = 0;
    for (int actor = 0; actor < 5; ++actor) {
      if ((record.actors & (1u << actor)) != 0)
        acted[count++] = ActorNameOf(actor);
    }
    line.StrArray("actors", acted, count);
  }
  const char* text = line.Finish();
  if (!g_writer.Append(text, line.size())) g_dropped_calls.fetch_add(1);
}

// Writes the record's line and sets errno as the program must see it; returns
// the call's result.
int64_t Finish(const Record& record) {
  Emit(record);
  errno = record.result == -1 ? record.error : record.errno_after;
  return record.result;
}

// Makes the real call `real` (returning -1 and errno on failure) under the
// record's decision: none for a "before" fault, then the fault's errno for an
// "after" one unless the call failed by itself. Fills result, error and
// errno_after.
template <typename Real>
void Run(Record* record, Real real) {
  Decision& decision = record->decision;
  if (decision.Before()) {
    record->result = -1;
    record->error = decision.error;
    record->errno_after = decision.error;
    return;
  }
  int64_t result = real();
  int error = errno;
  record->errno_after = error;
  if (decision.After()) {
    if (result >= 0) {
      result = -1;
      error = decision.error;
    } else {
      decision.Miss(error);
    }
  }
  record->result = result;
  record->error = result == -1 ? error : 0;
}

// Tracks a new fd made by the record's call.
void TrackNew(Record* record, int fd, int domain, int type) {
  FdOrigin origin;
  origin.kind = record->kind;
  origin.function = record->function;
  origin.occurrence = record->occurrence;
  origin.domain = domain;
  origin.type = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  origin.pid = g_pid;
  origin.faults_before = g_faults_total.load();
  origin.last_fault = g_last_fault.load();
  if (g_fds.Track(fd, origin) && record->new_count < 2) {
    record->new_fds[record->new_count++] = fd;
  }
}

// Tracks `fd` as a copy of tracked fd `from` made by the record's call.
void TrackCopy(Record* record, int fd, int from) {
  const FdOrigin& source = g_fds.Origin(from);
  TrackNew(record, fd, source.domain, source.type);
}

// ---------------------------------------------------------------------------
// Actors.

HostActors* ActorHost() {
  HostActors* host = g_actor_host.load();
  if (host != nullptr) return host;
  static NextSyscalls* next = new NextSyscalls();
  HostActors* fresh = new RealHostActors(*next);
  if (g_actor_host.compare_exchange_strong(host, fresh)) return fresh;
  delete fresh;
  return host;
}

// Runs the plan's actors for a successful listen or accept on `fd`.
void RunActors(Record* record, CallKind call) {
  for (size_t i = 0; i < g_config.actor_count; ++i) {
    const ActorRule& rule = g_config.actors[i];
    if (rule.call != call || !rule.when.Contains(record->occurrence)) continue;
    const int saved = errno;
    sockaddr_storage storage;
    socklen_t size = sizeof(storage);
    absl::Status acted;
    if (CallGetSockName(record->fd, reinterpret_cast<sockaddr*>(&storage),
                        &size) != 0) {
      acted = absl::FailedPreconditionError(
          absl::StrCat("getsockname failed: ", ErrnoName(errno)));
    } else {
      absl::StatusOr<SockAddr> listener = SockAddr::FromNative(
          reinterpret_cast<const sockaddr*>(&storage), size);
      acted = listener.ok() ? ActorHost()->Act(rule.actor, *listener)
                            : listener.status();
    }
    if (acted.ok()) {
      record->actors |= 1u << static_cast<int>(rule.actor);
    } else {
      const std::string note = absl::StrCat(ActorName(rule.actor),
                                            " did not act: ", acted.message());
      strncpy(record->actor_note, note.c_str(), sizeof(record->actor_note) - 1);
    }
    errno = saved;
  }
}

// ---------------------------------------------------------------------------
// The calls.

int SocketCall(int domain, int type, int protocol) {
  if (!Ready()) return CallSocket(domain, type, protocol);
  Record record(ToTraceKind(CallKind::kSocket), Function::kSocket);
  record.occurrence = Count(record.kind);
  record.has_socket_args = true;
  record.domain = domain;
  record.type = type;
  record.decision =
      Decide(record.kind, record.occurrence, NonBlockingProbe(-1, false));
  ApplyFdLimit(&record.decision, 1);
  Run(&record, [&]() -> int64_t {
    const int fd = CallSocket(domain, type, protocol);
    if (fd >= 0 && record.decision.After()) {
      const int error = errno;
      CallClose(fd);  // the program never sees it
      errno = error;
    }
    return fd;
  });
  if (record.result >= 0) {
    TrackNew(&record, static_cast<int>(record.result), domain, type);
  }
  return static_cast<int>(Finish(record));
}

int SocketPairCall(int domain, int type, int protocol, int fds[2]) {
  if (!Ready()) return CallSocketPair(domain, type, protocol, fds);
  Record record(ToTraceKind(CallKind::kSocketPair), Function::kSocketPair);
  record.occurrence = Count(record.kind);
  record.has_socket_args = true;
  record.domain = domain;
  record.type = type;
  record.decision =
      Decide(record.kind, record.occurrence, NonBlockingProbe(-1, false));
  ApplyFdLimit(&record.decision, 2);
  Run(&record, [&]() -> int64_t {
    const int made = CallSocketPair(domain, type, protocol, fds);
    if (made == 0 && record.decision.After()) {
      CallClose(fds[0]);
      CallClose(fds[1]);
    }
    return made;
  });
  if (record.result == 0) {
    TrackNew(&record, fds[0], domain, type);
    TrackNew(&record, fds[1], domain, type);
  }
  return static_cast<int>(Finish(record));
}

// The start of a call on fd `fd` of kind `kind`: counts it.
Record Begin(CallKind kind, Function function, int fd) {
  Record record(ToTraceKind(kind), function);
  record.occurrence = Count(record.kind);
  record.fd = fd;
  return record;
}

int BindCall(int fd, const sockaddr* address, socklen_t size) {
  if (!Ready() || !g_fds.Tracked(fd)) return CallBind(fd, address, size);
  Record record = Begin(CallKind::kBind, Function::kBind, fd);
  record.address = address;
  record.address_size = size;
  record.decision =
      Decide(record.kind, record.occurrence, NonBlockingProbe(-1, false));
  Run(&record, [&]() -> int64_t { return CallBind(fd, address, size); });
  return static_cast<int>(Finish(record));
}

int ListenCall(int fd, int backlog) {
  if (!Ready() || !g_fds.Tracked(fd)) return CallListen(fd, backlog);
  Record record = Begin(CallKind::kListen, Function::kListen, fd);
  record.has_backlog = true;
  record.backlog = backlog;
  record.decision =
      Decide(record.kind, record.occurrence, NonBlockingProbe(-1, false));
  Run(&record, [&]() -> int64_t { return CallListen(fd, backlog); });
  if (record.result == 0) RunActors(&record, CallKind::kListen);
  return static_cast<int>(Finish(record));
}

int ConnectCall(int fd, const sockaddr* address, socklen_t size) {
  if (!Ready() || !g_fds.Tracked(fd)) return CallConnect(fd, address, size);
  Record record = Begin(CallKind::kConnect, Function::kConnect, fd);
  record.address = address;
  record.address_size = size;
  NonBlockingProbe nonblocking(fd, false);
  record.decision = Decide(record.kind, record.occurrence, nonblocking);
  Run(&record, [&]() -> int64_t {
    if (!record.decision.After()) return CallConnect(fd, address, size);
    // "After" means the attempt started: EINPROGRESS counts as success. An
    // interrupted blocking connect goes on in the background (POSIX), so the
    // real call is made non-blocking and returns at once.
    int result;
    const int flags = CallFcntl(fd, F_GETFL, 0);
    if (record.decision.error == EINTR && flags >= 0 &&
        (flags & O_NONBLOCK) == 0) {
      CallFcntl(fd, F_SETFL, static_cast<unsigned long>(flags | O_NONBLOCK));
      result = CallConnect(fd, address, size);
      const int error = errno;
      CallFcntl(fd, F_SETFL, static_cast<unsigned long>(flags));
      errno = error;
    } else {
      result = CallConnect(fd, address, size);
    }
    if (result != 0 && errno == EINPROGRESS) return 0;
    return result;
  });
  return static_cast<int>(Finish(record));
}

int AcceptCall(Function function, int fd, sockaddr* address, socklen_t* size,
               int flags) {
  const bool four = function == Function::kAccept4;
  if (!Ready() || !g_fds.Tracked(fd)) {
    return four ? CallAccept4(fd, address, size, flags)
                : CallAccept(fd, address, size);
  }
  Record record = Begin(CallKind::kAccept, function, fd);
  if (four) {
    record.has_flags = true;
    record.flags = flags;
  }
  record.decision =
      Decide(record.kind, record.occurrence, NonBlockingProbe(fd, false));
  ApplyFdLimit(&record.decision, 1);
  const socklen_t room = (address != nullptr && size != nullptr) ? *size : 0;
  Run(&record, [&]() -> int64_t {
    const int accepted = four ? CallAccept4(fd, address, size, flags)
                              : CallAccept(fd, address, size);
    if (accepted >= 0 && record.decision.After()) {
      // Consumed: the connection is taken and dropped; its client reads EOF.
      const int error = errno;
      CallClose(accepted);
      errno = error;
    }
    return accepted;
  });
  if (room > 0 && (record.result >= 0 || record.decision.After())) {
    record.address = address;
    record.address_size = *size < room ? *size : room;
  }
  if (record.result >= 0) {
    const FdOrigin& listener = g_fds.Origin(fd);
    TrackNew(&record, static_cast<int>(record.result), listener.domain,
             listener.type);
    RunActors(&record, CallKind::kAccept);
  }
  return static_cast<int>(Finish(record));
}

int NameCall(bool peer, int fd, sockaddr* address, socklen_t* size) {
  if (!Ready() || !g_fds.Tracked(fd)) {
    return peer ? CallGetPeerName(fd, address, size)
                : CallGetSockName(fd, address, size);
  }
  Record record =
      Begin(peer ? CallKind::kGetPeerName : CallKind::kGetSockName,
            peer ? Function::kGetPeerName : Function::kGetSockName, fd);
  record.decision =
      Decide(record.kind, record.occurrence, NonBlockingProbe(-1, false));
  const socklen_t room = size != nullptr ? *size : 0;
  Run(&record, [&]() -> int64_t {
    return peer ? CallGetPeerName(fd, address, size)
                : CallGetSockName(fd, address, size);
  });
  if (record.result == 0 && address != nullptr && room > 0) {
    record.address = address;
    record.address_size = *size < room ? *size : room;
  }
  return static_cast<int>(Finish(record));
}

int CloseCall(int fd) {
  if (!Ready() || !g_fds.Tracked(fd)) return CallClose(fd);
  Record record = Begin(CallKind::kClose, Function::kClose, fd);
  record.decision =
      Decide(record.kind, record.occurrence, NonBlockingProbe(-1, false));
  Run(&record, [&]() -> int64_t {
    // Untracked before the real close: once the number is free, another
    // thread's new socket may take it and be tracked.
    g_fds.Untrack(fd);
    return CallClose(fd);  // released even when it fails (Linux)
  });
  return static_cast<int>(Finish(record));
}

int PollCall(Function function, pollfd* fds, nfds_t count, int timeout_ms) {
  if (!Ready()) return CallPoll(fds, count, timeout_ms);
  int tracked[kMaxPollFds];
  int tracked_count = 0;
  bool any = false;
  for (nfds_t i = 0; i < count; ++i) {
    if (fds[i].fd >= 0 && g_fds.Tracked(fds[i].fd)) {
      any = true;
      if (tracked_count < kMaxPollFds) tracked[tracked_count++] = fds[i].fd;
    }
  }
  if (!any) return CallPoll(fds, count, timeout_ms);
  Record record = Begin(CallKind::kPoll, function, -1);
  record.is_poll = true;
  record.timeout_ms = timeout_ms;
  record.nfds = static_cast<int64_t>(count);
  memcpy(record.poll_fds, tracked, sizeof(int) * tracked_count);
  record.poll_fd_count = tracked_count;
  record.decision = Decide(record.kind, record.occurrence,
                           NonBlockingProbe(-1, timeout_ms == 0));
  Run(&record, [&]() -> int64_t {
    const int ready = CallPoll(fds, count, timeout_ms);
    if (ready >= 0 && record.decision.After()) {
      for (nfds_t i = 0; i < count; ++i) fds[i].revents = 0;  // lost
    }
    return ready;
  });
  return static_cast<int>(Finish(record));
}

bool FcntlTakesInt(int command) {
  switch (command) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
    case F_SETFD:
    case F_SETFL:
    case F_SETOWN:
    case F_SETSIG:
    case F_SETLEASE:
    case F_NOTIFY:
    case F_SETPIPE_SZ:
    case F_ADD_SEALS:
      return true;
    default:
      return false;
  }
}

int FcntlCall(Function function, int fd, int command, unsigned long argument) {
  if (!Ready() || !g_fds.Tracked(fd)) return CallFcntl(fd, command, argument);
  Record record = Begin(CallKind::kFcntl, function, fd);
  record.has_cmd = true;
  record.cmd = command;
  if (FcntlTakesInt(command)) {
    record.has_arg = true;
    record.arg = static_cast<int>(argument);
  }
  record.decision =
      Decide(record.kind, record.occurrence, NonBlockingProbe(-1, false));
  Run(&record, [&]() -> int64_t {
    const int result = CallFcntl(fd, command, argument);
    if (result >= 0 && record.decision.After() &&
        (command == F_DUPFD || command == F_DUPFD_CLOEXEC)) {
      const int error = errno;
      CallClose(result);
      errno = error;
    }
    return result;
  });
  if (record.result >= 0 &&
      (command == F_DUPFD || command == F_DUPFD_CLOEXEC)) {
    TrackCopy(&record, static_cast<int>(record.result), fd);
  }
  return static_cast<int>(Finish(record));
}

int SockOptCall(bool set, int fd, int level, int name, const void* value,
                void* out, socklen_t size, socklen_t* out_size) {
  if (!Ready() || !g_fds.Tracked(fd)) {
    return set ? CallSetSockOpt(fd, level, name, value, size)
               : CallGetSockOpt(fd, level, name, out, out_size);
  }
  Record record(
      set ? TraceKind::kSetSockOpt : ToTraceKind(CallKind::kGetSockOpt),
      set ? Function::kSetSockOpt : Function::kGetSockOpt);
  record.occurrence = Count(record.kind);
  record.fd = fd;
  record.has_sockopt = true;
  record.level = level;
  record.optname = name;
  record.decision =
      Decide(record.kind, record.occurrence, NonBlockingProbe(-1, false));
  Run(&record, [&]() -> int64_t {
    return set ? CallSetSockOpt(fd, level, name, value, size)
               : CallGetSockOpt(fd, level, name, out, out_size);
  });
  return static_cast<int>(Finish(record));
}

// Copies the first `limit` bytes' worth of `message`'s iovecs into `iov`
// (room for kMaxIov) and points `copy` at them.
constexpr size_t kMaxIov = 64;
void CutMessage(const msghdr* message, size_t limit, iovec* iov, msghdr* copy) {
  *copy = *message;
  size_t count = 0;
  for (size_t i = 0; i < message->msg_iovlen && count < kMaxIov && limit > 0;
       ++i) {
    const size_t take = message->msg_iov[i].iov_len < limit
                            ? message->msg_iov[i].iov_len
                            : limit;
    iov[count].iov_base = message->msg_iov[i].iov_base;
    iov[count].iov_len = take;
    ++count;
    limit -= take;
  }
  copy->msg_iov = iov;
  copy->msg_iovlen = count;
}

size_t MessageLength(const msghdr* message) {
  size_t total = 0;
  for (size_t i = 0; i < message->msg_iovlen; ++i) {
    total += message->msg_iov[i].iov_len;
  }
  return total;
}

// send, sendto, sendmsg, write, recv, recvfrom, recvmsg, read: `real(limit)`
// makes the call moving at most `limit` bytes; `invert(n)` inverts the first
// n bytes a recv read (a corrupt rule).
template <typename Real, typename Invert>
ssize_t TransferCall(CallKind kind, Function function, int fd, size_t length,
                     bool has_flags, int flags, Real real, Invert invert) {
  Record record = Begin(kind, function, fd);
  record.has_len = true;
  record.len = static_cast<int64_t>(length);
  if (has_flags) {
    record.has_flags = true;
    record.flags = flags;
  }
  record.decision = Decide(record.kind, record.occurrence,
                           NonBlockingProbe(fd, (flags & MSG_DONTWAIT) != 0));
  const size_t limit = record.decision.is_short ? record.decision.short_bytes
                                                : static_cast<size_t>(-1);
  const bool eof = record.decision.is_stream &&
                   record.decision.stream == StreamFault::kEndOfStream;
  const bool corrupt = record.decision.is_stream && !eof;
  Run(&record, [&]() -> int64_t {
    if (eof) return 0;  // end of stream, the bytes left where they are
    const int64_t got = real(limit);
    if (corrupt && got > 0) invert(static_cast<size_t>(got));
    return got;
  });
  return static_cast<ssize_t>(Finish(record));
}

size_t Cut(size_t length, size_t limit) {
  return length < limit ? length : limit;
}

// What a corrupt rule does to the bytes a recv read.
void InvertBytes(uint8_t* bytes, size_t count) {
  for (size_t i = 0; i < count; ++i) bytes[i] = static_cast<uint8_t>(~bytes[i]);
}
constexpr auto kSendsAreNotAltered = [](size_t) {};

ssize_t SendCall(Function function, int fd, const void* data, size_t size,
                 int flags, const sockaddr* to, socklen_t to_size) {
  if (!Ready() || !g_fds.Tracked(fd)) {
    if (function == Function::kWrite) return CallWrite(fd, data, size);
    if (function == Function::kSend) return CallSend(fd, data, size, flags);
    return CallSendTo(fd, data, size, flags, to, to_size);
  }
  return TransferCall(
      CallKind::kSend, function, fd, size, function != Function::kWrite, flags,
      [&](size_t limit) -> int64_t {
        if (function == Function::kWrite) {
          return CallWrite(fd, data, Cut(size, limit));
        }
        if (function == Function::kSend) {
          return CallSend(fd, data, Cut(size, limit), flags);
        }
        return CallSendTo(fd, data, Cut(size, limit), flags, to, to_size);
      },
      kSendsAreNotAltered);
}

ssize_t SendMsgCall(int fd, const msghdr* message, int flags) {
  if (!Ready() || !g_fds.Tracked(fd)) return CallSendMsg(fd, message, flags);
  return TransferCall(
      CallKind::kSend, Function::kSendMsg, fd, MessageLength(message), true,
      flags,
      [&](size_t limit) -> int64_t {
        if (limit >= MessageLength(message)) {
          return CallSendMsg(fd, message, flags);
        }
        iovec iov[kMaxIov];
        msghdr cut;
        CutMessage(message, limit, iov, &cut);
        return CallSendMsg(fd, &cut, flags);
      },
      kSendsAreNotAltered);
}

ssize_t RecvCall(Function function, int fd, void* buffer, size_t size,
                 int flags, sockaddr* from, socklen_t* from_size) {
  const bool plain_read =
      function == Function::kRead || function == Function::kReadChk;
  const bool has_from =
      function == Function::kRecvFrom || function == Function::kRecvFromChk;
  if (!Ready() || !g_fds.Tracked(fd)) {
    if (plain_read) return CallRead(fd, buffer, size);
    if (!has_from) return CallRecv(fd, buffer, size, flags);
    return CallRecvFrom(fd, buffer, size, flags, from, from_size);
  }
  return TransferCall(
      CallKind::kRecv, function, fd, size, !plain_read, flags,
      [&](size_t limit) -> int64_t {
        if (plain_read) {
          return CallRead(fd, buffer, Cut(size, limit));
        }
        if (!has_from) {
          return CallRecv(fd, buffer, Cut(size, limit), flags);
        }
        return CallRecvFrom(fd, buffer, Cut(size, limit), flags, from,
                            from_size);
      },
      [&](size_t got) { InvertBytes(static_cast<uint8_t*>(buffer), got); });
}

ssize_t RecvMsgCall(int fd, msghdr* message, int flags) {
  if (!Ready() || !g_fds.Tracked(fd)) return CallRecvMsg(fd, message, flags);
  return TransferCall(
      CallKind::kRecv, Function::kRecvMsg, fd, MessageLength(message), true,
      flags,
      [&](size_t limit) -> int64_t {
        if (limit >= MessageLength(message)) {
          return CallRecvMsg(fd, message, flags);
        }
        iovec iov[kMaxIov];
        msghdr cut;
        CutMessage(message, limit, iov, &cut);
        const ssize_t got = CallRecvMsg(fd, &cut, flags);
        message->msg_namelen = cut.msg_namelen;
        message->msg_controllen = cut.msg_controllen;
        message->msg_flags = cut.msg_flags;
        return got;
      },
      [&](size_t got) {
        for (size_t i = 0; i < message->msg_iovlen && got > 0; ++i) {
          const size_t here = Cut(message->msg_iov[i].iov_len, got);
          InvertBytes(static_cast<uint8_t*>(message->msg_iov[i].iov_base),
                      here);
          got -= here;
        }
      });
}

int DupCall(Function function, int fd, int target, int flags) {
  if (!Ready()) {
    if (function == Function::kDup) return CallDup(fd);
    if (function == Function::kDup2) return CallDup2(fd, target);
    return CallDup3(fd, target, flags);
  }
  const bool from_tracked = g_fds.Tracked(fd);
  const bool over_tracked =
      function != Function::kDup && target != fd && g_fds.Tracked(target);
  if (!from_tracked && !over_tracked) {
    if (function == Function::kDup) return CallDup(fd);
    if (function == Function::kDup2) return CallDup2(fd, target);
    return CallDup3(fd, target, flags);
  }
  Record record(TraceKind::kDup, function);
  record.occurrence = Count(record.kind);
  record.fd = fd;
  if (function != Function::kDup) {
    record.has_arg = true;
    record.arg = target;
  }
  if (function == Function::kDup3) {
    record.has_flags = true;
    record.flags = flags;
  }
  FdOrigin replaced;
  if (over_tracked) {
    replaced = g_fds.Origin(target);
    g_fds.Untrack(target);  // dup2 closes it
  }
  Run(&record, [&]() -> int64_t {
    if (function == Function::kDup) return CallDup(fd);
    if (function == Function::kDup2) return CallDup2(fd, target);
    return CallDup3(fd, target, flags);
  });
  if (record.result < 0 && over_tracked) {
    g_fds.Track(target, replaced);  // nothing was closed
  }
  if (record.result >= 0 && from_tracked &&
      !(function == Function::kDup2 && target == fd)) {
    TrackCopy(&record, static_cast<int>(record.result), fd);
  }
  return static_cast<int>(Finish(record));
}

// ---------------------------------------------------------------------------
// Start and end of the process.

[[noreturn]] void BadEnvironment(const char* variable,
                                 const std::string& message) {
  const std::string line =
      absl::StrCat(kMessagePrefix, variable, ": ", message, "\n");
  WriteStderr(line.c_str());
  _exit(kBadEnvironmentExitStatus);
}

// Returns the plan text SOCKFI_PLAN gives, and in `where` the prefix for its
// error messages ("@/path: " for a file).
std::string ReadPlanText(const char* value, std::string* where) {
  if (value[0] != '@') return value;
  const char* path = value + 1;
  *where = absl::StrCat("@", path, ": ");
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    BadEnvironment(
        kPlanEnv,
        absl::StrCat(*where, "cannot read the plan file: ", strerror(errno)));
  }
  std::string text;
  char buffer[4096];
  while (true) {
    const ssize_t got = CallRead(fd, buffer, sizeof(buffer));
    if (got < 0) {
      if (errno == EINTR) continue;
      BadEnvironment(
          kPlanEnv,
          absl::StrCat(*where, "cannot read the plan file: ", strerror(errno)));
    }
    if (got == 0) break;
    text.append(buffer, static_cast<size_t>(got));
  }
  CallClose(fd);
  return text;
}

void Configure() {
  const char* adversarial = getenv(kAdversarialEnv);
  if (adversarial != nullptr) {
    if (strcmp(adversarial, "1") == 0) {
      g_config.adversarial = true;
    } else if (strcmp(adversarial, "0") != 0 && adversarial[0] != '\0') {
      BadEnvironment(kAdversarialEnv, absl::StrCat("expected 1 or 0, found \"",
                                                   adversarial, "\""));
    }
  }

  const char* plan_value = getenv(kPlanEnv);
  if (plan_value != nullptr) {
    std::string where;
    const std::string text = ReadPlanText(plan_value, &where);
    absl::StatusOr<FaultPlan> plan = ParsePlan(text);
    if (!plan.ok()) {
      BadEnvironment(kPlanEnv, absl::StrCat(where, plan.status().message()));
    }
    if (!g_config.adversarial) {
      const absl::Status realistic =
          CheckRealistic(*plan, ErrnoCatalog::Linux());
      if (!realistic.ok()) {
        BadEnvironment(
            kPlanEnv, absl::StrCat(where, absl::StrReplaceAll(
                                              realistic.message(),
                                              {{"use --adversarial",
                                                "set SOCKFI_ADVERSARIAL=1"}})));
      }
    }
    // Rules grouped by kind, in plan order within a kind (the first that
    // matches decides, as in FaultInjector).
    auto* rules = new std::vector<PreparedRule>();
    g_rules_storage = rules;
    for (int kind = 0; kind < kTraceKindCount; ++kind) {
      g_config.rule_begin[kind] = static_cast<uint32_t>(rules->size());
      for (const FaultRule& rule : plan->faults) {
        if (static_cast<int>(rule.call) != kind) continue;
        PreparedRule prepared;
        prepared.when = rule.when;
        if (const auto* shorten = std::get_if<ShortTransfer>(&rule.action)) {
          prepared.is_short = true;
          prepared.short_bytes = shorten->max_bytes;
        } else if (const auto* stream =
                       std::get_if<StreamFault>(&rule.action)) {
          prepared.is_stream = true;
          prepared.stream = *stream;
        } else {
          const ErrnoFault& fault = std::get<ErrnoFault>(rule.action);
          prepared.error = fault.error_number;
          prepared.entry =
              ErrnoCatalog::Linux().Find(rule.call, fault.error_number);
          prepared.timing = fault.timing.value_or(prepared.entry != nullptr
                                                      ? prepared.entry->timing
                                                      : Timing::kBefore);
        }
        const std::string printed = PrintRule(rule);
        strncpy(prepared.text, printed.c_str(), sizeof(prepared.text) - 1);
        rules->push_back(prepared);
      }
    }
    g_config.rule_begin[kTraceKindCount] = static_cast<uint32_t>(rules->size());
    g_config.rules = rules->data();
    if (plan->fd_limit.has_value()) {
      g_config.has_fd_limit = true;
      g_config.fd_limit = *plan->fd_limit;
      const std::string text = absl::StrCat("fdlimit=", *plan->fd_limit);
      strncpy(g_config.fd_limit_text, text.c_str(),
              sizeof(g_config.fd_limit_text) - 1);
    }
    auto* actors =
        new std::vector<ActorRule>(plan->actors.begin(), plan->actors.end());
    g_actors_storage = actors;
    g_config.actors = actors->data();
    g_config.actor_count = actors->size();
    auto* plan_text = new std::string(PrintPlan(*plan));
    g_plan_storage = plan_text;
    g_config.plan_text = plan_text->c_str();
  }

  const char* trace = getenv(kTraceEnv);
  if (trace != nullptr) {
    if (trace[0] == '\0') {
      BadEnvironment(kTraceEnv,
                     "is empty: give the trace file's path, or "
                     "unset it");
    }
    struct stat status;
    if (stat(trace, &status) == 0 && S_ISDIR(status.st_mode)) {
      BadEnvironment(kTraceEnv,
                     absl::StrCat(trace, " is a directory: give a file path"));
    }
    std::string directory = trace;
    const size_t slash = directory.rfind('/');
    directory = slash == std::string::npos ? "."
                : slash == 0               ? "/"
                                           : directory.substr(0, slash);
    if (access(directory.c_str(), W_OK | X_OK) != 0) {
      BadEnvironment(kTraceEnv,
                     absl::StrCat("cannot create ", trace, ": directory ",
                                  directory, ": ", strerror(errno)));
    }
    // Relative to where the program started, even if it changes directory
    // before its first socket.
    std::string absolute = trace;
    if (absolute[0] != '/') {
      char cwd[PATH_MAX];
      if (getcwd(cwd, sizeof(cwd)) != nullptr) {
        absolute = absl::StrCat(cwd, "/", absolute);
      }
    }
    if (!g_writer.Configure(absolute.c_str())) {
      BadEnvironment(kTraceEnv, "the path is longer than PATH_MAX");
    }
    g_config.trace = true;
  }

  const char* report = getenv(kLeakReportEnv);
  if (report == nullptr || report[0] == '\0') {
    g_config.leak_report = !g_config.trace;
  } else if (strcmp(report, "stderr") == 0) {
    g_config.leak_report = true;
  } else if (strcmp(report, "off") == 0) {
    g_config.leak_report = false;
  } else {
    BadEnvironment(
        kLeakReportEnv,
        absl::StrCat("expected stderr or off, found \"", report, "\""));
  }

  for (int error = 1; error < kNamedErrnos; ++error) {
    const std::string name = ErrnoName(error);
    if (name.rfind("errno ", 0) == 0) continue;  // no name: formatted later
    strncpy(g_errno_names[error], name.c_str(), sizeof(g_errno_names[0]) - 1);
  }
}

void AfterForkInChild() {
  g_forked_from = g_pid;
  g_pid = getpid();
  t_tid = 0;
  t_ids_size = 0;
  g_seq.store(0);
  g_dropped_calls.store(0);
  g_faults_here.store(0);
  g_start_state.store(0);
  g_writer.ResetInChild();
  // The parent's flood threads do not exist here: abandon its actors.
  g_actor_host.store(nullptr);
}

// "accept#1=ECONNABORTED" for a packed fault.
void FormatFault(uint64_t packed, NameBuffer* out) {
  NameBuffer name;
  char digits[24];
  const size_t digit_count = FormatInt(FaultOccurrenceOf(packed), digits);
  digits[digit_count] = '\0';
  std::string text =
      absl::StrCat(TraceKindName(FaultKindOf(packed)), "#", digits, "=",
                   ErrnoNameOf(FaultErrnoOf(packed), &name));
  strncpy(out->text, text.c_str(), sizeof(out->text) - 1);
  out->text[sizeof(out->text) - 1] = '\0';
}

struct Leak {
  int fd;
  FdOrigin origin;
  NameBuffer local;
  NameBuffer peer;
  bool has_local;
  bool has_peer;
};

// Returns whether tracked `fd` is still the socket that was made (not closed
// behind the interposer's back and reused), filling `leak`.
bool StillOpen(int fd, Leak* leak) {
  struct stat status;
  const FdOrigin& origin = g_fds.Origin(fd);
  int domain = -1;
  int type = -1;
  socklen_t size = sizeof(int);
  if (syscall(SYS_fstat, fd, &status) != 0 || !S_ISSOCK(status.st_mode) ||
      CallGetSockOpt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &size) != 0 ||
      domain != origin.domain ||
      CallGetSockOpt(fd, SOL_SOCKET, SO_TYPE, &type, &size) != 0 ||
      type != origin.type) {
    return false;
  }
  leak->fd = fd;
  leak->origin = origin;
  sockaddr_storage storage;
  size = sizeof(storage);
  leak->has_local =
      CallGetSockName(fd, reinterpret_cast<sockaddr*>(&storage), &size) == 0;
  if (leak->has_local) {
    FormatAddress(reinterpret_cast<sockaddr*>(&storage), size, &leak->local);
  }
  size = sizeof(storage);
  leak->has_peer =
      CallGetPeerName(fd, reinterpret_cast<sockaddr*>(&storage), &size) == 0;
  if (leak->has_peer) {
    FormatAddress(reinterpret_cast<sockaddr*>(&storage), size, &leak->peer);
  }
  return true;
}

void WriteLeakLine(const Leak& leak) {
  NameBuffer names[3];
  JsonLine line("leak");
  line.Int("pid", g_pid);
  line.Int("fd", leak.fd);
  line.Str("call", TraceKindName(leak.origin.kind));
  line.Str("function", FunctionName(leak.origin.function));
  line.Int("occurrence", leak.origin.occurrence);
  line.Int("created_pid", leak.origin.pid);
  line.Str("domain", FormatDomain(leak.origin.domain, &names[0]));
  line.Str("socket_type", FormatSocketType(leak.origin.type, &names[1]));
  line.Str("local", leak.has_local ? leak.local.text : nullptr);
  line.Str("peer", leak.has_peer ? leak.peer.text : nullptr);
  line.Int("faults_before", leak.origin.faults_before);
  if (leak.origin.last_fault != 0) {
    FormatFault(leak.origin.last_fault, &names[2]);
    line.Str("last_fault", names[2].text);
  } else {
    line.Null("last_fault");
  }
  const char* text = line.Finish();
  g_writer.Append(text, line.size());
}

std::string DescribeLeak(const Leak& leak) {
  NameBuffer names[3];
  std::string text =
      absl::StrCat(kMessagePrefix, "  fd ", leak.fd, " ",
                   FormatDomain(leak.origin.domain, &names[0]), " ",
                   FormatSocketType(leak.origin.type, &names[1]));
  if (leak.has_local) absl::StrAppend(&text, " ", leak.local.text);
  if (leak.has_peer) absl::StrAppend(&text, " <-> ", leak.peer.text);
  absl::StrAppend(&text, ", made by ", TraceKindName(leak.origin.kind), "#",
                  leak.origin.occurrence, " (",
                  FunctionName(leak.origin.function), ")");
  if (leak.origin.pid != g_pid) {
    absl::StrAppend(&text, " in parent process ", leak.origin.pid);
  }
  if (leak.origin.last_fault != 0) {
    FormatFault(leak.origin.last_fault, &names[2]);
    absl::StrAppend(&text, ", after fault ", names[2].text);
  }
  absl::StrAppend(&text, "\n");
  return text;
}

void Shutdown() {
  int expected = kReady;
  if (!g_phase.compare_exchange_strong(expected, kFinished)) return;
  const int saved = errno;
  // Stop floods and close actor sockets first.
  delete g_actor_host.exchange(nullptr);
  if (!g_fds.ever_tracked()) {
    errno = saved;
    return;  // never made a socket: nothing to say
  }
  std::vector<Leak> leaks;
  g_fds.ForEach([&](int fd) {
    Leak leak;
    if (StillOpen(fd, &leak)) leaks.push_back(leak);
  });
  if (g_config.trace) {
    EnsureStartLine();
    for (const Leak& leak : leaks) WriteLeakLine(leak);
    JsonLine line("end");
    line.Int("pid", g_pid);
    line.Int("calls",
             static_cast<int64_t>(g_seq.load() - g_dropped_calls.load()));
    line.Int("faults", static_cast<int64_t>(g_faults_here.load()));
    line.Int("leaks", static_cast<int64_t>(leaks.size()));
    const char* text = line.Finish();
    g_writer.Append(text, line.size());
    g_writer.Finish();
  }
  if (g_config.leak_report && !leaks.empty()) {
    std::string report =
        absl::StrCat(kMessagePrefix, leaks.size(),
                     leaks.size() == 1 ? " socket" : " sockets",
                     " still open at exit (pid ", g_pid, "):\n");
    for (const Leak& leak : leaks) report += DescribeLeak(leak);
    WriteStderr(report.c_str());
  }
  errno = saved;
}

__attribute__((constructor)) void Initialize() {
  const int saved = errno;
  ResolveNextCalls();
  g_pid = getpid();
  Configure();
  pthread_atfork(nullptr, nullptr, AfterForkInChild);
  g_phase.store(kReady, std::memory_order_release);
  errno = saved;
}

__attribute__((destructor)) void Terminate() { Shutdown(); }

}  // namespace
}  // namespace sockfi::preload

// ---------------------------------------------------------------------------
// The exported functions (exports.lds lists them; everything else is local).

using sockfi::preload::Function;

extern "C" {

int socket(int domain, int type, int protocol) __THROW {
  return sockfi::preload::SocketCall(domain, type, protocol);
}

int socketpair(int domain, int type, int protocol, int fds[2]) __THROW {
  return sockfi::preload::SocketPairCall(domain, type, protocol, fds);
}

int bind(int fd, const sockaddr* address, socklen_t size) __THROW {
  return sockfi::preload::BindCall(fd, address, size);
}

int listen(int fd, int backlog) __THROW {
  return sockfi::preload::ListenCall(fd, backlog);
}

int connect(int fd, const sockaddr* address, socklen_t size) {
  return sockfi::preload::ConnectCall(fd, address, size);
}

int accept(int fd, sockaddr* address, socklen_t* size) {
  return sockfi::preload::AcceptCall(Function::kAccept, fd, address, size, 0);
}

int accept4(int fd, sockaddr* address, socklen_t* size, int flags) {
  return sockfi::preload::AcceptCall(Function::kAccept4, fd, address, size,
                                     flags);
}

int getsockname(int fd, sockaddr* address, socklen_t* size) __THROW {
  return sockfi::preload::NameCall(false, fd, address, size);
}

int getpeername(int fd, sockaddr* address, socklen_t* size) __THROW {
  return sockfi::preload::NameCall(true, fd, address, size);
}

int close(int fd) { return sockfi::preload::CloseCall(fd); }

int poll(pollfd* fds, nfds_t count, int timeout_ms) {
  return sockfi::preload::PollCall(Function::kPoll, fds, count, timeout_ms);
}

int __poll_chk(pollfd* fds, nfds_t count, int timeout_ms, size_t fds_size) {
  if (fds_size / sizeof(*fds) < count) __chk_fail();
  return sockfi::preload::PollCall(Function::kPollChk, fds, count, timeout_ms);
}

int fcntl(int fd, int command, ...) {
  va_list arguments;
  va_start(arguments, command);
  const unsigned long argument = va_arg(arguments, unsigned long);
  va_end(arguments);
  return sockfi::preload::FcntlCall(Function::kFcntl, fd, command, argument);
}

int fcntl64(int fd, int command, ...) {
  va_list arguments;
  va_start(arguments, command);
  const unsigned long argument = va_arg(arguments, unsigned long);
  va_end(arguments);
  return sockfi::preload::FcntlCall(Function::kFcntl64, fd, command, argument);
}

int setsockopt(int fd, int level, int name, const void* value,
               socklen_t size) __THROW {
  return sockfi::preload::SockOptCall(true, fd, level, name, value, nullptr,
                                      size, nullptr);
}

int getsockopt(int fd, int level, int name, void* value,
               socklen_t* size) __THROW {
  return sockfi::preload::SockOptCall(false, fd, level, name, nullptr, value, 0,
                                      size);
}

ssize_t send(int fd, const void* data, size_t size, int flags) {
  return sockfi::preload::SendCall(Function::kSend, fd, data, size, flags,
                                   nullptr, 0);
}

ssize_t sendto(int fd, const void* data, size_t size, int flags,
               const sockaddr* to, socklen_t to_size) {
  return sockfi::preload::SendCall(Function::kSendTo, fd, data, size, flags, to,
                                   to_size);
}

ssize_t sendmsg(int fd, const msghdr* message, int flags) {
  return sockfi::preload::SendMsgCall(fd, message, flags);
}

ssize_t write(int fd, const void* data, size_t size) {
  return sockfi::preload::SendCall(Function::kWrite, fd, data, size, 0, nullptr,
                                   0);
}

ssize_t recv(int fd, void* buffer, size_t size, int flags) {
  return sockfi::preload::RecvCall(Function::kRecv, fd, buffer, size, flags,
                                   nullptr, nullptr);
}

ssize_t recvfrom(int fd, void* buffer, size_t size, int flags, sockaddr* from,
                 socklen_t* from_size) {
  return sockfi::preload::RecvCall(Function::kRecvFrom, fd, buffer, size, flags,
                                   from, from_size);
}

ssize_t recvmsg(int fd, msghdr* message, int flags) {
  return sockfi::preload::RecvMsgCall(fd, message, flags);
}

ssize_t read(int fd, void* buffer, size_t size) {
  return sockfi::preload::RecvCall(Function::kRead, fd, buffer, size, 0,
                                   nullptr, nullptr);
}

ssize_t __read_chk(int fd, void* buffer, size_t size, size_t buffer_size) {
  if (size > buffer_size) __chk_fail();
  return sockfi::preload::RecvCall(Function::kReadChk, fd, buffer, size, 0,
                                   nullptr, nullptr);
}

ssize_t __recv_chk(int fd, void* buffer, size_t size, size_t buffer_size,
                   int flags) {
  if (size > buffer_size) __chk_fail();
  return sockfi::preload::RecvCall(Function::kRecvChk, fd, buffer, size, flags,
                                   nullptr, nullptr);
}

ssize_t __recvfrom_chk(int fd, void* buffer, size_t size, size_t buffer_size,
                       int flags, sockaddr* from, socklen_t* from_size) {
  if (size > buffer_size) __chk_fail();
  return sockfi::preload::RecvCall(Function::kRecvFromChk, fd, buffer, size,
                                   flags, from, from_size);
}

int dup(int fd) __THROW {
  return sockfi::preload::DupCall(Function::kDup, fd, -1, 0);
}

int dup2(int fd, int target) __THROW {
  return sockfi::preload::DupCall(Function::kDup2, fd, target, 0);
}

int dup3(int fd, int target, int flags) __THROW {
  return sockfi::preload::DupCall(Function::kDup3, fd, target, flags);
}

}  // extern "C"
