// Behaviour of MakeSocketPair that holds on every backend.

#include "tests/pair/socket_pair_suite.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "src/pair/socket_pair.h"
#include "src/sys/forwarding_syscalls.h"
#include "src/sys/step_error.h"

namespace sockfi::testing {
namespace {

// Counts every call that reaches the backend.
class CallCounter : public ForwardingSyscalls {
 public:
  using ForwardingSyscalls::ForwardingSyscalls;
  int calls = 0;
  SysResult<int> Socket(int d, int t, int p) override {
    ++calls;
    return ForwardingSyscalls::Socket(d, t, p);
  }
  SysResult<std::array<int, 2>> SocketPair(int d, int t, int p) override {
    ++calls;
    return ForwardingSyscalls::SocketPair(d, t, p);
  }
  SysStatus Bind(int fd, const SockAddr& a) override {
    ++calls;
    return ForwardingSyscalls::Bind(fd, a);
  }
  SysResult<int> Poll(absl::Span<pollfd> fds, int timeout_ms) override {
    ++calls;
    return ForwardingSyscalls::Poll(fds, timeout_ms);
  }
  SysStatus GetRandom(absl::Span<uint8_t> buffer) override {
    ++calls;
    return ForwardingSyscalls::GetRandom(buffer);
  }
  absl::Time Now() override {
    ++calls;
    return ForwardingSyscalls::Now();
  }
};

// Fails the Nth call to Socket (1-based) with `error_number`.
class FailingSocket : public ForwardingSyscalls {
 public:
  FailingSocket(Syscalls& inner, int nth, int error_number)
      : ForwardingSyscalls(inner), nth_(nth), error_number_(error_number) {}
  SysResult<int> Socket(int d, int t, int p) override {
    if (++count_ == nth_) return SysError{error_number_};
    return ForwardingSyscalls::Socket(d, t, p);
  }

