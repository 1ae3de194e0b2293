// Planted bugs for measuring sockfi itself: the hardened emulation with one small,
// named mistake, built from the same source (a parameter of the one
// implementation), so a mutant stays in step with `hardened`.
//
// Not for use: every mutation is a bug.

#ifndef SOCKFI_SRC_PAIR_MUTATION_H_
#define SOCKFI_SRC_PAIR_MUTATION_H_

#include "absl/status/statusor.h"
#include "src/pair/socket_pair.h"
#include "src/sys/syscalls.h"

namespace sockfi {

enum class Mutation {
  kNone,
  // A candidate connection that sent a wrong token byte is dropped without
  // closing its fd (token checking only): a leak only an impostor reveals.
  kLeakRejectedCandidate,
};

// Returns MakeSocketPair(options, syscalls) with `mutation` planted.
absl::StatusOr<SocketPair> MakeMutatedSocketPair(const PairOptions& options,
                                                 Syscalls& syscalls,
                                                 Mutation mutation);

}  // namespace sockfi

#endif  // SOCKFI_SRC_PAIR_MUTATION_H_
