// PortAllocator: who holds which local port, and the choice of ephemeral
// ports.
//
// Models Linux's TCP bind table closely enough for loopback:
//   - bind(addr:port) conflicts with every holder of that port whose address
//     overlaps (the same address, or a wildcard; the shim has no
//     SO_REUSEADDR), connections and TIME_WAIT entries included;
//   - bind(addr:0) and listen's autobind search the ephemeral range from a
//     random offset, odd ports first (inet_csk_find_open_port);
//   - connect's autobind searches from a random offset, even ports first
//     (__inet_hash_connect); it may share a port with other connected sockets
//     as long as the 4-tuple differs, but never a port that a bind(2)-made
//     holder (a listener, an accepted connection, their TIME_WAIT) has on an
//     overlapping address.
// Holders are identified by the kernel's socket id; the kernel removes a
// holder when its socket (or TIME_WAIT entry) goes away.

#ifndef SOCKFI_SRC_SIM_PORT_ALLOCATOR_H_
#define SOCKFI_SRC_SIM_PORT_ALLOCATOR_H_

#include <cstdint>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "src/sim/endpoint.h"
#include "src/sim/split_mix64.h"

namespace sockfi {

struct PortHolder {
  int socket = -1;
  Endpoint local;   // its port is the key this holder is filed under
  Endpoint remote;  // !valid() unless connected
  // True for a port taken by bind(2), listen's autobind, or inherited by an
  // accepted connection from its listener; false for connect's autobind.
  bool from_bind = true;
};

class PortAllocator {
 public:
  // Ephemeral ports are [min, max] (min <= max, min >= 1).
  PortAllocator(uint16_t min, uint16_t max) : min_(min), max_(max) {}
  // Frees every port and sets the range, keeping storage.
  void Reset(uint16_t min, uint16_t max) {
    min_ = min;
    max_ = max;
    // Finding the first entry walks the whole table, and a kernel is often
    // reset again before it took any port.
    if (ports_.empty()) return;
    // Erased one by one: clear() frees a table of more than 127 slots, which
    // the next run then grows again from nothing, an allocation at a time.
    for (auto it = ports_.begin(); it != ports_.end();) ports_.erase(it++);
  }

  // Returns true when `local` (with its port) can be bound.
  bool CanBind(const Endpoint& local) const;
  // Returns a free port for bind on `local`'s address, or nullopt when the
  // ephemeral range is exhausted.
  std::optional<uint16_t> PickBindPort(const Endpoint& local,
                                       SplitMix64& random) const;
  // Returns a port for connect's autobind from `local`'s address to `remote`,
  // or nullopt when none is usable.
  std::optional<uint16_t> PickConnectPort(const Endpoint& local,
                                          const Endpoint& remote,
                                          SplitMix64& random) const;

  // Files `holder` under its local port.
  void Add(const PortHolder& holder);
  // Removes socket `socket`'s holder from `port` (no-op if absent).
  void Remove(int socket, uint16_t port);
  // Sets the remote end of socket `socket`'s holder on `port`.
  void SetRemote(int socket, uint16_t port, const Endpoint& remote);

  // Calls `visit(holder)` for each holder of `port`.
  template <typename Visit>
  void ForEachHolder(uint16_t port, Visit visit) const {
    auto it = ports_.find(port);
    if (it == ports_.end()) return;
    for (const PortHolder& holder : it->second) visit(holder);
  }
  // Returns the number of ports with at least one holder.
  size_t ports_in_use() const { return ports_.size(); }

 private:
  using Holders = absl::InlinedVector<PortHolder, 2>;

  bool ConnectCanUse(uint16_t port, const Endpoint& local,
                     const Endpoint& remote) const;
  // Scans the ephemeral range from a random offset, ports of `parity` first,
  // and returns the first port `usable` accepts.
  template <typename Usable>
  std::optional<uint16_t> Scan(uint16_t parity, SplitMix64& random,
                               Usable usable) const;

  uint16_t min_;
  uint16_t max_;
  absl::flat_hash_map<uint16_t, Holders> ports_;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_SIM_PORT_ALLOCATOR_H_
