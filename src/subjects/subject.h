// Subjects: the socketpair routines sockfi judges, behind one signature.

#ifndef SOCKFI_SRC_SUBJECTS_SUBJECT_H_
#define SOCKFI_SRC_SUBJECTS_SUBJECT_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/pair/socket_pair.h"
#include "src/sys/syscalls.h"

namespace sockfi {

using PairRoutine =
    std::function<absl::StatusOr<SocketPair>(const PairOptions&, Syscalls&)>;

struct Subject {
  std::string name;
  std::string description;  // one paragraph: what the routine does
  std::string reference;    // what it is or models: repository and file
  PairRoutine make_pair;
  bool honours_deadline = false;  // bounded by PairOptions::timeout
  // Refuses invalid PairOptions with InvalidArgument before any system call.
  bool checks_arguments = false;
  // For a mutant: the violation kind its planted bug must be caught as (the
  // name ViolationName gives, e.g. "leak"); empty for other subjects.
  std::string planted_violation;
};

// The name of src/pair's MakeSocketPair among the subjects.
inline constexpr absl::string_view kHardenedSubject = "hardened";

// Returns every registered subject: "hardened", then the models of other
// implementations (src/subjects/models.h), then the mutants of hardened
// (src/subjects/mutants.h).
const std::vector<Subject>& AllSubjects();

// Returns the subject named `name`, or nullptr.
const Subject* FindSubject(absl::string_view name);

// Returns "hardened, ..." for messages.
std::string SubjectNames();

}  // namespace sockfi

#endif  // SOCKFI_SRC_SUBJECTS_SUBJECT_H_
