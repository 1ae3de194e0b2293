#include "src/preload/names.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>

namespace sockfi::preload {
namespace {

constexpr const char* kFunctionNames[] = {
    "socket",     "socketpair",     "bind",        "listen",      "connect",
    "accept",     "accept4",        "getsockname", "getpeername", "close",
    "poll",       "__poll_chk",     "fcntl",       "fcntl64",     "setsockopt",
    "getsockopt", "send",           "sendto",      "sendmsg",     "write",
    "recv",       "recvfrom",       "recvmsg",     "read",        "__read_chk",
    "__recv_chk", "__recvfrom_chk", "dup",         "dup2",        "dup3"};

// Appends text to a NameBuffer, cutting it at the buffer's end.
class Appender {
 public:
  explicit Appender(NameBuffer* out) : out_(out) { out_->text[0] = '\0'; }

  Appender& Add(const char* text) {
    while (*text != '\0' && size_ + 1 < sizeof(out_->text)) {
      out_->text[size_++] = *text++;
    }
    out_->text[size_] = '\0';
    return *this;
  }
  Appender& Add(const char* text, size_t size) {
    for (size_t i = 0; i < size && size_ + 1 < sizeof(out_->text); ++i) {
      out_->text[size_++] = text[i];
    }
    out_->text[size_] = '\0';
    return *this;
  }
  Appender& AddInt(int64_t value) {
    char digits[24];
    return Add(digits, FormatInt(value, digits));
  }
  const char* text() const { return out_->text; }

 private:
  NameBuffer* out_;
  size_t size_ = 0;
};

}  // namespace

const char* TraceKindName(TraceKind kind) {
  if (kind == TraceKind::kSetSockOpt) return "setsockopt";
  if (kind == TraceKind::kDup) return "dup";
  // CallName's views point at string literals, which are NUL-terminated.
  return CallName(static_cast<CallKind>(kind)).data();
}

const char* FunctionName(Function function) {
  return kFunctionNames[static_cast<size_t>(function)];
}

size_t FormatInt(int64_t value, char* out) {
  static constexpr char kPairs[] =
      "000102030405060708091011121314151617181920212223242526272829303132333435"
      "36"
      "373839404142434445464748495051525354555657585960616263646566676869707172"
      "73"
      "7475767778798081828384858687888990919293949596979899";
  size_t size = 0;
  uint64_t rest = static_cast<uint64_t>(value);
  if (value < 0) {
    out[size++] = '-';
    rest = 0 - rest;
  }
  char reversed[24];
  size_t count = 0;
  while (rest >= 100) {
    const size_t pair = static_cast<size_t>(rest % 100) * 2;
    rest /= 100;
    reversed[count++] = kPairs[pair + 1];
    reversed[count++] = kPairs[pair];
  }
  if (rest >= 10) {
    const size_t pair = static_cast<size_t>(rest) * 2;
    reversed[count++] = kPairs[pair + 1];
    reversed[count++] = kPairs[pair];
  } else {
    reversed[count++] = static_cast<char>('0' + rest);
  }
  while (count > 0) out[size++] = reversed[--count];
  return size;
}

const char* FormatDomain(int domain, NameBuffer* out) {
  Appender text(out);
  switch (domain) {
    case AF_INET:
      return text.Add("AF_INET").text();
    case AF_INET6:
      return text.Add("AF_INET6").text();
    case AF_UNIX:
      return text.Add("AF_UNIX").text();
    case AF_NETLINK:
      return text.Add("AF_NETLINK").text();
    case AF_PACKET:
      return text.Add("AF_PACKET").text();
    case AF_UNSPEC:
      return text.Add("AF_UNSPEC").text();
    default:
      return text.Add("family ").AddInt(domain).text();
  }
}

const char* FormatSocketType(int type, NameBuffer* out) {
  Appender text(out);
  switch (type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) {
    case SOCK_STREAM:
      text.Add("SOCK_STREAM");
      break;
    case SOCK_DGRAM:
      text.Add("SOCK_DGRAM");
      break;
    case SOCK_SEQPACKET:
      text.Add("SOCK_SEQPACKET");
      break;
    case SOCK_RAW:
      text.Add("SOCK_RAW");
      break;
    default:
      text.Add("type ").AddInt(type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC));
  }
  if ((type & SOCK_NONBLOCK) != 0) text.Add("|SOCK_NONBLOCK");
  if ((type & SOCK_CLOEXEC) != 0) text.Add("|SOCK_CLOEXEC");
  return text.text();
}

const char* FormatFcntlCommand(int command, NameBuffer* out) {
  Appender text(out);
  switch (command) {
    case F_DUPFD:
      return text.Add("F_DUPFD").text();
    case F_DUPFD_CLOEXEC:
      return text.Add("F_DUPFD_CLOEXEC").text();
    case F_GETFD:
      return text.Add("F_GETFD").text();
    case F_SETFD:
      return text.Add("F_SETFD").text();
    case F_GETFL:
      return text.Add("F_GETFL").text();
    case F_SETFL:
      return text.Add("F_SETFL").text();
    case F_GETLK:
      return text.Add("F_GETLK").text();
    case F_SETLK:
      return text.Add("F_SETLK").text();
    case F_SETLKW:
      return text.Add("F_SETLKW").text();
    case F_GETOWN:
      return text.Add("F_GETOWN").text();
    case F_SETOWN:
      return text.Add("F_SETOWN").text();
    default:
      return text.Add("cmd ").AddInt(command).text();
  }
}

const char* FormatAddress(const sockaddr* address, socklen_t size,
                          NameBuffer* out) {
  Appender text(out);
  if (address == nullptr || size < sizeof(sa_family_t)) return text.text();
  sa_family_t family;
  std::memcpy(&family, address, sizeof(family));
  if (family == AF_INET && size >= sizeof(sockaddr_in)) {
    sockaddr_in v4;
    std::memcpy(&v4, address, sizeof(v4));
    const uint32_t host = ntohl(v4.sin_addr.s_addr);
    for (int shift = 24; shift >= 0; shift -= 8) {
      text.AddInt((host >> shift) & 0xff);
      if (shift > 0) text.Add(".");
    }
    return text.Add(":").AddInt(ntohs(v4.sin_port)).text();
  }
  if (family == AF_INET6 && size >= sizeof(sockaddr_in6)) {
    sockaddr_in6 v6;
    std::memcpy(&v6, address, sizeof(v6));
    char host[INET6_ADDRSTRLEN];
    if (inet_ntop(AF_INET6, &v6.sin6_addr, host, sizeof(host)) == nullptr) {
      host[0] = '\0';
    }
    return text.Add("[").Add(host).Add("]:").AddInt(ntohs(v6.sin6_port)).text();
  }
  if (family == AF_UNIX) {
    const size_t path_offset = offsetof(sockaddr_un, sun_path);
    text.Add("unix:");
    if (size <= path_offset) return text.text();
    const char* path = reinterpret_cast<const char*>(address) + path_offset;
    size_t length = size - path_offset;
    if (length > sizeof(sockaddr_un::sun_path)) {
      length = sizeof(sockaddr_un::sun_path);
    }
    if (path[0] == '\0') {  // abstract: the name is every byte after the NUL
      return text.Add("@").Add(path + 1, length - 1).text();
    }
    return text.Add(path, strnlen(path, length)).text();
  }
  return text.Add("family ").AddInt(family).text();
}

}  // namespace sockfi::preload
