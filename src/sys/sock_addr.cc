#include "src/sys/sock_addr.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace sockfi {

SockAddr SockAddr::Ipv4(uint32_t host_order_address, uint16_t port) {
  SockAddr result;
  sockaddr_in& v4 = result.storage_.v4;
  v4.sin_family = AF_INET;
  v4.sin_port = htons(port);
  v4.sin_addr.s_addr = htonl(host_order_address);
  std::memset(v4.sin_zero, 0, sizeof(v4.sin_zero));
  result.size_ = sizeof(sockaddr_in);
  return result;
}

SockAddr SockAddr::Ipv6(const in6_addr& address, uint16_t port) {
  SockAddr result;
  sockaddr_in6& v6 = result.storage_.v6;
  v6.sin6_family = AF_INET6;
  v6.sin6_port = htons(port);
  v6.sin6_flowinfo = 0;
  v6.sin6_addr = address;
  v6.sin6_scope_id = 0;
  result.size_ = sizeof(sockaddr_in6);
  return result;
}

SockAddr SockAddr::Loopback(int family, uint16_t port) {
  if (family == AF_INET) return Ipv4(INADDR_LOOPBACK, port);
  if (family == AF_INET6) return Ipv6(in6addr_loopback, port);
  return SockAddr();
}

absl::StatusOr<SockAddr> SockAddr::FromNative(const sockaddr* address,
                                              socklen_t size) {
  if (address == nullptr ||
      size < static_cast<socklen_t>(sizeof(sa_family_t))) {
    return absl::InvalidArgumentError("socket address is too short");
  }
  SockAddr result;
  if (address->sa_family == AF_INET && size >= sizeof(sockaddr_in)) {
    std::memcpy(&result.storage_, address, sizeof(sockaddr_in));
    result.size_ = sizeof(sockaddr_in);
    return result;
  }
  if (address->sa_family == AF_INET6 && size >= sizeof(sockaddr_in6)) {
    std::memcpy(&result.storage_, address, sizeof(sockaddr_in6));
    result.size_ = sizeof(sockaddr_in6);
    return result;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unsupported socket address (family ", address->sa_family,
                   ", ", size, " bytes)"));
}

absl::StatusOr<SockAddr> SockAddr::Parse(absl::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", text, "\" has no \":port\""));
  }
  absl::string_view host = text.substr(0, colon);
  absl::string_view port_text = text.substr(colon + 1);
  uint32_t port = 0;
  if (!absl::SimpleAtoi(port_text, &port) || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", text, "\": port \"", port_text,
                     "\" is not a number from 0 to 65535"));
  }
  const std::string host_string(host);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    const std::string inner(host.substr(1, host.size() - 2));
    in6_addr v6;
    if (inet_pton(AF_INET6, inner.c_str(), &v6) == 1) {
      return Ipv6(v6, static_cast<uint16_t>(port));
    }
  } else {
    in_addr v4;
    if (inet_pton(AF_INET, host_string.c_str(), &v4) == 1) {
      return Ipv4(ntohl(v4.s_addr), static_cast<uint16_t>(port));
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "address \"", text, "\": expected a.b.c.d:port or [ipv6]:port"));
}

uint16_t SockAddr::port() const {
  if (family() == AF_INET) return ntohs(storage_.v4.sin_port);
  if (family() == AF_INET6) return ntohs(storage_.v6.sin6_port);
  return 0;
}

SockAddr SockAddr::WithPort(uint16_t port) const {
  SockAddr result = *this;
  if (family() == AF_INET) {
    result.storage_.v4.sin_port = htons(port);
  } else if (family() == AF_INET6) {
    result.storage_.v6.sin6_port = htons(port);
  }
  return result;
}

bool SockAddr::IsLoopback() const {
  if (family() == AF_INET) {
    return (ntohl(storage_.v4.sin_addr.s_addr) >> 24) == 127;
  }
  if (family() == AF_INET6) {
    return IN6_IS_ADDR_LOOPBACK(&storage_.v6.sin6_addr);
  }
  return false;
}

std::string SockAddr::ToString() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &storage_.v4.sin_addr, buffer, sizeof(buffer));
    return absl::StrCat(buffer, ":", port());
  }
  if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &storage_.v6.sin6_addr, buffer, sizeof(buffer));
    return absl::StrCat("[", buffer, "]:", port());
  }
  return "unset";
}

bool operator==(const SockAddr& a, const SockAddr& b) {
  if (a.family() != b.family()) return false;
  if (a.family() == AF_INET) {
    return a.storage_.v4.sin_addr.s_addr == b.storage_.v4.sin_addr.s_addr &&
           a.storage_.v4.sin_port == b.storage_.v4.sin_port;
  }
  if (a.family() == AF_INET6) {
    const sockaddr_in6& x = a.storage_.v6;
    const sockaddr_in6& y = b.storage_.v6;
    return std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof(in6_addr)) == 0 &&
           x.sin6_port == y.sin6_port && x.sin6_scope_id == y.sin6_scope_id;
  }
  return true;  // both unset
}

}  // namespace sockfi
