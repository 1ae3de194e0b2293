// Intruder: a thread that connects to every listener it is shown, as another
// local process could (CVE-2024-3219), and keeps its connections open.

#ifndef SOCKFI_SRC_STRESS_INTRUDER_H_
#define SOCKFI_SRC_STRESS_INTRUDER_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "src/fault/host_actors.h"
#include "src/sys/sock_addr.h"
#include "src/sys/syscalls.h"
#include "src/sys/unique_fd.h"

namespace sockfi {

class Intruder {
 public:
  // An established connection of the intruder's, and its own address.
  struct Connection {
    UniqueFd fd;
    SockAddr local;
  };

  // Starts the thread; it makes its sockets through `real` (never an
  // injector), which must outlive this object.
  explicit Intruder(Syscalls& real);
  // Stops the thread and closes every connection still held.
  ~Intruder();
  Intruder(const Intruder&) = delete;
  Intruder& operator=(const Intruder&) = delete;

  // Hands `listener` to the thread, which connects to it at once. With `wait`,
  // returns once that connection is established or has failed (a handshake on
  // loopback takes microseconds; a full queue drops the SYN, and the thread
  // gives up after 20 ms); without, returns at once, and the thread races the
  // caller.
  void Target(const SockAddr& listener, bool wait);
  // Waits until the thread has acted on every listener handed to it, then
  // returns the connections it established since the last call (the caller
  // owns them now).
  std::vector<Connection> TakeConnections();
  // Returns how many connections it tried, how many were established, and how
  // many connected to themselves instead: a target whose listener was closed
  // already leaves its port free, and Linux may pick that very port as the
  // source of a connect to it (TCP simultaneous open). Those are not kept.
  int64_t attempts() const;
  int64_t established() const;
  int64_t self_connected() const;

 private:
  void Run();

  Syscalls& real_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<SockAddr> targets_;         // guarded by mu_
  int64_t done_ = 0;                     // targets acted on; guarded by mu_
  int64_t handed_ = 0;                   // targets handed over; guarded by mu_
  int64_t attempts_ = 0;                 // guarded by mu_
  int64_t established_ = 0;              // guarded by mu_
  int64_t self_connected_ = 0;           // guarded by mu_
  std::vector<Connection> connections_;  // guarded by mu_
  bool stop_ = false;                    // guarded by mu_
  std::thread thread_;
};

// Returns OK when `connection`'s peer ended it (end of stream or a reset)
// within `wait_ms`, what the emulation must do to a foreign connection by
// closing it or the listener it was queued on; else FailedPrecondition saying
// what the connection showed instead (its peer, bytes, nothing).
absl::Status CheckConnectionEnded(Syscalls& real,
                                  const Intruder::Connection& connection,
                                  int wait_ms);

}  // namespace sockfi

#endif  // SOCKFI_SRC_STRESS_INTRUDER_H_
