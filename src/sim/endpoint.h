// Endpoint: a loopback socket address as the simulated kernel stores it.
//
// The simulator only knows loopback: IPv4 addresses in 127.0.0.0/8 and
// 0.0.0.0, IPv6 ::1 and ::. An Endpoint keeps those in 8 bytes, so comparing
// and hashing them is cheap.

#ifndef SOCKFI_SRC_SIM_ENDPOINT_H_
#define SOCKFI_SRC_SIM_ENDPOINT_H_

#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "src/sys/sock_addr.h"

namespace sockfi {

struct Endpoint {
  constexpr Endpoint() = default;
  constexpr Endpoint(uint8_t family, uint32_t ip, uint16_t port)
      : family(family), port(port), ip(ip) {}

  // In this order the three fit in 8 bytes, which copy as one word (under
  // ASan, anything larger is copied by a checked memcpy).
  uint8_t family = AF_UNSPEC;  // AF_INET, AF_INET6, or AF_UNSPEC (none)
  uint16_t port = 0;
  uint32_t ip = 0;  // IPv4: host order; IPv6: 0 is ::, 1 is ::1

  bool valid() const { return family != AF_UNSPEC; }
  bool wildcard() const { return ip == 0; }
  Endpoint WithPort(uint16_t new_port) const {
    Endpoint copy = *this;
    copy.port = new_port;
    return copy;
  }

  // Returns the SockAddr form (an unset SockAddr when !valid()).
  SockAddr ToSockAddr() const;
  // Returns "127.0.0.1:80", "[::1]:80" or "none".
  std::string ToString() const;

  friend bool operator==(const Endpoint& a, const Endpoint& b) {
    return a.family == b.family && a.ip == b.ip && a.port == b.port;
  }
  friend bool operator!=(const Endpoint& a, const Endpoint& b) {
    return !(a == b);
  }
};
static_assert(sizeof(Endpoint) == 8, "an Endpoint is copied as one word");

// How a SockAddr maps onto what the simulator models.
enum class AddressKind {
  kLocal,     // 127.0.0.0/8, 0.0.0.0, ::1 or ::
  kNonLocal,  // another IPv4 or IPv6 address (not modelled: no other interface)
  kUnset,     // AF_UNSPEC (SockAddr's unset value)
};

// Classifies `address`; for kLocal stores it in `*endpoint`.
AddressKind ToEndpoint(const SockAddr& address, Endpoint* endpoint);

// Returns true when binding `a` excludes binding `b` on the same port (the same
// address, or a wildcard that covers the other; an IPv6 wildcard is dual-stack
// and covers IPv4 too).
bool AddressesOverlap(const Endpoint& a, const Endpoint& b);

}  // namespace sockfi

#endif  // SOCKFI_SRC_SIM_ENDPOINT_H_
