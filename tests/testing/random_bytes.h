// RandomBytes: fuzzer-like inputs for tests that feed decoders.

#ifndef SOCKFI_TESTS_TESTING_RANDOM_BYTES_H_
#define SOCKFI_TESTS_TESTING_RANDOM_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace sockfi::testing {

// Returns 0 to `max_size` bytes drawn from `rng`.
inline std::vector<uint8_t> RandomBytes(std::mt19937& rng, size_t max_size) {
  std::vector<uint8_t> bytes(rng() % (max_size + 1));
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
  return bytes;
}

}  // namespace sockfi::testing

#endif  // SOCKFI_TESTS_TESTING_RANDOM_BYTES_H_
