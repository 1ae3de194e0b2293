// Differential test: the same scripted call sequences on the real kernel and on
// SimKernel must give the same observable results.
//
// Each scenario is written once against the Syscalls interface and logs what it
// observes: every call's errno (or "ok"), poll's revents, whether bytes moved,
// whether addresses match. Fd numbers and port numbers are never logged, since
// they differ between backends. The real kernel is the referee: a difference is
// a simulator bug.
//
// Where the real kernel needs time (a SYN retransmission after 1 s, an RST in
// flight), the scenario waits with poll and a timeout, which the simulator
// answers in virtual time. Facts a unit test cannot show on the real kernel
// (ETIMEDOUT after 127 s, ephemeral port exhaustion) are checked against the
// documented behaviour in sim_kernel_test.cc.

#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "src/sim/sim_kernel.h"
#include "src/sys/errno_name.h"
#include "src/sys/real_syscalls.h"
#include "src/sys/unique_fd.h"

namespace sockfi {
namespace {

// What a scenario needs from a backend besides the Syscalls.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual Syscalls& sys() = 0;
  // Lets in-flight loopback packets land (an RST answering data). The simulator
  // delivers everything within the call that sends it.
  virtual void Settle() = 0;
  // Sets the fd limit so that exactly `room` more fds can be opened.
  virtual void SetRoom(int room) = 0;
  // Lifts the limit SetRoom set.
  virtual void ResetRoom() = 0;

 protected:
  // Returns the lowest fd that is not open (probing with fcntl through the
  // shim).
  int LowestFreeFd() {
    int fd = 0;
    while (sys().GetFdFlags(fd).ok()) ++fd;
    return fd;
  }
};

class RealBackend final : public Backend {
 public:
  RealBackend() { getrlimit(RLIMIT_NOFILE, &saved_); }
  ~RealBackend() override { ResetRoom(); }
  Syscalls& sys() override { return real_; }
  void Settle() override { absl::SleepFor(absl::Milliseconds(20)); }
  void SetRoom(int room) override {
    rlimit lowered = saved_;
    lowered.rlim_cur = LowestFreeFd() + room;
    setrlimit(RLIMIT_NOFILE, &lowered);
  }
  void ResetRoom() override { setrlimit(RLIMIT_NOFILE, &saved_); }

 private:
  RealSyscalls real_;
  rlimit saved_;
};

class SimBackend final : public Backend {
 public:
  SimBackend() : sim_(*SimKernel::Create(SimConfig())) {}
  Syscalls& sys() override { return *sim_; }
  void Settle() override {}
  void SetRoom(int room) override { sim_->SetFdLimit(LowestFreeFd() + room); }
  void ResetRoom() override { sim_->SetFdLimit(SimConfig().fd_limit); }
  SimKernel& kernel() { return *sim_; }

 private:
  std::unique_ptr<SimKernel> sim_;
};

std::string EventNames(short revents) {
  std::vector<std::string> names;
  if (revents & POLLIN) names.push_back("IN");
  if (revents & POLLOUT) names.push_back("OUT");
  if (revents & POLLERR) names.push_back("ERR");
  if (revents & POLLHUP) names.push_back("HUP");
  if (revents & POLLRDHUP) names.push_back("RDHUP");
  if (revents & POLLNVAL) names.push_back("NVAL");
  return names.empty() ? "0" : absl::StrJoin(names, "|");
}

// A scenario's view of one backend: makes calls and logs what they show.
class Script {
 public:
  explicit Script(Backend& backend) : backend_(backend), sys_(backend.sys()) {}

  Syscalls& sys() { return sys_; }
  Backend& backend() { return backend_; }
  const std::vector<std::string>& log() const { return log_; }

  void Log(absl::string_view label, absl::string_view what) {
    log_.push_back(absl::StrCat(label, ": ", what));
  }
  template <typename T>
  void LogResult(absl::string_view label, const SysResult<T>& result) {
    Log(label, result.ok() ? "ok" : ErrnoName(result.error()));
  }

