#include "src/sim/fd_table.h"

#include <cassert>
#include <cstddef>

namespace sockfi {

FdTable::FdTable(int first_fd, int limit) {
  entries_.reserve(static_cast<size_t>(first_fd) + 8);
  Reset(first_fd, limit);
}

void FdTable::Reset(int first_fd, int limit) {
  limit_ = limit < 0 ? 0 : limit;
  lowest_free_ = first_fd;
  entries_.assign(static_cast<size_t>(first_fd), Entry{kNonSocket, false});
  open_count_ = first_fd;
  socket_count_ = 0;
}

int FdTable::LowestFree(int after) const {
  int fd = after + 1 > lowest_free_ ? after + 1 : lowest_free_;
  const int size = static_cast<int>(entries_.size());
  while (fd < size && entries_[fd].open()) ++fd;
  return fd;
}

void FdTable::Install(int fd, int object, bool cloexec) {
  assert(fd >= 0 && object != kFree);
  if (fd >= static_cast<int>(entries_.size())) entries_.resize(fd + 1);
  assert(!entries_[fd].open());
  entries_[fd] = Entry{object, cloexec};
  ++open_count_;
  if (object != kNonSocket) ++socket_count_;
  if (fd == lowest_free_) lowest_free_ = LowestFree(fd);
}

void FdTable::Release(int fd) {
  Entry& entry = entries_[fd];
  assert(entry.open());
  if (entry.object != kNonSocket) --socket_count_;
  --open_count_;
  entry = Entry{};
  if (fd < lowest_free_) lowest_free_ = fd;
  // Keep the table short when its top fds close.
  while (!entries_.empty() && !entries_.back().open()) entries_.pop_back();
}

std::vector<int> FdTable::SocketFds() const {
  std::vector<int> fds;
  fds.reserve(socket_count_);
  for (int fd = 0; fd < static_cast<int>(entries_.size()); ++fd) {
    if (entries_[fd].open() && entries_[fd].object != kNonSocket) {
      fds.push_back(fd);
    }
  }
  return fds;
}

}  // namespace sockfi
