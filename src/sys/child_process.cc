#include "src/sys/child_process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "src/sys/errno_name.h"

extern char** environ;

namespace sockfi {
namespace {

// Owns a plain fd of this process (a pipe end, a pidfd); closes it once.
class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(OwnedFd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = other.fd_;
      other.fd_ = -1;
    }
    return *this;
  }
  ~OwnedFd() { Reset(); }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void Reset() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Keeps the first and the last `limit / 2` bytes of what it is given.
class OutputBuffer {
 public:
  explicit OutputBuffer(size_t limit) : half_(std::max<size_t>(limit / 2, 1)) {}

  void Append(const char* data, size_t size) {
    const size_t to_head =
        std::min(size, half_ - std::min(half_, head_.size()));
    head_.append(data, to_head);
    if (to_head == size) return;
    tail_.append(data + to_head, size - to_head);
    if (tail_.size() > 2 * half_) {
      dropped_ += tail_.size() - half_;
      tail_.erase(0, tail_.size() - half_);
    }
  }

  std::string Take() {
    if (tail_.size() > half_) {
      dropped_ += tail_.size() - half_;
      tail_.erase(0, tail_.size() - half_);
    }
    if (dropped_ == 0) return head_ + tail_;
    return absl::StrCat(head_, "\n[... ", dropped_, " bytes left out ...]\n",
                        tail_);
  }

 private:
  const size_t half_;
  std::string head_;
  std::string tail_;
  size_t dropped_ = 0;
};

// The environment of the child: ours, with `overrides` set.
std::vector<std::string> ChildEnvironment(
    const std::vector<std::pair<std::string, std::string>>& overrides,
    const std::vector<std::string>& removed) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const absl::string_view text(*entry);
    bool replaced = false;
    for (const auto& [name, value] : overrides) {
      if (absl::StartsWith(text, absl::StrCat(name, "="))) replaced = true;
    }
    for (const std::string& name : removed) {
      if (absl::StartsWith(text, absl::StrCat(name, "="))) replaced = true;
    }
    if (!replaced) env.emplace_back(text);
  }
  for (const auto& [name, value] : overrides) {
    env.push_back(absl::StrCat(name, "=", value));
  }
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Returns an fd that polls readable when `pid` exits, or an invalid one where
// the kernel has no pidfd_open (before Linux 5.3).
OwnedFd OpenPidFd(pid_t pid) {
#ifdef SYS_pidfd_open
  const long fd = syscall(SYS_pidfd_open, pid, 0);
  if (fd >= 0) return OwnedFd(static_cast<int>(fd));
#endif
  (void)pid;
  return OwnedFd();
}

std::string SignalName(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  if (abbrev == nullptr) return absl::StrCat("signal ", signal);
  return absl::StrCat("SIG", abbrev);
}

}  // namespace

std::string ChildExit::Describe() const {
  if (timed_out) {
    return absl::StrCat("timed out after ", absl::FormatDuration(elapsed));
  }
  if (exited) return absl::StrCat("exit ", exit_code);
  return absl::StrCat("killed by ", SignalName(signal));
}

absl::StatusOr<ChildExit> RunChild(const ChildSpec& spec) {
  if (spec.argv.empty()) {
    return absl::InvalidArgumentError("no program to run (argv is empty)");
  }
  std::vector<std::string> argv = spec.argv;
  std::vector<std::string> env = ChildEnvironment(spec.env, spec.unset_env);
  std::vector<char*> argv_pointers = Pointers(argv);
  std::vector<char*> env_pointers = Pointers(env);

  OwnedFd read_end;
  OwnedFd write_end;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (spec.capture_output) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
      const int error_number = errno;
      posix_spawn_file_actions_destroy(&actions);
      return absl::InternalError(
          absl::StrCat("pipe2: ", ErrnoName(error_number)));
    }
    read_end = OwnedFd(fds[0]);
    write_end = OwnedFd(fds[1]);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), 2);
  }
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, so a timeout kills whatever it started too.
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);

  const absl::Time start = absl::Now();
  pid_t pid = -1;
  const int spawn_error =
      posix_spawnp(&pid, argv_pointers[0], &actions, &attributes,
                   argv_pointers.data(), env_pointers.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawn_error != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot run ", spec.argv[0], ": ", strerror(spawn_error),
                     " (", ErrnoName(spawn_error), ")"));
  }
  write_end = OwnedFd();  // the child holds its copy

  const OwnedFd pid_fd = OpenPidFd(pid);
  const absl::Time deadline = spec.timeout == absl::InfiniteDuration()
                                  ? absl::InfiniteFuture()
                                  : start + spec.timeout;
  OutputBuffer output(spec.max_output);
  ChildExit result;
  int status = 0;
  bool reaped = false;
  while (!reaped) {
    const pid_t waited = waitpid(pid, &status, WNOHANG);
    if (waited == pid) {
      reaped = true;
      break;
    }
    const absl::Time now = absl::Now();
    if (now >= deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      result.timed_out = true;
      reaped = true;
      break;
    }
    pollfd fds[2];
    int count = 0;
    if (pid_fd.valid()) fds[count++] = {pid_fd.get(), POLLIN, 0};
    if (read_end.valid()) fds[count++] = {read_end.get(), POLLIN, 0};
    // Without a pidfd, look again every 2 ms.
    int64_t wait_ms = pid_fd.valid() ? -1 : 2;
    if (deadline != absl::InfiniteFuture()) {
      const int64_t left = absl::ToInt64Milliseconds(deadline - now) + 1;
      wait_ms = wait_ms < 0 ? left : std::min(wait_ms, left);
    }
    if (count == 0) {
      usleep(static_cast<useconds_t>(std::max<int64_t>(wait_ms, 1) * 1000));
      continue;
    }
    const int ready = poll(fds, count, static_cast<int>(wait_ms));
    if (ready <= 0) continue;
    for (int i = 0; i < count; ++i) {
      if (fds[i].fd != read_end.get() || fds[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t got = read(read_end.get(), buffer, sizeof(buffer));
      if (got > 0) {
        output.Append(buffer, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        read_end = OwnedFd();  // end of output (or a broken pipe)
      }
    }
  }
  result.elapsed = absl::Now() - start;
  // What the child wrote last is still in the pipe; a grandchild that keeps
  // the pipe open must not hold us, so read only what is there.
  if (read_end.valid()) {
    fcntl(read_end.get(), F_SETFL, O_NONBLOCK);
    char buffer[4096];
    ssize_t got;
    while ((got = read(read_end.get(), buffer, sizeof(buffer))) > 0) {
      output.Append(buffer, static_cast<size_t>(got));
    }
  }
  if (!result.timed_out) {
    // Whatever it started in its group goes with it.
    kill(-pid, SIGKILL);
  }
  if (WIFEXITED(status)) {
    result.exited = true;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  if (result.timed_out) result.exited = false;
  if (spec.capture_output) result.output = output.Take();
  return result;
}

}  // namespace sockfi
