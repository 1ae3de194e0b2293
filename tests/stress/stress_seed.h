// The seed of the stress tests' random choices.

#ifndef SOCKFI_TESTS_STRESS_STRESS_SEED_H_
#define SOCKFI_TESTS_STRESS_STRESS_SEED_H_

#include <cstdint>
#include <cstdlib>
#include <random>

namespace sockfi::testing {

// Returns SOCKFI_STRESS_SEED when set (to repeat a run's choices), else a
// fresh random seed; tests print it.
inline uint64_t StressSeed() {
  if (const char* text = std::getenv("SOCKFI_STRESS_SEED")) {
    return std::strtoull(text, nullptr, 10);
  }
  std::random_device device;
  return (uint64_t{device()} << 32) | device();
}

}  // namespace sockfi::testing

#endif  // SOCKFI_TESTS_STRESS_STRESS_SEED_H_
