#include "src/cli/pair_command.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "src/check/pair_proof.h"
#include "src/cli/pair_flags.h"
#include "src/pair/socket_pair.h"
#include "src/sys/real_syscalls.h"

ABSL_FLAG(int64_t, count, 1, "how many pairs to make, one after another");

namespace sockfi::cli {
namespace {

constexpr int kPairsShown = 10;
constexpr int kErrorsShown = 5;

std::string Describe(Syscalls& sys, const SocketPair& pair) {
  std::string text;
  for (int i = 0; i < 2; ++i) {
    const int fd = pair.fds[i].get();
    SysResult<SockAddr> name = sys.GetSockName(fd);
    SysResult<FdFlags> flags = sys.GetFdFlags(fd);
    absl::StrAppend(&text, i == 0 ? "" : "  <->  ", "fd ", fd, " ",
                    name.ok() ? name->ToString() : "unix", " [",
                    flags.ok() && flags->nonblocking ? "nonblock" : "blocking",
                    flags.ok() && flags->cloexec ? ",cloexec" : "", "]");
  }
  return text;
}

std::string Micros(absl::Duration d) {
  return absl::StrFormat("%.1f us", absl::ToDoubleMicroseconds(d));
}

int RunPair(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::fprintf(stderr, "sockfi pair: unexpected argument \"%s\"\n",
                 args[0].c_str());
    return kExitUsage;
  }
  PairOptions options;
  std::string error = ReadPairOptions(&options);
  if (error.empty() && absl::GetFlag(FLAGS_count) < 1) {
    error = absl::StrCat("--count=", absl::GetFlag(FLAGS_count),
                         ": must be at least 1");
  }
  if (!error.empty()) {
    std::fprintf(stderr, "sockfi pair: %s\n", error.c_str());
    return kExitUsage;
  }
  const int64_t count = absl::GetFlag(FLAGS_count);
  const bool progress = count > kPairsShown && isatty(STDERR_FILENO);
  RealSyscalls sys;
  std::vector<absl::Duration> times;
  times.reserve(count);
  int64_t failures = 0;
  absl::Time last_progress = absl::Now();
  for (int64_t i = 1; i <= count; ++i) {
    const absl::Time start = sys.Now();
    absl::StatusOr<SocketPair> pair = MakeSocketPair(options, sys);
    const absl::Duration took = sys.Now() - start;
    absl::Status outcome = pair.status();
    if (pair.ok()) {
      uint64_t token = 0;
      (void)sys.GetRandom(
          absl::MakeSpan(reinterpret_cast<uint8_t*>(&token), sizeof(token)));
      outcome = ProvePair(sys, pair->fds[0].get(), pair->fds[1].get(), token);
    }
    if (outcome.ok()) {
      times.push_back(took);
      if (i <= kPairsShown) {
        std::printf("pair %lld: %s  proven both ways, made in %s\n",
                    static_cast<long long>(i), Describe(sys, *pair).c_str(),
                    Micros(took).c_str());
      }
    } else if (++failures <= kErrorsShown) {
      std::printf("pair %lld: FAILED: %s\n", static_cast<long long>(i),
                  outcome.ToString().c_str());
    }
    if (progress && absl::Now() - last_progress > absl::Milliseconds(250)) {
      last_progress = absl::Now();
      std::fprintf(stderr, "\r%lld/%lld pairs", static_cast<long long>(i),
                   static_cast<long long>(count));
    }
  }
  if (progress) std::fprintf(stderr, "\r%*s\r", 30, "");
  if (count > 1) {
    std::sort(times.begin(), times.end());
    std::printf("%lld pairs: %lld made and proven, %lld failed",
                static_cast<long long>(count),
                static_cast<long long>(times.size()),
                static_cast<long long>(failures));
    if (!times.empty()) {
      std::printf("; time to make one: min %s, median %s, p99 %s, max %s",
                  Micros(times.front()).c_str(),
                  Micros(times[times.size() / 2]).c_str(),
                  Micros(times[times.size() * 99 / 100]).c_str(),
                  Micros(times.back()).c_str());
    }
    std::printf("\n");
  }
  return failures == 0 ? kExitOk : kExitFailure;
}

}  // namespace

Command PairCommand() {
  return Command{
      "pair",
      "make socket pairs on the real kernel and prove each one",
      "sockfi pair [--family=unix|inet|inet6] [--nonblock] [--cloexec] "
      "[--count=N]",
      "Makes --count socket pairs one after another with the hardened "
      "emulation "
      "(AF_UNIX: socketpair(2)),\n"
      "proves each by sending a random token both ways and comparing peer "
      "addresses, and prints\n"
      "each pair's addresses, flags and the time it took to make (the first 10 "
      "pairs; then a summary).\n"
      "Exit status 1 if any pair failed.",
      WithPairFlags({"count"}),
      &RunPair,
  };
}

}  // namespace sockfi::cli
