// HostActors: other processes on the same host, as fault plans summon them
// (foreign@listen#1, flood@listen#1, ...).
//
// Backends provide them: RealHostActors (src/fault/real_host_actors.h) uses
// real sockets; the simulated kernel has its own actors.

#ifndef SOCKFI_SRC_FAULT_HOST_ACTORS_H_
#define SOCKFI_SRC_FAULT_HOST_ACTORS_H_

#include "absl/status/status.h"
#include "src/fault/fault_plan.h"
#include "src/sys/sock_addr.h"

namespace sockfi {

class HostActors {
 public:
  virtual ~HostActors() = default;

  // Makes `actor` act now against the listener bound to `listener` (a flood
  // keeps acting from now on). Returns an error saying why when it cannot; the
  // injector notes it in the trace and the run goes on.
  virtual absl::Status Act(ActorKind actor, const SockAddr& listener) = 0;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_FAULT_HOST_ACTORS_H_
