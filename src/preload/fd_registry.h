// FdRegistry: which fds are tracked sockets, and where each came from.
//
// Lock-free: a bitmap of atomic words says whether an fd is tracked (one
// relaxed load answers for an untracked fd), and a table indexed by fd holds
// each tracked fd's origin. Both live in anonymous memory mapped at the first
// Track (nothing is mapped for a program that never makes a socket) and never
// freed, so the registry allocates nothing and may be used from signal
// handlers.

#ifndef SOCKFI_SRC_PRELOAD_FD_REGISTRY_H_
#define SOCKFI_SRC_PRELOAD_FD_REGISTRY_H_

#include <sys/types.h>

#include <atomic>
#include <cstdint>

#include "src/preload/names.h"

namespace sockfi::preload {

// Where a tracked fd came from.
struct FdOrigin {
  TraceKind kind = TraceKind::kSetSockOpt;
  Function function = Function::kSocket;
  uint32_t occurrence = 0;
  int32_t domain = 0;
  int32_t type = 0;  // without SOCK_NONBLOCK and SOCK_CLOEXEC
  pid_t pid = 0;     // the process that made it
  uint32_t faults_before = 0;
  // The last fault injected before it was made (PackFault), 0 if none.
  uint64_t last_fault = 0;
};

// Packs an injected fault (call#occurrence=errno) into 64 bits (never 0).
inline uint64_t PackFault(TraceKind kind, uint32_t occurrence, int error) {
  return (uint64_t{1} << 63) | (uint64_t{static_cast<uint8_t>(kind)} << 48) |
         (uint64_t{static_cast<uint16_t>(error)} << 32) | occurrence;
}
inline TraceKind FaultKindOf(uint64_t packed) {
  return static_cast<TraceKind>((packed >> 48) & 0xff);
}
inline int FaultErrnoOf(uint64_t packed) {
  return static_cast<int>((packed >> 32) & 0xffff);
}
inline uint32_t FaultOccurrenceOf(uint64_t packed) {
  return static_cast<uint32_t>(packed);
}

class FdRegistry {
 public:
  constexpr FdRegistry() = default;
  FdRegistry(const FdRegistry&) = delete;
  FdRegistry& operator=(const FdRegistry&) = delete;

  // Returns whether `fd` is tracked. Lock-free, allocation-free, errno kept.
  bool Tracked(int fd) const {
    if (static_cast<unsigned>(fd) >= static_cast<unsigned>(kCapacity)) {
      return false;
    }
    const std::atomic<uint64_t>* bits = bits_.load(std::memory_order_acquire);
    if (bits == nullptr) return false;
    return (bits[fd >> 6].load(std::memory_order_acquire) &
            (uint64_t{1} << (fd & 63))) != 0;
  }

  // Starts tracking `fd` with `origin`. Returns false (and tracks nothing) for
  // an fd beyond the capacity or when the tables cannot be mapped.
  bool Track(int fd, const FdOrigin& origin);

  // Stops tracking `fd`; returns whether it was tracked.
  bool Untrack(int fd);

  // Returns the origin of a tracked fd.
  const FdOrigin& Origin(int fd) const { return origins_.load()[fd]; }

  // Returns how many fds are tracked now.
  int open_count() const { return open_count_.load(); }

  // Returns whether any fd was ever tracked.
  bool ever_tracked() const { return bits_.load() != nullptr; }

  // Calls visit(fd) for each tracked fd, in increasing order.
  template <typename Visit>
  void ForEach(Visit visit) const {
    const std::atomic<uint64_t>* bits = bits_.load(std::memory_order_acquire);
    if (bits == nullptr) return;
    const int words = (high_water_.load() >> 6) + 1;
    for (int word = 0; word < words && word < kCapacity / 64; ++word) {
      uint64_t set = bits[word].load();
      while (set != 0) {
        const int bit = __builtin_ctzll(set);
        set &= set - 1;
        visit(word * 64 + bit);
      }
    }
  }

  static constexpr int kCapacity = 1 << 20;

 private:
  bool Map();

  std::atomic<std::atomic<uint64_t>*> bits_{nullptr};
  std::atomic<FdOrigin*> origins_{nullptr};
  std::atomic<int> open_count_{0};
  std::atomic<int> high_water_{0};
  std::atomic<bool> mapping_{false};
};

}  // namespace sockfi::preload

#endif  // SOCKFI_SRC_PRELOAD_FD_REGISTRY_H_
