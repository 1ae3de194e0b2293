// Mutants of the hardened emulation: each the same source with one small, named
// bug planted through a Mutation (src/pair/mutation.h). They measure sockfi:
// every one must be caught, as the violation kind it was planted for.

#ifndef SOCKFI_SRC_SUBJECTS_MUTANTS_H_
#define SOCKFI_SRC_SUBJECTS_MUTANTS_H_

#include <vector>

#include "src/subjects/subject.h"

namespace sockfi {

// Returns the mutants, each with the violation kind it must be caught as.
std::vector<Subject> MutantSubjects();

}  // namespace sockfi

#endif  // SOCKFI_SRC_SUBJECTS_MUTANTS_H_
