// FdTable: a simulated process's file descriptor table.
//
// Maps fds to kernel objects (socket ids), hands out the lowest free fd first
// as POSIX requires, and enforces the per-process limit (RLIMIT_NOFILE): an fd
// >= limit is never handed out. Fds below `first_fd` start out open as
// non-socket files (a real process's stdin, stdout and stderr).

#ifndef SOCKFI_SRC_SIM_FD_TABLE_H_
#define SOCKFI_SRC_SIM_FD_TABLE_H_

#include <vector>

namespace sockfi {

class FdTable {
 public:
  // The object of an open fd that is not a socket.
  static constexpr int kNonSocket = -2;

  struct Entry {
    int object = kFree;    // socket id, kNonSocket, or kFree
    bool cloexec = false;  // FD_CLOEXEC
    bool open() const { return object != kFree; }
  };

  // Opens fds [0, first_fd) as non-socket files; `limit` is RLIMIT_NOFILE.
  FdTable(int first_fd, int limit);
  // Makes the table what FdTable(first_fd, limit) is, keeping storage.
  void Reset(int first_fd, int limit);

  // Returns the entry of an open fd, or nullptr for a closed or negative fd.
  const Entry* Find(int fd) const {
    if (fd < 0 || fd >= static_cast<int>(entries_.size())) return nullptr;
    const Entry& entry = entries_[fd];
    return entry.open() ? &entry : nullptr;
  }
  Entry* Find(int fd) {
    return const_cast<Entry*>(static_cast<const FdTable*>(this)->Find(fd));
  }

  // Returns the lowest free fd that is > `after` (may be >= limit()).
  int LowestFree(int after = -1) const;

  // Opens `fd` (which must be free) for `object`.
  void Install(int fd, int object, bool cloexec);
  // Frees `fd`, which must be open.
  void Release(int fd);

  int limit() const { return limit_; }
  // Sets the limit, like setrlimit(RLIMIT_NOFILE): fds already open stay open.
  void set_limit(int limit) { limit_ = limit < 0 ? 0 : limit; }

  // Returns the open fds that hold sockets, ascending.
  std::vector<int> SocketFds() const;
  // Returns the number of open fds that hold sockets.
  int socket_count() const { return socket_count_; }
  // Returns the number of open fds of any kind.
  int open_count() const { return open_count_; }
  // Returns one past the highest fd ever opened (for iteration).
  int size() const { return static_cast<int>(entries_.size()); }

 private:
  static constexpr int kFree = -1;

  std::vector<Entry> entries_;
  int limit_;
  int lowest_free_;  // no free fd below it
  int socket_count_ = 0;
  int open_count_ = 0;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_SIM_FD_TABLE_H_
