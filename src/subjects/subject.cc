#include "src/subjects/subject.h"

#include "absl/strings/str_join.h"
#include "src/subjects/models.h"
#include "src/subjects/mutants.h"

namespace sockfi {

const std::vector<Subject>& AllSubjects() {
  static const std::vector<Subject>* const kSubjects = [] {
    auto* subjects = new std::vector<Subject>;
    subjects->push_back(
        {"hardened",
         "sockfi's own emulation: argument checks, atomic CLOEXEC, connect and "
         "accept retries after poll, foreign connections rejected by peer "
         "address, one deadline over the whole call, every fd owned from "
         "birth.",
         "sockfi src/pair/socket_pair.cc", &MakeSocketPair, true, true, ""});
    for (Subject& model : ModelSubjects())
      subjects->push_back(std::move(model));
    for (Subject& mutant : MutantSubjects()) {
      subjects->push_back(std::move(mutant));
    }
    return subjects;
  }();
  return *kSubjects;
}

const Subject* FindSubject(absl::string_view name) {
  for (const Subject& subject : AllSubjects()) {
    if (subject.name == name) return &subject;
  }
  return nullptr;
}

std::string SubjectNames() {
  std::vector<std::string> names;
  for (const Subject& subject : AllSubjects()) names.push_back(subject.name);
  return absl::StrJoin(names, ", ");
}

}  // namespace sockfi
