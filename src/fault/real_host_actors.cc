#include "src/fault/real_host_actors.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace sockfi {
namespace {

// A flood holds at most this many sockets, to stay far from fd limits.
constexpr int kMaxFloodSockets = 1024;

}  // namespace

RealHostActors::RealHostActors(Syscalls& real) : real_(real) {}

RealHostActors::~RealHostActors() {
  stop_ = true;
  for (std::thread& flood : floods_) flood.join();
  absl::MutexLock lock(&mu_);
  sockets_.clear();
}

int RealHostActors::socket_count() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(sockets_.size());
}

bool RealHostActors::Connect(const SockAddr& listener, int wait_ms, Then then) {
  SysResult<int> made = real_.Socket(
      listener.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (!made.ok()) return false;
  UniqueFd client(real_, *made);
  SysStatus connecting = real_.Connect(client.get(), listener);
  bool established = connecting.ok();
  if (!established && connecting.error() == EINPROGRESS) {
    pollfd writable = {client.get(), POLLOUT, 0};
    SysResult<int> ready = real_.Poll(absl::MakeSpan(&writable, 1), wait_ms);
    SysResult<int> error = real_.GetSocketError(client.get());
    established = ready.ok() && *ready == 1 && error.ok() && *error == 0 &&
                  (writable.revents & POLLOUT) != 0;
  }
  if (established && then == Then::kSendGarbage) {
    const uint8_t garbage[16] = {0x47, 0x41, 0x52, 0x42, 0x41, 0x47, 0x45};
    (void)real_.Send(client.get(), garbage, MSG_NOSIGNAL);
  }
  if (then == Then::kHangUp) {
    // Closed with nothing unread: a FIN, and the queued connection stays for
    // the routine to accept and read end of stream from.
    (void)client.Close();
    return established;
  }
  absl::MutexLock lock(&mu_);
  sockets_.push_back(std::move(client));
  return established;
}

absl::Status RealHostActors::Act(ActorKind actor, const SockAddr& listener) {
  switch (actor) {
    case ActorKind::kForeign:
    case ActorKind::kImpostor:
    case ActorKind::kHangUp:
      // Loopback connects at once when the queue has room; a full queue drops
      // the SYN, and waiting longer would only eat the routine's deadline.
      if (!Connect(listener, 20,
                   actor == ActorKind::kImpostor ? Then::kSendGarbage
                   : actor == ActorKind::kHangUp ? Then::kHangUp
                                                 : Then::kStay)) {
        return absl::UnavailableError(absl::StrCat(
            "the foreign client could not connect to ", listener.ToString()));
      }
      return absl::OkStatus();
    case ActorKind::kHalfOpen:
      return absl::UnimplementedError(
          "a half-open client needs raw sockets on the real kernel; use the "
          "simulated kernel (--backend=sim)");
    case ActorKind::kFlood: {
      // Fill the queue now (clients connect until one's SYN is dropped), then
      // keep it full from a thread.
      int connected = 0;
      while (connected < kMaxFloodSockets &&
             Connect(listener, 10, Then::kStay)) {
        ++connected;
      }
      floods_.emplace_back(&RealHostActors::Flood, this, listener);
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError("unknown actor");
}

void RealHostActors::Flood(SockAddr listener) {
  // Every millisecond: let go of clients whose connection ended (the routine
  // accepted and closed them) or whose SYN was dropped long ago, then send a
  // fresh SYN. A freed queue slot is taken long before a dropped SYN's first
  // retransmission (1 s).
  struct Client {
    UniqueFd fd;
    absl::Time started;
  };
  std::vector<Client> clients;
  while (!stop_) {
    const absl::Time now = absl::Now();
    std::vector<Client> kept;
    for (Client& client : clients) {
      pollfd state = {client.fd.get(), POLLIN | POLLOUT, 0};
      (void)real_.Poll(absl::MakeSpan(&state, 1), 0);
      const bool ended = (state.revents & (POLLIN | POLLHUP | POLLERR)) != 0;
      const bool stuck = (state.revents & POLLOUT) == 0 &&
                         now - client.started > absl::Milliseconds(100);
      if (!ended && !stuck) kept.push_back(std::move(client));
    }
    clients = std::move(kept);
    if (clients.size() < kMaxFloodSockets) {
      SysResult<int> made = real_.Socket(
          listener.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      if (made.ok()) {
        UniqueFd fd(real_, *made);
        SysStatus connecting = real_.Connect(fd.get(), listener);
        if (connecting.ok() || connecting.error() == EINPROGRESS) {
          clients.push_back({std::move(fd), now});
        }
      }
    }
    absl::SleepFor(absl::Milliseconds(1));
  }
}

}  // namespace sockfi
