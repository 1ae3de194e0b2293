#include "src/pair/socket_pair.h"

#include <netinet/in.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/types/span.h"
#include "src/pair/mutation.h"
#include "src/sys/step_error.h"

namespace sockfi {
namespace {

// Room for our connection even when a few foreign ones are queued ahead of it.
constexpr int kBacklog = 8;
// Bytes of the random token echoed through the pair.
constexpr size_t kTokenSize = 16;
// Accepted connections that may wait at once for the token (token-only
// checking).
constexpr size_t kMaxCandidates = 8;
// A poll interrupted sooner than this did not really wait: counted as a stall.
constexpr absl::Duration kInstantPoll = absl::Microseconds(20);
// Foreign connections rejected in one call before giving up: past this many,
// someone is flooding our listener and waiting out the deadline helps nobody.
// (A stranger that connects to a fresh ephemeral port within the call's
// microseconds is rare; sixteen of them in one call is an attack.)
constexpr int kMaxForeignConnections = 16;
// Connecting sockets tried when our connection dies before it is accepted.
constexpr int kMaxConnectAttempts = 4;
// Wake-ups in a row where poll said "ready" and the call still failed with a
// retryable errno; past this the errno is returned instead of spinning until
// the deadline. Sixteen fruitless wake-ups in a row is already far past what
// signals or a racing thread make; each one more is work for nothing.
constexpr int kMaxStalls = 16;
// Different failures (step and errno) one run of stalls keeps apart.
constexpr size_t kMaxStallCauses = 8;
// Internal transfers never block and never raise SIGPIPE.
constexpr int kIoFlags = MSG_DONTWAIT | MSG_NOSIGNAL;

using Token = std::array<uint8_t, kTokenSize>;

// accept(2) errors after which accepting again is right: nothing pending
// (EAGAIN), a signal (EINTR), a connection that died in the queue
// (ECONNABORTED), or a pending network error of the new connection that Linux
// reports through accept.
bool IsRetryableAcceptError(int error_number) {
  switch (error_number) {
    case EAGAIN:
    case EINTR:
    case ECONNABORTED:
    case EPROTO:
    case ENETDOWN:
    case ENOPROTOOPT:
    case EHOSTDOWN:
    case ENONET:
    case EHOSTUNREACH:
    case EOPNOTSUPP:
    case ENETUNREACH:
      return true;
    default:
      return false;
  }
}

// Connection-level failures of our connecting socket that a new attempt can
// cure (ENOTCONN: no attempt was under way at all).
bool IsConnectionLost(int error_number) {
  return error_number == ECONNREFUSED || error_number == ECONNRESET ||
         error_number == ECONNABORTED || error_number == EPIPE ||
         error_number == ENOTCONN;
}

bool Wants(const PairOptions& options, PeerCheck check) {
  return options.peer_check == check ||
         options.peer_check == PeerCheck::kAddressesAndToken;
}

absl::StatusOr<SocketPair> MakeNativePair(const PairOptions& options,
                                          Syscalls& syscalls) {
  SysResult<std::array<int, 2>> fds =
      syscalls.SocketPair(AF_UNIX, options.type, options.protocol);
  SocketPair pair;
  if (!fds.ok()) return StepErrorStatus("socketpair", fds.error());
  pair.fds[0] = UniqueFd(syscalls, (*fds)[0]);
  pair.fds[1] = UniqueFd(syscalls, (*fds)[1]);
  return pair;
}

// Builds one emulated pair; each instance is used once.
class LoopbackPairBuilder {
 public:
  LoopbackPairBuilder(const PairOptions& options, Syscalls& syscalls,
                      Mutation mutation)
      : options_(options),
        syscalls_(syscalls),
        mutation_(mutation),
        deadline_(syscalls.Now() + options.timeout),
        check_addresses_(Wants(options, PeerCheck::kAddresses) &&
                         mutation != Mutation::kPeerCheckSkipped),
        check_token_(Wants(options, PeerCheck::kToken) &&
                     mutation != Mutation::kPeerCheckSkipped) {}

