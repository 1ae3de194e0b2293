// SplitMix64: a tiny deterministic pseudo-random generator (Steele, Lea and
// Flood, "Fast splittable pseudorandom number generators", 2014).
//
// The simulated kernel draws all of its randomness from it, so a run is a pure
// function of the seed. Not for cryptography.

#ifndef SOCKFI_SRC_SIM_SPLIT_MIX64_H_
#define SOCKFI_SRC_SIM_SPLIT_MIX64_H_

#include <cstdint>

namespace sockfi {

class SplitMix64 {
 public:
  // Starts the sequence that `seed` determines.
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  // Returns the next 64 pseudo-random bits.
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }

  // Returns a value in [0, bound); `bound` must be > 0. The modulo bias is
  // below 2^-40 for the bounds the simulator uses (at most 2^16).
  uint64_t Below(uint64_t bound) { return Next() % bound; }

 private:
  uint64_t state_;
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_SIM_SPLIT_MIX64_H_
