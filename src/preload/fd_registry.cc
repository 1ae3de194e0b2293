#include "src/preload/fd_registry.h"

#include <sched.h>
#include <sys/mman.h>

namespace sockfi::preload {

bool FdRegistry::Map() {
  if (bits_.load(std::memory_order_acquire) != nullptr) return true;
  // One thread maps; the others wait for it (the first socket of a process).
  if (mapping_.exchange(true)) {
    while (bits_.load(std::memory_order_acquire) == nullptr) {
      if (!mapping_.load()) return false;  // the mapper failed
      sched_yield();
    }
    return true;
  }
  const size_t bits_size = kCapacity / 8;
  const size_t origins_size = sizeof(FdOrigin) * kCapacity;
  void* bits = mmap(nullptr, bits_size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  void* origins = mmap(nullptr, origins_size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (bits == MAP_FAILED || origins == MAP_FAILED) {
    if (bits != MAP_FAILED) munmap(bits, bits_size);
    if (origins != MAP_FAILED) munmap(origins, origins_size);
    mapping_.store(false);
    return false;
  }
  origins_.store(static_cast<FdOrigin*>(origins));
  bits_.store(static_cast<std::atomic<uint64_t>*>(bits),
              std::memory_order_release);
  return true;
}

bool FdRegistry::Track(int fd, const FdOrigin& origin) {
  if (fd < 0 || fd >= kCapacity || !Map()) return false;
  std::atomic<uint64_t>& word = bits_.load()[fd >> 6];
  // The kernel hands out `fd` only after the thread that had it closed it,
  // which untracked it first: this acquire orders that thread's writes to the
  // origin before ours (the kernel's ordering is invisible to the language).
  (void)word.load(std::memory_order_acquire);
  origins_.load()[fd] = origin;
  const uint64_t mask = uint64_t{1} << (fd & 63);
  const uint64_t before = word.fetch_or(mask, std::memory_order_acq_rel);
  if ((before & mask) == 0) open_count_.fetch_add(1);
  int high = high_water_.load();
  while (fd > high && !high_water_.compare_exchange_weak(high, fd)) {
  }
  return true;
}

bool FdRegistry::Untrack(int fd) {
  if (fd < 0 || fd >= kCapacity) return false;
  std::atomic<uint64_t>* bits = bits_.load(std::memory_order_acquire);
  if (bits == nullptr) return false;
  const uint64_t mask = uint64_t{1} << (fd & 63);
  const uint64_t before =
      bits[fd >> 6].fetch_and(~mask, std::memory_order_acq_rel);
  if ((before & mask) == 0) return false;
  open_count_.fetch_sub(1);
  return true;
}

}  // namespace sockfi::preload