  // socket(2); keeps the fd for the script's end.
  int Socket(absl::string_view label, int family, int type) {
    SysResult<int> fd = sys_.Socket(family, type, 0);
    LogResult(label, fd);
    if (!fd.ok()) return -1;
    owned_.emplace_back(sys_, *fd);
    return *fd;
  }
  void Bind(absl::string_view label, int fd, const SockAddr& address) {
    LogResult(label, sys_.Bind(fd, address));
  }
  void Listen(absl::string_view label, int fd, int backlog) {
    LogResult(label, sys_.Listen(fd, backlog));
  }
  // Returns the listener's address (127.0.0.1:port).
  SockAddr Name(int fd) {
    SysResult<SockAddr> name = sys_.GetSockName(fd);
    return name.ok() ? *name : SockAddr();
  }
  void Connect(absl::string_view label, int fd, const SockAddr& to) {
    LogResult(label, sys_.Connect(fd, to));
  }
  int Accept(absl::string_view label, int fd, int flags = 0) {
    SysResult<AcceptedSocket> accepted = sys_.Accept4(fd, flags);
    LogResult(label, accepted);
    if (!accepted.ok()) return -1;
    owned_.emplace_back(sys_, accepted->fd);
    return accepted->fd;
  }
  // Logs the revents of `fd` polled for `events` with `timeout_ms`.
  void Poll(absl::string_view label, int fd, short events, int timeout_ms) {
    pollfd p = {fd, events, 0};
    SysResult<int> ready = sys_.Poll(absl::MakeSpan(&p, 1), timeout_ms);
    if (!ready.ok()) {
      Log(label, ErrnoName(ready.error()));
      return;
    }
    Log(label, EventNames(p.revents));
  }
  // Polls for everything observable.
  void PollAll(absl::string_view label, int fd, int timeout_ms = 0) {
    Poll(label, fd, POLLIN | POLLOUT | POLLRDHUP, timeout_ms);
  }
  // Logs "ok n>0", "ok 0" or the errno.
  void Send(absl::string_view label, int fd, size_t bytes, int flags) {
    std::vector<uint8_t> data(bytes, 0x5a);
    SysResult<size_t> sent = sys_.Send(fd, data, flags | MSG_NOSIGNAL);
    if (!sent.ok()) {
      Log(label, ErrnoName(sent.error()));
    } else {
      Log(label, *sent == 0 ? "ok 0" : (*sent == bytes ? "ok all" : "ok some"));
    }
  }
  void Recv(absl::string_view label, int fd, int flags = MSG_DONTWAIT) {
    uint8_t buffer[256];
    SysResult<size_t> got = sys_.Recv(fd, absl::MakeSpan(buffer), flags);
    if (!got.ok()) {
      Log(label, ErrnoName(got.error()));
    } else {
      Log(label, *got == 0 ? "ok 0 (EOF)" : absl::StrCat("ok ", *got, " B"));
    }
  }
  void SoError(absl::string_view label, int fd) {
    SysResult<int> error = sys_.GetSocketError(fd);
    if (!error.ok()) {
      Log(label, ErrnoName(error.error()));
    } else {
      Log(label, *error == 0 ? "0" : ErrnoName(*error));
    }
  }
  void Close(absl::string_view label, int fd) {
    for (UniqueFd& owned : owned_) {
      if (owned.get() == fd) {
        LogResult(label, owned.Close());
        return;
      }
    }
    LogResult(label, sys_.Close(fd));
  }
  // A listener on 127.0.0.1:0 with `backlog`, non-blocking.
  int Listener(int backlog) {
    const int fd = Socket("listener socket", AF_INET,
                          SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC);
    Bind("listener bind", fd, SockAddr::Loopback(AF_INET));
    Listen("listen", fd, backlog);
    return fd;
  }
  // A non-blocking client connecting to `to`.
  int Client(absl::string_view label, const SockAddr& to) {
    const int fd = Socket(absl::StrCat(label, " socket"), AF_INET,
                          SOCK_STREAM | SOCK_NONBLOCK);
    Connect(absl::StrCat(label, " connect"), fd, to);
    return fd;
  }

