// RealHostActors: foreign clients and floods made of real sockets, for fault
// plans run on the real kernel.

#ifndef SOCKFI_SRC_FAULT_REAL_HOST_ACTORS_H_
#define SOCKFI_SRC_FAULT_REAL_HOST_ACTORS_H_

#include <atomic>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "src/fault/host_actors.h"
#include "src/sys/syscalls.h"
#include "src/sys/unique_fd.h"

namespace sockfi {

class RealHostActors final : public HostActors {
 public:
  // Makes actor sockets through `real`, which must outlive this object
  // (normally a RealSyscalls; never the injector, so actors stay out of the
  // routine's trace).
  explicit RealHostActors(Syscalls& real);
  // Stops floods and closes every actor socket.
  ~RealHostActors() override;

  // kForeign, kImpostor and kHangUp return once their connection is established
  // (queued at the listener). kFlood returns once the accept queue is full, and
  // a thread sends fresh SYNs every millisecond until destruction: best effort,
  // since a routine that keeps accepting and closing can drain the queue faster
  // (the simulated kernel's flood keeps it full for good). kHalfOpen needs raw
  // sockets and returns Unimplemented, pointing to the simulated kernel.
  absl::Status Act(ActorKind actor, const SockAddr& listener) override;

  // Returns how many actor sockets are open now.
  int socket_count() const;

 private:
  // Connects one client; returns whether its handshake completed within
  // `wait_ms`.
  // An impostor sends garbage once connected; a hang-up closes at once.
  enum class Then { kStay, kSendGarbage, kHangUp };
  bool Connect(const SockAddr& listener, int wait_ms, Then then);
  void Flood(SockAddr listener);

  Syscalls& real_;
  mutable absl::Mutex mu_;
  std::vector<UniqueFd> sockets_ ABSL_GUARDED_BY(mu_);
  std::vector<std::thread> floods_;
  std::atomic<bool> stop_{false};
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_FAULT_REAL_HOST_ACTORS_H_
