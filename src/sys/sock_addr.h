// SockAddr: an IPv4, IPv6 or unset socket address as a value type.
//
// A SockAddr compares equal to another when family, address and port are equal
// (IPv6 also compares the scope id). It formats as "127.0.0.1:8080" or
// "[::1]:8080".

#ifndef SOCKFI_SRC_SYS_SOCK_ADDR_H_
#define SOCKFI_SRC_SYS_SOCK_ADDR_H_

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace sockfi {

class SockAddr {
 public:
  // Constructs an unset address (family AF_UNSPEC), which formats as "unset".
  // Only the family is written: nothing reads past it while it is unset, and
  // SockAddr is made for every traced call (under ASan, zeroing the rest is a
  // checked memset each time).
  SockAddr() : size_(sizeof(sa_family_t)) {
    storage_.any.sa_family = AF_UNSPEC;
  }

  // Returns the IPv4 address `host_order_address`:`port`.
  static SockAddr Ipv4(uint32_t host_order_address, uint16_t port);
  // Returns the IPv6 address `address`:`port`.
  static SockAddr Ipv6(const in6_addr& address, uint16_t port);
  // Returns 127.0.0.1:`port` for AF_INET and [::1]:`port` for AF_INET6; an
  // unset address for any other family.
  static SockAddr Loopback(int family, uint16_t port = 0);
  // Returns the address held by a native sockaddr, or InvalidArgument when its
  // family is neither AF_INET nor AF_INET6 or `size` is too small for that
  // family.
  static absl::StatusOr<SockAddr> FromNative(const sockaddr* address,
                                             socklen_t size);
  // Parses "a.b.c.d:port" or "[v6]:port"; InvalidArgument says what was wrong.
  static absl::StatusOr<SockAddr> Parse(absl::string_view text);

  // Returns AF_INET, AF_INET6 or AF_UNSPEC.
  int family() const { return storage_.any.sa_family; }
  // Returns the port in host byte order (0 for an unset address).
  uint16_t port() const;
  // Returns a copy with the port replaced.
  SockAddr WithPort(uint16_t port) const;
  // Returns true for an address in 127.0.0.0/8 or ::1.
  bool IsLoopback() const;

  // Returns the native form, for passing to the kernel.
  const sockaddr* native() const { return &storage_.any; }
  socklen_t native_size() const { return size_; }

  // Returns "127.0.0.1:8080", "[::1]:8080" or "unset".
  std::string ToString() const;

  friend bool operator==(const SockAddr& a, const SockAddr& b);
  friend bool operator!=(const SockAddr& a, const SockAddr& b) {
    return !(a == b);
  }
  friend std::ostream& operator<<(std::ostream& os, const SockAddr& address) {
    return os << address.ToString();
  }

 private:
  // Room for the families it holds, not a whole sockaddr_storage: SockAddr is
  // copied into every trace event.
  union Storage {
    sockaddr any;
    sockaddr_in v4;
    sockaddr_in6 v6;
  };
  Storage storage_;
  socklen_t size_;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_SYS_SOCK_ADDR_H_
