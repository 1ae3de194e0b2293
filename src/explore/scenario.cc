#include "src/explore/scenario.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include "absl/strings/str_cat.h"
#include "src/explore/shell_quote.h"
#include "src/fault/errno_catalog.h"
#include "src/sim/sim_settings.h"

namespace sockfi {
namespace {

constexpr size_t kMaxRules = 16;
constexpr std::array<int, 8> kSomaxconn = {4096, 1, 2, 4, 8, 16, 64, 128};
// Socket buffer sizes. Linux keeps at least about 2 KiB (SOCK_MIN_RCVBUF); the
// small ones are for splitting transfers: 4 bytes cut the 16-byte token in
// four and fill the buffer at every send, which is all 1 byte did, at a
// quarter of the calls.
constexpr std::array<size_t, 4> kBuffers = {256 * 1024, 4, 16, 4096};
constexpr std::array<int64_t, 8> kDeadlineMs = {5000, 1,    10,    100,
                                                1000, 2000, 30000, 200000};
constexpr int kExtraAdversarialErrnos[] = {EINTR, EAGAIN, EBADF, EINVAL,
                                           ENOMEM};

// Every errno an adversarial rule may pick, in a fixed order: the catalog's,
// then a few Linux never returns from these calls.
const std::vector<int>& AdversarialErrnos() {
  static const std::vector<int>* const kErrnos = [] {
    auto* errnos = new std::vector<int>;
    auto add = [errnos](int e) {
      if (std::find(errnos->begin(), errnos->end(), e) == errnos->end()) {
        errnos->push_back(e);
      }
    };
    for (const CatalogEntry& entry : ErrnoCatalog::Linux().entries()) {
      add(entry.error_number);
    }
    for (int e : kExtraAdversarialErrnos) add(e);
    return errnos;
  }();
  return *kErrnos;
}

class ByteReader {
 public:
  explicit ByteReader(absl::Span<const uint8_t> data) : data_(data) {}
  uint8_t Next() { return pos_ < data_.size() ? data_[pos_++] : 0; }
  bool AtEnd() const { return pos_ >= data_.size(); }

