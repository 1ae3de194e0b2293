#include "src/cli/backend_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "src/sim/sim_settings.h"

ABSL_FLAG(
    std::string, backend, "sim",
    "where calls go: sim (the deterministic simulated kernel) or real (this "
    "machine's kernel)");
ABSL_FLAG(std::string, subject, "hardened",
          "the routine under test: a name, a comma-separated list, or all");
ABSL_FLAG(std::string, sim, "",
          "settings of the simulated kernel, e.g. 'somaxconn=1,buffer=16' "
          "(keys: seed, fd_limit, system_fd_limit, somaxconn, "
          "abort_on_overflow, syn_retries, ports, time_wait, buffer, ipv6)");
ABSL_FLAG(
    bool, adversarial, false,
    "also inject faults Linux could not produce (EAGAIN from a blocking call, "
    "errnos outside the catalog, the other timing, recv#N=eof and "
    "recv#N=corrupt)");

namespace sockfi::cli {

absl::StatusOr<BackendChoice> ReadBackendFlags() {
  BackendChoice choice;
  absl::StatusOr<BackendKind> backend =
      ParseBackend(absl::GetFlag(FLAGS_backend));
  if (!backend.ok()) return backend.status();
  choice.backend = *backend;
  absl::StatusOr<SimConfig> sim = ParseSimSettings(absl::GetFlag(FLAGS_sim));
  if (!sim.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--sim: ", sim.status().message()));
  }
  choice.sim = *sim;
  absl::StatusOr<WorldFactory> factory = MakeWorldFactory(*backend, *sim);
  if (!factory.ok()) return factory.status();
  choice.make_world = *factory;
  const std::string subjects = absl::GetFlag(FLAGS_subject);
  if (subjects == "all") {
    for (const Subject& subject : AllSubjects())
      choice.subjects.push_back(&subject);
  } else {
    for (absl::string_view name : absl::StrSplit(subjects, ',')) {
      const Subject* subject = FindSubject(name);
      if (subject == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("--subject=", subjects, ": no subject named \"", name,
                         "\"; the subjects are: ", SubjectNames(), ", or all"));
      }
      choice.subjects.push_back(subject);
    }
  }
  choice.adversarial = absl::GetFlag(FLAGS_adversarial);
  return choice;
}

std::vector<std::string> WithBackendFlags(std::vector<std::string> own) {
  for (const char* name : {"backend", "subject", "adversarial", "sim"}) {
    own.push_back(name);
  }
  return own;
}

}  // namespace sockfi::cli
