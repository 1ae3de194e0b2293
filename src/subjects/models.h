// Models of other socketpair emulations, written here from their published
// behaviour (never their code), each registered as a Subject.

#ifndef SOCKFI_SRC_SUBJECTS_MODELS_H_
#define SOCKFI_SRC_SUBJECTS_MODELS_H_

#include <vector>

#include "src/subjects/subject.h"

namespace sockfi {

// Returns the models, each with the repository and file it models.
std::vector<Subject> ModelSubjects();

}  // namespace sockfi

#endif  // SOCKFI_SRC_SUBJECTS_MODELS_H_
