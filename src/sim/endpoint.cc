#include "src/sim/endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace sockfi {

SockAddr Endpoint::ToSockAddr() const {
  if (family == AF_INET) return SockAddr::Ipv4(ip, port);
  if (family == AF_INET6) {
    return SockAddr::Ipv6(ip == 0 ? in6addr_any : in6addr_loopback, port);
  }
  return SockAddr();
}

std::string Endpoint::ToString() const {
  if (family == AF_INET) {
    return absl::StrCat(ip >> 24, ".", (ip >> 16) & 0xff, ".", (ip >> 8) & 0xff,
                        ".", ip & 0xff, ":", port);
  }
  if (family == AF_INET6)
    return absl::StrCat(ip == 0 ? "[::]:" : "[::1]:", port);
  return "none";
}

AddressKind ToEndpoint(const SockAddr& address, Endpoint* endpoint) {
  if (address.family() == AF_INET) {
    sockaddr_in v4;
    std::memcpy(&v4, address.native(), sizeof(v4));
    const uint32_t ip = ntohl(v4.sin_addr.s_addr);
    if (ip != 0 && (ip >> 24) != 127) return AddressKind::kNonLocal;
    *endpoint = Endpoint{AF_INET, ip, address.port()};
    return AddressKind::kLocal;
  }
  if (address.family() == AF_INET6) {
    sockaddr_in6 v6;
    std::memcpy(&v6, address.native(), sizeof(v6));
    if (IN6_IS_ADDR_LOOPBACK(&v6.sin6_addr)) {
      *endpoint = Endpoint{AF_INET6, 1, address.port()};
      return AddressKind::kLocal;
    }
    if (IN6_IS_ADDR_UNSPECIFIED(&v6.sin6_addr)) {
      *endpoint = Endpoint{AF_INET6, 0, address.port()};
      return AddressKind::kLocal;
    }
    return AddressKind::kNonLocal;
  }
  return AddressKind::kUnset;
}

bool AddressesOverlap(const Endpoint& a, const Endpoint& b) {
  if (a.family == b.family) return a.ip == b.ip || a.wildcard() || b.wildcard();
  // An IPv6 wildcard (not IPV6_V6ONLY) also takes the port on every IPv4
  // address.
  return (a.family == AF_INET6 && a.wildcard()) ||
         (b.family == AF_INET6 && b.wildcard());
}

}  // namespace sockfi
