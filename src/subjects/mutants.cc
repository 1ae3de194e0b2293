#include "src/subjects/mutants.h"

#include "src/pair/mutation.h"

namespace sockfi {
namespace {

Subject Mutant(std::string name, std::string description, Mutation mutation,
               std::string planted_violation) {
  Subject subject;
  subject.name = std::move(name);
  subject.description = std::move(description);
  subject.reference = "sockfi src/pair/mutation.h";
  subject.make_pair = [mutation](const PairOptions& options, Syscalls& sys) {
    return MakeMutatedSocketPair(options, sys, mutation);
  };
  subject.honours_deadline = true;
  subject.checks_arguments = true;
  subject.planted_violation = std::move(planted_violation);
  return subject;
}

}  // namespace

std::vector<Subject> MutantSubjects() {
  return {
      Mutant("planted_leak",
             "With token checking, a candidate connection that sent a wrong "
             "byte is dropped without closing its fd. Only an impostor "
             "reveals it.",
             Mutation::kLeakRejectedCandidate, "leak"),
  };
}

}  // namespace sockfi