 private:
  absl::Span<const uint8_t> data_;
  size_t pos_ = 0;
};

template <typename T, size_t N>
uint8_t IndexOf(const std::array<T, N>& values, T value) {
  for (size_t i = 0; i < N; ++i) {
    if (values[i] == value) return static_cast<uint8_t>(i);
  }
  return 0;
}

uint8_t OccurrenceByte(const Occurrences& when) {
  const uint8_t first =
      static_cast<uint8_t>((std::min<uint32_t>(when.first, 16) - 1));
  return when.last == Occurrences::kOpenEnd ? (first | 0x80) : first;
}

// Makes one option invalid when `which` is 1 to 6 (family, type, protocol,
// timeout, peer check, listen address), to exercise argument checks.
void BreakOption(int which, PairOptions* options) {
  switch (which) {
    case 1:
      options->family = AF_PACKET;
      break;
    case 2:
      options->type = SOCK_DGRAM;
      break;
    case 3:
      options->protocol = IPPROTO_TCP;
      break;
    case 4:
      options->timeout = absl::ZeroDuration();
      break;
    case 5:
      options->peer_check = static_cast<PeerCheck>(9);
      break;
    case 6:
      options->listen_address = static_cast<ListenAddress>(9);
      break;
    default:
      break;
  }
}

// Returns which option BreakOption broke, or 0.
uint8_t BrokenOption(const PairOptions& o) {
  if (o.family != AF_INET && o.family != AF_INET6 && o.family != AF_UNIX) {
    return 1;
  }
  if ((o.type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != SOCK_STREAM) return 2;
  if (o.protocol != 0) return 3;
  if (o.timeout <= absl::ZeroDuration()) return 4;
  if (static_cast<int>(o.peer_check) > 2) return 5;
  if (static_cast<int>(o.listen_address) > 1) return 6;
  return 0;
}

}  // namespace

Scenario DecodeScenario(absl::Span<const uint8_t> data) {
  ByteReader in(data);
  Scenario scenario;
  const uint8_t pair = in.Next();
  constexpr int kFamilies[4] = {AF_INET, AF_INET6, AF_UNIX, AF_INET};
  scenario.options.family = kFamilies[pair & 3];
  scenario.options.type = SOCK_STREAM | ((pair & 4) ? SOCK_NONBLOCK : 0) |
                          ((pair & 8) ? SOCK_CLOEXEC : 0);
  constexpr PeerCheck kChecks[4] = {PeerCheck::kAddresses, PeerCheck::kToken,
                                    PeerCheck::kAddressesAndToken,
                                    PeerCheck::kAddresses};
  scenario.options.peer_check = kChecks[(pair >> 4) & 3];
  scenario.options.listen_address =
      (pair & 0x40) ? ListenAddress::kLoopback : ListenAddress::kSpread;
  scenario.adversarial = (pair & 0x80) != 0;

  const uint8_t kernel = in.Next();
  scenario.sim.somaxconn = kSomaxconn[kernel & 7];
  scenario.sim.socket_buffer_bytes = kBuffers[(kernel >> 3) & 3];
  scenario.sim.abort_on_overflow = (kernel & 0x20) != 0;
  scenario.sim.ipv6 = (kernel & 0x40) == 0;
  scenario.sim.syn_retries = (kernel & 0x80) ? 1 : 6;
  const uint8_t deadline = in.Next();
  scenario.options.timeout = absl::Milliseconds(kDeadlineMs[deadline % 8]);
  BreakOption(deadline >> 3, &scenario.options);
  scenario.sim.seed = uint64_t{in.Next()} + 1;

  const ErrnoCatalog& catalog = ErrnoCatalog::Linux();
  for (size_t rules = 0; rules < kMaxRules && !in.AtEnd(); ++rules) {
    const uint8_t r0 = in.Next(), r1 = in.Next(), r2 = in.Next(),
                  r3 = in.Next();
    Occurrences when;
    when.first = 1 + (r2 & 0x7f) % 16;
    when.last = (r2 & 0x80) ? Occurrences::kOpenEnd : when.first;
    // Realistic rules keep firing only for causes that last (fd or port
    // exhaustion): a signal or an empty queue does not recur forever.
    const auto transient = [&](CallKind call, int error_number) {
      const CatalogEntry* entry = catalog.Find(call, error_number);
      return entry != nullptr && !entry->persistent;
    };
    const int kind = r0 % 8;
    if (kind <= 4) {
      FaultRule rule;
      rule.call = kAllCallKinds[r1 % kCallKindCount];
      rule.when = when;
      ErrnoFault fault;
      if (scenario.adversarial) {
        const std::vector<int>& errnos = AdversarialErrnos();
        fault.error_number = errnos[(r3 & 0x3f) % errnos.size()];
        if (r3 & 0x80)
          fault.timing = (r3 & 0x40) ? Timing::kAfter : Timing::kBefore;
        // Two timings only a wrong retry or nobody could survive are left out:
        // a close that keeps its fd, and a send or recv that moved bytes yet
        // reports an error (Linux returns a short count instead).
        if (rule.call == CallKind::kClose &&
            (fault.timing == Timing::kBefore ||
             (!fault.timing.has_value() &&
              catalog.Find(CallKind::kClose, fault.error_number) == nullptr))) {
          fault.timing = Timing::kAfter;
        }
        if ((rule.call == CallKind::kSend || rule.call == CallKind::kRecv) &&
            fault.timing == Timing::kAfter) {
          fault.timing = Timing::kBefore;
        }
      } else {
        const auto entries = catalog.EntriesFor(rule.call);
        if (entries.empty()) continue;
        fault.error_number = entries[r3 % entries.size()].error_number;
        if (transient(rule.call, fault.error_number))
          rule.when.last = rule.when.first;
      }
      rule.action = fault;
      scenario.plan.faults.push_back(rule);
    } else if (kind == 5) {
      FaultRule rule;
      rule.call = (r1 & 1) ? CallKind::kRecv : CallKind::kSend;
      rule.when = when;
      rule.action = ShortTransfer{1u + r3 % 8};
      if (scenario.adversarial && rule.call == CallKind::kRecv &&
          (r3 & 0x80) != 0) {
        rule.action =
            (r3 & 0x40) ? StreamFault::kCorrupt : StreamFault::kEndOfStream;
      }
      scenario.plan.faults.push_back(rule);
    } else if (kind == 6) {
      ActorRule rule;
      // r3 bit 0 a hang-up (the fifth actor, added later), else r1 % 4.
      rule.actor =
          (r3 & 1) != 0 ? ActorKind::kHangUp : static_cast<ActorKind>(r1 % 4);
      rule.call = (r1 & 4) ? CallKind::kAccept : CallKind::kListen;
      rule.when = when;
      scenario.plan.actors.push_back(rule);
    } else {
      scenario.plan.fd_limit = r3 % 5;
    }
  }
  return scenario;
}

std::vector<uint8_t> EncodeScenario(const Scenario& scenario) {
  std::vector<uint8_t> out;
  const PairOptions& options = scenario.options;
  uint8_t pair = options.family == AF_INET6  ? 1
                 : options.family == AF_UNIX ? 2
                                             : 0;
  if (options.type & SOCK_NONBLOCK) pair |= 4;
  if (options.type & SOCK_CLOEXEC) pair |= 8;
  if (options.peer_check == PeerCheck::kToken) pair |= 0x10;
  if (options.peer_check == PeerCheck::kAddressesAndToken) pair |= 0x20;
  if (options.listen_address == ListenAddress::kLoopback) pair |= 0x40;
  if (scenario.adversarial) pair |= 0x80;
  out.push_back(pair);

  uint8_t kernel = IndexOf(kSomaxconn, scenario.sim.somaxconn);
  kernel |= IndexOf(kBuffers, scenario.sim.socket_buffer_bytes) << 3;
  if (scenario.sim.abort_on_overflow) kernel |= 0x20;
  if (!scenario.sim.ipv6) kernel |= 0x40;
  if (scenario.sim.syn_retries == 1) kernel |= 0x80;
  out.push_back(kernel);
  out.push_back(static_cast<uint8_t>(
      IndexOf(kDeadlineMs, absl::ToInt64Milliseconds(options.timeout)) |
      (BrokenOption(options) << 3)));
  out.push_back(static_cast<uint8_t>(scenario.sim.seed - 1));

  const auto push_rule = [&out](uint8_t r0, uint8_t r1, uint8_t r2,
                                uint8_t r3) {
    out.insert(out.end(), {r0, r1, r2, r3});
  };
  const ErrnoCatalog& catalog = ErrnoCatalog::Linux();
  for (const FaultRule& rule : scenario.plan.faults) {
    const uint8_t call = static_cast<uint8_t>(rule.call);
    if (const auto* stream = std::get_if<StreamFault>(&rule.action)) {
      if (!scenario.adversarial || rule.call != CallKind::kRecv) continue;
      push_rule(5, 1, OccurrenceByte(rule.when),
                *stream == StreamFault::kCorrupt ? 0xc0 : 0x80);
      continue;
    }
    if (const auto* shorten = std::get_if<ShortTransfer>(&rule.action)) {
      if (rule.call != CallKind::kSend && rule.call != CallKind::kRecv)
        continue;
      push_rule(5, rule.call == CallKind::kRecv ? 1 : 0,
                OccurrenceByte(rule.when),
                static_cast<uint8_t>(
                    (std::clamp<uint32_t>(shorten->max_bytes, 1, 8)) - 1));
      continue;
    }
    const ErrnoFault& fault = std::get<ErrnoFault>(rule.action);
    uint8_t r3 = 0;
    if (scenario.adversarial) {
      const std::vector<int>& errnos = AdversarialErrnos();
      const auto it =
          std::find(errnos.begin(), errnos.end(), fault.error_number);
      if (it == errnos.end()) continue;
      r3 = static_cast<uint8_t>(it - errnos.begin());
      if (fault.timing.has_value()) {
        r3 |= 0x80 | (*fault.timing == Timing::kAfter ? 0x40 : 0);
      }
    } else {
      const auto entries = catalog.EntriesFor(rule.call);
      size_t i = 0;
      while (i < entries.size() &&
             entries[i].error_number != fault.error_number)
        ++i;
      if (i == entries.size()) continue;
      r3 = static_cast<uint8_t>(i);
    }
    push_rule(0, call, OccurrenceByte(rule.when), r3);
  }
  for (const ActorRule& rule : scenario.plan.actors) {
    const bool hang_up = rule.actor == ActorKind::kHangUp;
    push_rule(
        6,
        static_cast<uint8_t>((hang_up ? 0 : static_cast<int>(rule.actor)) |
                             (rule.call == CallKind::kAccept ? 4 : 0)),
        OccurrenceByte(rule.when), hang_up ? 1 : 0);
  }
  if (scenario.plan.fd_limit.has_value() && *scenario.plan.fd_limit <= 4) {
    push_rule(7, 0, 0, static_cast<uint8_t>(*scenario.plan.fd_limit));
  }
  return out;
}

RunResult RunScenario(const Scenario& scenario, BackendKind backend,
                      RunScratch* scratch) {
  RunResult result;
  RunSpec spec;
  spec.subject = FindSubject(scenario.subject);
  if (spec.subject == nullptr) {
    result.record.status = absl::NotFoundError(
        absl::StrCat("no subject named \"", scenario.subject, "\""));
    return result;
  }
  if (backend == BackendKind::kSim) {
    absl::Status valid = ValidateSimConfig(scenario.sim);
    if (!valid.ok()) {
      result.record.status = valid;
      return result;
    }
  }
  spec.plan = scenario.plan;
  spec.adversarial = scenario.adversarial;
  spec.options = scenario.options;
  if (scratch != nullptr) spec.reuse_trace = &scratch->trace;
  if (backend == BackendKind::kReal) return RunOnce(spec, *MakeRealWorld());
  if (scratch == nullptr)
    return RunOnce(spec, **SimWorld::Create(scenario.sim));
  if (scratch->sim_world == nullptr) {
    scratch->sim_world = std::move(*SimWorld::Create(scenario.sim));
  } else {
    // Checked above: the reset cannot fail.
    scratch->sim_world->Reset(scenario.sim).IgnoreError();
  }
  return RunOnce(spec, *scratch->sim_world);
}

void RunScratch::Recycle(RunResult&& result) {
  trace = std::move(result.record.trace);
  trace.clear();
  if (sim_world != nullptr) sim_world->Reset(SimConfig()).IgnoreError();
}

std::string RunCommandFor(const Scenario& scenario, BackendKind backend) {
  const PairOptions& options = scenario.options;
  const PairOptions defaults;
  std::string command = absl::StrCat(
      "sockfi run --plan=", ShellQuote(PrintPlan(scenario.plan)),
      " --subject=", scenario.subject, " --backend=", BackendName(backend));
  if (options.family == AF_INET6) absl::StrAppend(&command, " --family=inet6");
  if (options.family == AF_UNIX) absl::StrAppend(&command, " --family=unix");
  if (options.type & SOCK_NONBLOCK) absl::StrAppend(&command, " --nonblock");
  if (options.type & SOCK_CLOEXEC) absl::StrAppend(&command, " --cloexec");
  if (options.timeout != defaults.timeout) {
    absl::StrAppend(&command,
                    " --timeout=", absl::FormatDuration(options.timeout));
  }
  if (options.peer_check == PeerCheck::kToken) {
    absl::StrAppend(&command, " --peer_check=token");
  } else if (options.peer_check == PeerCheck::kAddressesAndToken) {
    absl::StrAppend(&command, " --peer_check=both");
  }
  if (options.listen_address == ListenAddress::kLoopback) {
    absl::StrAppend(&command, " --listen_address=loopback");
  }
  if (scenario.adversarial) absl::StrAppend(&command, " --adversarial");
  const std::string settings = PrintSimSettings(scenario.sim);
  if (backend == BackendKind::kSim && !settings.empty()) {
    absl::StrAppend(&command, " --sim=", ShellQuote(settings));
  }
  absl::Status valid = ValidatePairOptions(options);
  if (!valid.ok()) {
    absl::StrAppend(&command, "  # invalid options (", valid.message(),
                    ") that flags cannot say: use sockfi replay on the input");
  }
  return command;
}

}  // namespace sockfi
