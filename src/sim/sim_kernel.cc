#include "src/sim/sim_kernel.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/sys/errno_name.h"

namespace sockfi {
namespace {

// Virtual time starts at the epoch on every kernel.
constexpr absl::Time kStart = absl::UnixEpoch();

// Returns the seed of the ephemeral-port stream, apart from getrandom's.
uint64_t PortSeed(uint64_t seed) { return seed ^ 0x6a09e667f3bcc909u; }

constexpr uint32_t kIpv4Loopback = 0x7f000001;  // 127.0.0.1
constexpr uint32_t kIpv6Loopback = 1;           // ::1 as an Endpoint stores it
constexpr int kTypeFlags = SOCK_NONBLOCK | SOCK_CLOEXEC;
constexpr int kSockTypeMask = 0xf;
constexpr int kSockMax = 11;      // SOCK_MAX: types at or above it do not exist
constexpr int kAfMax = 46;        // AF_MAX on Linux 6.x
constexpr int kIpProtoMax = 263;  // IPPROTO_MAX
// What a garbage-sending foreign client sends.
constexpr uint8_t kGarbage[16] = {0xde, 0xad, 0xbe, 0xef, 0x00, 0xff,
                                  0x13, 0x37, 0xde, 0xad, 0xbe, 0xef,
                                  0x00, 0xff, 0x13, 0x37};

uint32_t LoopbackIp(int family) {
  return family == AF_INET6 ? kIpv6Loopback : kIpv4Loopback;
}

std::string ModeName(ForeignClientMode mode) {
  switch (mode) {
    case ForeignClientMode::kCompletesSilently:
      return "completes silently";
    case ForeignClientMode::kSendsGarbage:
      return "sends garbage";
    case ForeignClientMode::kHalfOpen:
      return "half-open";
    case ForeignClientMode::kHangsUp:
      return "hangs up";
  }
  return "?";
}

std::string ErrorText(int error_number) {
  return absl::StrCat("-1 ", ErrnoName(error_number));
}

std::string Show(const SysResult<int>& r) {
  return r.ok() ? absl::StrCat(*r) : ErrorText(r.error());
}
std::string Show(const SysResult<size_t>& r) {
  return r.ok() ? absl::StrCat(*r) : ErrorText(r.error());
}
std::string Show(const SysStatus& r) {
  return r.ok() ? "0" : ErrorText(r.error());
}
std::string Show(const SysResult<SockAddr>& r) {
  return r.ok() ? r->ToString() : ErrorText(r.error());
}
std::string Show(const SysResult<AcceptedSocket>& r) {
  return r.ok() ? absl::StrCat(r->fd, " (peer ", r->peer.ToString(), ")")
                : ErrorText(r.error());
}
std::string Show(const SysResult<std::array<int, 2>>& r) {
  return r.ok() ? absl::StrCat("[", (*r)[0], ", ", (*r)[1], "]")
                : ErrorText(r.error());
}
std::string Show(const SysResult<FdFlags>& r) {
  return r.ok() ? absl::StrCat("{nonblocking=", r->nonblocking,
                               " cloexec=", r->cloexec, "}")
                : ErrorText(r.error());
}

std::string EventsText(short events) {
  std::vector<absl::string_view> names;
  if (events & POLLIN) names.push_back("IN");
  if (events & POLLOUT) names.push_back("OUT");
  if (events & POLLERR) names.push_back("ERR");
  if (events & POLLHUP) names.push_back("HUP");
  if (events & POLLRDHUP) names.push_back("RDHUP");
  if (events & POLLNVAL) names.push_back("NVAL");
  return names.empty() ? "0" : absl::StrJoin(names, "|");
}

std::string PollSetText(absl::Span<const pollfd> fds, bool with_revents) {
  std::vector<std::string> parts;
  parts.reserve(fds.size());
  for (const pollfd& p : fds) {
    parts.push_back(with_revents
                        ? absl::StrCat(p.fd, ":", EventsText(p.revents))
                        : absl::StrCat(p.fd, ":", EventsText(p.events)));
  }
  return absl::StrCat("[", absl::StrJoin(parts, " "), "]");
}

}  // namespace

absl::StatusOr<std::unique_ptr<SimKernel>> SimKernel::Create(
    const SimConfig& config) {
  absl::Status valid = ValidateSimConfig(config);
  if (!valid.ok()) return valid;
  return std::unique_ptr<SimKernel>(new SimKernel(config));
}

SimKernel::SimKernel(const SimConfig& config)
    : config_(config),
      clock_(kStart),
      fds_(config.first_fd, config.fd_limit),
      ports_(config.ephemeral_port_min, config.ephemeral_port_max),
      random_bytes_(config.seed),
      random_ports_(PortSeed(config.seed)) {
  sockets_.reserve(8);
  ScheduleActors();
}

SimKernel::~SimKernel() = default;

absl::Status SimKernel::Reset(const SimConfig& config) {
  absl::Status valid = ValidateSimConfig(config);
  if (!valid.ok()) return valid;
  config_ = config;
  clock_.Reset(kStart);
  fds_.Reset(config.first_fd, config.fd_limit);
  ports_.Reset(config.ephemeral_port_min, config.ephemeral_port_max);
  random_bytes_ = SplitMix64(config.seed);
  random_ports_ = SplitMix64(PortSeed(config.seed));
  // Slots are handed out again in the order a new kernel would create them.
  while (!sockets_.empty()) {
    spare_sockets_.push_back(std::move(sockets_.back()));
    sockets_.pop_back();
  }
  free_slots_.clear();
  time_wait_.clear();
  time_wait_head_ = 0;
  actors_.clear();
  scheduled_.clear();
  actor_files_ = 0;
  calls_ = 0;
  listens_ = 0;
  last_listener_ = -1;
  last_listener_generation_ = 0;
  just_listened_ = -1;
  hang_.reset();
  trace_.clear();
  ScheduleActors();
  return absl::OkStatus();
}

void SimKernel::ScheduleActors() {
  for (const ForeignClientSpec& spec : config_.foreign_clients) {
    scheduled_.push_back(
        ScheduledActor{spec.trigger, spec.nth, false, spec.mode});
  }
  if (config_.flood.has_value()) {
    scheduled_.push_back(ScheduledActor{config_.flood->trigger,
                                        config_.flood->nth, true,
                                        ForeignClientMode::kCompletesSilently});
  }
}

// ---------------------------------------------------------------------------
// Sockets, fds and ports.

int SimKernel::NewSocket(SocketKind kind, int family, SocketOwner owner) {
  int id;
  if (!free_slots_.empty()) {
    id = free_slots_.back();
    free_slots_.pop_back();
    SimSocket& slot = *sockets_[id];
    slot.Clear(slot.generation);
  } else {
    id = static_cast<int>(sockets_.size());
    if (spare_sockets_.empty()) {
      sockets_.push_back(std::make_unique<SimSocket>());
    } else {
      sockets_.push_back(std::move(spare_sockets_.back()));
      spare_sockets_.pop_back();
      sockets_.back()->Clear(0);
    }
  }
  SimSocket& s = socket(id);
  s.kind = kind;
  s.owner = owner;
  s.local = Endpoint{static_cast<uint8_t>(family), 0, 0};
  if (owner == SocketOwner::kActor) ++actor_files_;
  return id;
}

void SimKernel::FreeSocket(int id) {
  SimSocket& s = socket(id);
  if (s.bound) UnbindPort(id);
  if (s.peer >= 0 && socket(s.peer).peer == id) socket(s.peer).peer = -1;
  if (s.owner == SocketOwner::kActor) --actor_files_;
  s.peer = -1;
  s.owner = SocketOwner::kFree;
  ++s.generation;
  free_slots_.push_back(id);
}

SysResult<int> SimKernel::SocketOf(int fd) const {
  const FdTable::Entry* entry = fds_.Find(fd);
  if (entry == nullptr) return SysError{EBADF};
  if (entry->object == FdTable::kNonSocket) return SysError{ENOTSOCK};
  return entry->object;
}

int SimKernel::CheckFdRoom(int count) const {
  const int first = fds_.LowestFree();
  if (first >= fds_.limit()) return EMFILE;
  if (count == 2 && fds_.LowestFree(first) >= fds_.limit()) return EMFILE;
  if (files_open() + count > config_.system_fd_limit) return ENFILE;
  return 0;
}

int SimKernel::InstallFd(int id, bool cloexec) {
  const int fd = fds_.LowestFree();
  fds_.Install(fd, id, cloexec);
  SimSocket& s = socket(id);
  s.fd = fd;
  s.owner = SocketOwner::kProcess;
  return fd;
}

void SimKernel::BindPort(int id, const Endpoint& local, bool from_bind) {
  SimSocket& s = socket(id);
  s.local = local;
  s.bound = true;
  s.port_from_bind = from_bind;
  ports_.Add(PortHolder{id, local, s.remote, from_bind});
}

void SimKernel::UnbindPort(int id) {
  SimSocket& s = socket(id);
  ports_.Remove(id, s.local.port);
  s.bound = false;
}

Endpoint SimKernel::SourceFor(const SimSocket& s,
                              const Endpoint& destination) const {
  Endpoint source = s.local;
  source.family = destination.family;
  if (!s.bound || s.local.wildcard()) {
    // Linux routes all of 127.0.0.0/8 through lo with source 127.0.0.1.
    source.ip = LoopbackIp(destination.family);
  }
  if (!s.bound) source.port = 0;
  return source;
}

void SimKernel::ExpireTimeWait() {
  while (time_wait_head_ < time_wait_.size()) {
    const TimerTarget entry = time_wait_[time_wait_head_];
    SimSocket& s = socket(entry.socket);
    if (s.generation == entry.generation && s.owner == SocketOwner::kZombie) {
      if (s.time_wait_until > clock_.now()) break;
      Note([&] {
        return absl::StrCat("TIME_WAIT over: ", Describe(entry.socket));
      });
      FreeSocket(entry.socket);
    }
    ++time_wait_head_;
  }
  if (time_wait_head_ > 64 && time_wait_head_ * 2 > time_wait_.size()) {
    time_wait_.erase(time_wait_.begin(), time_wait_.begin() + time_wait_head_);
    time_wait_head_ = 0;
  }
}

// ---------------------------------------------------------------------------
// TCP machinery.

int SimKernel::FindListener(const Endpoint& destination) const {
  int wildcard = -1;
  int exact = -1;
  ports_.ForEachHolder(destination.port, [&](const PortHolder& holder) {
    const SimSocket& s = socket(holder.socket);
    if (s.state != TcpState::kListen || s.local.family != destination.family) {
      return;
    }
    if (s.local.ip == destination.ip) exact = holder.socket;
    if (s.local.wildcard()) wildcard = holder.socket;
  });
  return exact >= 0 ? exact : wildcard;
}

int SimKernel::StartConnect(int id, const Endpoint& destination) {
  SimSocket& s = socket(id);
  Endpoint source = SourceFor(s, destination);
  if (s.bound) {
    ports_.Remove(id, s.local.port);
    s.local = source;
    s.remote = destination;
    ports_.Add(PortHolder{id, source, destination, s.port_from_bind});
  } else {
    std::optional<uint16_t> port =
        ports_.PickConnectPort(source, destination, random_ports_);
    if (!port.has_value()) return EADDRNOTAVAIL;
    s.remote = destination;
    BindPort(id, source.WithPort(*port), /*from_bind=*/false);
  }
  s.state = TcpState::kSynSent;
  s.connect_state = ConnectState::kConnecting;
  s.syn_started = clock_.now();
  s.retransmissions = 0;
  DeliverSyn(id);
  return 0;
}

void SimKernel::DeliverSyn(int id) {
  SimSocket& client = socket(id);
  const int listener_id = FindListener(client.remote);
  if (listener_id < 0) {
    Note([&] {
      return absl::StrCat("SYN of ", Describe(id), ": no listener, RST");
    });
    FailConnect(id, ECONNREFUSED);
    return;
  }
  SimSocket& listener = socket(listener_id);
  if (listener.queue_full()) {
    if (config_.abort_on_overflow) {
      Note([&] {
        return absl::StrCat("SYN of ", Describe(id),
                            ": accept queue full, RST (abort_on_overflow)");
      });
      FailConnect(id, ECONNREFUSED);
      return;
    }
    // The retransmission timeout doubles from 1 s, capped at TCP_RTO_MAX (120
    // s): with 6 retries the SYNs leave at 0, 1, 3, 7, 15, 31, 63 s and the
    // connect fails at 127 s.
    const int64_t backoff = int64_t{1} << std::min(client.retransmissions, 7);
    const absl::Time next =
        clock_.now() + absl::Seconds(std::min<int64_t>(backoff, 120));
    clock_.Schedule(next, TimerTarget{id, client.generation});
    Note([&] {
      return absl::StrCat("SYN of ", Describe(id),
                          ": accept queue full, dropped; next at ",
                          absl::FormatDuration(next - kStart));
    });
    return;
  }
  const int server_id =
      NewSocket(SocketKind::kTcp, client.remote.family, SocketOwner::kQueued);
  SimSocket& server = socket(server_id);
  server.state = TcpState::kEstablished;
  server.connect_state = ConnectState::kConnected;
  server.remote = client.local;
  BindPort(server_id, client.remote, /*from_bind=*/true);
  listener.accept_queue.push_back(server_id);
  Established(id, server_id);
  Note([&] {
    return absl::StrCat("connected and queued: ", Describe(server_id));
  });
}

void SimKernel::Established(int client_id, int server_id) {
  SimSocket& client = socket(client_id);
  SimSocket& server = socket(server_id);
  client.state = TcpState::kEstablished;
  client.peer = server_id;
  server.peer = client_id;
  if (client.owner == SocketOwner::kActor &&
      client.actor_mode == ForeignClientMode::kSendsGarbage) {
    const size_t room = config_.socket_buffer_bytes - server.inbox.size();
    server.inbox.Append(
        absl::MakeConstSpan(kGarbage).first(std::min(room, sizeof(kGarbage))));
  }
  if (client.owner == SocketOwner::kActor &&
      client.actor_mode == ForeignClientMode::kHangsUp) {
    Note([&] {
      return absl::StrCat("foreign client hangs up: ", Describe(client_id));
    });
    CloseConnection(client_id);
  }
}

void SimKernel::FailConnect(int id, int error_number) {
  SimSocket& s = socket(id);
  s.error = error_number;
  s.state = TcpState::kClosed;
  s.done = true;
  s.peer = -1;
  if (s.bound && !s.port_from_bind) {
    UnbindPort(id);
    s.local = Endpoint{s.local.family, 0, 0};
  }
  if (s.owner == SocketOwner::kActor) {
    Note([&] {
      return absl::StrCat("foreign client gives up: ", ErrnoName(error_number));
    });
    FreeSocket(id);
  }
}

void SimKernel::Reset(int id) {
  SimSocket& s = socket(id);
  if (s.state == TcpState::kTimeWait) {
    FreeSocket(id);  // RST kills a TIME_WAIT entry (tcp_rfc1337 = 0)
    return;
  }
  if (s.peer >= 0 && socket(s.peer).peer == id) socket(s.peer).peer = -1;
  s.error = s.fin_received ? EPIPE : ECONNRESET;
  s.state = TcpState::kClosed;
  s.done = true;
  s.peer = -1;
  Note([&] { return absl::StrCat("RST received: ", Describe(id)); });
}

void SimKernel::CloseSocket(int id) {
  SimSocket& s = socket(id);
  switch (s.state) {
    case TcpState::kListen:
      CloseListener(id);
      return;
    case TcpState::kEstablished:
      CloseConnection(id);
      return;
    case TcpState::kClosed:
    case TcpState::kSynSent:
    case TcpState::kTimeWait:
      FreeSocket(id);
      return;
  }
}

void SimKernel::CloseListener(int id) {
  SimSocket& listener = socket(id);
  std::vector<int> queue = std::move(listener.accept_queue);
  listener.accept_queue.clear();
  for (int queued : queue) {
    const int client = socket(queued).peer;
    if (client >= 0) Reset(client);
    FreeSocket(queued);
  }
  queue.clear();
  listener.accept_queue = std::move(queue);
  if (listener.flooded) {
    Note([&] { return absl::StrCat("flood ends: ", Describe(id), " closed"); });
  }
  listener.flooded = false;
  listener.state = TcpState::kClosed;
  FreeSocket(id);
}

void SimKernel::CloseConnection(int id) {
  SimSocket& s = socket(id);
  SimSocket* peer = PeerOf(s);
  if (s.kind == SocketKind::kUnix) {
    if (peer != nullptr) {
      peer->done = true;
      peer->fin_received = true;
      if (!s.inbox.empty()) peer->error = ECONNRESET;
    }
    FreeSocket(id);
    return;
  }
  if (peer == nullptr || peer->state != TcpState::kEstablished) {
    FreeSocket(id);  // the peer is gone or lingers in TIME_WAIT on its own
    return;
  }
  if (!s.inbox.empty()) {
    // Unread data: Linux sends RST instead of FIN.
    Reset(s.peer);
    FreeSocket(id);
    return;
  }
  peer->fin_received = true;
  if (s.fin_received || config_.time_wait == absl::ZeroDuration()) {
    FreeSocket(id);  // the peer closed first: no TIME_WAIT on this side
    return;
  }
  // Closed first while the peer is open: keeps its port for time_wait.
  if (s.fd >= 0 && s.owner == SocketOwner::kProcess) s.fd = -1;
  if (s.owner == SocketOwner::kActor) --actor_files_;
  s.owner = SocketOwner::kZombie;
  s.state = TcpState::kTimeWait;
  s.time_wait_until = clock_.now() + config_.time_wait;
  time_wait_.push_back(TimerTarget{id, s.generation});
}

void SimKernel::Disconnect(int id) {
  SimSocket& s = socket(id);
  if (s.state == TcpState::kListen) {
    std::vector<int> queue = std::move(s.accept_queue);
    s.accept_queue.clear();
    for (int queued : queue) {
      const int client = socket(queued).peer;
      if (client >= 0) Reset(client);
      FreeSocket(queued);
    }
    s.flooded = false;
  } else if (s.state == TcpState::kEstablished && s.peer >= 0) {
    Reset(s.peer);
  }
  s.state = TcpState::kClosed;
  s.connect_state = ConnectState::kUnconnected;
  s.peer = -1;
  s.done = false;
  s.fin_received = false;
  s.error = 0;
  s.inbox.Clear();
  s.remote = Endpoint();
  if (s.bound && !s.port_from_bind) {
    UnbindPort(id);
    s.local = Endpoint{s.local.family, 0, 0};
  } else if (s.bound) {
    ports_.SetRemote(id, s.local.port, Endpoint());
  }
}

void SimKernel::FireTimer(const TimerTarget& target) {
  SimSocket& s = socket(target.socket);
  if (s.generation != target.generation || s.state != TcpState::kSynSent) {
    return;
  }
  if (s.retransmissions < config_.syn_retries) {
    ++s.retransmissions;
    Note([&] {
      return absl::StrCat("SYN retransmission ", s.retransmissions, " of ",
                          Describe(target.socket));
    });
    DeliverSyn(target.socket);
    return;
  }
  Note([&] {
    return absl::StrCat("connect timed out: ", Describe(target.socket));
  });
  FailConnect(target.socket, ETIMEDOUT);
}

// ---------------------------------------------------------------------------
// Waiting, hangs, tracing, actors.

SimKernel::WaitOutcome SimKernel::WaitUntil(
    absl::FunctionRef<bool()> ready, std::optional<absl::Time> deadline) {
  auto stale = [this](const TimerTarget& target) {
    const SimSocket& s = socket(target.socket);
    return s.generation != target.generation || s.state != TcpState::kSynSent;
  };
  while (!ready()) {
    clock_.DropStale(stale);
    const std::optional<absl::Time> next = clock_.NextDue();
    if (!next.has_value() || (deadline.has_value() && *next > *deadline)) {
      if (!deadline.has_value()) return WaitOutcome::kHang;
      clock_.AdvanceTo(*deadline);
      ExpireTimeWait();
      return ready() ? WaitOutcome::kReady : WaitOutcome::kTimedOut;
    }
    clock_.AdvanceTo(*next);
    while (std::optional<TimerTarget> due = clock_.PopDue()) FireTimer(*due);
    ExpireTimeWait();
  }
  return WaitOutcome::kReady;
}

SysError SimKernel::Hang(const char* call, int fd) {
  hang_ = HangReport{call, fd, clock_.now(), ""};
  hang_->dump = DumpState();
  Note([&] {
    return absl::StrCat("HANG in ", call, " on fd ", fd,
                        ": nothing scheduled can complete it");
  });
  return SysError{kHangErrno};
}

void SimKernel::Note(absl::FunctionRef<std::string()> text) {
  if (!config_.record_trace) return;
  trace_.push_back(absl::StrCat(
      "  @", absl::FormatDuration(clock_.now() - kStart), " ", text()));
}

void SimKernel::EndCall(absl::FunctionRef<std::string()> describe) {
  ++calls_;
  if (config_.record_trace) RecordCall(describe);
  if (!scheduled_.empty() && !hung()) RunScheduledActors(just_listened_);
  just_listened_ = -1;
}

// Out of line: inlined, its strings gave EndCall, which every call ends with, a
// stack frame of over a kilobyte that gcc's ASan poisons and clears each time.
ABSL_ATTRIBUTE_NOINLINE void SimKernel::RecordCall(
    absl::FunctionRef<std::string()> describe) {
  trace_.push_back(absl::StrCat("#", calls_, " @",
                                absl::FormatDuration(clock_.now() - kStart),
                                " ", describe()));
}

void SimKernel::RunScheduledActors(int just_listened) {
  for (ScheduledActor& actor : scheduled_) {
    if (actor.done) continue;
    int target = -1;
    if (actor.trigger == ActorTrigger::kAfterListen) {
      if (just_listened < 0 || listens_ != actor.nth) continue;
      target = just_listened;
    } else {
      if (calls_ != static_cast<uint64_t>(actor.nth)) continue;
      if (last_listener_ >= 0 &&
          socket(last_listener_).generation == last_listener_generation_ &&
          socket(last_listener_).state == TcpState::kListen) {
        target = last_listener_;
      }
    }
    actor.done = true;
    if (target < 0) {
      Note([&] {
        return std::string("scheduled actor: no listener to act on");
      });
      continue;
    }
    Endpoint to = socket(target).local;
    if (to.wildcard()) to.ip = LoopbackIp(to.family);
    if (actor.flood) {
      StartFlood(to.ToSockAddr());
    } else {
      ConnectForeignClient(to.ToSockAddr(), actor.mode);
    }
  }
}

void SimKernel::ConnectForeignClient(const SockAddr& to,
                                     ForeignClientMode mode) {
  Endpoint destination;
  if (ToEndpoint(to, &destination) != AddressKind::kLocal) {
    Note([&] {
      return absl::StrCat("foreign client: ", to.ToString(),
                          " is not loopback");
    });
    return;
  }
  if (destination.wildcard()) destination.ip = LoopbackIp(destination.family);
  Note([&] {
    return absl::StrCat("foreign client (", ModeName(mode), ") connects to ",
                        destination.ToString());
  });
  if (mode == ForeignClientMode::kHalfOpen) {
    const int listener = FindListener(destination);
    if (listener >= 0) ++socket(listener).half_open;
    actors_.push_back(ActorRecord{mode, TimerTarget{-1, 0}, destination});
    return;
  }
  if (files_open() >= config_.system_fd_limit) {
    Note([] { return std::string("foreign client: no file left (ENFILE)"); });
    return;
  }
  const int id =
      NewSocket(SocketKind::kTcp, destination.family, SocketOwner::kActor);
  socket(id).actor_mode = mode;
  actors_.push_back(
      ActorRecord{mode, TimerTarget{id, socket(id).generation}, destination});
  const int error_number = StartConnect(id, destination);
  if (error_number != 0) {
    Note([&] {
      return absl::StrCat("foreign client: connect ", ErrnoName(error_number));
    });
    FreeSocket(id);
  }
}

void SimKernel::StartFlood(const SockAddr& to) {
  Endpoint destination;
  int listener = -1;
  if (ToEndpoint(to, &destination) == AddressKind::kLocal) {
    if (destination.wildcard()) destination.ip = LoopbackIp(destination.family);
    listener = FindListener(destination);
  }
  if (listener < 0) {
    Note([&] {
      return absl::StrCat("flood: nobody listens at ", to.ToString());
    });
    return;
  }
  socket(listener).flooded = true;
  Note([&] { return absl::StrCat("flood starts: ", Describe(listener)); });
}

void SimKernel::SetFdLimit(int limit) {
  fds_.set_limit(limit);
  Note([&] { return absl::StrCat("fd limit set to ", fds_.limit()); });
}

std::vector<ActorClientInfo> SimKernel::actor_clients() const {
  std::vector<ActorClientInfo> result;
  for (const ActorRecord& record : actors_) {
    ActorClientInfo info;
    info.mode = record.mode;
    info.listener = record.listener.ToSockAddr();
    if (record.socket.socket < 0) {
      info.state = "HALF_OPEN";
    } else {
      const SimSocket& s = socket(record.socket.socket);
      if (s.generation != record.socket.generation) {
        info.state = "GONE";
      } else {
        info.local = s.local.ToSockAddr();
        info.state = StateName(s);
        info.closed_by_peer = s.fin_received || s.done;
      }
    }
    result.push_back(std::move(info));
  }
  return result;
}

std::string SimKernel::Describe(int id) const {
  const SimSocket& s = socket(id);
  std::string text = absl::StrCat("#", id, " ");
  if (s.owner == SocketOwner::kProcess)
    absl::StrAppend(&text, "fd ", s.fd, " ");
  if (s.kind == SocketKind::kUnix) {
    absl::StrAppend(&text, "unix ",
                    s.state == TcpState::kClosed && !s.done
                        ? "unconnected"
                        : (s.done ? "peer closed" : "connected"));
  } else {
    absl::StrAppend(&text, "tcp ", StateName(s), " ", s.local.ToString());
    if (s.remote.valid()) absl::StrAppend(&text, " -> ", s.remote.ToString());
  }
  return text;
}

std::string SimKernel::DumpState() const {
  std::string out =
      absl::StrFormat("SimKernel at %s (virtual), %d calls\n",
                      absl::FormatDuration(clock_.now() - kStart), calls_);
  absl::StrAppend(&out, "  fd limit ", fds_.limit(), "; files open ",
                  files_open(), " of ", config_.system_fd_limit, " (our fds ",
                  fds_.open_count(), ", actors ", actor_files_, ")\n");
  if (hang_.has_value()) {
    absl::StrAppend(&out, "  HUNG in ", hang_->call, " on fd ", hang_->fd,
                    " at ", absl::FormatDuration(hang_->at - kStart), "\n");
  }
  auto socket_line = [&](int id) {
    const SimSocket& s = socket(id);
    std::string line = Describe(id);
    if (s.kind == SocketKind::kTcp && s.state == TcpState::kListen) {
      absl::StrAppend(&line, " backlog ", s.backlog, ", accept queue ",
                      s.flooded ? s.queue_capacity() : s.accept_queue.size(),
                      "/", s.queue_capacity());
      if (s.queue_full()) absl::StrAppend(&line, " FULL");
      if (s.flooded) {
        absl::StrAppend(&line, " (flood holds ",
                        s.queue_capacity() - s.accept_queue.size(), " slots)");
      }
      if (!s.accept_queue.empty()) {
        absl::StrAppend(&line, " [",
                        absl::StrJoin(s.accept_queue, ", ",
                                      [](std::string* o, int q) {
                                        absl::StrAppend(o, "#", q);
                                      }),
                        "]");
      }
      if (s.half_open > 0)
        absl::StrAppend(&line, ", half-open SYNs ", s.half_open);
    }
    if (s.state == TcpState::kSynSent) {
      absl::StrAppend(&line, ", connecting since ",
                      absl::FormatDuration(s.syn_started - kStart),
                      ", SYN retransmissions ", s.retransmissions);
    }
    if (s.peer >= 0) absl::StrAppend(&line, ", peer #", s.peer);
    if (!s.inbox.empty() || s.state == TcpState::kEstablished) {
      absl::StrAppend(&line, ", unread ", s.inbox.size(), " B");
    }
    if (s.error != 0) absl::StrAppend(&line, ", error ", ErrnoName(s.error));
    if (s.nonblocking) absl::StrAppend(&line, ", nonblocking");
    if (s.state == TcpState::kTimeWait) {
      absl::StrAppend(&line, ", until ",
                      absl::FormatDuration(s.time_wait_until - kStart));
    }
    if (s.owner == SocketOwner::kActor) {
      absl::StrAppend(&line, ", foreign client (", ModeName(s.actor_mode), ")");
    }
    return line;
  };
  absl::StrAppend(&out, "fds:\n");
  for (int fd = 0; fd < fds_.size(); ++fd) {
    const FdTable::Entry* entry = fds_.Find(fd);
    if (entry == nullptr) continue;
    if (entry->object == FdTable::kNonSocket) {
      absl::StrAppend(&out, "  fd ", fd, ": not a socket\n");
      continue;
    }
    absl::StrAppend(&out, "  fd ", fd, ": ", socket_line(entry->object),
                    entry->cloexec ? ", cloexec" : "", "\n");
  }
  absl::StrAppend(&out, "other sockets:\n");
  for (size_t id = 0; id < sockets_.size(); ++id) {
    const SimSocket& s = *sockets_[id];
    if (s.owner == SocketOwner::kFree || s.owner == SocketOwner::kProcess) {
      continue;
    }
    const char* owner = s.owner == SocketOwner::kQueued  ? "queued"
                        : s.owner == SocketOwner::kActor ? "actor"
                                                         : "closed";
    absl::StrAppend(&out, "  ", owner, " ", socket_line(static_cast<int>(id)),
                    "\n");
  }
  absl::StrAppend(&out, "timers:\n");
  clock_.ForEach([&](absl::Time when, const TimerTarget& target) {
    const SimSocket& s = socket(target.socket);
    if (s.generation != target.generation || s.state != TcpState::kSynSent) {
      return;
    }
    absl::StrAppend(&out, "  ", absl::FormatDuration(when - kStart), ": ",
                    s.retransmissions < config_.syn_retries
                        ? "SYN retransmission of "
                        : "connect timeout of ",
                    Describe(target.socket), "\n");
  });
  absl::StrAppend(&out, "ports in use: ", ports_.ports_in_use(), "\n");
  return out;
}

// ---------------------------------------------------------------------------
// The system calls.

SysResult<int> SimKernel::Socket(int domain, int type, int protocol) {
  auto make = [&]() -> SysResult<int> {
    if (hung()) return SysError{kHangErrno};
    if ((type & ~kSockTypeMask & ~kTypeFlags) != 0) return SysError{EINVAL};
    if (domain < 0 || domain >= kAfMax) return SysError{EAFNOSUPPORT};
    const int base = type & kSockTypeMask;
    if (base >= kSockMax) return SysError{EINVAL};
    SocketKind kind;
    if (domain == AF_INET || domain == AF_INET6) {
      if (domain == AF_INET6 && !config_.ipv6) return SysError{EAFNOSUPPORT};
      if (protocol < 0 || protocol >= kIpProtoMax) return SysError{EINVAL};
      if (base != SOCK_STREAM) return SysError{ESOCKTNOSUPPORT};
      if (protocol != 0 && protocol != IPPROTO_TCP) {
        return SysError{EPROTONOSUPPORT};
      }
      kind = SocketKind::kTcp;
    } else if (domain == AF_UNIX) {
      if (protocol != 0 && protocol != AF_UNIX)
        return SysError{EPROTONOSUPPORT};
      if (base != SOCK_STREAM) return SysError{ESOCKTNOSUPPORT};
      kind = SocketKind::kUnix;
    } else {
      return SysError{EAFNOSUPPORT};
    }
    if (const int error_number = CheckFdRoom(1); error_number != 0) {
      return SysError{error_number};
    }
    const int id = NewSocket(kind, domain, SocketOwner::kProcess);
    socket(id).nonblocking = (type & SOCK_NONBLOCK) != 0;
    return InstallFd(id, (type & SOCK_CLOEXEC) != 0);
  };
  SysResult<int> result = make();
  EndCall([&] {
    return absl::StrCat("socket(", domain, ", ", type, ", ", protocol,
                        ") = ", Show(result));
  });
  return result;
}

SysResult<std::array<int, 2>> SimKernel::SocketPair(int domain, int type,
                                                    int protocol) {
  auto make = [&]() -> SysResult<std::array<int, 2>> {
    if (hung()) return SysError{kHangErrno};
    if ((type & ~kSockTypeMask & ~kTypeFlags) != 0) return SysError{EINVAL};
    if (domain < 0 || domain >= kAfMax) return SysError{EAFNOSUPPORT};
    const int base = type & kSockTypeMask;
    if (base >= kSockMax) return SysError{EINVAL};
    if (domain == AF_INET || domain == AF_INET6) {
      if (domain == AF_INET6 && !config_.ipv6) return SysError{EAFNOSUPPORT};
      return SysError{EOPNOTSUPP};
    }
    if (domain != AF_UNIX) return SysError{EAFNOSUPPORT};
    if (protocol != 0 && protocol != AF_UNIX) return SysError{EPROTONOSUPPORT};
    if (base != SOCK_STREAM) return SysError{ESOCKTNOSUPPORT};
    if (const int error_number = CheckFdRoom(2); error_number != 0) {
      return SysError{error_number};
    }
    const bool cloexec = (type & SOCK_CLOEXEC) != 0;
    std::array<int, 2> ids;
    std::array<int, 2> fds;
    for (int i = 0; i < 2; ++i) {
      ids[i] = NewSocket(SocketKind::kUnix, AF_UNIX, SocketOwner::kProcess);
      SimSocket& s = socket(ids[i]);
      s.nonblocking = (type & SOCK_NONBLOCK) != 0;
      s.state = TcpState::kEstablished;
      s.connect_state = ConnectState::kConnected;
      fds[i] = InstallFd(ids[i], cloexec);
    }
    socket(ids[0]).peer = ids[1];
    socket(ids[1]).peer = ids[0];
    return fds;
  };
  SysResult<std::array<int, 2>> result = make();
  EndCall([&] {
    return absl::StrCat("socketpair(", domain, ", ", type, ", ", protocol,
                        ") = ", Show(result));
  });
  return result;
}

SysStatus SimKernel::Bind(int fd, const SockAddr& address) {
  auto bind = [&]() -> SysStatus {
    if (hung()) return SysError{kHangErrno};
    SysResult<int> id = SocketOf(fd);
    if (!id.ok()) return SysError{id.error()};
    SimSocket& s = socket(*id);
    if (s.kind == SocketKind::kUnix) return SysError{EINVAL};
    if (address.family() == AF_UNSPEC) return SysError{EINVAL};  // too short
    if (s.local.family == AF_INET && address.family() == AF_INET6) {
      return SysError{EAFNOSUPPORT};
    }
    if (s.local.family == AF_INET6 && address.family() == AF_INET) {
      return SysError{EINVAL};  // shorter than sockaddr_in6
    }
    Endpoint local;
    if (ToEndpoint(address, &local) != AddressKind::kLocal) {
      return SysError{EADDRNOTAVAIL};
    }
    if (s.state != TcpState::kClosed || s.bound) return SysError{EINVAL};
    ExpireTimeWait();
    if (local.port == 0) {
      std::optional<uint16_t> port = ports_.PickBindPort(local, random_ports_);
      if (!port.has_value()) return SysError{EADDRINUSE};
      local.port = *port;
    } else if (!ports_.CanBind(local)) {
      return SysError{EADDRINUSE};
    }
    BindPort(*id, local, /*from_bind=*/true);
    return SysStatus();
  };
  SysStatus result = bind();
  EndCall([&] {
    return absl::StrCat("bind(", fd, ", ", address.ToString(),
                        ") = ", Show(result));
  });
  return result;
}

SysStatus SimKernel::Listen(int fd, int backlog) {
  auto listen = [&]() -> SysStatus {
    if (hung()) return SysError{kHangErrno};
    SysResult<int> id = SocketOf(fd);
    if (!id.ok()) return SysError{id.error()};
    SimSocket& s = socket(*id);
    if (s.kind == SocketKind::kUnix) return SysError{EINVAL};
    if (s.connect_state != ConnectState::kUnconnected ||
        (s.state != TcpState::kClosed && s.state != TcpState::kListen)) {
      return SysError{EINVAL};
    }
    // __sys_listen compares as unsigned: a negative backlog means somaxconn.
    const int clamped = static_cast<unsigned>(backlog) >
                                static_cast<unsigned>(config_.somaxconn)
                            ? config_.somaxconn
                            : backlog;
    if (s.state == TcpState::kListen) {
      s.backlog = clamped;
      return SysStatus();
    }
    if (!s.bound) {
      ExpireTimeWait();
      const Endpoint wildcard{s.local.family, 0, 0};
      std::optional<uint16_t> port =
          ports_.PickBindPort(wildcard, random_ports_);
      if (!port.has_value()) return SysError{EADDRINUSE};
      BindPort(*id, wildcard.WithPort(*port), /*from_bind=*/true);
    }
    s.backlog = clamped;
    s.state = TcpState::kListen;
    ++listens_;
    last_listener_ = *id;
    last_listener_generation_ = s.generation;
    just_listened_ = *id;
    return SysStatus();
  };
  SysStatus result = listen();
  EndCall([&] {
    return absl::StrCat("listen(", fd, ", ", backlog, ") = ", Show(result));
  });
  return result;
}

SysResult<SockAddr> SimKernel::GetSockName(int fd) {
  auto name = [&]() -> SysResult<SockAddr> {
    if (hung()) return SysError{kHangErrno};
    SysResult<int> id = SocketOf(fd);
    if (!id.ok()) return SysError{id.error()};
    const SimSocket& s = socket(*id);
    // RealSyscalls cannot express an AF_UNIX address and reports EAFNOSUPPORT.
    if (s.kind == SocketKind::kUnix) return SysError{EAFNOSUPPORT};
    return s.local.ToSockAddr();
  };
  SysResult<SockAddr> result = name();
  EndCall(
      [&] { return absl::StrCat("getsockname(", fd, ") = ", Show(result)); });
  return result;
}

SysResult<SockAddr> SimKernel::GetPeerName(int fd) {
  auto name = [&]() -> SysResult<SockAddr> {
    if (hung()) return SysError{kHangErrno};
    SysResult<int> id = SocketOf(fd);
    if (!id.ok()) return SysError{id.error()};
    const SimSocket& s = socket(*id);
    if (s.kind == SocketKind::kUnix) {
      if (s.state == TcpState::kClosed && !s.done) return SysError{ENOTCONN};
      return SysError{EAFNOSUPPORT};
    }
    if (s.state != TcpState::kEstablished) return SysError{ENOTCONN};
    return s.remote.ToSockAddr();
  };
  SysResult<SockAddr> result = name();
  EndCall(
      [&] { return absl::StrCat("getpeername(", fd, ") = ", Show(result)); });
  return result;
}

SysStatus SimKernel::Connect(int fd, const SockAddr& address) {
  auto connect = [&]() -> SysStatus {
    if (hung()) return SysError{kHangErrno};
    SysResult<int> id = SocketOf(fd);
    if (!id.ok()) return SysError{id.error()};
    SimSocket& s = socket(*id);
    if (s.kind == SocketKind::kUnix) return SysError{EINVAL};
    if (address.family() == AF_UNSPEC) {
      Disconnect(*id);  // connect(AF_UNSPEC) dissolves the association
      return SysStatus();
    }
    switch (s.connect_state) {
      case ConnectState::kConnected:
        return SysError{EISCONN};
      case ConnectState::kConnecting:
        if (s.state == TcpState::kSynSent) return SysError{EALREADY};
        if (s.state == TcpState::kEstablished) {
          s.connect_state = ConnectState::kConnected;
          return SysStatus();
        } else {
          // The attempt failed: report its error (or ECONNABORTED) once.
          const int error_number = s.error != 0 ? s.error : ECONNABORTED;
          s.error = 0;
          s.connect_state = ConnectState::kUnconnected;
          s.done = false;
          return SysError{error_number};
        }
      case ConnectState::kUnconnected:
        break;
    }
    if (s.state != TcpState::kClosed) return SysError{EISCONN};
    if (s.local.family == AF_INET && address.family() == AF_INET6) {
      return SysError{EAFNOSUPPORT};
    }
    if (s.local.family == AF_INET6 && address.family() == AF_INET) {
      return SysError{EINVAL};
    }
    Endpoint destination;
    if (ToEndpoint(address, &destination) != AddressKind::kLocal) {
      return SysError{ENETUNREACH};  // no interface but lo in the simulation
    }
    if (destination.wildcard()) destination.ip = LoopbackIp(destination.family);
    ExpireTimeWait();
    s.error = 0;
    s.done = false;
    s.fin_received = false;
    if (const int error_number = StartConnect(*id, destination);
        error_number != 0) {
      return SysError{error_number};
    }
    if (s.nonblocking) return SysError{EINPROGRESS};
    const int socket_id = *id;
    const WaitOutcome outcome =
        WaitUntil([&] { return socket(socket_id).state != TcpState::kSynSent; },
                  std::nullopt);
    if (outcome == WaitOutcome::kHang) return Hang("connect", fd);
    if (s.state == TcpState::kEstablished) {
      s.connect_state = ConnectState::kConnected;
      return SysStatus();
    }
    const int error_number = s.error != 0 ? s.error : ECONNABORTED;
    s.error = 0;
    s.done = false;
    s.connect_state = ConnectState::kUnconnected;
    return SysError{error_number};
  };
  SysStatus result = connect();
  EndCall([&] {
    return absl::StrCat("connect(", fd, ", ", address.ToString(),
                        ") = ", Show(result));
  });
  return result;
}

SysResult<AcceptedSocket> SimKernel::Accept4(int fd, int flags) {
  auto accept = [&]() -> SysResult<AcceptedSocket> {
    if (hung()) return SysError{kHangErrno};
    if ((flags & ~kTypeFlags) != 0) return SysError{EINVAL};
    SysResult<int> id = SocketOf(fd);
    if (!id.ok()) return SysError{id.error()};
    // Linux reserves the new fd before it looks at the queue.
    if (const int error_number = CheckFdRoom(1); error_number != 0) {
      return SysError{error_number};
    }
    const int listener_id = *id;
    SimSocket& listener = socket(listener_id);
    if (listener.kind == SocketKind::kUnix ||
        listener.state != TcpState::kListen) {
      return SysError{EINVAL};
    }
    if (listener.accept_queue.empty()) {
      if (listener.nonblocking) return SysError{EAGAIN};
      const WaitOutcome outcome = WaitUntil(
          [&] {
            const SimSocket& l = socket(listener_id);
            return l.state != TcpState::kListen || !l.accept_queue.empty();
          },
          std::nullopt);
      if (outcome == WaitOutcome::kHang) return Hang("accept", fd);
      if (listener.state != TcpState::kListen) return SysError{EINVAL};
    }
    const int queued = listener.accept_queue.front();
    listener.accept_queue.erase(listener.accept_queue.begin());
    SimSocket& s = socket(queued);
    s.nonblocking = (flags & SOCK_NONBLOCK) != 0;
    AcceptedSocket accepted;
    accepted.fd = InstallFd(queued, (flags & SOCK_CLOEXEC) != 0);
    accepted.peer = s.remote.ToSockAddr();
    return accepted;
  };
  SysResult<AcceptedSocket> result = accept();
  EndCall([&] {
    return absl::StrCat("accept4(", fd, ", ", flags, ") = ", Show(result));
  });
  return result;
}

SysStatus SimKernel::SetNonBlocking(int fd, bool on) {
  auto set = [&]() -> SysStatus {
    if (hung()) return SysError{kHangErrno};
    FdTable::Entry* entry = fds_.Find(fd);
    if (entry == nullptr) return SysError{EBADF};
    if (entry->object != FdTable::kNonSocket) {
      socket(entry->object).nonblocking = on;
    }
    return SysStatus();
  };
  SysStatus result = set();
  EndCall([&] {
    return absl::StrCat("set_nonblocking(", fd, ", ", on, ") = ", Show(result));
  });
  return result;
}

SysResult<FdFlags> SimKernel::GetFdFlags(int fd) {
  auto get = [&]() -> SysResult<FdFlags> {
    if (hung()) return SysError{kHangErrno};
    const FdTable::Entry* entry = fds_.Find(fd);
    if (entry == nullptr) return SysError{EBADF};
    FdFlags flags;
    flags.cloexec = entry->cloexec;
    if (entry->object != FdTable::kNonSocket) {
      flags.nonblocking = socket(entry->object).nonblocking;
    }
    return flags;
  };
  SysResult<FdFlags> result = get();
  EndCall(
      [&] { return absl::StrCat("get_fd_flags(", fd, ") = ", Show(result)); });
  return result;
}

SysResult<int> SimKernel::GetSocketError(int fd) {
  auto get = [&]() -> SysResult<int> {
    if (hung()) return SysError{kHangErrno};
    SysResult<int> id = SocketOf(fd);
    if (!id.ok()) return SysError{id.error()};
    SimSocket& s = socket(*id);
    return std::exchange(s.error, 0);
  };
  SysResult<int> result = get();
  EndCall([&] {
    return absl::StrCat("so_error(", fd, ") = ",
                        result.ok() ? ErrnoName(*result) : Show(result));
  });
  return result;
}

int SimKernel::ComputeRevents(absl::Span<pollfd> fds) const {
  int ready = 0;
  for (pollfd& p : fds) {
    p.revents = 0;
    if (p.fd < 0) continue;
    const FdTable::Entry* entry = fds_.Find(p.fd);
    if (entry == nullptr) {
      p.revents = POLLNVAL;
    } else if (entry->object != FdTable::kNonSocket) {
      const SimSocket& s = socket(entry->object);
      const short events =
          PollEvents(s, PeerOf(s), config_.socket_buffer_bytes);
      p.revents = static_cast<short>(events & (p.events | POLLERR | POLLHUP));
    }
    if (p.revents != 0) ++ready;
  }
  return ready;
}

SysResult<int> SimKernel::Poll(absl::Span<pollfd> fds, int timeout_ms) {
  const std::string before =
      config_.record_trace ? PollSetText(fds, false) : std::string();
  auto poll = [&]() -> SysResult<int> {
    if (hung()) return SysError{kHangErrno};
    if (fds.size() > static_cast<size_t>(fds_.limit())) return SysError{EINVAL};
    int ready = ComputeRevents(fds);
    if (ready > 0 || timeout_ms == 0) return ready;
    std::optional<absl::Time> deadline;
    if (timeout_ms > 0)
      deadline = clock_.now() + absl::Milliseconds(timeout_ms);
    const WaitOutcome outcome =
        WaitUntil([&] { return (ready = ComputeRevents(fds)) > 0; }, deadline);
    if (outcome == WaitOutcome::kHang) {
      return Hang("poll", fds.empty() ? -1 : fds.front().fd);
    }
    return ready;
  };
  SysResult<int> result = poll();
  EndCall([&] {
    return absl::StrCat(
        "poll(", before, ", ", timeout_ms, ") = ", Show(result),
        result.ok() ? absl::StrCat(" ", PollSetText(fds, true)) : "");
  });
  return result;
}

SysResult<size_t> SimKernel::Send(int fd, absl::Span<const uint8_t> data,
                                  int flags) {
  auto send = [&]() -> SysResult<size_t> {
    if (hung()) return SysError{kHangErrno};
    SysResult<int> found = SocketOf(fd);
    if (!found.ok()) return SysError{found.error()};
    const int id = *found;
    SimSocket& s = socket(id);
    const bool nonblocking = s.nonblocking || (flags & MSG_DONTWAIT) != 0;
    const size_t capacity = config_.socket_buffer_bytes;
    for (;;) {
      if (s.kind == SocketKind::kUnix) {
        if (s.state != TcpState::kEstablished) return SysError{ENOTCONN};
        if (s.done || s.peer < 0) return SysError{EPIPE};
      } else if (s.state != TcpState::kEstablished) {
        // sk_stream_wait_connect.
        if (s.error != 0) return SysError{std::exchange(s.error, 0)};
        if (s.state != TcpState::kSynSent) return SysError{EPIPE};
        if (nonblocking) return SysError{EAGAIN};
        if (WaitUntil([&] { return s.state != TcpState::kSynSent; },
                      std::nullopt) == WaitOutcome::kHang) {
          return Hang("send", fd);
        }
        continue;
      }
      if (s.error != 0) return SysError{std::exchange(s.error, 0)};
      if (data.empty()) return size_t{0};
      SimSocket* peer = PeerOf(s);
      if (s.kind == SocketKind::kTcp &&
          (peer == nullptr || peer->state != TcpState::kEstablished)) {
        // The peer is closed: the bytes leave, and its RST comes back.
        const size_t taken = std::min(data.size(), capacity);
        if (peer != nullptr && peer->state == TcpState::kTimeWait) {
          FreeSocket(s.peer);
        }
        Reset(id);
        return taken;
      }
      const size_t used = peer->inbox.size();
      if (used < capacity) {
        const size_t taken = std::min(data.size(), capacity - used);
        peer->inbox.Append(data.first(taken));
        return taken;
      }
      if (nonblocking) return SysError{EAGAIN};
      if (WaitUntil(
              [&] {
                return s.state != TcpState::kEstablished || s.done ||
                       s.error != 0 || s.peer < 0 ||
                       socket(s.peer).inbox.size() < capacity;
              },
              std::nullopt) == WaitOutcome::kHang) {
        return Hang("send", fd);
      }
    }
  };
  SysResult<size_t> result = send();
  EndCall([&] {
    return absl::StrCat("send(", fd, ", ", data.size(), " B, ", flags,
                        ") = ", Show(result));
  });
  return result;
}

SysResult<size_t> SimKernel::Recv(int fd, absl::Span<uint8_t> buffer,
                                  int flags) {
  auto recv = [&]() -> SysResult<size_t> {
    if (hung()) return SysError{kHangErrno};
    SysResult<int> found = SocketOf(fd);
    if (!found.ok()) return SysError{found.error()};
    SimSocket& s = socket(*found);
    const bool nonblocking = s.nonblocking || (flags & MSG_DONTWAIT) != 0;
    const bool peek = (flags & MSG_PEEK) != 0;
    const bool unconnected_unix =
        s.kind == SocketKind::kUnix && s.state == TcpState::kClosed && !s.done;
    for (;;) {
      if (s.state == TcpState::kListen) return SysError{ENOTCONN};
      if (unconnected_unix) return SysError{EINVAL};
      if (!s.inbox.empty()) return s.inbox.Read(buffer, peek);
      if (buffer.empty()) return size_t{0};
      if (s.kind == SocketKind::kTcp && s.fin_received) return size_t{0};
      if (s.error != 0) return SysError{std::exchange(s.error, 0)};
      if (s.done || s.fin_received) return size_t{0};
      if (s.state == TcpState::kClosed) return SysError{ENOTCONN};
      if (nonblocking) return SysError{EAGAIN};
      if (WaitUntil(
              [&] {
                return !s.inbox.empty() || s.fin_received || s.error != 0 ||
                       s.done || s.state == TcpState::kClosed;
              },
              std::nullopt) == WaitOutcome::kHang) {
        return Hang("recv", fd);
      }
    }
  };
  SysResult<size_t> result = recv();
  EndCall([&] {
    return absl::StrCat("recv(", fd, ", ", buffer.size(), " B, ", flags,
                        ") = ", Show(result));
  });
  return result;
}

SysStatus SimKernel::Close(int fd) {
  auto close = [&]() -> SysStatus {
    FdTable::Entry* entry = fds_.Find(fd);
    if (entry == nullptr) return SysError{EBADF};
    const int object = entry->object;
    fds_.Release(fd);
    if (object != FdTable::kNonSocket) {
      socket(object).fd = -1;
      CloseSocket(object);
    }
    return SysStatus();
  };
  SysStatus result = close();
  EndCall([&] { return absl::StrCat("close(", fd, ") = ", Show(result)); });
  return result;
}

SysStatus SimKernel::GetRandom(absl::Span<uint8_t> buffer) {
  auto fill = [&]() -> SysStatus {
    if (hung()) return SysError{kHangErrno};
    size_t i = 0;
    while (i < buffer.size()) {
      uint64_t bits = random_bytes_.Next();
      for (int b = 0; b < 8 && i < buffer.size(); ++b, bits >>= 8) {
        buffer[i++] = static_cast<uint8_t>(bits);
      }
    }
    return SysStatus();
  };
  SysStatus result = fill();
  EndCall([&] {
    return absl::StrCat("getrandom(", buffer.size(), " B) = ", Show(result));
  });
  return result;
}

}  // namespace sockfi