 private:
  int nth_;
  int error_number_;
  int count_ = 0;
};

std::string Describe(const PairOptions& options) {
  return absl::StrCat("family=", options.family, " type=", options.type);
}

// Sends `text` from `from` and reads it at `to`, waiting with poll.
void ExpectTransfer(Syscalls& sys, int from, int to, const std::string& text) {
  const auto bytes = absl::MakeConstSpan(
      reinterpret_cast<const uint8_t*>(text.data()), text.size());
  SysResult<size_t> sent = sys.Send(from, bytes, MSG_NOSIGNAL);
  ASSERT_TRUE(sent.ok()) << sent.error();
  ASSERT_EQ(*sent, text.size());
  pollfd readable = {to, POLLIN, 0};
  SysResult<int> ready = sys.Poll(absl::MakeSpan(&readable, 1), 5000);
  ASSERT_TRUE(ready.ok());
  ASSERT_EQ(*ready, 1);
  std::vector<uint8_t> buffer(text.size() + 8);
  SysResult<size_t> received = sys.Recv(to, absl::MakeSpan(buffer), 0);
  ASSERT_TRUE(received.ok()) << received.error();
  EXPECT_EQ(std::string(buffer.begin(), buffer.begin() + *received), text);
}

TEST_P(SocketPairSuite, DataFlowsBothWaysAndFlagsAreHonoured) {
  for (int family : {AF_UNIX, AF_INET, AF_INET6}) {
    for (int extra : {0, int{SOCK_NONBLOCK}, int{SOCK_CLOEXEC},
                      SOCK_NONBLOCK | SOCK_CLOEXEC}) {
      PairOptions options;
      options.family = family;
      options.type = SOCK_STREAM | extra;
      SCOPED_TRACE(Describe(options));
      absl::StatusOr<SocketPair> pair = MakeSocketPair(options, syscalls());
      ASSERT_TRUE(pair.ok()) << pair.status();
      const int a = pair->fds[0].get();
      const int b = pair->fds[1].get();
      ExpectTransfer(syscalls(), a, b, "ping");
      ExpectTransfer(syscalls(), b, a, "pong");
      for (int fd : {a, b}) {
        SysResult<FdFlags> flags = syscalls().GetFdFlags(fd);
        ASSERT_TRUE(flags.ok());
        EXPECT_EQ(flags->nonblocking, (extra & SOCK_NONBLOCK) != 0) << fd;
        EXPECT_EQ(flags->cloexec, (extra & SOCK_CLOEXEC) != 0) << fd;
      }
      if (family != AF_UNIX) {
        // The two ends are connected to each other, not to anything else.
        EXPECT_EQ(*syscalls().GetPeerName(b), *syscalls().GetSockName(a));
        EXPECT_EQ(*syscalls().GetPeerName(a), *syscalls().GetSockName(b));
        EXPECT_EQ(syscalls().GetSockName(a)->family(), family);
        EXPECT_TRUE(syscalls().GetSockName(a)->IsLoopback());
      }
    }
  }
}

TEST_P(SocketPairSuite, EveryPeerCheckAndListenAddressMakesAWorkingPair) {
  for (PeerCheck check : {PeerCheck::kAddresses, PeerCheck::kToken,
                          PeerCheck::kAddressesAndToken}) {
    for (ListenAddress where :
         {ListenAddress::kSpread, ListenAddress::kLoopback}) {
      PairOptions options;
      options.peer_check = check;
      options.listen_address = where;
      absl::StatusOr<SocketPair> pair = MakeSocketPair(options, syscalls());
      ASSERT_TRUE(pair.ok()) << pair.status();
      ExpectTransfer(syscalls(), pair->fds[0].get(), pair->fds[1].get(), "x");
      ExpectTransfer(syscalls(), pair->fds[1].get(), pair->fds[0].get(), "y");
      const SockAddr local = *syscalls().GetSockName(pair->fds[1].get());
      if (where == ListenAddress::kLoopback) {
        EXPECT_EQ(local.WithPort(0), SockAddr::Loopback(AF_INET));
      }
    }
  }
}

TEST_P(SocketPairSuite, SpreadListenersUseManyLoopbackAddresses) {
  std::vector<SockAddr> seen;
  for (int i = 0; i < 8; ++i) {
    absl::StatusOr<SocketPair> pair = MakeSocketPair(PairOptions(), syscalls());
    ASSERT_TRUE(pair.ok()) << pair.status();
    const SockAddr address =
        syscalls().GetSockName(pair->fds[1].get())->WithPort(0);
    EXPECT_TRUE(address.IsLoopback());
    if (std::find(seen.begin(), seen.end(), address) == seen.end()) {
      seen.push_back(address);
    }
  }
  // Eight random addresses out of 2^24 - 2: a repeat would be a broken spread.
  EXPECT_GE(seen.size(), 7u);
}

TEST_P(SocketPairSuite, InvalidArgumentsFailBeforeAnySystemCall) {
  struct Case {
    std::string name;
    PairOptions options;
    std::string message;
  };
  std::vector<Case> cases;
  auto add = [&](std::string name, auto mutate, std::string message) {
    PairOptions options;
    mutate(options);
    cases.push_back({std::move(name), options, std::move(message)});
  };
  add(
      "bad family", [](PairOptions& o) { o.family = AF_PACKET; },
      "family 17 is not AF_UNIX, AF_INET or AF_INET6");
  add(
      "datagram", [](PairOptions& o) { o.type = SOCK_DGRAM; },
      "type 0x2 is not SOCK_STREAM, optionally with SOCK_NONBLOCK and "
      "SOCK_CLOEXEC");
  add(
      "unknown type flag",
      [](PairOptions& o) { o.type = SOCK_STREAM | 0x4000; },
      "type 0x4001 is not SOCK_STREAM, optionally with SOCK_NONBLOCK and "
      "SOCK_CLOEXEC");
  add(
      "protocol", [](PairOptions& o) { o.protocol = IPPROTO_TCP; },
      "protocol 6 is not 0");
  add(
      "zero timeout", [](PairOptions& o) { o.timeout = absl::ZeroDuration(); },
      "timeout 0 is not positive and finite");
  add(
      "negative timeout", [](PairOptions& o) { o.timeout = absl::Seconds(-1); },
      "timeout -1s is not positive and finite");
  add(
      "infinite timeout",
      [](PairOptions& o) { o.timeout = absl::InfiniteDuration(); },
      "timeout inf is not positive and finite");
  add(
      "peer check",
      [](PairOptions& o) { o.peer_check = static_cast<PeerCheck>(9); },
      "peer_check 9 is not a PeerCheck");
  add(
      "listen address",
      [](PairOptions& o) { o.listen_address = static_cast<ListenAddress>(-1); },
      "listen_address -1 is not a ListenAddress");
  add(
      "unix with bad type",
      [](PairOptions& o) {
        o.family = AF_UNIX;
        o.type = SOCK_SEQPACKET;
      },
      "type 0x5 is not SOCK_STREAM, optionally with SOCK_NONBLOCK and "
      "SOCK_CLOEXEC");

  const int fds_before = CountOpenFds();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    CallCounter counter(syscalls());
    absl::StatusOr<SocketPair> pair = MakeSocketPair(c.options, counter);
    EXPECT_EQ(pair.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(pair.status().message(), c.message);
    EXPECT_EQ(counter.calls, 0);
    EXPECT_EQ(ValidatePairOptions(c.options), pair.status());
  }
  EXPECT_EQ(CountOpenFds(), fds_before);
}

TEST_P(SocketPairSuite, ThousandCyclesLeaveTheFdCountUnchanged) {
  const int before = CountOpenFds();
  for (int i = 0; i < 1000; ++i) {
    PairOptions options;
    options.family = (i % 3 == 0) ? AF_UNIX : (i % 3 == 1 ? AF_INET : AF_INET6);
    absl::StatusOr<SocketPair> pair = MakeSocketPair(options, syscalls());
    ASSERT_TRUE(pair.ok()) << i << ": " << pair.status();
    if (i % 2 == 0) {
      ASSERT_TRUE(pair->fds[1].Close().ok());
    }
    EXPECT_EQ(CountOpenFds(), before + (i % 2 == 0 ? 1 : 2));
  }
  EXPECT_EQ(CountOpenFds(), before);
}

TEST_P(SocketPairSuite, SocketFailureAtEachSocketStepIsReportedWithNoLeak) {
  const int before = CountOpenFds();
  for (int nth : {1, 2}) {
    FailingSocket failing(syscalls(), nth, EMFILE);
    absl::StatusOr<SocketPair> pair = MakeSocketPair(PairOptions(), failing);
    EXPECT_EQ(pair.status().code(), absl::StatusCode::kResourceExhausted);
    EXPECT_EQ(GetStepError(pair.status()), (StepError{"socket", EMFILE}))
        << nth;
    EXPECT_EQ(CountOpenFds(), before);
  }
}

}  // namespace
}  // namespace sockfi::testing