 private:
  Backend& backend_;
  Syscalls& sys_;
  std::vector<std::string> log_;
  std::vector<UniqueFd> owned_;
};

struct Scenario {
  std::string name;
  std::function<void(Script&)> run;
};

// Returns a 127.0.0.1 port that nobody listens on (bound once, then released).
SockAddr ClosedPort(Script& script) {
  SysResult<int> fd = script.sys().Socket(AF_INET, SOCK_STREAM, 0);
  if (!fd.ok()) return SockAddr();
  UniqueFd owner(script.sys(), *fd);
  (void)script.sys().Bind(*fd, SockAddr::Loopback(AF_INET));
  return script.Name(*fd);
}

std::vector<Scenario> Scenarios() {
  std::vector<Scenario> all;
  all.push_back({"FreshSocket", [](Script& s) {
                   const int fd =
                       s.Socket("socket", AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
                   s.PollAll("poll fresh", fd);
                   s.LogResult("getpeername", s.sys().GetPeerName(fd));
                   s.Recv("recv", fd);
                   s.Send("send", fd, 1, MSG_DONTWAIT);
                   s.Accept("accept", fd);
                   s.Bind("bind", fd, SockAddr::Loopback(AF_INET));
                   s.PollAll("poll bound", fd);
                   s.Log("bound port",
                         s.Name(fd).port() != 0 ? "non-zero" : "zero");
                   s.Bind("bind again", fd, SockAddr::Loopback(AF_INET));
                   s.Listen("listen", fd, 1);
                   s.PollAll("poll listening", fd);
                   s.Recv("recv on listener", fd);
                   s.Send("send on listener", fd, 1, MSG_DONTWAIT);
                   s.Connect("connect on listener", fd, s.Name(fd));
                 }});
  all.push_back({"BacklogZeroQueuesOne", [](Script& s) {
                   const int listener = s.Listener(0);
                   const SockAddr to = s.Name(listener);
                   const int c1 = s.Client("c1", to);
                   const int c2 = s.Client("c2", to);
                   s.Poll("poll c1", c1, POLLOUT, 1000);
                   s.Poll("poll c2 (SYN dropped)", c2, POLLOUT, 100);
                   s.PollAll("poll listener", listener);
                   s.Accept("accept 1", listener);
                   s.Accept("accept 2", listener);
                 }});
  all.push_back({"BacklogOneQueuesTwo", [](Script& s) {
                   const int listener = s.Listener(1);
                   const SockAddr to = s.Name(listener);
                   const int c1 = s.Client("c1", to);
                   const int c2 = s.Client("c2", to);
                   const int c3 = s.Client("c3", to);
                   s.Poll("poll c1", c1, POLLOUT, 1000);
                   s.Poll("poll c2", c2, POLLOUT, 1000);
                   s.Poll("poll c3 (SYN dropped)", c3, POLLOUT, 100);
                   s.Accept("accept 1", listener);
                   s.Accept("accept 2", listener);
                   s.Accept("accept 3", listener);
                 }});
  all.push_back({"DroppedSynStaysInProgress", [](Script& s) {
                   const int listener = s.Listener(0);
                   const SockAddr to = s.Name(listener);
                   const int c1 = s.Client("c1", to);
                   s.Poll("poll c1", c1, POLLOUT, 1000);
                   const int c2 = s.Client("c2", to);
                   s.PollAll("poll c2", c2, 100);
                   s.Connect("connect c2 again", c2, to);
                   s.LogResult("getpeername c2", s.sys().GetPeerName(c2));
                   s.SoError("so_error c2", c2);
                   s.Send("send c2", c2, 1, MSG_DONTWAIT);
                   s.Recv("recv c2", c2);
                 }});
  all.push_back({"ListenerCloseResetsQueuedAndRefusesDropped", [](Script& s) {
                   const int listener = s.Listener(0);
                   const SockAddr to = s.Name(listener);
                   const int queued = s.Client("queued", to);
                   s.Poll("poll queued", queued, POLLOUT, 1000);
                   const int dropped = s.Client("dropped", to);
                   s.Poll("poll dropped", dropped, POLLOUT, 50);
                   s.Close("close listener", listener);
                   s.Poll("poll queued after close", queued, POLLIN | POLLRDHUP,
                          1000);
                   s.Recv("recv queued", queued);
                   s.Recv("recv queued again", queued);
                   // The real kernel retransmits the dropped SYN after 1 s and
                   // gets RST.
                   s.Poll("poll dropped after close", dropped, POLLOUT, 3000);
                   s.SoError("so_error dropped", dropped);
                   s.PollAll("poll dropped after so_error", dropped);
                 }});
  all.push_back({"SecondConnectEalreadyThenZeroThenEisconn", [](Script& s) {
                   const int listener = s.Listener(4);
                   const SockAddr to = s.Name(listener);
                   const int full1 = s.Client("filler 1", to);
                   const int full2 = s.Client("filler 2", to);
                   const int full3 = s.Client("filler 3", to);
                   const int full4 = s.Client("filler 4", to);
                   const int full5 = s.Client("filler 5", to);
                   for (int fd : {full1, full2, full3, full4, full5}) {
                     s.Poll("poll filler", fd, POLLOUT, 1000);
                   }
                   const int c = s.Client("c", to);
                   s.Connect("connect while SYN dropped", c, to);
                   s.Accept("accept one filler", listener);
                   s.Accept("accept another", listener);
                   // The retransmission after 1 s now finds room.
                   s.Poll("poll c until connected", c, POLLOUT, 3000);
                   s.Connect("connect after async success", c, to);
                   s.Connect("connect once more", c, to);
                   SysResult<SockAddr> peer = s.sys().GetPeerName(c);
                   s.LogResult("getpeername", peer);
                   s.Log("peer is listener",
                         peer.ok() && *peer == to ? "yes" : "no");
                 }});
  all.push_back({"BlockingConnectSucceedsThenEisconn", [](Script& s) {
                   const int listener = s.Listener(1);
                   const SockAddr to = s.Name(listener);
                   const int c = s.Socket("socket", AF_INET, SOCK_STREAM);
                   s.Connect("blocking connect", c, to);
                   s.Connect("connect again", c, to);
                   s.Accept("accept", listener);
                 }});
  all.push_back({"AcceptEagainEinval", [](Script& s) {
                   const int listener = s.Listener(1);
                   s.Accept("accept empty", listener);
                   s.Accept("accept bad flags", listener, 0x4000);
                   const int other = s.Socket("socket", AF_INET, SOCK_STREAM);
                   s.Accept("accept not listening", other);
                   s.Accept("accept bad fd", 999999);
                 }});
  all.push_back({"EndOfStream", [](Script& s) {
                   const int listener = s.Listener(1);
                   const SockAddr to = s.Name(listener);
                   const int c = s.Client("c", to);
                   s.Poll("poll c", c, POLLOUT, 1000);
                   const int a = s.Accept("accept", listener);
                   s.Send("send c->a", c, 5, 0);
                   s.Close("close c", c);
                   s.Poll("poll a", a, POLLIN | POLLOUT | POLLRDHUP, 1000);
                   s.Recv("recv data", a);
                   s.Recv("recv eof", a);
                   s.Recv("recv eof again", a);
                 }});
  all.push_back({"CloseWithUnreadDataResets", [](Script& s) {
                   const int listener = s.Listener(1);
                   const SockAddr to = s.Name(listener);
                   const int c = s.Client("c", to);
                   s.Poll("poll c", c, POLLOUT, 1000);
                   const int a = s.Accept("accept", listener);
                   s.Send("send c->a", c, 3, 0);
                   s.Send("send a->c", a, 3, 0);
                   s.backend().Settle();
                   s.Close("close a with unread data", a);
                   s.backend().Settle();
                   s.PollAll("poll c", c);
                   s.Recv("recv pending data", c);
                   s.Recv("recv after reset", c);
                   s.Recv("recv again", c);
                   s.Send("send", c, 1, 0);
                   s.LogResult("getpeername", s.sys().GetPeerName(c));
                 }});
  all.push_back({"SendAfterResetGivesEconnresetThenEpipe", [](Script& s) {
                   const int listener = s.Listener(1);
                   const SockAddr to = s.Name(listener);
                   const int c = s.Client("c", to);
                   s.Poll("poll c", c, POLLOUT, 1000);
                   const int a = s.Accept("accept", listener);
                   s.Send("send c->a", c, 3, 0);
                   s.backend().Settle();
                   s.Close("close a with unread data", a);
                   s.backend().Settle();
                   s.Send("send 1", c, 1, 0);
                   s.Send("send 2", c, 1, 0);
                   s.Recv("recv", c);
                 }});
  all.push_back({"EpipeWithNoSignal", [](Script& s) {
                   const int listener = s.Listener(1);
                   const SockAddr to = s.Name(listener);
                   const int c = s.Client("c", to);
                   s.Poll("poll c", c, POLLOUT, 1000);
                   const int a = s.Accept("accept", listener);
                   s.Close("close c", c);
                   s.backend().Settle();
                   s.PollAll("poll a (CLOSE_WAIT)", a);
                   s.Send("send to closed peer", a, 1, 0);
                   s.backend().Settle();
                   s.PollAll("poll a after RST", a);
                   s.Recv("recv", a);
                   s.Send("send again (EPIPE)", a, 1, 0);
                   s.Send("send once more", a, 1, 0);
                   s.SoError("so_error", a);
                 }});
  all.push_back({"FullNonBlockingSendGivesEagain", [](Script& s) {
                   // Qualitative: Linux autotunes loopback buffers to a few MB,
                   // the simulator has a fixed socket_buffer_bytes; both must
                   // take bytes first, then refuse with EAGAIN, and stop
                   // reporting POLLOUT.
                   const int listener = s.Listener(1);
                   const SockAddr to = s.Name(listener);
                   const int c = s.Client("c", to);
                   s.Poll("poll c", c, POLLOUT, 1000);
                   const int a = s.Accept("accept", listener);
                   std::vector<uint8_t> chunk(1 << 20, 1);
                   SysResult<size_t> sent =
                       s.sys().Send(c, chunk, MSG_DONTWAIT | MSG_NOSIGNAL);
                   s.Log("first send",
                         sent.ok() && *sent > 0 ? "moved bytes" : "nothing");
                   int error_number = 0;
                   for (int i = 0; i < 256 && error_number == 0; ++i) {
                     sent = s.sys().Send(c, chunk, MSG_DONTWAIT | MSG_NOSIGNAL);
                     if (!sent.ok()) error_number = sent.error();
                   }
                   s.Log("send until full", ErrnoName(error_number));
                   s.PollAll("poll full sender", c);
                   s.PollAll("poll receiver", a);
                   s.Recv("receiver reads", a);
                 }});
  all.push_back(
      {"Accept4Flags", [](Script& s) {
         const int listener = s.Listener(2);
         const SockAddr to = s.Name(listener);
         const int c1 = s.Client("c1", to);
         const int c2 = s.Client("c2", to);
         s.Poll("poll c1", c1, POLLOUT, 1000);
         s.Poll("poll c2", c2, POLLOUT, 1000);
         const int a1 = s.Accept("accept4 nonblock|cloexec", listener,
                                 SOCK_NONBLOCK | SOCK_CLOEXEC);
         const int a2 =
             s.Accept("accept4 0 on a non-blocking listener", listener, 0);
         for (int fd : {a1, a2}) {
           SysResult<FdFlags> flags = s.sys().GetFdFlags(fd);
           s.Log("flags", flags.ok()
                              ? absl::StrCat("nonblock=", flags->nonblocking,
                                             " cloexec=", flags->cloexec)
                              : ErrnoName(flags.error()));
         }
         SysResult<SockAddr> c1_name = s.sys().GetSockName(c1);
         SysResult<SockAddr> a1_peer = s.sys().GetPeerName(a1);
         s.Log("accepted peer is c1",
               c1_name.ok() && a1_peer.ok() && *c1_name == *a1_peer ? "yes"
                                                                    : "no");
       }});
  all.push_back({"EmfileAtTheLimit", [](Script& s) {
                   const int listener = s.Listener(1);
                   const SockAddr to = s.Name(listener);
                   const int c = s.Client("c", to);
                   s.Poll("poll c", c, POLLOUT, 1000);
                   s.backend().SetRoom(1);
                   const int extra =
                       s.Socket("socket with room 1", AF_INET, SOCK_STREAM);
                   s.Socket("socket with room 0", AF_INET, SOCK_STREAM);
                   s.Accept("accept with room 0", listener);
                   s.LogResult("socketpair with room 0",
                               s.sys().SocketPair(AF_UNIX, SOCK_STREAM, 0));
                   s.Close("close one", extra);
                   s.LogResult("socketpair with room 1",
                               s.sys().SocketPair(AF_UNIX, SOCK_STREAM, 0));
                   s.backend().ResetRoom();
                   // EMFILE left the connection queued.
                   s.Accept("accept after raising the limit", listener);
                 }});
  all.push_back(
      {"PollEventsPerState", [](Script& s) {
         const int listener = s.Listener(0);
         const SockAddr to = s.Name(listener);
         s.PollAll("listener empty", listener);
         const int c1 = s.Client("c1", to);
         s.Poll("c1 connected", c1, POLLIN | POLLOUT | POLLRDHUP, 1000);
         s.PollAll("listener with one queued", listener);
         const int c2 = s.Client("c2", to);
         s.PollAll("c2 connecting (dropped)", c2, 50);
         const int refused = s.Client("refused", ClosedPort(s));
         s.Poll("refused", refused, POLLIN | POLLOUT | POLLRDHUP, 1000);
         s.Recv("recv refused", refused);
         s.PollAll("refused after the error was read", refused);
         s.Connect("connect again after the error was read", refused,
                   ClosedPort(s));
         const int closed = s.Socket("socket to close", AF_INET, SOCK_STREAM);
         s.Close("close it", closed);
         s.PollAll("closed fd", closed);
         // Negative fds are skipped.
         pollfd skipped = {-1, POLLIN, 0};
         SysResult<int> ready = s.sys().Poll(absl::MakeSpan(&skipped, 1), 0);
         s.Log("negative fd",
               ready.ok()
                   ? absl::StrCat(*ready, " ", EventNames(skipped.revents))
                   : ErrnoName(ready.error()));
       }});
  all.push_back({"BindAddresses", [](Script& s) {
                   const int a = s.Socket("socket a", AF_INET, SOCK_STREAM);
                   s.Bind("bind non-local", a, *SockAddr::Parse("10.1.2.3:0"));
                   s.Bind("bind 127.0.0.2:0", a,
                          *SockAddr::Parse("127.0.0.2:0"));
                   const uint16_t port = s.Name(a).port();
                   const int b = s.Socket("socket b", AF_INET, SOCK_STREAM);
                   s.Bind("bind same address and port", b,
                          SockAddr::Ipv4(0x7f000002, port));
                   s.Bind("bind 0.0.0.0 same port", b, SockAddr::Ipv4(0, port));
                   s.Bind("bind 127.0.0.3 same port", b,
                          SockAddr::Ipv4(0x7f000003, port));
                   const int v6 = s.Socket("socket v6", AF_INET6, SOCK_STREAM);
                   s.Bind("bind v4 address on v6 socket", v6,
                          SockAddr::Ipv4(0x7f000004, 0));
                   s.Bind("bind [::] same port (dual stack)", v6,
                          SockAddr::Ipv6(in6addr_any, port));
                   const int c = s.Socket("socket c", AF_INET, SOCK_STREAM);
                   s.Bind("bind v6 address on v4 socket", c,
                          SockAddr::Loopback(AF_INET6));
                   s.Bind("bind unset address", c, SockAddr());
                 }});
  all.push_back({"ConnectToClosedPortIsRefused", [](Script& s) {
                   const SockAddr closed = ClosedPort(s);
                   const int c = s.Client("nonblocking", closed);
                   s.Poll("poll", c, POLLOUT, 1000);
                   s.SoError("so_error", c);
                   s.SoError("so_error again", c);
                   s.Connect("connect after the error was read", c, closed);
                   s.Connect("connect once more", c, closed);
                   const int b =
                       s.Socket("blocking socket", AF_INET, SOCK_STREAM);
                   s.Connect("blocking connect", b, closed);
                   s.LogResult("getpeername", s.sys().GetPeerName(b));
                   const int r = s.Client("refused twice", closed);
                   s.Poll("poll r", r, POLLOUT, 1000);
                   s.Connect("connect reports the error", r, closed);
                 }});
  all.push_back(
      {"SourceAddressAndListenAutobind", [](Script& s) {
         const int listener = s.Socket("listener", AF_INET, SOCK_STREAM);
         s.Bind("bind 127.1.2.3:0", listener, *SockAddr::Parse("127.1.2.3:0"));
         s.Listen("listen -1", listener, -1);
         const SockAddr to = s.Name(listener);
         const int c = s.Client("c", to);
         s.Poll("poll c", c, POLLOUT, 1000);
         const SockAddr source = s.Name(c);
         s.Log("client source", source.WithPort(0).ToString());
         SysResult<AcceptedSocket> accepted = s.sys().Accept4(listener, 0);
         s.LogResult("accept", accepted);
         if (accepted.ok()) {
           UniqueFd a(s.sys(), accepted->fd);
           s.Log("accepted local", s.Name(a.get()).WithPort(0).ToString());
           s.Log("accept peer is client",
                 accepted->peer == source ? "yes" : "no");
         }
         const int unbound = s.Socket("unbound", AF_INET, SOCK_STREAM);
         s.Listen("listen unbound", unbound, 3);
         const SockAddr autobound = s.Name(unbound);
         s.Log("autobound", autobound.WithPort(0).ToString());
         s.Log("autobound port", autobound.port() != 0 ? "non-zero" : "zero");
         s.Listen("listen again", unbound, 5);
         s.Connect("connect on listener", unbound, to);
       }});
  all.push_back(
      {"UnixSocketPair", [](Script& s) {
         SysResult<std::array<int, 2>> pair =
             s.sys().SocketPair(AF_UNIX, SOCK_STREAM, 0);
         s.LogResult("socketpair", pair);
         if (!pair.ok()) return;
         UniqueFd a(s.sys(), (*pair)[0]);
         UniqueFd b(s.sys(), (*pair)[1]);
         s.PollAll("poll a", a.get());
         s.Send("send a->b", a.get(), 2, 0);
         s.PollAll("poll b", b.get());
         s.LogResult("getsockname (AF_UNIX has no SockAddr)",
                     s.sys().GetSockName(a.get()));
         s.LogResult("listen", s.sys().Listen(a.get(), 1));
         s.LogResult("accept", s.sys().Accept4(a.get(), 0));
         s.Send("send b->a", b.get(), 2, 0);
         s.LogResult("close a with unread data", a.Close());
         s.PollAll("poll b", b.get());
         s.Recv("recv b", b.get());
         s.Recv("recv b again", b.get());
         s.Recv("recv b once more", b.get());
         s.Send("send b", b.get(), 1, 0);
         SysResult<std::array<int, 2>> clean =
             s.sys().SocketPair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
         s.LogResult("socketpair cloexec", clean);
         if (!clean.ok()) return;
         UniqueFd c(s.sys(), (*clean)[0]);
         UniqueFd d(s.sys(), (*clean)[1]);
         SysResult<FdFlags> flags = s.sys().GetFdFlags(c.get());
         s.Log("cloexec", flags.ok() && flags->cloexec ? "yes" : "no");
         s.LogResult("close d", d.Close());
         s.PollAll("poll c", c.get());
         s.Recv("recv c", c.get());
         s.Send("send c", c.get(), 1, 0);
       }});
  all.push_back(
      {"SocketArgumentErrors", [](Script& s) {
         s.LogResult("bad domain", s.sys().Socket(12345, SOCK_STREAM, 0));
         s.LogResult("bad type", s.sys().Socket(AF_INET, 77, 0));
         s.LogResult("bad type flag",
                     s.sys().Socket(AF_INET, SOCK_STREAM | 0x40000, 0));
         s.LogResult("udp protocol on stream",
                     s.sys().Socket(AF_INET, SOCK_STREAM, 17));
         s.LogResult("negative protocol",
                     s.sys().Socket(AF_INET6, SOCK_STREAM, -1));
         s.LogResult("unix protocol 5",
                     s.sys().Socket(AF_UNIX, SOCK_STREAM, 5));
         s.LogResult("socketpair AF_INET",
                     s.sys().SocketPair(AF_INET, SOCK_STREAM, 0));
         s.LogResult("close bad fd", s.sys().Close(999999));
         s.LogResult("bind bad fd",
                     s.sys().Bind(999999, SockAddr::Loopback(AF_INET)));
         SysResult<int> tcp = s.sys().Socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
         s.LogResult("explicit IPPROTO_TCP", tcp);
         if (tcp.ok()) (void)s.sys().Close(*tcp);
       }});
  return all;
}

class DifferentialTest : public ::testing::TestWithParam<Scenario> {};

TEST_P(DifferentialTest, RealAndSimAgree) {
  RealBackend real;
  SimBackend sim;
  std::vector<std::string> real_log;
  std::vector<std::string> sim_log;
  {
    Script script(real);
    GetParam().run(script);
    real_log = script.log();
  }
  {
    Script script(sim);
    GetParam().run(script);
    sim_log = script.log();
  }
  ASSERT_FALSE(real_log.empty());
  for (size_t i = 0; i < std::max(real_log.size(), sim_log.size()); ++i) {
    EXPECT_EQ(i < real_log.size() ? real_log[i] : "(missing)",
              i < sim_log.size() ? sim_log[i] : "(missing)")
        << "step " << i << " (real left, sim right)";
  }
  EXPECT_FALSE(sim.kernel().hang().has_value());
  EXPECT_EQ(sim.kernel().open_fd_count(), 0);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, DifferentialTest,
                         ::testing::ValuesIn(Scenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace sockfi
