// TraceWriter: appends JSON lines to the SOCKFI_TRACE file from any thread,
// without locks or allocation.
//
// A regular file is written through a shared memory mapping: the writer
// reserves 256 KiB at the end of the file at a time (under flock, so several
// processes can share the file), fills the reservation with spaces ending in a
// newline, and each line takes its place in it with one atomic add and a
// memcpy. Lines survive the process being killed (they are in the page cache
// at once); padding a process never used stays as a whitespace-only line,
// except that Finish trims it when the process's reservation is the file's
// last. Anything else (a pipe, a terminal, /dev/stderr) is written with one
// write(2) per line.

#ifndef SOCKFI_SRC_PRELOAD_TRACE_WRITER_H_
#define SOCKFI_SRC_PRELOAD_TRACE_WRITER_H_

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace sockfi::preload {

class TraceWriter {
 public:
  // The size of one reservation.
  static constexpr size_t kChunkSize = 256 * 1024;

  constexpr TraceWriter() = default;
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // Sets the file to write (a copy of `path` is kept). Touches no file.
  // Returns false when the path is longer than PATH_MAX.
  bool Configure(const char* path);
  bool enabled() const { return path_[0] != '\0'; }

  // Appends one line, which must end with '\n' and be shorter than
  // kChunkSize. Returns false when the line was dropped: the file could not be
  // opened (a message saying why goes to stderr, once), Finish has run, or the
  // next reservation was under way in a thread this call interrupted.
  // May change errno.
  bool Append(const char* line, size_t size);

  // Stops appending, waits (briefly) for appends under way, and trims this
  // process's unused padding when its reservation ends the file.
  void Finish();

  // In a fork child: forgets the parent's reservation (the child makes its
  // own) and any append the fork interrupted.
  void ResetInChild();

  // Returns how many lines were dropped.
  uint64_t dropped() const { return dropped_.load(); }

 private:
  struct Chunk {
    char* map = nullptr;  // the mapping, from a page boundary
    size_t map_size = 0;
    char* data = nullptr;   // where the reservation starts in it
    off_t file_offset = 0;  // where the reservation starts in the file
    std::atomic<size_t> used{0};
  };

  // Reserves a new chunk; null on failure or when the file is not regular (then
  // fallback_fd_ is set).
  Chunk* Reserve();
  // Makes a new chunk current unless another thread did since `seen` was
  // read. Returns false when the line must be dropped.
  bool Rollover(Chunk* seen);
  void UnmapRetired();
  void Complain(const char* what, int error);

  char path_[4096] = {};
  std::atomic<Chunk*> current_{nullptr};
  std::atomic<int> fallback_fd_{-1};
  std::atomic<int> inflight_{0};
  std::atomic<bool> rolling_{false};
  std::atomic<bool> finished_{false};
  std::atomic<bool> failed_{false};
  std::atomic<uint64_t> dropped_{0};
  // Chunks replaced but perhaps still being written into, unmapped once no
  // append is under way (only the rolling thread touches these).
  static constexpr int kMaxRetired = 64;
  Chunk* retired_[kMaxRetired] = {};
  int retired_count_ = 0;
};

}  // namespace sockfi::preload

#endif  // SOCKFI_SRC_PRELOAD_TRACE_WRITER_H_