  absl::StatusOr<SocketPair> Build();

 private:
  // An accepted connection waiting to prove itself with the token.
  struct Candidate {
    UniqueFd fd;
    size_t received = 0;
    Token bytes{};
  };

  absl::Status OpenListener(absl::Span<const uint8_t> address_seed);
  // Opens a new listening socket (closing any earlier one) bound to `address`.
  absl::Status BindListener(const SockAddr& address);
  absl::Status StartConnect();
  absl::Status AwaitOurConnection();
  absl::Status OnClientEvent(short revents);
  absl::Status OnListenerReadable();
  absl::Status OnCandidateReadable(size_t index);
  absl::Status EchoToken();
  // Sets `*any` when some fd in `fds` may be ready: on the first round (flagged
  // by
  // `*first_round`, which it clears) every fd is assumed ready for what it
  // waits for; after that poll decides, as PollUntilDeadline describes.
  absl::Status WaitForEvents(absl::Span<pollfd> fds, absl::string_view step,
                             bool* first_round, bool* any);
  bool ClientDone() const {
    return connected_ && (!check_token_ || token_sent_ == kTokenSize);
  }
  // Returns OK once poll reported events, timed out or was interrupted by a
  // signal (callers loop and look again), DeadlineExceeded at `step` once the
  // deadline has passed, or poll's errno.
  absl::Status PollUntilDeadline(absl::Span<pollfd> fds, absl::string_view step,
                                 int* ready);
  // Counts a wake-up from poll on which a retryable call made no progress;
  // returns the call's errno as an error once that has happened kMaxStalls
  // times in a row and this failure (step and errno) is one the run of stalls
  // already saw, so the error names a failure that was retried, not one met
  // for the first time.
  absl::Status Stall(absl::string_view step, int error_number);
  // Returns whether the current run of stalls saw `step` failing with
  // `error_number` before, and remembers it if not.
  bool StalledBefore(absl::string_view step, int error_number);
  void Progress() {
    stalls_ = 0;
    stall_causes_seen_ = 0;
  }
  absl::Status DeadlineError(absl::string_view step) const;
  // Counts one more foreign connection rejected; returns ECONNABORTED at
  // "verify" past kMaxForeignConnections.
  absl::Status RejectForeign();
  // Returns the error for giving up once our connection was lost
  // kMaxConnectAttempts times: the last accept or recv error that took a
  // connection, if there was one (it explains the losses), else `error_number`
  // at `step`, the call that saw the loss.
  absl::Status LostConnectionError(absl::string_view step,
                                   int error_number) const;
  absl::string_view WaitingStep() const;

  const PairOptions& options_;
  Syscalls& syscalls_;
  const Mutation mutation_;  // kNone but in sockfi's own measurements
  const absl::Time deadline_;
  const bool check_addresses_;
  const bool check_token_;

