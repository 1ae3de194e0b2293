#include "src/preload/trace_writer.h"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "src/preload/next_calls.h"

namespace sockfi::preload {
namespace {

// How long a thread waits for another's reservation before dropping its line
// (a signal handler that interrupted the reserving thread would wait forever).
constexpr int kMaxRolloverSpins = 20000;
// The lowest fd number the fallback writer moves its fd to, out of the way of
// the program's own numbering.
constexpr int kHighFd = 512;

void WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t wrote = CallWrite(fd, data, size);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return;
    }
    data += wrote;
    size -= static_cast<size_t>(wrote);
  }
}

// Writes TraceWriter::kChunkSize bytes of padding at `offset`: spaces, then a
// newline. Returns false (errno set) when they could not all be written.
bool FillWithSpaces(int fd, off_t offset) {
  static char spaces[4096];
  static char last[4096];
  if (spaces[0] != ' ') {  // racing threads write the same bytes
    memset(last, ' ', sizeof(last));
    last[sizeof(last) - 1] = '\n';
    memset(spaces, ' ', sizeof(spaces));
  }
  constexpr size_t kPieces = TraceWriter::kChunkSize / sizeof(spaces);
  static_assert(kPieces * sizeof(spaces) == TraceWriter::kChunkSize);
  iovec pieces[kPieces];
  for (size_t i = 0; i < kPieces; ++i) {
    pieces[i].iov_base = i + 1 == kPieces ? last : spaces;
    pieces[i].iov_len = sizeof(spaces);
  }
  size_t done = 0;
  while (done < TraceWriter::kChunkSize) {
    // Skip the pieces already written (a short write ends on any byte).
    size_t skip = done / sizeof(spaces);
    iovec rest[kPieces];
    size_t count = 0;
    for (size_t i = skip; i < kPieces; ++i) rest[count++] = pieces[i];
    const size_t into = done % sizeof(spaces);
    rest[0].iov_base = static_cast<char*>(rest[0].iov_base) + into;
    rest[0].iov_len -= into;
    const ssize_t wrote = pwritev(fd, rest, static_cast<int>(count),
                                  offset + static_cast<off_t>(done));
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (wrote == 0) {
      errno = ENOSPC;
      return false;
    }
    done += static_cast<size_t>(wrote);
  }
  return true;
}

int LockFile(int fd, int operation) {
  int result;
  do {
    result = flock(fd, operation);
  } while (result != 0 && errno == EINTR);
  return result;
}

}  // namespace

bool TraceWriter::Configure(const char* path) {
  const size_t length = strlen(path);
  if (length >= PATH_MAX || length >= sizeof(path_)) return false;
  memcpy(path_, path, length + 1);
  return true;
}

void TraceWriter::Complain(const char* what, int error) {
  if (failed_.exchange(true)) return;
  const char* reason = strerrordesc_np(error);
  WriteAll(2, "sockfi-preload: SOCKFI_TRACE: ", 30);
  WriteAll(2, what, strlen(what));
  WriteAll(2, " ", 1);
  WriteAll(2, path_, strlen(path_));
  WriteAll(2, ": ", 2);
  WriteAll(2, reason ? reason : "unknown error",
           strlen(reason ? reason : "unknown error"));
  WriteAll(2, "; no further trace lines\n", 25);
}

