// SimKernel: a deterministic simulated loopback TCP kernel behind the Syscalls
// shim.
//
// It models what a socketpair emulation meets on Linux (LINUX_SEMANTICS.md), so
// subjects run unchanged on it and every run is a pure function of (SimConfig,
// call sequence):
//   - an fd table: lowest free fd first, EMFILE at the per-process limit,
//     ENFILE at the system-wide one;
//   - TCP over loopback: every address in 127.0.0.0/8, ::1 and the wildcards;
//     ephemeral ports chosen from the seed; TIME_WAIT holding ports; listen
//     queues with Linux's backlog + 1 semantics; dropped SYNs retransmitted
//     after 1, 2, 4, ... s and ETIMEDOUT after tcp_syn_retries; RST on
//     listener close and on close with unread data; byte streams with a
//     bounded buffer; poll events as tcp_poll reports them;
//   - native AF_UNIX stream socketpairs;
//   - a virtual clock that moves only while the caller is blocked, straight to
//     the next timer;
//   - actors: foreign clients that connect to our listener, and a flood that
//     keeps a listener's accept queue full;
//   - hang detection: a blocking call that nothing scheduled can ever complete
//     returns kHangErrno ("EHANG") at once, records a HangReport, and from
//     then on every call but Close returns kHangErrno too.
//
// Not modelled:
//   - other interfaces: connect to a non-loopback address fails at once with
//     ENETUNREACH, bind to one with EADDRNOTAVAIL;
//   - IPv4-mapped IPv6 addresses, and IPv4 connections accepted by an IPv6
//     wildcard listener (an IPv6 wildcard does take the port on IPv4 too);
//   - datagram, raw and seqpacket sockets: socket and socketpair fail with
//     ESOCKTNOSUPPORT;
//   - AF_UNIX addresses: bind and connect on an AF_UNIX socket fail with
//     EINVAL; getsockname and getpeername give EAFNOSUPPORT, as RealSyscalls
//     does for AF_UNIX;
//   - socket options (no SO_REUSEADDR), privileged ports, signals (EINTR never
//     happens, EPIPE raises no SIGPIPE), send/recv flags other than
//     MSG_DONTWAIT and MSG_PEEK (others are ignored);
//   - buffer autotuning: one fixed socket_buffer_bytes per direction;
//   - SYN cookies and the SYN queue: a half-open client takes no accept-queue
//     slot and is only shown in DumpState;
//   - the FIN handshake's timing: the side that closes first holds its port
//     for time_wait from its close; the side that closes second is gone at
//     once.
// The flood abstracts a client that wins every race for a freed slot: it holds
// every free accept-queue slot with connections that accept never returns.
//
// Not thread-safe: one thread makes every call (the simulated process is
// single-threaded; that is what lets the kernel detect hangs).

#ifndef SOCKFI_SRC_SIM_SIM_KERNEL_H_
#define SOCKFI_SRC_SIM_SIM_KERNEL_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "src/sim/fd_table.h"
#include "src/sim/port_allocator.h"
#include "src/sim/sim_config.h"
#include "src/sim/sim_socket.h"
#include "src/sim/split_mix64.h"
#include "src/sim/virtual_clock.h"
#include "src/sys/syscalls.h"

namespace sockfi {

// Where and when the simulated process hung.
struct HangReport {
  std::string call;  // "accept", "connect", "recv", "send" or "poll"
  int fd = -1;    // the fd it blocked on (poll: the first fd of the set, or -1)
  absl::Time at;  // virtual time when nothing was left to wait for
  std::string dump;  // DumpState() at that moment
};

// What an actor's client socket looks like now, for tests and reports.
struct ActorClientInfo {
  ForeignClientMode mode = ForeignClientMode::kCompletesSilently;
  SockAddr local;     // its address (unset for a half-open client)
  SockAddr listener;  // where it connected
  std::string state;  // "ESTABLISHED", "CLOSE_WAIT", "CLOSED", "HALF_OPEN", ...
  bool closed_by_peer = false;  // our side closed or reset the connection
};

class SimKernel final : public Syscalls {
 public:
  // Returns a kernel for `config`, or InvalidArgument naming the bad field (see
  // ValidateSimConfig).
  static absl::StatusOr<std::unique_ptr<SimKernel>> Create(
      const SimConfig& config);

