#include "src/sys/sock_addr.h"

#include <arpa/inet.h>

#include <cstring>
#include <new>

#include "gtest/gtest.h"

namespace sockfi {
namespace {

TEST(SockAddrTest, FormatsIpv4AndIpv6) {
  EXPECT_EQ(SockAddr::Ipv4(0x7f000001, 8080).ToString(), "127.0.0.1:8080");
  EXPECT_EQ(SockAddr::Loopback(AF_INET6, 443).ToString(), "[::1]:443");
  EXPECT_EQ(SockAddr().ToString(), "unset");
}

TEST(SockAddrTest, EqualityComparesFamilyAddressAndPort) {
  const SockAddr a = SockAddr::Ipv4(0x7f000001, 1);
  EXPECT_EQ(a, SockAddr::Loopback(AF_INET, 1));
  EXPECT_NE(a, a.WithPort(2));
  EXPECT_NE(a, SockAddr::Ipv4(0x7f000002, 1));
  EXPECT_NE(a, SockAddr::Loopback(AF_INET6, 1));
  EXPECT_EQ(SockAddr(), SockAddr());
}

TEST(SockAddrTest, PortAndFamily) {
  const SockAddr v6 = SockAddr::Loopback(AF_INET6, 65535);
  EXPECT_EQ(v6.family(), AF_INET6);
  EXPECT_EQ(v6.port(), 65535);
  EXPECT_EQ(v6.native_size(), sizeof(sockaddr_in6));
  EXPECT_EQ(v6.WithPort(7).port(), 7);
  EXPECT_EQ(SockAddr::Loopback(AF_UNIX).family(), AF_UNSPEC);
}

TEST(SockAddrTest, LoopbackCoversAllOf127Slash8) {
  EXPECT_TRUE(SockAddr::Ipv4(0x7fabcdef, 0).IsLoopback());
  EXPECT_FALSE(SockAddr::Ipv4(0x0a000001, 0).IsLoopback());
  EXPECT_TRUE(SockAddr::Loopback(AF_INET6).IsLoopback());
  EXPECT_FALSE(SockAddr().IsLoopback());
}

TEST(SockAddrTest, RoundTripsThroughNativeForm) {
  const SockAddr v4 = SockAddr::Ipv4(0x7f010203, 99);
  auto back = SockAddr::FromNative(v4.native(), v4.native_size());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, v4);
}

// The kernel reads every byte of the native form: what an unset SockAddr
// leaves unwritten must be written by Ipv4 and Ipv6, even over dirty memory.
TEST(SockAddrTest, NativeFormHasNoStrayBytes) {
  alignas(SockAddr) unsigned char memory[sizeof(SockAddr)];
  std::memset(memory, 0xab, sizeof(memory));
  const SockAddr* v4 = new (memory) SockAddr(SockAddr::Ipv4(0x7f000001, 80));
  const auto* in = reinterpret_cast<const sockaddr_in*>(v4->native());
  for (unsigned char byte : in->sin_zero) EXPECT_EQ(byte, 0);

  std::memset(memory, 0xab, sizeof(memory));
  const SockAddr* v6 = new (memory) SockAddr(SockAddr::Loopback(AF_INET6, 80));
  const auto* in6 = reinterpret_cast<const sockaddr_in6*>(v6->native());
  EXPECT_EQ(in6->sin6_flowinfo, 0u);
  EXPECT_EQ(in6->sin6_scope_id, 0u);
}

TEST(SockAddrTest, FromNativeRejectsOtherFamiliesAndShortSizes) {
  sockaddr_storage storage{};
  storage.ss_family = AF_UNIX;
  EXPECT_FALSE(SockAddr::FromNative(reinterpret_cast<sockaddr*>(&storage),
                                    sizeof(storage))
                   .ok());
  storage.ss_family = AF_INET6;
  EXPECT_FALSE(SockAddr::FromNative(reinterpret_cast<sockaddr*>(&storage),
                                    sizeof(sockaddr_in))
                   .ok());
  EXPECT_FALSE(SockAddr::FromNative(nullptr, 0).ok());
}

TEST(SockAddrTest, ParsesWhatItPrints) {
  for (const SockAddr& address :
       {SockAddr::Ipv4(0x7f000001, 5), SockAddr::Loopback(AF_INET6, 65535)}) {
    auto parsed = SockAddr::Parse(address.ToString());
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, address);
  }
}

TEST(SockAddrTest, ParseExplainsBadInput) {
  EXPECT_EQ(SockAddr::Parse("127.0.0.1").status().message(),
            "address \"127.0.0.1\" has no \":port\"");
  EXPECT_EQ(
      SockAddr::Parse("127.0.0.1:70000").status().message(),
      "address \"127.0.0.1:70000\": port \"70000\" is not a number from 0 "
      "to 65535");
  EXPECT_EQ(SockAddr::Parse("::1:80").status().message(),
            "address \"::1:80\": expected a.b.c.d:port or [ipv6]:port");
}

}  // namespace
}  // namespace sockfi
