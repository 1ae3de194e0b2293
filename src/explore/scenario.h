// Scenario: everything one run depends on — subject, pair options,
// simulated-kernel settings, fault plan — with a compact binary form for
// fuzzers and a one-line command form for people.
//
// The binary form is what the libFuzzer targets decode: every byte string is a
// valid scenario, so no input is wasted. Layout (version 1):
//   byte 0  pair options: bits 0-1 family (0 or 3 inet, 1 inet6, 2 unix),
//           bit 2 SOCK_NONBLOCK, bit 3 SOCK_CLOEXEC, bits 4-5 peer check
//           (0 or 3 addresses, 1 token, 2 both), bit 6 listen on 127.0.0.1,
//           bit 7 adversarial
//   byte 1  kernel: bits 0-2 somaxconn {4096, 1, 2, 4, 8, 16, 64, 128},
//           bits 3-4 buffer {256 KiB, 4, 16, 4096}, bit 5 abort_on_overflow,
//           bit 6 IPv6 off, bit 7 syn_retries 1 (else 6)
//   byte 2  deadline {5s, 1ms, 10ms, 100ms, 1s, 2s, 30s, 200s}[b % 8]; b >> 3
//           from 1 to 6 makes one option invalid (family, type, protocol,
//           timeout, peer check, listen address), to exercise argument checks
//   byte 3  seed - 1
//   then up to 16 rules of 4 bytes: r0 % 8 picks the kind (0-4 an errno
//   fault, 5 a short transfer or stream fault, 6 an actor, 7 an fd limit); r1
//   the call (% 15)
//   or, for an actor, its kind (bits 0-1; r3 bit 0 makes it a hang-up) and
//   call (bit 2: accept, else listen); r2 the occurrence (1 + (r2 & 0x7f) % 16,
//   bit 7 "from there on" — for a realistic errno only when its cause lasts, as
//   the catalog says); r3 the errno (an entry of the catalog for that call;
//   adversarial: of every errno sockfi knows, bit 7 forcing the timing bit 6
//   gives — but never a close that keeps its fd, which only a wrong retry could
//   survive), the byte count (1 + r3 % 8; adversarial recv: r3 bit 7 makes
//   it eof instead, or corrupt with bit 6 too) or the limit (r3 % 5).
// Missing bytes read as zero. A realistic rule for a call the catalog has no
// errno for is dropped.

#ifndef SOCKFI_SRC_EXPLORE_SCENARIO_H_
#define SOCKFI_SRC_EXPLORE_SCENARIO_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/types/span.h"
#include "src/explore/run.h"
#include "src/explore/world.h"
#include "src/fault/fault_plan.h"
#include "src/pair/socket_pair.h"
#include "src/sim/sim_config.h"

namespace sockfi {

struct Scenario {
  std::string subject = "hardened";
  PairOptions options;
  SimConfig sim;
  FaultPlan plan;
  bool adversarial = false;
};

// Returns the scenario `data` encodes (see the layout above). Never fails; the
// pair options are invalid in one input out of about five, on purpose.
Scenario DecodeScenario(absl::Span<const uint8_t> data);

// Returns bytes DecodeScenario turns into `scenario`, for seed corpora. Only
// what the layout can say is kept: the subject is not encoded, settings are
// rounded to the nearest listed value, at most 16 rules, errnos outside the
// layout's lists are dropped.
std::vector<uint8_t> EncodeScenario(const Scenario& scenario);

// What one run of a scenario lends the next, so a loop of runs (a fuzzer's
// inputs) stops allocating once warm: the simulated world, reset for each run,
// and the trace's storage. Serves one run at a time.
struct RunScratch {
  std::unique_ptr<SimWorld> sim_world;
  Trace trace;

  // Takes back the storage of a result this scratch served, and frees what the
  // run left behind (trace notes, a hang's dump, the tables of ports still
  // held) by resetting the world now rather than in the next run: each input
  // then frees what it allocated, as libFuzzer's leak check expects (an input
  // that ends with more mallocs than frees is run again).
  void Recycle(RunResult&& result);
};

// Returns the judged result of running `scenario` once on `backend` (a
// simulated kernel is built from scenario.sim). An unknown subject or a kernel
// configuration ValidateSimConfig refuses makes no run: the record's status
// says why and the verdict is empty. With `scratch`, the run reuses its world
// and storage; the result is the same as without.
RunResult RunScenario(const Scenario& scenario, BackendKind backend,
                      RunScratch* scratch = nullptr);

// Returns the `sockfi run` command that replays `scenario` on `backend` (with a
// comment saying so when its options are invalid, which flags cannot express).
std::string RunCommandFor(const Scenario& scenario, BackendKind backend);

}  // namespace sockfi

#endif  // SOCKFI_SRC_EXPLORE_SCENARIO_H_
