#include "src/sim/port_allocator.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <set>

#include "gtest/gtest.h"

namespace sockfi {
namespace {

Endpoint V4(uint32_t ip, uint16_t port) { return Endpoint{AF_INET, ip, port}; }

constexpr uint32_t kLo = 0x7f000001;

TEST(PortAllocatorTest, BindConflictsFollowAddressOverlap) {
  PortAllocator ports(40000, 40009);
  ports.Add(PortHolder{1, V4(kLo, 5000), Endpoint(), true});
  EXPECT_FALSE(ports.CanBind(V4(kLo, 5000)));
  EXPECT_FALSE(ports.CanBind(V4(0, 5000)));  // the wildcard covers it
  EXPECT_TRUE(ports.CanBind(V4(0x7f000002, 5000)));
  EXPECT_TRUE(ports.CanBind(V4(kLo, 5001)));
  EXPECT_FALSE(ports.CanBind(Endpoint{AF_INET6, 0, 5000}));  // dual stack
  EXPECT_TRUE(ports.CanBind(Endpoint{AF_INET6, 1, 5000}));
  ports.Remove(1, 5000);
  EXPECT_TRUE(ports.CanBind(V4(kLo, 5000)));
  EXPECT_EQ(ports.ports_in_use(), 0u);
}

TEST(PortAllocatorTest, BindPrefersOddAndConnectEvenPorts) {
  PortAllocator ports(40000, 40009);
  SplitMix64 random(3);
  for (int i = 0; i < 5; ++i) {
    std::optional<uint16_t> port = ports.PickBindPort(V4(kLo, 0), random);
    ASSERT_TRUE(port.has_value());
    EXPECT_EQ(*port % 2, 1);
    ports.Add(PortHolder{i, V4(kLo, *port), Endpoint(), true});
  }
  // Odd ports are gone: bind takes even ones next.
  EXPECT_EQ(*ports.PickBindPort(V4(kLo, 0), random) % 2, 0);
  std::optional<uint16_t> port =
      ports.PickConnectPort(V4(kLo, 0), V4(kLo, 80), random);
  ASSERT_TRUE(port.has_value());
  EXPECT_EQ(*port % 2, 0);
}

TEST(PortAllocatorTest, ConnectSharesPortsOnlyAcrossDifferentTuples) {
  PortAllocator ports(40000, 40001);
  SplitMix64 random(1);
  const Endpoint to = V4(kLo, 80);
  std::set<uint16_t> used;
  for (int i = 0; i < 2; ++i) {
    std::optional<uint16_t> port =
        ports.PickConnectPort(V4(kLo, 0), to, random);
    ASSERT_TRUE(port.has_value());
    used.insert(*port);
    ports.Add(PortHolder{i, V4(kLo, *port), to, false});
  }
  EXPECT_EQ(used.size(), 2u);
  EXPECT_FALSE(ports.PickConnectPort(V4(kLo, 0), to, random).has_value());
  EXPECT_TRUE(
      ports.PickConnectPort(V4(kLo, 0), V4(kLo, 81), random).has_value());
  // A port held by bind(2) on the same address is never shared.
  PortAllocator bound(40000, 40000);
  bound.Add(PortHolder{9, V4(kLo, 40000), Endpoint(), true});
  EXPECT_FALSE(bound.PickConnectPort(V4(kLo, 0), to, random).has_value());
  // ... but one on another loopback address is.
  PortAllocator elsewhere(40000, 40000);
  elsewhere.Add(PortHolder{9, V4(0x7f000009, 40000), Endpoint(), true});
  EXPECT_TRUE(elsewhere.PickConnectPort(V4(kLo, 0), to, random).has_value());
}

TEST(PortAllocatorTest, ExhaustedRangeGivesNothing) {
  PortAllocator ports(40000, 40000);
  SplitMix64 random(5);
  ports.Add(PortHolder{1, V4(kLo, 40000), Endpoint(), true});
  EXPECT_FALSE(ports.PickBindPort(V4(kLo, 0), random).has_value());
  EXPECT_TRUE(ports.PickBindPort(V4(0x7f000002, 0), random).has_value());
}

}  // namespace
}  // namespace sockfi
