#include "src/check/pair_validity.h"

#include <sys/socket.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "src/check/fd_ledger.h"
#include "src/check/pair_proof.h"

namespace sockfi {
namespace {

constexpr uint64_t kProbeToken = 0x736f636b6669ull;  // "sockfi"

}  // namespace

bool CheckPairValidity(const RunRecord& record, Syscalls& probe,
                       std::vector<Violation>* out) {
  if (!record.status.ok()) return false;
  const int a = record.fds[0];
  const int b = record.fds[1];
  if (a < 0 || b < 0 || a == b) {
    out->push_back({ViolationKind::kInvalidPair,
                    absl::StrCat("returned fds ", a, " and ", b,
                                 ": not two distinct fds")});
    return false;
  }
  const std::vector<int> open = OpenAtEnd(record.trace);
  for (int fd : {a, b}) {
    if (!std::binary_search(open.begin(), open.end(), fd)) {
      out->push_back({ViolationKind::kInvalidPair,
                      absl::StrCat("returned fd ", fd,
                                   ", which the routine did not hold open")});
      return false;
    }
  }
  if (record.inet) {
    SysResult<SockAddr> a_name = probe.GetSockName(a);
    SysResult<SockAddr> b_peer = probe.GetPeerName(b);
    if (a_name.ok() && b_peer.ok() && *a_name != *b_peer) {
      out->push_back({ViolationKind::kForeignPair,
                      absl::StrCat("fd ", b, " is connected to ", b_peer->ToString(),
                                   ", not to fd ", a, " at ", a_name->ToString())});
      return false;
    }
  }
  absl::Status proof = ProvePair(probe, a, b, kProbeToken);
  if (!proof.ok()) {
    out->push_back({ViolationKind::kInvalidPair,
                    absl::StrCat("fds ", a, " and ", b, " are not one working "
                                 "connection: ", proof.message())});
    return false;
  }
  const bool want_nonblock = (record.requested_type & SOCK_NONBLOCK) != 0;
  const bool want_cloexec = (record.requested_type & SOCK_CLOEXEC) != 0;
  for (int fd : {a, b}) {
    SysResult<FdFlags> flags = probe.GetFdFlags(fd);
    if (!flags.ok()) continue;
    if (flags->nonblocking != want_nonblock || flags->cloexec != want_cloexec) {
      out->push_back(
          {ViolationKind::kFlagsLost,
           absl::StrCat("fd ", fd, " is ", flags->nonblocking ? "" : "not ",
                        "non-blocking and ", flags->cloexec ? "" : "not ",
                        "close-on-exec; asked for ", want_nonblock ? "" : "no ",
                        "SOCK_NONBLOCK and ", want_cloexec ? "" : "no ",
                        "SOCK_CLOEXEC")});
    }
  }
  return true;
}

}  // namespace sockfi
