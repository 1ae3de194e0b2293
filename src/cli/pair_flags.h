// The flags that describe the pair asked for (--family, --nonblock, --cloexec,
// --timeout, --peer_check, --listen_address), shared by pair, run and explore.

#ifndef SOCKFI_SRC_CLI_PAIR_FLAGS_H_
#define SOCKFI_SRC_CLI_PAIR_FLAGS_H_

#include <string>
#include <vector>

#include "src/pair/socket_pair.h"

namespace sockfi::cli {

// Reads the pair flags into `options`; returns an error message naming the flag
// and what was expected, or "" when all are valid.
std::string ReadPairOptions(PairOptions* options);

// Returns `own` followed by the names of the pair flags, for a Command's flag
// list.
std::vector<std::string> WithPairFlags(std::vector<std::string> own);

}  // namespace sockfi::cli

#endif  // SOCKFI_SRC_CLI_PAIR_FLAGS_H_
