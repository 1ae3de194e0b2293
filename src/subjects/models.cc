#include "src/subjects/models.h"

#include "src/subjects/cpython.h"
#include "src/subjects/curl.h"
#include "src/subjects/kafka_python.h"
#include "src/subjects/libevent.h"
#include "src/subjects/tor.h"

namespace sockfi {

std::vector<Subject> ModelSubjects() {
  std::vector<Subject> models;
  models.push_back(
      {"kafka_python",
       "The classic unverified emulation: listen(min(SOMAXCONN, 128)) on the "
       "loopback address, a non-blocking connect whose EINPROGRESS and EINTR "
       "are swallowed, a blocking accept with no retry, no peer check and no "
       "deadline, the listener closed in a finally.",
       "dpkp/kafka-python kafka/vendor/socketpair.py (from "
       "backports.socketpair)",
       &KafkaPythonSocketPair, false, false, ""});
  models.push_back(
      {"cpython",
       "CPython's fallback after CVE-2024-3219: the same dance as "
       "kafka-python (listen(min(SOMAXCONN, 128)), a non-blocking connect "
       "whose EINPROGRESS and EINTR are swallowed, a blocking accept with no "
       "deadline, the listener closed in a finally whose error replaces the "
       "outcome), but accept is retried on EINTR (PEP 475) and, once the "
       "listener is closed, the addresses are compared both ways: a foreign "
       "peer (or the reset our own queued connection gets when the listener "
       "closes) closes both ends and raises, so a hijack becomes a denial of "
       "service.",
       "python/cpython Lib/socket.py (_fallback_socketpair) and "
       "Modules/socketmodule.c",
       &CPythonSocketPair, false, false, ""});
  models.push_back(
      {"curl",
       "curl's TCP wake-up pair, IPv4 only: listen(1), a blocking connect "
       "(EINTR fatal), a 1 s poll then one non-blocking accept, no address "
       "check; instead 9 random bytes sent (the send's result ignored) and "
       "read back on the blocking accepted end in a loop that polls 1 s, "
       "retries EAGAIN/EINTR for up to 60 s, but never checks for end of "
       "stream: a peer that closes early makes it spin forever, a silent one "
       "makes its blocking recv wait forever.",
       "curl/curl lib/socketpair.c (wakeup_inet, formerly Curl_socketpair)",
       &CurlSocketPair, false, false, ""});
  models.push_back(
      {"libevent",
       "libevent's ersatz socketpair, IPv4 only: listen(1), a connect and an "
       "accept (no flags) whose every failure is fatal in blocking mode; "
       "with SOCK_NONBLOCK connect's EINTR/EINPROGRESS are tolerated and "
       "accept is retried in a busy loop without poll; the peer address "
       "from accept is compared with the connecting socket's name, a "
       "mismatch failing with ECONNABORTED. No deadline.",
       "libevent/libevent evutil.c (evutil_ersatz_socketpair_)",
       &LibeventSocketPair, false, false, ""});
  models.push_back(
      {"tor",
       "Tor's ersatz socketpair: an IPv4 listener (an IPv6 one, broken, only "
       "after EPROTONOSUPPORT) with listen(1), whose error path closes the "
       "socket before errno is read; a blocking connect and accept, every "
       "failure (EINTR included) fatal; accept's peer address compared with "
       "the connecting socket's name (ECONNABORTED); then FD_CLOEXEC set on "
       "both ends with fcntl after the fact, not atomically. No deadline.",
       "torproject/tor src/lib/net/socketpair.c (tor_ersatz_socketpair) and "
       "src/lib/net/socket.c (tor_socketpair)",
       &TorSocketPair, false, false, ""});
  return models;
}

}  // namespace sockfi
