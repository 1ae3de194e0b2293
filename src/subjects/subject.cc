#include "src/subjects/subject.h"

#include "absl/strings/str_join.h"
#include "src/pair/mutation.h"
#include "src/subjects/kafka_python.h"

namespace sockfi {

const std::vector<Subject>& AllSubjects() {
  static const std::vector<Subject>* const kSubjects = new std::vector<Subject>{
      {"hardened",
       "sockfi's own emulation: argument checks, atomic CLOEXEC, connect and "
       "accept "
       "retries after poll, foreign connections rejected by peer address, one "
       "deadline over the whole call, every fd owned from birth.",
       "sockfi src/pair/socket_pair.cc", &MakeSocketPair, true, true},
      {"kafka_python",
       "The classic unverified emulation: listen(min(SOMAXCONN, 128)) on the "
       "loopback address, a non-blocking connect whose EINPROGRESS and EINTR "
       "are "
       "swallowed, a blocking accept with no retry, no peer check and no "
       "deadline, "
       "the listener closed in a finally.",
       "dpkp/kafka-python kafka/vendor/socketpair.py (from "
       "backports.socketpair)",
       &KafkaPythonSocketPair, false, false},
      {"planted_leak",
       "The hardened emulation with one planted bug: with token checking, a "
       "candidate connection that sent a wrong byte is dropped without closing "
       "its fd. Only an impostor reveals it. Kept to show that the fuzzers and "
       "the explorer find what they should.",
       "sockfi src/pair/mutation.h (Mutation::kLeakRejectedCandidate)",
       [](const PairOptions& options, Syscalls& sys) {
         return MakeMutatedSocketPair(options, sys,
                                      Mutation::kLeakRejectedCandidate);
       },
       true, true},
  };
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
