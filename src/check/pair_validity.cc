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
  const absl::InlinedVector<int, 8> open = OpenAtEnd(record.trace);
  for (int fd : {a, b}) {
    if (!std::binary_search(open.begin(), open.end(), fd)) {
      out->push_back({ViolationKind::kInvalidPair,
                      absl::StrCat("returned fd ", fd,
                                   ", which the routine did not hold open")});
      return false;
    }
  }
  if (record.inet) {
    // Each end's peer must be the other end; either direction that can be read
    // decides (an end whose connection was reset cannot say whom it was talking
    // to).
    const int ends[2] = {a, b};
    for (int i = 0; i < 2; ++i) {
      const int self = ends[i];
      const int other = ends[1 - i];
      SysResult<SockAddr> peer = probe.GetPeerName(self);
      SysResult<SockAddr> other_name = probe.GetSockName(other);
      if (peer.ok() && other_name.ok() && *peer != *other_name) {
        out->push_back({ViolationKind::kForeignPair,
                        absl::StrCat("fd ", self, " is connected to ",
                                     peer->ToString(), ", not to fd ", other,
                                     " at ", other_name->ToString())});
        return false;
      }
    }
  }
  absl::Status proof = ProvePair(probe, a, b, kProbeToken);
  if (!proof.ok()) {
    out->push_back(
        {ViolationKind::kInvalidPair, absl::StrCat("fds ", a, " and ", b,
                                                   " are not one working "
                                                   "connection: ",
                                                   proof.message())});
    return false;
  }
  // A requested flag must be set; O_NONBLOCK must also not be set unasked (the
  // caller would get EAGAIN where it expects to wait). An unasked FD_CLOEXEC
  // only keeps the fds out of child processes, which is no harm.
  const bool want_nonblock = (record.requested_type & SOCK_NONBLOCK) != 0;
  const bool want_cloexec = (record.requested_type & SOCK_CLOEXEC) != 0;
  for (int fd : {a, b}) {
    SysResult<FdFlags> flags = probe.GetFdFlags(fd);
    if (!flags.ok()) continue;
    if (flags->nonblocking != want_nonblock ||
        (want_cloexec && !flags->cloexec)) {
      out->push_back(
          {ViolationKind::kFlagsLost,
           absl::StrCat("fd ", fd, " has O_NONBLOCK ",
                        flags->nonblocking ? "on" : "off",
                        " (asked: ", want_nonblock ? "on" : "off",
                        ") and FD_CLOEXEC ", flags->cloexec ? "on" : "off",
                        " (asked: ", want_cloexec ? "on" : "off", ")")});
    }
  }
  return true;
}

}  // namespace sockfi
