#include "src/sim/port_allocator.h"

namespace sockfi {

bool PortAllocator::CanBind(const Endpoint& local) const {
  auto it = ports_.find(local.port);
  if (it == ports_.end()) return true;
  for (const PortHolder& holder : it->second) {
    if (AddressesOverlap(holder.local, local)) return false;
  }
  return true;
}

bool PortAllocator::ConnectCanUse(uint16_t port, const Endpoint& local,
                                  const Endpoint& remote) const {
  auto it = ports_.find(port);
  if (it == ports_.end()) return true;
  for (const PortHolder& holder : it->second) {
    if (holder.from_bind) {
      if (AddressesOverlap(holder.local, local)) return false;
    } else if (holder.local.family == local.family &&
               holder.local.ip == local.ip && holder.remote == remote) {
      return false;  // the same 4-tuple
    }
  }
  return true;
}

template <typename Usable>
std::optional<uint16_t> PortAllocator::Scan(uint16_t parity, SplitMix64& random,
                                            Usable usable) const {
  const uint32_t count = uint32_t{max_} - min_ + 1;
  const uint32_t offset = static_cast<uint32_t>(random.Below(count));
  for (int pass = 0; pass < 2; ++pass) {
    const uint32_t wanted = (parity + pass) & 1;
    for (uint32_t i = 0; i < count; ++i) {
      const uint32_t port = min_ + (offset + i) % count;
      if ((port & 1) != wanted) continue;
      if (usable(static_cast<uint16_t>(port))) {
        return static_cast<uint16_t>(port);
      }
    }
  }
  return std::nullopt;
}

std::optional<uint16_t> PortAllocator::PickBindPort(const Endpoint& local,
                                                    SplitMix64& random) const {
  return Scan(1, random,
              [&](uint16_t port) { return CanBind(local.WithPort(port)); });
}

std::optional<uint16_t> PortAllocator::PickConnectPort(
    const Endpoint& local, const Endpoint& remote, SplitMix64& random) const {
  return Scan(0, random, [&](uint16_t port) {
    return ConnectCanUse(port, local, remote);
  });
}

void PortAllocator::Add(const PortHolder& holder) {
  ports_[holder.local.port].push_back(holder);
}

void PortAllocator::Remove(int socket, uint16_t port) {
  auto it = ports_.find(port);
  if (it == ports_.end()) return;
  Holders& holders = it->second;
  for (size_t i = 0; i < holders.size(); ++i) {
    if (holders[i].socket == socket) {
      holders.erase(holders.begin() + i);
      break;
    }
  }
  if (holders.empty()) ports_.erase(it);
}

void PortAllocator::SetRemote(int socket, uint16_t port,
                              const Endpoint& remote) {
  auto it = ports_.find(port);
  if (it == ports_.end()) return;
  for (PortHolder& holder : it->second) {
    if (holder.socket == socket) holder.remote = remote;
  }
}

}  // namespace sockfi