  Token token_{};
  UniqueFd listener_;
  SockAddr listen_address_;
  UniqueFd client_;
  SockAddr client_address_;
  bool connected_ = false;
  size_t token_sent_ = 0;
  int connect_attempts_ = 0;
  int connect_result_ = 0;  // the errno of this attempt's connect, 0 if none
  // At most kMaxCandidates, held inline.
  absl::InlinedVector<Candidate, kMaxCandidates> candidates_;
  UniqueFd accepted_;
  int stalls_ = 0;
  struct StallCause {
    absl::string_view step;
    int error_number = 0;
  };
  std::array<StallCause, kMaxStallCauses> stall_causes_;
  size_t stall_causes_seen_ = 0;
  bool polled_ = false;  // whether the events being handled came from poll
  int foreign_rejected_ = 0;
  bool accept_error_swallowed_ = false;  // Mutation::kAcceptErrorSwallowed
  // The last accept error that took a queued connection, or recv error that
  // made a candidate go: what probably lost our connection.
  struct {
    const char* step = "";
    int error_number = 0;
  } loss_cause_;
};

absl::StatusOr<SocketPair> LoopbackPairBuilder::Build() {
  // One getrandom call: the token, then three bytes for the listener's address.
  std::array<uint8_t, kTokenSize + 3> random{};
  SysStatus got = syscalls_.GetRandom(absl::MakeSpan(random));
  if (!got.ok()) return StepErrorStatus("getrandom", got.error());
  std::memcpy(token_.data(), random.data(), kTokenSize);

  absl::Status status =
      OpenListener(absl::MakeConstSpan(random).subspan(kTokenSize));
  if (status.ok()) status = StartConnect();
  if (status.ok()) status = AwaitOurConnection();
  if (!status.ok()) {
    if (mutation_ == Mutation::kCloseErrnoReported) {
      SysStatus closed = client_.Close();
      if (!closed.ok()) return StepErrorStatus("close", closed.error());
    }
    return status;
  }
  // Ours is accepted: nobody else may connect from here on. The fd is released
  // even if close reports an error, and nothing about the pair depends on it.
  const int listener_fd = listener_.get();
  SysStatus closed = listener_.Close();
  if (mutation_ == Mutation::kCloseRetriedOnEintr && !closed.ok() &&
      closed.error() == EINTR) {
    (void)syscalls_.Close(listener_fd);
  }
  if (check_token_) {
    status = EchoToken();
    if (!status.ok()) return status;
  }
  if ((options_.type & SOCK_NONBLOCK) == 0 &&
      mutation_ != Mutation::kClientLeftNonBlocking) {
    SysStatus blocking = syscalls_.SetNonBlocking(client_.get(), false);
    if (!blocking.ok()) return StepErrorStatus("fcntl", blocking.error());
  }
  SocketPair pair;
  pair.fds[0] = std::move(client_);
  pair.fds[1] = std::move(accepted_);
  return pair;
}

absl::Status LoopbackPairBuilder::OpenListener(
    absl::Span<const uint8_t> address_seed) {
  SockAddr address = SockAddr::Loopback(options_.family);
  if (options_.family == AF_INET &&
      options_.listen_address == ListenAddress::kSpread) {
    const uint32_t host = (uint32_t{address_seed[0]} << 16) |
                          (uint32_t{address_seed[1]} << 8) | address_seed[2];
    // 127.0.0.0 and 127.255.255.255 are the network and broadcast addresses.
    if (host != 0 && host != 0xffffff) {
      address = SockAddr::Ipv4((uint32_t{127} << 24) | host, 0);
    }
  }
  absl::Status bound = BindListener(address);
  if (!bound.ok() && address != SockAddr::Loopback(options_.family) &&
      GetStepError(bound).value_or(StepError()).error_number == EADDRNOTAVAIL) {
    // Only 127.0.0.1 is local on this system: use it, on a fresh socket (the
    // first may be bound already, if bind failed after taking effect).
    bound = BindListener(SockAddr::Loopback(options_.family));
  }
  if (!bound.ok()) return bound;

  SysStatus listening = syscalls_.Listen(listener_.get(), kBacklog);
  if (!listening.ok()) {
    return StepErrorStatus(
        mutation_ == Mutation::kListenReportedAsBind ? "bind" : "listen",
        listening.error());
  }

  SysResult<SockAddr> name = syscalls_.GetSockName(listener_.get());
  if (!name.ok()) return StepErrorStatus("getsockname", name.error());
  listen_address_ = *name;
  return absl::OkStatus();
}

absl::Status LoopbackPairBuilder::BindListener(const SockAddr& address) {
  (void)listener_.Close();  // a previous attempt's socket, if any
  SysResult<UniqueFd> listener = Own(
      syscalls_,
      syscalls_.Socket(
          options_.family,
          SOCK_STREAM | SOCK_CLOEXEC |
              (mutation_ == Mutation::kBlockingListener ? 0 : SOCK_NONBLOCK),
          options_.protocol));
  if (!listener.ok()) return StepErrorStatus("socket", listener.error());
  listener_ = std::move(*listener);
  SysStatus bound = syscalls_.Bind(listener_.get(), address);
  if (!bound.ok()) return StepErrorStatus("bind", bound.error());
  return absl::OkStatus();
}

absl::Status LoopbackPairBuilder::StartConnect() {
  ++connect_attempts_;
  connected_ = false;
  token_sent_ = 0;
  loss_cause_ = {};  // only what happens to this attempt can explain its loss
  (void)client_.Close();  // a previous attempt's socket, if any
  const int cloexec = options_.type & SOCK_CLOEXEC;
  SysResult<UniqueFd> client =
      Own(syscalls_, syscalls_.Socket(options_.family,
                                      SOCK_STREAM | SOCK_NONBLOCK | cloexec,
                                      options_.protocol));
  if (!client.ok()) return StepErrorStatus("socket", client.error());
  client_ = std::move(*client);

  SysStatus connecting = syscalls_.Connect(client_.get(), listen_address_);
  connect_result_ = connecting.error();
  // POSIX: an interrupted connect goes on asynchronously; some systems connect
  // at once.
  if (!connecting.ok() && connecting.error() != EINPROGRESS &&
      connecting.error() != EINTR) {
    if (mutation_ == Mutation::kClientLeakedOnConnectError) {
      (void)client_.Release();
    }
    return StepErrorStatus("connect", connecting.error());
  }
  if (check_addresses_) {
    // connect has bound the socket to its local address already.
    SysResult<SockAddr> name = syscalls_.GetSockName(client_.get());
    if (!name.ok()) return StepErrorStatus("getsockname", name.error());
    client_address_ = *name;
  }
  return absl::OkStatus();
}

absl::Status LoopbackPairBuilder::AwaitOurConnection() {
  std::array<pollfd, 2 + kMaxCandidates> fds;
  bool first_round = true;
  while (!(accepted_.valid() && ClientDone())) {
    if (accept_error_swallowed_) break;
    size_t count = 0;
    // Until ours is accepted, the client is also watched for input: any before
    // the echo means our connection died (EOF or reset) before it was accepted.
    const short client_events = static_cast<short>(
        (ClientDone() ? 0 : POLLOUT) | (accepted_.valid() ? 0 : POLLIN));
    if (client_events != 0) fds[count++] = {client_.get(), client_events, 0};
    const size_t listener_index = count;
    if (!accepted_.valid()) fds[count++] = {listener_.get(), POLLIN, 0};
    const size_t first_candidate = count;
    for (const Candidate& candidate : candidates_) {
      fds[count++] = {candidate.fd.get(), POLLIN, 0};
    }
    bool any = false;
    absl::Status waited = WaitForEvents(absl::MakeSpan(fds.data(), count),
                                        WaitingStep(), &first_round, &any);
    if (!waited.ok()) return waited;
    if (!any) continue;

    if (client_events != 0 && fds[0].revents != 0) {
      absl::Status status = OnClientEvent(fds[0].revents);
      if (!status.ok()) return status;
    }
    // Candidates before the listener: accepting may add to (and reorder) them.
    for (size_t i = count; i-- > first_candidate;) {
      if (fds[i].revents == 0) continue;
      absl::Status status = OnCandidateReadable(i - first_candidate);
      if (!status.ok()) return status;
    }
    if (listener_index < first_candidate && fds[listener_index].revents != 0 &&
        !accepted_.valid()) {
      absl::Status status = OnListenerReadable();
      if (!status.ok()) return status;
    }
  }
  candidates_.clear();  // foreign connections still waiting: closed here
  return absl::OkStatus();
}

absl::Status LoopbackPairBuilder::OnClientEvent(short revents) {
  if (!connected_) {
    // getpeername succeeds once, and only once, the connection is established.
    SysResult<SockAddr> peer = syscalls_.GetPeerName(client_.get());
    if (!peer.ok() && peer.error() != ENOTCONN) {
      return StepErrorStatus("getpeername", peer.error());
    }
    if (!peer.ok()) {
      SysResult<int> pending = syscalls_.GetSocketError(client_.get());
      if (!pending.ok()) return StepErrorStatus("getsockopt", pending.error());
      int error_number = *pending;
      if (error_number == 0) {
        if (!polled_ || (revents & (POLLERR | POLLHUP)) == 0) {
          // Still in progress, or so getpeername says: when poll keeps
          // saying "ready" and getpeername keeps saying ENOTCONN, that is
          // the failure to report.
          return Stall("getpeername", ENOTCONN);
        }
        // Hung up without connecting or failing: no attempt is under way
        // (connect reported EINTR or EINPROGRESS without starting one). Start
        // again.
        error_number = ENOTCONN;
      }
      if (IsConnectionLost(error_number)) {
        if (connect_attempts_ < kMaxConnectAttempts) return StartConnect();
        // No attempt under way: what connect said explains it best.
        return LostConnectionError(
            "connect", error_number == ENOTCONN && connect_result_ != 0
                           ? connect_result_
                           : error_number);
      }
      return StepErrorStatus("connect", error_number);
    }
    connected_ = true;
    Progress();
    if (check_addresses_ && *peer != listen_address_) {
      return StepErrorStatus("verify", ECONNABORTED,
                             absl::StrCat("connected to ", peer->ToString(),
                                          " instead of our listener ",
                                          listen_address_.ToString()));
    }
    // Connected, so writable: the token can go at once.
    revents |= POLLOUT;
  } else if ((revents & (POLLIN | POLLERR | POLLHUP)) != 0 &&
             !accepted_.valid()) {
    // Data or EOF before ours was accepted: our connection was reset or
    // dropped.
    SysResult<int> pending = syscalls_.GetSocketError(client_.get());
    if (!pending.ok()) return StepErrorStatus("getsockopt", pending.error());
    const int error_number = *pending != 0 ? *pending : ECONNRESET;
    if (connect_attempts_ < kMaxConnectAttempts) return StartConnect();
    return LostConnectionError("connect", error_number);
  }
  if (check_token_ && token_sent_ < kTokenSize && (revents & POLLOUT) != 0) {
    SysResult<size_t> sent = syscalls_.Send(
        client_.get(), absl::MakeConstSpan(token_).subspan(token_sent_),
        kIoFlags);
    if (!sent.ok()) {
      if (sent.error() == EAGAIN || sent.error() == EINTR) {
        return Stall("send", sent.error());
      }
      if (IsConnectionLost(sent.error()) && !accepted_.valid()) {
        if (connect_attempts_ < kMaxConnectAttempts) return StartConnect();
        return LostConnectionError("send", sent.error());
      }
      return StepErrorStatus("send", sent.error());
    }
    token_sent_ += *sent;
    Progress();
  }
  return absl::OkStatus();
}

absl::Status LoopbackPairBuilder::OnListenerReadable() {
  const int flags = options_.type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
  SysResult<AcceptedSocket> accepted =
      syscalls_.Accept4(listener_.get(), flags);
  while (mutation_ == Mutation::kBusyRetryOnEmfile && !accepted.ok() &&
         accepted.error() == EMFILE) {
    accepted = syscalls_.Accept4(listener_.get(), flags);
  }
  if (!accepted.ok()) {
    if (mutation_ == Mutation::kAcceptConnAbortedFatal &&
        accepted.error() == ECONNABORTED) {
      return StepErrorStatus("accept", ECONNABORTED);
    }
    if (IsRetryableAcceptError(accepted.error())) {
      // Besides EAGAIN and EINTR these took a queued connection, maybe ours.
      if (accepted.error() != EAGAIN && accepted.error() != EINTR) {
        loss_cause_ = {"accept", accepted.error()};
      }
      return Stall("accept", accepted.error());
    }
    if (mutation_ == Mutation::kListenerLeakedOnAcceptError) {
      (void)listener_.Release();
    }
    if (mutation_ == Mutation::kAcceptErrorSwallowed) {
      accept_error_swallowed_ = true;
      return absl::OkStatus();
    }
    return StepErrorStatus("accept", accepted.error());
  }
  UniqueFd fd(syscalls_, accepted->fd);
  Progress();
  if (check_addresses_ && accepted->peer != client_address_) {
    return RejectForeign();  // not ours: fd closes here
  }
  if (!check_token_) {
    accepted_ = std::move(fd);
    return absl::OkStatus();
  }
  if (candidates_.size() == kMaxCandidates) {
    // Make room: the oldest silent one has had the longest to send the token;
    // one that sent a right prefix of it may be ours and stays.
    auto silent =
        std::find_if(candidates_.begin(), candidates_.end(),
                     [](const Candidate& c) { return c.received == 0; });
    candidates_.erase(silent != candidates_.end() ? silent
                                                  : candidates_.begin());
    // If the one let go was ours after all (its token held up), too many
    // strangers are why.
    loss_cause_ = {"verify", ECONNABORTED};
    absl::Status rejected = RejectForeign();
    if (!rejected.ok()) return rejected;
  }
  candidates_.push_back(Candidate{std::move(fd)});
  // On loopback the token has usually arrived already: look before waiting.
  const bool polled = std::exchange(polled_, false);
  absl::Status status = OnCandidateReadable(candidates_.size() - 1);
  polled_ = polled;
  return status;
}

absl::Status LoopbackPairBuilder::OnCandidateReadable(size_t index) {
  Candidate& candidate = candidates_[index];
  SysResult<size_t> received = syscalls_.Recv(
      candidate.fd.get(),
      absl::MakeSpan(candidate.bytes).subspan(candidate.received), kIoFlags);
  if (!received.ok() &&
      (received.error() == EAGAIN || received.error() == EINTR)) {
    return Stall("recv", received.error());
  }
  Progress();
  if (received.ok() && *received > 0) {
    candidate.received += *received;
    // A wrong byte gives a stranger away at once.
    const bool right_so_far = std::equal(
        candidate.bytes.begin(), candidate.bytes.begin() + candidate.received,
        token_.begin());
    if (right_so_far && candidate.received < kTokenSize) {
      return absl::OkStatus();
    }
    if (right_so_far) {
      accepted_ = std::move(candidate.fd);
      candidates_.erase(candidates_.begin() + index);
      return absl::OkStatus();
    }
  }
  // EOF, a receive error or a wrong token: a foreign connection (ours cannot
  // fail this way while its client is healthy; if it did die, the client sees
  // it too, and a receive error is the best explanation).
  if (!received.ok()) loss_cause_ = {"recv", received.error()};
  if (mutation_ == Mutation::kRejectedCandidateLeaked && received.ok() &&
      *received > 0) {
    (void)candidates_[index].fd.Release();
  }
  candidates_.erase(candidates_.begin() + index);
  return RejectForeign();
}

absl::Status LoopbackPairBuilder::EchoToken() {
  size_t sent = 0;
  size_t received = 0;
  Token echo{};
  bool first_round = true;
  while (received < kTokenSize) {
    std::array<pollfd, 2> fds;
    size_t count = 0;
    if (sent < kTokenSize) fds[count++] = {accepted_.get(), POLLOUT, 0};
    fds[count++] = {client_.get(), POLLIN, 0};
    bool any = false;
    absl::Status waited = WaitForEvents(absl::MakeSpan(fds.data(), count),
                                        "verify", &first_round, &any);
    if (!waited.ok()) return waited;
    if (!any) continue;
    if (sent < kTokenSize && fds[0].revents != 0) {
      SysResult<size_t> n = syscalls_.Send(
          accepted_.get(), absl::MakeConstSpan(token_).subspan(sent), kIoFlags);
      if (!n.ok() && n.error() != EAGAIN && n.error() != EINTR) {
        return StepErrorStatus("send", n.error());
      }
      if (!n.ok()) {
        absl::Status stalled = Stall("send", n.error());
        if (!stalled.ok()) return stalled;
      } else {
        sent += *n;
        Progress();
      }
    }
    if (fds[count - 1].revents != 0) {
      SysResult<size_t> n = syscalls_.Recv(
          client_.get(), absl::MakeSpan(echo).subspan(received), kIoFlags);
      if (!n.ok() && n.error() != EAGAIN && n.error() != EINTR) {
        return StepErrorStatus("recv", n.error());
      }
      if (!n.ok()) {
        absl::Status stalled = Stall("recv", n.error());
        if (!stalled.ok()) return stalled;
      } else if (*n == 0) {
        return StepErrorStatus("recv", ECONNRESET,
                               "end of stream while reading the echoed token");
      } else {
        received += *n;
        Progress();
      }
    }
  }
  if (echo != token_) {
    return StepErrorStatus("verify", ECONNABORTED,
                           "the token came back altered");
  }
  return absl::OkStatus();
}

absl::Status LoopbackPairBuilder::WaitForEvents(absl::Span<pollfd> fds,
                                                absl::string_view step,
                                                bool* first_round, bool* any) {
  if (*first_round) {
    // Loopback mostly completes a handshake or a transfer inside the call that
    // starts it, so every call is tried once before anything waits. Failures on
    // this round are expected and not stalls.
    *first_round = false;
    polled_ = false;
    for (pollfd& fd : fds) fd.revents = fd.events;
    *any = true;
    return absl::OkStatus();
  }
  polled_ = true;
  int ready = 0;
  absl::Status status = PollUntilDeadline(fds, step, &ready);
  *any = ready > 0;
  return status;
}

absl::Status LoopbackPairBuilder::PollUntilDeadline(absl::Span<pollfd> fds,
                                                    absl::string_view step,
                                                    int* ready) {
  *ready = 0;
  const absl::Time before = syscalls_.Now();
  const absl::Duration remaining = deadline_ - before;
  const bool deadline = mutation_ != Mutation::kNoDeadline;
  if (deadline && remaining <= absl::ZeroDuration()) {
    return DeadlineError(step);
  }
  // Round up, so that a poll that times out ends past the deadline.
  int64_t timeout_ms = absl::ToInt64Milliseconds(
      remaining + absl::Milliseconds(1) - absl::Nanoseconds(1));
  if (!deadline) timeout_ms = -1;
  if (mutation_ == Mutation::kPollTimeoutInSeconds) {
    timeout_ms = (absl::ToInt64Seconds(remaining) + 1) * 1000;
  }
  SysResult<int> polled = syscalls_.Poll(fds, static_cast<int>(timeout_ms));
  if (!polled.ok()) {
    if (polled.error() != EINTR || mutation_ == Mutation::kPollEintrFatal) {
      return StepErrorStatus("poll", polled.error());
    }
    // A signal: look again. A poll that waited is no spin, however many signals
    // come; one that returned at once (no time, or next to none, passing) is.
    if (syscalls_.Now() - before < kInstantPoll) return Stall("poll", EINTR);
    return absl::OkStatus();
  }
  *ready = *polled;
  return absl::OkStatus();
}

absl::Status LoopbackPairBuilder::RejectForeign() {
  if (++foreign_rejected_ <= kMaxForeignConnections) return absl::OkStatus();
  return StepErrorStatus(
      "verify", ECONNABORTED,
      absl::StrCat("more than ", kMaxForeignConnections,
                   " foreign connections to our listener in one call: someone "
                   "is flooding it"));
}

absl::Status LoopbackPairBuilder::LostConnectionError(absl::string_view step,
                                                      int error_number) const {
  if (loss_cause_.error_number != 0) {
    return StepErrorStatus(
        loss_cause_.step, loss_cause_.error_number,
        absl::StrCat("our connection was lost ", kMaxConnectAttempts,
                     " times, the last failing ", loss_cause_.step,
                     " took it"));
  }
  return StepErrorStatus(
      step, error_number,
      absl::StrCat("our connection was lost ", kMaxConnectAttempts,
                   " times before it was accepted"));
}

absl::Status LoopbackPairBuilder::Stall(absl::string_view step,
                                        int error_number) {
  if (!polled_) return absl::OkStatus();
  const bool retried = StalledBefore(step, error_number);
  if (++stalls_ < kMaxStalls || !retried) return absl::OkStatus();
  return StepErrorStatus(
      step, error_number,
      absl::StrCat("failed ", kMaxStalls, " times in a row without progress"));
}

bool LoopbackPairBuilder::StalledBefore(absl::string_view step,
                                        int error_number) {
  for (size_t i = 0; i < stall_causes_seen_; ++i) {
    if (stall_causes_[i].error_number == error_number &&
        stall_causes_[i].step == step) {
      return true;
    }
  }
  // Full, which no routine's handful of retried calls fills: count it as seen.
  if (stall_causes_seen_ == stall_causes_.size()) return true;
  stall_causes_[stall_causes_seen_++] = {step, error_number};
  return false;
}

absl::Status LoopbackPairBuilder::DeadlineError(absl::string_view step) const {
  std::string detail =
      absl::StrCat("no pair within ", absl::FormatDuration(options_.timeout));
  if (!connected_) {
    absl::StrAppend(&detail, " (our connect to ", listen_address_.ToString(),
                    " did not complete: is the listen queue full?)");
  }
  if (foreign_rejected_ > 0) {
    absl::StrAppend(&detail, "; ", foreign_rejected_,
                    " foreign connection(s) rejected");
  }
  return StepErrorStatus(step, ETIMEDOUT, detail);
}

absl::string_view LoopbackPairBuilder::WaitingStep() const {
  if (!connected_) return "connect";
  if (!accepted_.valid()) return candidates_.empty() ? "accept" : "verify";
  return "send";
}

}  // namespace

absl::Status ValidatePairOptions(const PairOptions& options) {
  if (options.family != AF_UNIX && options.family != AF_INET &&
      options.family != AF_INET6) {
    return absl::InvalidArgumentError(absl::StrCat(
        "family ", options.family, " is not AF_UNIX, AF_INET or AF_INET6"));
  }
  if ((options.type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != SOCK_STREAM) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "type %#x is not SOCK_STREAM, optionally with SOCK_NONBLOCK and "
        "SOCK_CLOEXEC",
        options.type));
  }
  if (options.protocol != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("protocol ", options.protocol, " is not 0"));
  }
  if (options.timeout <= absl::ZeroDuration() ||
      options.timeout == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("timeout ", absl::FormatDuration(options.timeout),
                     " is not positive and finite"));
  }
  switch (options.peer_check) {
    case PeerCheck::kAddresses:
    case PeerCheck::kToken:
    case PeerCheck::kAddressesAndToken:
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("peer_check ", static_cast<int>(options.peer_check),
                       " is not a PeerCheck"));
  }
  switch (options.listen_address) {
    case ListenAddress::kSpread:
    case ListenAddress::kLoopback:
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "listen_address ", static_cast<int>(options.listen_address),
          " is not a ListenAddress"));
  }
  return absl::OkStatus();
}

absl::StatusOr<SocketPair> MakeSocketPair(const PairOptions& options,
                                          Syscalls& syscalls) {
  return MakeMutatedSocketPair(options, syscalls, Mutation::kNone);
}

absl::StatusOr<SocketPair> MakeMutatedSocketPair(const PairOptions& options,
                                                 Syscalls& syscalls,
                                                 Mutation mutation) {
  absl::Status valid = ValidatePairOptions(options);
  if (!valid.ok()) return valid;
  if (options.family == AF_UNIX) return MakeNativePair(options, syscalls);
  return LoopbackPairBuilder(options, syscalls, mutation).Build();
}

}  // namespace sockfi
