#include "src/stress/intruder.h"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "src/sys/errno_name.h"

namespace sockfi {
namespace {

// How long the thread waits for a handshake before giving up on it.
constexpr int kHandshakeWaitMs = 20;

}  // namespace

Intruder::Intruder(Syscalls& real) : real_(real), thread_([this] { Run(); }) {}

Intruder::~Intruder() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void Intruder::Target(const SockAddr& listener, bool wait) {
  std::unique_lock<std::mutex> lock(mu_);
  targets_.push_back(listener);
  const int64_t ticket = ++handed_;
  changed_.notify_all();
  if (wait) changed_.wait(lock, [&] { return done_ >= ticket; });
}

std::vector<Intruder::Connection> Intruder::TakeConnections() {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return done_ >= handed_; });
  return std::exchange(connections_, {});
}

int64_t Intruder::attempts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return attempts_;
}

int64_t Intruder::established() const {
  std::lock_guard<std::mutex> lock(mu_);
  return established_;
}

int64_t Intruder::self_connected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return self_connected_;
}

void Intruder::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    changed_.wait(lock, [&] { return stop_ || !targets_.empty(); });
    if (stop_) break;
    const SockAddr listener = targets_.front();
    targets_.pop_front();
    lock.unlock();
    Connection connection;
    bool established = false;
    SysResult<UniqueFd> made =
        Own(real_, real_.Socket(listener.family(),
                                SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (made.ok()) {
      connection.fd = std::move(*made);
      SysStatus connecting = real_.Connect(connection.fd.get(), listener);
      established = connecting.ok();
      if (!established && connecting.error() == EINPROGRESS) {
        pollfd writable = {connection.fd.get(), POLLOUT, 0};
        SysResult<int> ready =
            real_.Poll(absl::MakeSpan(&writable, 1), kHandshakeWaitMs);
        SysResult<int> error = real_.GetSocketError(connection.fd.get());
        established = ready.ok() && *ready == 1 && error.ok() && *error == 0;
      }
      SysResult<SockAddr> local = real_.GetSockName(connection.fd.get());
      established = established && local.ok();
      if (established) connection.local = *local;
    }
    const bool self = established && connection.local == listener;
    lock.lock();
    ++attempts_;
    if (self) {
      ++self_connected_;
    } else if (established) {
      ++established_;
      connections_.push_back(std::move(connection));
    }
    ++done_;
    changed_.notify_all();
  }
  connections_.clear();
}

absl::Status CheckConnectionEnded(Syscalls& real,
                                  const Intruder::Connection& connection,
                                  int wait_ms) {
  const int fd = connection.fd.get();
  SysResult<SockAddr> peer = real.GetPeerName(fd);
  const std::string to =
      absl::StrCat("connection from ", connection.local.ToString(), " to ",
                   peer.ok() ? peer->ToString() : DescribeErrno(peer.error()));
  pollfd readable = {fd, POLLIN, 0};
  SysResult<int> ready = real.Poll(absl::MakeSpan(&readable, 1), wait_ms);
  if (!ready.ok() || *ready == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(to, " saw nothing in ", wait_ms, " ms"));
  }
  uint8_t bytes[64];
  SysResult<size_t> got = real.Recv(fd, absl::MakeSpan(bytes), MSG_DONTWAIT);
  if ((got.ok() && *got == 0) ||
      (!got.ok() && (got.error() == ECONNRESET || got.error() == EPIPE))) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(absl::StrCat(
      to, " read ",
      got.ok() ? absl::StrCat(*got, " bytes") : DescribeErrno(got.error()),
      " instead of its end"));
}

}  // namespace sockfi