  // Makes this kernel behave exactly as a new one from Create(config) would,
  // keeping its storage, so a loop of runs stops allocating once warm. Returns
  // InvalidArgument (and changes nothing) for a bad config.
  absl::Status Reset(const SimConfig& config);

  SimKernel(const SimKernel&) = delete;
  SimKernel& operator=(const SimKernel&) = delete;
  ~SimKernel() override;

  SysResult<int> Socket(int domain, int type, int protocol) override;
  SysResult<std::array<int, 2>> SocketPair(int domain, int type,
                                           int protocol) override;
  SysStatus Bind(int fd, const SockAddr& address) override;
  SysStatus Listen(int fd, int backlog) override;
  SysResult<SockAddr> GetSockName(int fd) override;
  SysResult<SockAddr> GetPeerName(int fd) override;
  SysStatus Connect(int fd, const SockAddr& address) override;
  SysResult<AcceptedSocket> Accept4(int fd, int flags) override;
  SysStatus SetNonBlocking(int fd, bool on) override;
  SysResult<FdFlags> GetFdFlags(int fd) override;
  SysResult<int> GetSocketError(int fd) override;
  SysResult<int> Poll(absl::Span<pollfd> fds, int timeout_ms) override;
  SysResult<size_t> Send(int fd, absl::Span<const uint8_t> data,
                         int flags) override;
  SysResult<size_t> Recv(int fd, absl::Span<uint8_t> buffer,
                         int flags) override;
  SysStatus Close(int fd) override;
  SysStatus GetRandom(absl::Span<uint8_t> buffer) override;
  // Returns virtual time (it starts at absl::UnixEpoch()).
  absl::Time Now() override { return clock_.now(); }

  // Makes a foreign client (another local process) connect to `to` now. It
  // needs a listener there to complete; without one it is refused and gives up.
  // Does nothing (and notes why in the trace) when `to` is not a loopback
  // address or no system-wide file is left.
  void ConnectForeignClient(const SockAddr& to, ForeignClientMode mode);
  // Makes a flood keep the accept queue of the listener at `to` full from now
  // on: every free slot is taken by a connection that accept never returns, so
  // other SYNs are dropped (or refused with abort_on_overflow). Ends when the
  // listener closes. Does nothing (noted in the trace) when nobody listens at
  // `to`.
  void StartFlood(const SockAddr& to);
  // Sets the per-process fd limit, like setrlimit(RLIMIT_NOFILE); fds already
  // open stay open. A negative limit counts as 0.
  void SetFdLimit(int limit);

  // Returns the number of our process's open socket fds (not the fds below
  // first_fd, not the actors' sockets).
  int open_fd_count() const { return fds_.socket_count(); }
  // Returns our process's open socket fds, ascending.
  std::vector<int> open_fds() const { return fds_.SocketFds(); }
  // Returns the actors' client sockets, oldest first.
  std::vector<ActorClientInfo> actor_clients() const;

  // Returns the hang, once one happened.
  const std::optional<HangReport>& hang() const { return hang_; }
  // Returns a readable multi-line dump: virtual time, limits, every fd and
  // socket with its state, addresses, queues and buffers, TIME_WAIT entries and
  // timers.
  std::string DumpState() const;
  // Returns the event log (empty unless config.record_trace).
  const std::vector<std::string>& trace() const { return trace_; }
  const SimConfig& config() const { return config_; }

