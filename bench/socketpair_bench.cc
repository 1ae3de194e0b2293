// Cost of making and closing one socket pair, on the real kernel:
//   - hardened MakeSocketPair (inet, inet6, unix),
//   - native socketpair(AF_UNIX) called directly,
//   - the classic unverified sequence of kafka-python's vendored socketpair
//     (kafka/vendor/socketpair.py, from backports.socketpair):
//     listen(min(SOMAXCONN, 128)) on 127.0.0.1:0, non-blocking connect with
//     EINPROGRESS ignored, back to blocking, blocking accept, no peer check,
//     close the listener.
// Each pair is closed in one of two orders. With the accepted side first, its
// TIME_WAIT entry keeps the listener's port, and a listener on one fixed
// address slows down as they pile up (LINUX_SEMANTICS.md, "Churn"); those
// benchmarks run a fixed 30,000 pairs, enough to show it, and run last so they
// do not slow the others. The counter tw_before gives the TIME_WAIT sockets
// present when a benchmark started: for numbers that compare, start each from a
// quiet machine (tw_before near 0), e.g. with
// --benchmark_filter and a minute between runs.

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <string>

#include "benchmark/benchmark.h"
#include "src/pair/socket_pair.h"
#include "src/sys/real_syscalls.h"
#include "src/sys/step_error.h"

namespace sockfi {
namespace {

enum CloseOrder { kConnectingFirst = 0, kAcceptedFirst = 1 };

// Returns the classic sequence's pair, or an empty pair on any failure (it does
// no more checking than the code it models).
SocketPair ClassicPair(Syscalls& sys) {
  SocketPair pair;
  UniqueFd listener(sys,
                    sys.Socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0).value());
  if (!sys.Bind(listener.get(), SockAddr::Loopback(AF_INET)).ok()) return pair;
  if (!sys.Listen(listener.get(), std::min(SOMAXCONN, 128)).ok()) return pair;
  SysResult<SockAddr> address = sys.GetSockName(listener.get());
  if (!address.ok()) return pair;
  UniqueFd client(sys,
                  sys.Socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0).value());
  (void)sys.SetNonBlocking(client.get(), true);
  SysStatus connecting = sys.Connect(client.get(), *address);
  if (!connecting.ok() && connecting.error() != EINPROGRESS) return pair;
  (void)sys.SetNonBlocking(client.get(), false);
  SysResult<AcceptedSocket> accepted =
      sys.Accept4(listener.get(), SOCK_CLOEXEC);
  if (!accepted.ok()) return pair;
  pair.fds[0] = std::move(client);
  pair.fds[1] = UniqueFd(sys, accepted->fd);
  return pair;
}

// Returns the number of TCP sockets in TIME_WAIT now (/proc/net/sockstat), or
// -1. The accepted-side-first results depend on it: the kernel keeps at most
// net.ipv4.tcp_max_tw_buckets of them and closes further sockets without
// TIME_WAIT.
int TimeWaitCount() {
  std::ifstream sockstat("/proc/net/sockstat");
  std::string word;
  while (sockstat >> word) {
    if (word == "tw") {
      int count = -1;
      sockstat >> count;
      return count;
    }
  }
  return -1;
}

void ClosePair(SocketPair& pair, CloseOrder order) {
  if (order == kAcceptedFirst) (void)pair.fds[1].Close();
  (void)pair.fds[0].Close();
  (void)pair.fds[1].Close();
}

void SetLabel(benchmark::State& state, CloseOrder order, int failures,
              int time_wait_before) {
  state.SetLabel(order == kAcceptedFirst ? "accepted side closed first"
                                         : "connecting side closed first");
  state.counters["failures"] = failures;
  state.counters["tw_before"] = time_wait_before;
}

void BM_Hardened(benchmark::State& state) {
  RealSyscalls sys;
  PairOptions options;
  options.family = static_cast<int>(state.range(0));
  const auto order = static_cast<CloseOrder>(state.range(1));
  if (state.range(2) >= 0)
    options.peer_check = static_cast<PeerCheck>(state.range(2));
  int failures = 0;
  const int time_wait_before = TimeWaitCount();
  for (auto _ : state) {
    absl::StatusOr<SocketPair> pair = MakeSocketPair(options, sys);
    if (!pair.ok()) {
      ++failures;
      continue;
    }
    ClosePair(*pair, order);
  }
  SetLabel(state, order, failures, time_wait_before);
}

void BM_Classic(benchmark::State& state) {
  RealSyscalls sys;
  const auto order = static_cast<CloseOrder>(state.range(0));
  int failures = 0;
  const int time_wait_before = TimeWaitCount();
  for (auto _ : state) {
    SocketPair pair = ClassicPair(sys);
    if (!pair.fds[1].valid()) {
      ++failures;
      continue;
    }
    ClosePair(pair, order);
  }
  SetLabel(state, order, failures, time_wait_before);
}

void BM_NativeSocketPair(benchmark::State& state) {
  RealSyscalls sys;
  for (auto _ : state) {
    SysResult<std::array<int, 2>> fds = sys.SocketPair(AF_UNIX, SOCK_STREAM, 0);
    if (!fds.ok()) std::abort();
    (void)sys.Close((*fds)[0]);
    (void)sys.Close((*fds)[1]);
  }
}

// Registration order is run order: the accepted-side-first runs go last.
BENCHMARK(BM_NativeSocketPair);
BENCHMARK(BM_Hardened)
    ->ArgNames({"family", "order", "check"})
    ->Args({AF_UNIX, kConnectingFirst, -1});
BENCHMARK(BM_Hardened)->Args({AF_INET, kConnectingFirst, -1});
BENCHMARK(BM_Hardened)->Args({AF_INET, kConnectingFirst, 0});
BENCHMARK(BM_Hardened)->Args({AF_INET, kConnectingFirst, 1});
BENCHMARK(BM_Hardened)->Args({AF_INET6, kConnectingFirst, -1});
BENCHMARK(BM_Classic)->ArgNames({"order"})->Arg(kConnectingFirst);
BENCHMARK(BM_Hardened)->Args({AF_INET, kAcceptedFirst, -1})->Iterations(30000);
BENCHMARK(BM_Classic)->Arg(kAcceptedFirst)->Iterations(30000);

}  // namespace
}  // namespace sockfi

BENCHMARK_MAIN();
