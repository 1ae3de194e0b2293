// SimConfig: the knobs of the simulated loopback kernel (SimKernel,
// sim_kernel.h).
//
// A plain struct: every field has a Linux-like default (this project's
// machines: kernel 6.x, net.core.somaxconn = 4096, tcp_syn_retries = 6,
// ip_local_port_range 32768-60999, RLIMIT_NOFILE 1024) and says what it models.
// ValidateSimConfig checks one.

#ifndef SOCKFI_SRC_SIM_SIM_CONFIG_H_
#define SOCKFI_SRC_SIM_SIM_CONFIG_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace sockfi {

// What a foreign client (another local process connecting to our listener)
// does.
enum class ForeignClientMode {
  // Completes its handshake and stays silent (never sends, never reads, never
  // closes).
  kCompletesSilently,
  // Completes its handshake and sends 16 bytes of garbage at once.
  kSendsGarbage,
  // Sends a SYN and never completes its handshake. Linux keeps it as a request
  // socket
  // (SYN cookies are on by default), so it takes no accept-queue slot and
  // accept never
  // returns it; it shows in DumpState.
  kHalfOpen,
  // Completes its handshake and closes at once (FIN, nothing sent): the
  // accepted end reads end of stream.
  kHangsUp,
};

// When a scheduled actor acts.
enum class ActorTrigger {
  // Right after the nth successful listen(2) (counting from 1), against that
  // listener.
  kAfterListen,
  // Right after the nth call through the Syscalls interface (counting from 1;
  // Now() is
  // a clock read, not a call), against the listener that started listening most
  // recently and is still listening. With no such listener the actor does
  // nothing (the
  // trace says so).
  kAfterCall,
};

// A foreign client that connects to our listener at a scheduled moment; the
// same as calling SimKernel::ConnectForeignClient then.
struct ForeignClientSpec {
  ActorTrigger trigger = ActorTrigger::kAfterListen;
  int nth = 1;  // must be >= 1
  ForeignClientMode mode = ForeignClientMode::kCompletesSilently;
};

// A flood that keeps a listener's accept queue full from a scheduled moment on;
// the same as calling SimKernel::StartFlood then.
struct FloodSpec {
  ActorTrigger trigger = ActorTrigger::kAfterListen;
  int nth = 1;  // must be >= 1
};

struct SimConfig {
  // Drives GetRandom and the choice of ephemeral ports: all of the kernel's
  // randomness.
  uint64_t seed = 1;
  // The first fd our process can get: fds below it look taken (stdin, stdout,
  // stderr of a real process). They are open non-socket files: socket calls on
  // them fail with ENOTSOCK and Close releases them. Must be >= 0 and <
  // fd_limit.
  int first_fd = 3;
  // Per-process limit (RLIMIT_NOFILE): fds >= fd_limit cannot be created
  // (EMFILE). Must be > 0. SimKernel::SetFdLimit changes it at run time.
  int fd_limit = 1024;
  // System-wide open files (fs.file-max), counting our fds and the actors'
  // sockets (ENFILE when reached). Must be > 0.
  int system_fd_limit = 1 << 20;
  // net.core.somaxconn: listen(2) clamps its backlog to it. Must be > 0.
  int somaxconn = 4096;
  // net.ipv4.tcp_abort_on_overflow: a SYN that finds the accept queue full is
  // answered with RST (the client's connect fails with ECONNREFUSED) instead of
  // being dropped.
  bool abort_on_overflow = false;
  // net.ipv4.tcp_syn_retries: SYN retransmissions before a connect whose SYNs
  // keep being dropped fails with ETIMEDOUT. The wait doubles from 1 s up to
  // 120 s (TCP_RTO_MAX): with 6, the SYNs leave at 0, 1, 3, ... 63 s and the
  // connect fails at 127 s. Must be in [1, 127].
  int syn_retries = 6;
  // net.ipv4.ip_local_port_range, inclusive. Must satisfy 1 <= min <= max.
  uint16_t ephemeral_port_min = 32768;
  uint16_t ephemeral_port_max = 60999;
  // How long the side of a connection that closed first (while its peer was
  // still open) keeps its address and port (TIME_WAIT / FIN_WAIT2). Must be
  // finite and >= 0.
  absl::Duration time_wait = absl::Seconds(60);
  // Bytes that fit in one direction of a connection (sender's and receiver's
  // buffers together): a send takes what fits (a short write) and fails with
  // EAGAIN (or blocks) when nothing fits. Must be in [1, 2^30].
  size_t socket_buffer_bytes = 256 * 1024;
  // Whether IPv6 is available; when false, socket(AF_INET6, ...) fails with
  // EAFNOSUPPORT.
  bool ipv6 = true;
  // Foreign clients that act at scheduled moments.
  std::vector<ForeignClientSpec> foreign_clients;
  // A flood that starts at a scheduled moment.
  std::optional<FloodSpec> flood;
  // Records every call, its result and every kernel event in
  // SimKernel::trace().
  bool record_trace = false;
};

// Returns OK for a usable config, otherwise InvalidArgument whose message names
// the first bad field and its value ("SimConfig.fd_limit must be > 0, got 0").
absl::Status ValidateSimConfig(const SimConfig& config);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SIM_SIM_CONFIG_H_