 private:
  // An actor scheduled by the config.
  struct ScheduledActor {
    ActorTrigger trigger;
    int nth;
    bool flood;
    ForeignClientMode mode;
    bool done = false;
  };
  // A foreign client, for actor_clients().
  struct ActorRecord {
    ForeignClientMode mode;
    TimerTarget
        socket;  // socket id and generation; id -1 for a half-open client
    Endpoint listener;
  };
  enum class WaitOutcome { kReady, kTimedOut, kHang };

  explicit SimKernel(const SimConfig& config);
  // Schedules the actors config_ asks for.
  void ScheduleActors();

  // Socket slots.
  int NewSocket(SocketKind kind, int family, SocketOwner owner);
  void FreeSocket(int id);
  SimSocket& socket(int id) { return *sockets_[id]; }
  const SimSocket& socket(int id) const { return *sockets_[id]; }
  SimSocket* PeerOf(const SimSocket& s) {
    return s.peer < 0 ? nullptr : sockets_[s.peer].get();
  }
  const SimSocket* PeerOf(const SimSocket& s) const {
    return s.peer < 0 ? nullptr : sockets_[s.peer].get();
  }
  // Looks up our fd: its socket id, or EBADF / ENOTSOCK.
  SysResult<int> SocketOf(int fd) const;
  // Checks the limits for `count` new fds; returns 0 or EMFILE / ENFILE.
  int CheckFdRoom(int count) const;
  int InstallFd(int id, bool cloexec);
  int files_open() const { return fds_.open_count() + actor_files_; }

  // Ports.
  void BindPort(int id, const Endpoint& local, bool from_bind);
  void UnbindPort(int id);
  Endpoint SourceFor(const SimSocket& s, const Endpoint& destination) const;

  // TCP machinery.
  int StartConnect(int id, const Endpoint& destination);
  void DeliverSyn(int id);
  void Established(int client, int server);
  void FailConnect(int id, int error_number);
  void Reset(int id);
  void CloseSocket(int id);
  void CloseListener(int id);
  void CloseConnection(int id);
  int FindListener(const Endpoint& destination) const;
  void FireTimer(const TimerTarget& target);
  void ExpireTimeWait();
  void Disconnect(int id);

  // Waiting.
  WaitOutcome WaitUntil(absl::FunctionRef<bool()> ready,
                        std::optional<absl::Time> deadline);
  SysError Hang(const char* call, int fd);
  int ComputeRevents(absl::Span<pollfd> fds) const;

  // Calls and actors.
  bool hung() const { return hang_.has_value(); }
  // Counts the call, traces it (describe() gives "call(args) = result") and
  // lets scheduled actors act.
  void EndCall(absl::FunctionRef<std::string()> describe);
  // Appends the call's line to the event log (config.record_trace).
  void RecordCall(absl::FunctionRef<std::string()> describe);
  void RunScheduledActors(int just_listened);
  void Note(absl::FunctionRef<std::string()> text);
  std::string Describe(int id) const;

  SimConfig config_;
  VirtualClock clock_;
  FdTable fds_;
  PortAllocator ports_;
  SplitMix64 random_bytes_;
  SplitMix64 random_ports_;
  std::vector<std::unique_ptr<SimSocket>> sockets_;
  std::vector<int> free_slots_;
  // Sockets a Reset set aside, reused before new ones are made.
  std::vector<std::unique_ptr<SimSocket>> spare_sockets_;
  std::vector<TimerTarget>
      time_wait_;  // zombies, oldest (first to expire) first
  size_t time_wait_head_ = 0;
  std::vector<ActorRecord> actors_;
  std::vector<ScheduledActor> scheduled_;
  int actor_files_ = 0;
  uint64_t calls_ = 0;
  int listens_ = 0;
  int last_listener_ = -1;
  uint32_t last_listener_generation_ = 0;
  int just_listened_ = -1;
  std::optional<HangReport> hang_;
  std::vector<std::string> trace_;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_SIM_SIM_KERNEL_H_
