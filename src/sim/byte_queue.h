// ByteQueue: the bytes in flight in one direction of a simulated connection.
//
// A FIFO of bytes that keeps its storage when emptied, so a kernel that is
// reused does not allocate again. Capacity limits are the caller's business.

#ifndef SOCKFI_SRC_SIM_BYTE_QUEUE_H_
#define SOCKFI_SRC_SIM_BYTE_QUEUE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/types/span.h"

namespace sockfi {

class ByteQueue {
 public:
  // Returns the number of bytes queued.
  size_t size() const { return bytes_.size() - head_; }
  bool empty() const { return size() == 0; }

  // Appends `data`.
  void Append(absl::Span<const uint8_t> data) {
    if (data.empty()) return;
    if (head_ > 0 && head_ == bytes_.size()) Clear();
    bytes_.insert(bytes_.end(), data.begin(), data.end());
  }

  // Copies up to `out.size()` bytes from the front into `out` and returns how
  // many; removes them unless `peek`.
  size_t Read(absl::Span<uint8_t> out, bool peek) {
    const size_t n = out.size() < size() ? out.size() : size();
    if (n > 0) std::memcpy(out.data(), bytes_.data() + head_, n);
    if (!peek) {
      head_ += n;
      if (head_ == bytes_.size()) {
        Clear();
      } else if (head_ > 4096 && head_ * 2 > bytes_.size()) {
        bytes_.erase(bytes_.begin(), bytes_.begin() + head_);
        head_ = 0;
      }
    }
    return n;
  }

  // Drops every byte (storage is kept).
  void Clear() {
    bytes_.clear();
    head_ = 0;
  }

 private:
  std::vector<uint8_t> bytes_;
  size_t head_ = 0;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_SIM_BYTE_QUEUE_H_
