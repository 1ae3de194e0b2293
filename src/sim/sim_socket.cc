#include "src/sim/sim_socket.h"

#include <poll.h>

namespace sockfi {

void SimSocket::Clear(uint32_t new_generation) {
  // Field by field, not `*this = SimSocket()`: under ASan a whole-object copy
  // is a checked memcpy, and slots are cleared on every socket(2).
  generation = new_generation;
  kind = SocketKind::kTcp;
  owner = SocketOwner::kFree;
  state = TcpState::kClosed;
  connect_state = ConnectState::kUnconnected;
  nonblocking = false;
  bound = false;
  port_from_bind = false;
  fin_received = false;
  done = false;
  fd = -1;
  error = 0;
  peer = -1;
  local = Endpoint();
  remote = Endpoint();
  inbox.Clear();
  backlog = 0;
  accept_queue.clear();
  flooded = false;
  half_open = 0;
  syn_started = absl::Time();
  retransmissions = 0;
  actor_mode = ForeignClientMode::kCompletesSilently;
  time_wait_until = absl::Time();
}

namespace {

constexpr short kIn = POLLIN | POLLRDNORM;
constexpr short kOut = POLLOUT | POLLWRNORM;

// Bytes the peer's inbox still takes.
size_t FreeSpace(const SimSocket* peer, size_t capacity) {
  if (peer == nullptr) return capacity;
  const size_t used = peer->inbox.size();
  return used >= capacity ? 0 : capacity - used;
}

short TcpEvents(const SimSocket& socket, const SimSocket* peer,
                size_t capacity) {
  if (socket.state == TcpState::kListen) {
    return socket.accept_queue.empty() ? 0 : kIn;
  }
  short events = 0;
  if (socket.done || socket.state == TcpState::kClosed) events |= POLLHUP;
  if (socket.done || socket.fin_received) events |= kIn | POLLRDHUP;
  if (socket.state != TcpState::kSynSent) {
    if (!socket.inbox.empty()) events |= kIn;
    if (socket.done || socket.state != TcpState::kEstablished ||
        peer == nullptr || peer->state == TcpState::kTimeWait) {
      events |= kOut;
    } else {
      // sk_stream_is_writeable: free space at least half of what is queued.
      const size_t free = FreeSpace(peer, capacity);
      if (free > 0 && free * 2 >= peer->inbox.size()) events |= kOut;
    }
  }
  if (socket.error != 0) events |= POLLERR;
  return events;
}

short UnixEvents(const SimSocket& socket, const SimSocket* peer,
                 size_t capacity) {
  short events = 0;
  if (socket.error != 0) events |= POLLERR;
  if (socket.done) events |= POLLHUP | kIn | POLLRDHUP;
  if (!socket.inbox.empty()) events |= kIn;
  if (socket.state == TcpState::kClosed) events |= POLLHUP;
  // unix_writable: what we have queued at the peer is at most a quarter of the
  // buffer.
  const size_t queued = peer == nullptr ? 0 : peer->inbox.size();
  if (queued * 4 <= capacity) events |= kOut | POLLWRBAND;
  return events;
}

}  // namespace

short PollEvents(const SimSocket& socket, const SimSocket* peer,
                 size_t capacity) {
  return socket.kind == SocketKind::kTcp ? TcpEvents(socket, peer, capacity)
                                         : UnixEvents(socket, peer, capacity);
}

std::string StateName(const SimSocket& socket) {
  switch (socket.state) {
    case TcpState::kClosed:
      return "CLOSED";
    case TcpState::kListen:
      return "LISTEN";
    case TcpState::kSynSent:
      return "SYN_SENT";
    case TcpState::kEstablished:
      return socket.fin_received ? "CLOSE_WAIT" : "ESTABLISHED";
    case TcpState::kTimeWait:
      return "TIME_WAIT";
  }
  return "?";
}

}  // namespace sockfi
