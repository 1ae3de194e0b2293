// make_seeds: writes a seed corpus for one fuzz target, one file per input,
// named seed-<n> (tools/make_seeds.sh renames them by SHA-1).
//
//   make_seeds --target=socketpair_sim_fuzzer --out=DIR
//
// Scenario targets get the fault-free scenario under each pair option and
// kernel setting, and every single fault the explorer would try on the hardened
// emulation's fault-free run; fault_plan_fuzzer gets plan texts.

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "src/explore/run.h"
#include "src/explore/scenario.h"
#include "src/explore/schedule_space.h"
#include "src/fault/fault_plan.h"

namespace sockfi {
namespace {

std::vector<std::string> PlanSeeds() {
  return {"none",
          "accept#2=ECONNABORTED",
          "close#*=EINTR",
          "connect#1=EINTR:after",
          "send#1=short:1",
          "foreign@listen#1",
          "flood@listen#1",
          "fdlimit=5",
          "accept#1=EAGAIN; accept#2-=EMFILE # a comment\nimpostor@listen#1",
          "recv#3-5=short:2; poll#*=EINTR; halfopen@listen#1",
          "socket#2=EMFILE; bind#1=EADDRNOTAVAIL:before; getrandom#1=ENOSYS",
          "recv#2=eof; recv#3-=corrupt"};
}

std::vector<Scenario> ScenarioSeeds() {
  std::vector<Scenario> seeds;
  Scenario base;
  seeds.push_back(base);
  for (int family : {AF_INET6, AF_UNIX}) {
    Scenario s = base;
    s.options.family = family;
    seeds.push_back(s);
  }
  for (int flags :
       {int{SOCK_NONBLOCK}, int{SOCK_CLOEXEC}, SOCK_NONBLOCK | SOCK_CLOEXEC}) {
    Scenario s = base;
    s.options.type |= flags;
    seeds.push_back(s);
  }
  for (PeerCheck check : {PeerCheck::kToken, PeerCheck::kAddressesAndToken}) {
    Scenario s = base;
    s.options.peer_check = check;
    seeds.push_back(s);
  }
  {
    Scenario s = base;
    s.options.listen_address = ListenAddress::kLoopback;
    s.sim.somaxconn = 1;
    s.sim.abort_on_overflow = true;
    s.sim.socket_buffer_bytes = 16;
    seeds.push_back(s);
  }
  // A signal that interrupts poll after it has waited (only an adversarial
  // plan times poll's EINTR "after"): the wait must go on, not count as a spin.
  // Random mutation seldom assembles its four parts.
  {
    Scenario s = base;
    s.adversarial = true;
    s.sim.somaxconn = 1;
    s.options.timeout = absl::Milliseconds(100);
    s.plan = *ParsePlan("flood@listen#1; poll#1=EINTR:after");
    seeds.push_back(s);
  }
  // The echoed token cut short by end of stream, or altered (adversarial
  // stream faults on the client's read of the echo, recv#2 in token mode): the
  // emulation's checks of what it reads.
  for (const char* plan : {"recv#2=eof", "recv#2=corrupt"}) {
    Scenario s = base;
    s.adversarial = true;
    s.options.peer_check = PeerCheck::kToken;
    s.plan = *ParsePlan(plan);
    seeds.push_back(s);
  }
  // Every single fault the explorer tries on the fault-free run.
  RunSpec spec;
  spec.subject = FindSubject("hardened");
  RunResult baseline = RunOnce(spec, *MakeWorldFactory(BackendKind::kSim));
  for (const Atom& atom :
       CandidateAtoms(baseline.record.trace, true, ScheduleSpaceOptions())) {
    Scenario s = base;
    s.plan = PlanOf({atom});
    seeds.push_back(s);
  }
  return seeds;
}

int Main(int argc, char** argv) {
  std::string target, out;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--target=", 0) == 0) target = arg.substr(9);
    if (arg.rfind("--out=", 0) == 0) out = arg.substr(6);
  }
  if (target.empty() || out.empty()) {
    std::fprintf(stderr, "usage: make_seeds --target=NAME --out=DIR\n");
    return 2;
  }
  std::vector<std::string> inputs;
  if (target == "fault_plan_fuzzer") {
    inputs = PlanSeeds();
  } else if (target == "socketpair_sim_fuzzer" || target == "subject_fuzzer" ||
             target == "socketpair_real_fuzzer") {
    for (const Scenario& s : ScenarioSeeds()) {
      const std::vector<uint8_t> bytes = EncodeScenario(s);
      inputs.emplace_back(bytes.begin(), bytes.end());
    }
  } else {
    std::fprintf(stderr, "make_seeds: unknown target \"%s\"\n", target.c_str());
    return 2;
  }
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string path = absl::StrCat(out, "/seed-", i);
    std::ofstream file(path, std::ios::binary);
    file << inputs[i];
    if (!file) {
      std::fprintf(stderr, "make_seeds: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  std::printf("make_seeds: %zu seeds for %s in %s\n", inputs.size(),
              target.c_str(), out.c_str());
  return 0;
}

}  // namespace
}  // namespace sockfi

int main(int argc, char** argv) { return sockfi::Main(argc, argv); }
