#include "src/cli/pair_flags.h"

#include <sys/socket.h>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

ABSL_FLAG(std::string, family, "inet", "address family: unix, inet or inet6");
ABSL_FLAG(bool, nonblock, false, "ask for SOCK_NONBLOCK");
ABSL_FLAG(bool, cloexec, false, "ask for SOCK_CLOEXEC");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(5),
          "deadline for each pair (e.g. 5s, 250ms)");
ABSL_FLAG(std::string, peer_check, "addresses",
          "how a foreign connection is recognised: addresses, token or both");
ABSL_FLAG(std::string, listen_address, "spread",
          "where the listener binds: spread (a random 127.x.y.z for inet) or "
          "loopback");

namespace sockfi::cli {

std::string ReadPairOptions(PairOptions* options) {
  const std::string family = absl::GetFlag(FLAGS_family);
  if (family == "unix") {
    options->family = AF_UNIX;
  } else if (family == "inet") {
    options->family = AF_INET;
  } else if (family == "inet6") {
    options->family = AF_INET6;
  } else {
    return absl::StrCat("--family=", family, ": expected unix, inet or inet6");
  }
  options->type = SOCK_STREAM |
                  (absl::GetFlag(FLAGS_nonblock) ? SOCK_NONBLOCK : 0) |
                  (absl::GetFlag(FLAGS_cloexec) ? SOCK_CLOEXEC : 0);
  options->timeout = absl::GetFlag(FLAGS_timeout);
  const std::string check = absl::GetFlag(FLAGS_peer_check);
  if (check == "addresses") {
    options->peer_check = PeerCheck::kAddresses;
  } else if (check == "token") {
    options->peer_check = PeerCheck::kToken;
  } else if (check == "both") {
    options->peer_check = PeerCheck::kAddressesAndToken;
  } else {
    return absl::StrCat("--peer_check=", check,
                        ": expected addresses, token or both");
  }
  const std::string where = absl::GetFlag(FLAGS_listen_address);
  if (where == "spread") {
    options->listen_address = ListenAddress::kSpread;
  } else if (where == "loopback") {
    options->listen_address = ListenAddress::kLoopback;
  } else {
    return absl::StrCat("--listen_address=", where,
                        ": expected spread or loopback");
  }
  absl::Status valid = ValidatePairOptions(*options);
  if (!valid.ok()) return std::string(valid.message());
  return "";
}

std::vector<std::string> WithPairFlags(std::vector<std::string> own) {
  for (const char* name : {"family", "nonblock", "cloexec", "timeout",
                           "peer_check", "listen_address"}) {
    own.push_back(name);
  }
  return own;
}

}  // namespace sockfi::cli