TraceWriter::Chunk* TraceWriter::Reserve() {
  const int fd = open(path_, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
  if (fd < 0) {
    // Not a file we may read: try plain appending (a pipe, a terminal).
    const int append_fd =
        open(path_, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0644);
    if (append_fd < 0) {
      Complain("cannot open", errno);
      return nullptr;
    }
    const int high = CallFcntl(append_fd, F_DUPFD_CLOEXEC, kHighFd);
    if (high >= 0) CallClose(append_fd);
    fallback_fd_.store(high >= 0 ? high : append_fd);
    return nullptr;
  }
  struct stat status;
  if (fstat(fd, &status) != 0) {
    Complain("cannot stat", errno);
    CallClose(fd);
    return nullptr;
  }
  if (!S_ISREG(status.st_mode)) {
    const int high = CallFcntl(fd, F_DUPFD_CLOEXEC, kHighFd);
    if (high >= 0) CallClose(fd);
    fallback_fd_.store(high >= 0 ? high : fd);
    return nullptr;
  }
  Chunk* chunk = nullptr;
  char* map = static_cast<char*>(MAP_FAILED);
  size_t map_size = 0;
  off_t start = 0;
  if (LockFile(fd, LOCK_EX) != 0) {
    Complain("cannot lock", errno);
  } else if (fstat(fd, &status) != 0) {
    Complain("cannot stat", errno);
  } else {
    start = status.st_size;
    // Fill the reservation with spaces (the newline last) by writing them:
    // one pass allocates the pages and their content, so the lines written
    // through the mapping later find them in place.
    if (!FillWithSpaces(fd, start)) {
      Complain("cannot extend", errno);
      if (ftruncate(fd, start) != 0) {
        // Whatever was written stays as padding; readers skip it.
      }
    } else {
      const off_t page = static_cast<off_t>(getpagesize());
      const off_t base = start - start % page;
      map_size = static_cast<size_t>(start - base) + kChunkSize;
      map = static_cast<char*>(mmap(nullptr, map_size, PROT_READ | PROT_WRITE,
                                    MAP_SHARED, fd, base));
      if (map == MAP_FAILED) {
        Complain("cannot map", errno);
      } else {
        void* slot = mmap(nullptr, sizeof(Chunk), PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (slot == MAP_FAILED) {
          Complain("cannot map", errno);
          munmap(map, map_size);
        } else {
          chunk = new (slot) Chunk;
          chunk->map = map;
          chunk->map_size = map_size;
          chunk->data = map + (start - base);
          chunk->file_offset = start;
        }
      }
    }
  }
  LockFile(fd, LOCK_UN);
  CallClose(fd);
  return chunk;
}

void TraceWriter::UnmapRetired() {
  for (int i = 0; i < retired_count_; ++i) {
    munmap(retired_[i]->map, retired_[i]->map_size);
    munmap(retired_[i], sizeof(Chunk));
  }
  retired_count_ = 0;
}

bool TraceWriter::Rollover(Chunk* seen) {
  int spins = 0;
  while (rolling_.exchange(true)) {
    if (current_.load() != seen) return true;
    if (++spins > kMaxRolloverSpins) return false;
    sched_yield();
  }
  bool ok = true;
  if (current_.load() == seen && fallback_fd_.load() < 0) {
    if (failed_.load()) {
      ok = false;
    } else {
      Chunk* fresh = Reserve();
      if (fresh != nullptr) {
        current_.store(fresh);
        if (seen != nullptr) {
          if (retired_count_ < kMaxRetired) retired_[retired_count_++] = seen;
        }
        // Only this append is under way: nobody can still hold a retired
        // chunk (appends read current_ after counting themselves in).
        if (inflight_.load() == 1) UnmapRetired();
      } else if (fallback_fd_.load() < 0) {
        ok = false;
      }
    }
  }
  rolling_.store(false);
  return ok;
}

bool TraceWriter::Append(const char* line, size_t size) {
  if (!enabled() || size == 0 || size >= kChunkSize) return false;
  inflight_.fetch_add(1);
  bool written = false;
  while (!finished_.load()) {
    const int fd = fallback_fd_.load();
    if (fd >= 0) {
      WriteAll(fd, line, size);
      written = true;
      break;
    }
    Chunk* chunk = current_.load();
    if (chunk != nullptr) {
      const size_t at = chunk->used.fetch_add(size);
      // The chunk's last byte stays a newline.
      if (at + size < kChunkSize) {
        memcpy(chunk->data + at, line, size);
        written = true;
        break;
      }
    }
    if (!Rollover(chunk)) break;
  }
  inflight_.fetch_sub(1);
  if (!written) dropped_.fetch_add(1);
  return written;
}

void TraceWriter::Finish() {
  if (finished_.exchange(true)) return;
  for (int spins = 0; inflight_.load() > 0; ++spins) {
    if (spins > kMaxRolloverSpins) return;  // a thread is stuck mid-line
    sched_yield();
  }
  Chunk* chunk = current_.load();
  if (chunk == nullptr) return;
  const int fd = open(path_, O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return;
  if (LockFile(fd, LOCK_EX) == 0) {
    struct stat status;
    const off_t end = chunk->file_offset + static_cast<off_t>(kChunkSize);
    if (fstat(fd, &status) == 0 && status.st_size == end) {
      size_t used = chunk->used.load();
      if (used > kChunkSize - 1) used = kChunkSize - 1;
      if (ftruncate(fd, chunk->file_offset + static_cast<off_t>(used)) != 0) {
        // The padding stays: readers skip whitespace-only lines.
      }
    }
    LockFile(fd, LOCK_UN);
  }
  CallClose(fd);
}

void TraceWriter::ResetInChild() {
  // The parent goes on writing into its chunk; the child must not.
  current_.store(nullptr);
  retired_count_ = 0;
  inflight_.store(0);
  rolling_.store(false);
}

}  // namespace sockfi::preload
