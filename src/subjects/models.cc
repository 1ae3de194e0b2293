#include "src/subjects/models.h"

#include "src/subjects/kafka_python.h"

namespace sockfi {

std::vector<Subject> ModelSubjects() {
  std::vector<Subject> models;
  models.push_back(
      {"kafka_python",
       "The classic unverified emulation: listen(min(SOMAXCONN, 128)) on the "
       "loopback address, a non-blocking connect whose EINPROGRESS and EINTR "
       "are swallowed, a blocking accept with no retry, no peer check and no "
       "deadline, the listener closed in a finally.",
       "dpkp/kafka-python kafka/vendor/socketpair.py (from "
       "backports.socketpair)",
       &KafkaPythonSocketPair, false, false, ""});
  return models;
}

}  // namespace sockfi
