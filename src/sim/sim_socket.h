// SimSocket: one simulated socket (Linux's struct sock plus struct socket's
// state), and the poll(2) events it reports.
//
// SimKernel owns every SimSocket and changes them; this file only names the
// states and computes what poll reports for one, following tcp_poll and
// unix_poll.

#ifndef SOCKFI_SRC_SIM_SIM_SOCKET_H_
#define SOCKFI_SRC_SIM_SIM_SOCKET_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "src/sim/byte_queue.h"
#include "src/sim/endpoint.h"
#include "src/sim/sim_config.h"

namespace sockfi {

enum class SocketKind : uint8_t { kTcp, kUnix };

// The protocol state (sk_state), reduced to what loopback shows.
enum class TcpState : uint8_t {
  kClosed,       // fresh, failed, or reset (TCP_CLOSE)
  kListen,       // listening
  kSynSent,      // connecting: SYN sent (and perhaps dropped), no answer yet
  kEstablished,  // connected; with fin_received this is CLOSE_WAIT
  kTimeWait,     // closed by us first while the peer was open: holds its port
};

// The descriptor-level connection state (struct socket's SS_*), which decides
// what a second connect(2) returns.
enum class ConnectState : uint8_t { kUnconnected, kConnecting, kConnected };

// Who holds a socket.
enum class SocketOwner : uint8_t {
  kFree,     // the slot is unused
  kProcess,  // our process, through an fd
  kQueued,   // a listener's accept queue (not accepted yet)
  kActor,    // a foreign client or another actor
  kZombie,   // closed by us, lingering in TIME_WAIT
};

struct SimSocket {
  uint32_t generation = 0;  // bumped whenever the slot is freed
  SocketKind kind = SocketKind::kTcp;
  SocketOwner owner = SocketOwner::kFree;
  TcpState state = TcpState::kClosed;
  ConnectState connect_state = ConnectState::kUnconnected;
  bool nonblocking = false;     // O_NONBLOCK
  bool bound = false;           // holds local.port in the PortAllocator
  bool port_from_bind = false;  // the port came from bind/listen, not connect
  bool fin_received =
      false;          // the peer closed its side (SOCK_DONE, RCV_SHUTDOWN)
  bool done = false;  // both directions shut (tcp_done, or a unix peer gone)
  int fd = -1;        // our fd, when owner == kProcess
  int error = 0;      // pending socket error (sk_err, SO_ERROR)
  int peer = -1;      // the other end's socket id, while it exists
  Endpoint local;     // family set from creation; port 0 until bound
  Endpoint remote;    // !valid() until connect
  ByteQueue inbox;    // bytes that arrived and were not read yet

  // Listener.
  int backlog = 0;                // after clamping to somaxconn
  std::vector<int> accept_queue;  // socket ids, oldest first
  bool flooded = false;           // a flood holds every free slot
  int half_open = 0;  // SYNs of half-open foreign clients (not queued)

  // Connecting.
  absl::Time syn_started;   // when the first SYN went out
  int retransmissions = 0;  // SYN retransmissions so far

  // Actor.
  ForeignClientMode actor_mode = ForeignClientMode::kCompletesSilently;

  // TIME_WAIT.
  absl::Time time_wait_until;

  // Makes this a fresh socket of generation `generation`, keeping the storage
  // of its queues. A field added above must be reset there too (the reset
  // tests compare reused kernels with new ones).
  void Clear(uint32_t generation);

  // Returns the number of connections the accept queue can hold (backlog + 1).
  size_t queue_capacity() const { return static_cast<size_t>(backlog) + 1; }
  // Returns true when a SYN would find the accept queue full.
  bool queue_full() const {
    return flooded || accept_queue.size() >= queue_capacity();
  }
};

// Returns the events poll reports for `socket` (before masking with the
// requested events), as Linux's tcp_poll or unix_poll would. `peer` is the
// connected end or nullptr; `capacity` is the bytes one direction can hold.
short PollEvents(const SimSocket& socket, const SimSocket* peer,
                 size_t capacity);

// Returns "LISTEN", "SYN_SENT", "ESTABLISHED", "CLOSE_WAIT", "CLOSED",
// "TIME_WAIT".
std::string StateName(const SimSocket& socket);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SIM_SIM_SOCKET_H_
