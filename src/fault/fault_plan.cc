#include "src/fault/fault_plan.h"

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "src/sys/errno_name.h"

namespace sockfi {
namespace {

constexpr size_t kMaxRules = 10000;
constexpr uint32_t kMaxNumber = 1000000000;
constexpr size_t kQuoteLimit = 32;

constexpr std::array<absl::string_view, 5> kActorNames = {
    "foreign", "impostor", "halfopen", "flood", "hangup"};

// Returns `text` in quotes, cut to kQuoteLimit characters for long input.
std::string Quote(absl::string_view text) {
  if (text.size() <= kQuoteLimit) return absl::StrCat("\"", text, "\"");
  return absl::StrCat("\"", text.substr(0, kQuoteLimit), "...\" (", text.size(),
                      " characters)");
}

std::string PrintOccurrences(const Occurrences& when) {
  if (when.first == 1 && when.last == Occurrences::kOpenEnd) return "*";
  if (when.last == Occurrences::kOpenEnd) return absl::StrCat(when.first, "-");
  if (when.first == when.last) return absl::StrCat(when.first);
  return absl::StrCat(when.first, "-", when.last);
}

bool IsWordChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_';
}

class PlanParser {
 public:
  explicit PlanParser(absl::string_view text) : text_(text) {}

  absl::StatusOr<FaultPlan> Parse() {
    FaultPlan plan;
    size_t rules = 0;
    size_t none_at = absl::string_view::npos;
    while (true) {
      SkipSpaces();
      if (AtEnd()) break;
      const char c = text_[pos_];
      if (c == ';' || c == '\n') {
        ++pos_;
        continue;
      }
      if (c == '#') {
        SkipComment();
        continue;
      }
      const size_t start = pos_;
      if (++rules > kMaxRules) {
        return Error(start, absl::StrCat("more than ", kMaxRules, " rules"));
      }
      bool is_none = false;
      absl::Status item = ParseRule(&plan, &is_none);
      if (!item.ok()) return item;
      if (is_none) none_at = start;
      item = ExpectEndOfRule();
      if (!item.ok()) return item;
    }
    if (rules == 0) {
      return absl::InvalidArgumentError(
          "the plan is empty: write rules such as accept#1=EINTR, or \"none\" "
          "for "
          "no faults");
    }
    if (none_at != absl::string_view::npos && rules > 1) {
      return Error(none_at, "\"none\" cannot be combined with other rules");
    }
    return plan;
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }

  void SkipSpaces() {
    while (!AtEnd() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  void SkipComment() {
    while (!AtEnd() && text_[pos_] != '\n') ++pos_;
  }

  absl::string_view Word() {
    const size_t start = pos_;
    while (!AtEnd() && IsWordChar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // Returns InvalidArgument "line L, column C: message" for byte offset `at`.
  absl::Status Error(size_t at, absl::string_view message) const {
    size_t line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < at && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "line ", line, ", column ", at - line_start + 1, ": ", message));
  }

  // Describes the byte at pos_ (or the end) for "unexpected ..." messages.
  std::string Here() const {
    if (AtEnd()) return "the end of the plan";
    const unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c == '\n') return "the end of the line";
    if (c < 0x20 || c >= 0x7f) return absl::StrFormat("byte 0x%02x", c);
    return absl::StrCat("\"", std::string(1, static_cast<char>(c)), "\"");
  }

  bool Consume(char c) {
    if (!AtEnd() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  absl::StatusOr<uint32_t> Number(absl::string_view what) {
    const size_t start = pos_;
    uint64_t value = 0;
    while (!AtEnd() &&
           absl::ascii_isdigit(static_cast<unsigned char>(text_[pos_]))) {
      value = value * 10 + static_cast<uint64_t>(text_[pos_] - '0');
      if (value > kMaxNumber) {
        return Error(start, absl::StrCat(what, " is larger than ", kMaxNumber));
      }
      ++pos_;
    }
    if (pos_ == start) {
      return Error(start, absl::StrCat("expected ", what, ", found ", Here()));
    }
    return static_cast<uint32_t>(value);
  }

  absl::StatusOr<Occurrences> ParseOccurrences(absl::string_view after) {
    if (!Consume('#')) {
      return Error(pos_, absl::StrCat("expected \"#\" and an occurrence after ",
                                      Quote(after), " (e.g. ", after,
                                      "#1), found ", Here()));
    }
    Occurrences when;
    if (Consume('*')) {
      when.first = 1;
      when.last = Occurrences::kOpenEnd;
      return when;
    }
    const size_t start = pos_;
    absl::StatusOr<uint32_t> first =
        Number("an occurrence (a number from 1, a range N-M or N-, or *)");
    if (!first.ok()) return first.status();
    if (*first == 0) {
      return Error(start, "occurrence 0: calls are counted from 1");
    }
    when.first = when.last = *first;
    if (Consume('-')) {
      if (AtEnd() ||
          !absl::ascii_isdigit(static_cast<unsigned char>(text_[pos_]))) {
        when.last = Occurrences::kOpenEnd;
        return when;
      }
      absl::StatusOr<uint32_t> last = Number("the end of the range");
      if (!last.ok()) return last.status();
      if (*last < *first) {
        return Error(start, absl::StrCat("range ", *first, "-", *last,
                                         " ends before it starts"));
      }
      when.last = *last;
    }
    return when;
  }

  absl::Status ParseRule(FaultPlan* plan, bool* is_none) {
    const size_t start = pos_;
    const absl::string_view word = Word();
    if (word.empty()) {
      return Error(start,
                   absl::StrCat("unexpected ", Here(),
                                "; expected a rule such as accept#1=EINTR"));
    }
    if (word == "none") {
      *is_none = true;
      return absl::OkStatus();
    }
    if (word == "fdlimit") {
      if (!Consume('=')) {
        return Error(
            pos_,
            absl::StrCat("expected \"=\" after \"fdlimit\", found ", Here()));
      }
      absl::StatusOr<uint32_t> limit = Number("a number of fds");
      if (!limit.ok()) return limit.status();
      if (plan->fd_limit.has_value()) {
        return Error(start, "fdlimit is given twice");
      }
      plan->fd_limit = *limit;
      return absl::OkStatus();
    }
    if (!AtEnd() && text_[pos_] == '@') {
      ActorRule rule;
      size_t actor = 0;
      while (actor < kActorNames.size() && kActorNames[actor] != word) ++actor;
      if (actor == kActorNames.size()) {
        return Error(start,
                     absl::StrCat("unknown actor ", Quote(word),
                                  "; expected foreign, impostor, halfopen, "
                                  "flood or hangup"));
      }
      rule.actor = static_cast<ActorKind>(actor);
      ++pos_;  // '@'
      const size_t call_at = pos_;
      const absl::string_view call = Word();
      std::optional<CallKind> kind = CallKindFromName(call);
      if (!kind.has_value()) {
        return Error(
            call_at,
            absl::StrCat("unknown call ", Quote(call), " after \"", word,
                         "@\"; expected one of ", AllCallNames()));
      }
      rule.call = *kind;
      absl::StatusOr<Occurrences> when = ParseOccurrences(call);
      if (!when.ok()) return when.status();
      rule.when = *when;
      plan->actors.push_back(rule);
      return absl::OkStatus();
    }
    std::optional<CallKind> kind = CallKindFromName(word);
    if (!kind.has_value()) {
      return Error(start,
                   absl::StrCat("unknown call ", Quote(word),
                                "; expected one of ", AllCallNames(),
                                ", or fdlimit, none, or an actor such as "
                                "foreign@listen#1"));
    }
    FaultRule rule;
    rule.call = *kind;
    absl::StatusOr<Occurrences> when = ParseOccurrences(word);
    if (!when.ok()) return when.status();
    rule.when = *when;
    if (!Consume('=')) {
      return Error(pos_, absl::StrCat("expected \"=\" after \"", word, "#",
                                      PrintOccurrences(rule.when), "\", found ",
                                      Here()));
    }
    const size_t outcome_at = pos_;
    const absl::string_view outcome = Word();
    if (outcome == "eof" || outcome == "corrupt") {
      if (rule.call != CallKind::kRecv) {
        return Error(outcome_at,
                     absl::StrCat(outcome, " applies to recv only"));
      }
      rule.action =
          outcome == "eof" ? StreamFault::kEndOfStream : StreamFault::kCorrupt;
      plan->faults.push_back(rule);
      return absl::OkStatus();
    }
    if (outcome == "short") {
      if (rule.call != CallKind::kSend && rule.call != CallKind::kRecv) {
        return Error(outcome_at, "short:N applies to send and recv only");
      }
      if (!Consume(':')) {
        return Error(pos_, absl::StrCat("expected \":\" and a byte count after "
                                        "\"short\" (e.g. short:1), found ",
                                        Here()));
      }
      const size_t count_at = pos_;
      absl::StatusOr<uint32_t> bytes = Number("a byte count");
      if (!bytes.ok()) return bytes.status();
      if (*bytes == 0) {
        return Error(count_at, "short:0 would move nothing: use 1 or more");
      }
      rule.action = ShortTransfer{*bytes};
      plan->faults.push_back(rule);
      return absl::OkStatus();
    }
    std::optional<int> error_number = ErrnoFromName(outcome);
    if (!error_number.has_value() || *error_number == kHangErrno) {
      return Error(
          outcome_at,
          outcome.empty()
              ? absl::StrCat("expected an errno name (e.g. EINTR), "
                             "short:N, eof or corrupt, found ",
                             Here())
              : absl::StrCat("unknown errno ", Quote(outcome),
                             "; expected a name such as EINTR, EAGAIN or "
                             "EMFILE, or short:N, eof, corrupt"));
    }
    ErrnoFault fault;
    fault.error_number = *error_number;
    if (Consume(':')) {
      const size_t timing_at = pos_;
      const absl::string_view timing = Word();
      if (timing == "before") {
        fault.timing = Timing::kBefore;
      } else if (timing == "after") {
        fault.timing = Timing::kAfter;
      } else {
        return Error(timing_at,
                     absl::StrCat("unknown timing ",
                                  timing.empty() ? Here() : Quote(timing),
                                  "; expected before or after"));
      }
    }
    rule.action = fault;
    plan->faults.push_back(rule);
    return absl::OkStatus();
  }

  absl::Status ExpectEndOfRule() {
    const size_t before_spaces = pos_;
    SkipSpaces();
    if (AtEnd() || text_[pos_] == ';' || text_[pos_] == '\n')
      return absl::OkStatus();
    if (text_[pos_] == '#' && pos_ > before_spaces) {
      SkipComment();
      return absl::OkStatus();
    }
    const size_t start = pos_;
    while (!AtEnd() && text_[pos_] != ';' && text_[pos_] != '\n' &&
           text_[pos_] != ' ') {
      ++pos_;
    }
    const absl::string_view rest = text_.substr(start, pos_ - start);
    pos_ = start;
    const bool printable = std::all_of(
        rest.begin(), rest.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
    return Error(start,
                 absl::StrCat("unexpected ", printable ? Quote(rest) : Here(),
                              " after the rule; expected \";\", a new line "
                              "or a \" #\" comment"));
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

absl::string_view ActorName(ActorKind actor) {
  return kActorNames[static_cast<size_t>(actor)];
}

absl::string_view StreamFaultName(StreamFault fault) {
  return fault == StreamFault::kEndOfStream ? "eof" : "corrupt";
}

std::string PrintRule(const FaultRule& rule) {
  std::string text =
      absl::StrCat(CallName(rule.call), "#", PrintOccurrences(rule.when), "=");
  if (const auto* fault = std::get_if<ErrnoFault>(&rule.action)) {
    absl::StrAppend(&text, ErrnoName(fault->error_number));
    if (fault->timing.has_value()) {
      absl::StrAppend(&text, ":", TimingName(*fault->timing));
    }
  } else if (const auto* shorten = std::get_if<ShortTransfer>(&rule.action)) {
    absl::StrAppend(&text, "short:", shorten->max_bytes);
  } else {
    absl::StrAppend(&text, StreamFaultName(std::get<StreamFault>(rule.action)));
  }
  return text;
}

std::string PrintRule(const ActorRule& rule) {
  return absl::StrCat(ActorName(rule.actor), "@", CallName(rule.call), "#",
                      PrintOccurrences(rule.when));
}

std::string PrintPlan(const FaultPlan& plan) {
  if (plan.empty()) return "none";
  std::vector<std::string> rules;
  if (plan.fd_limit.has_value()) {
    rules.push_back(absl::StrCat("fdlimit=", *plan.fd_limit));
  }
  for (const FaultRule& rule : plan.faults) rules.push_back(PrintRule(rule));
  for (const ActorRule& rule : plan.actors) rules.push_back(PrintRule(rule));
  return absl::StrJoin(rules, "; ");
}

absl::StatusOr<FaultPlan> ParsePlan(absl::string_view text) {
  return PlanParser(text).Parse();
}

absl::Status CheckPrintParsesBack(const FaultPlan& plan) {
  const std::string printed = PrintPlan(plan);
  absl::StatusOr<FaultPlan> again = ParsePlan(printed);
  if (!again.ok()) {
    return absl::InternalError(absl::StrCat(
        "\"", printed, "\" does not parse back: ", again.status().message()));
  }
  const std::string reprinted = PrintPlan(*again);
  if (*again != plan || reprinted != printed) {
    return absl::InternalError(
        absl::StrCat("\"", printed, "\" parses back to a different plan: \"",
                     reprinted, "\""));
  }
  return absl::OkStatus();
}

absl::Status CheckRealistic(const FaultPlan& plan,
                            const ErrnoCatalog& catalog) {
  for (const FaultRule& rule : plan.faults) {
    if (const auto* stream = std::get_if<StreamFault>(&rule.action)) {
      return absl::InvalidArgumentError(absl::StrCat(
          PrintRule(rule), ": Linux ",
          *stream == StreamFault::kEndOfStream
              ? "reads end of stream only once the peer has shut its side "
                "down, after every byte it sent"
              : "hands loopback TCP bytes over intact",
          "; use --adversarial to inject it anyway"));
    }
    const auto* fault = std::get_if<ErrnoFault>(&rule.action);
    if (fault == nullptr) continue;  // short transfers are always legal
    const CatalogEntry* entry = catalog.Find(rule.call, fault->error_number);
    if (entry == nullptr) {
      std::vector<std::string> names;
      for (const CatalogEntry& e : catalog.EntriesFor(rule.call)) {
        names.push_back(ErrnoName(e.error_number));
      }
      return absl::InvalidArgumentError(absl::StrCat(
          PrintRule(rule), ": Linux does not return ",
          ErrnoName(fault->error_number), " from ", CallName(rule.call),
          " on a socket the program owns (",
          names.empty()
              ? std::string("it returns no errno there")
              : absl::StrCat("its errnos there: ", absl::StrJoin(names, ", ")),
          "); use --adversarial to inject it anyway"));
    }
    if (fault->timing.has_value() && *fault->timing != entry->timing) {
      return absl::InvalidArgumentError(absl::StrCat(
          PrintRule(rule), ": Linux reports ", ErrnoName(fault->error_number),
          " from ", CallName(rule.call), " ",
          entry->timing == Timing::kAfter ? "after the call took effect"
                                          : "before the call has any effect",
          " (", entry->cause,
          "); use --adversarial to inject it :", TimingName(*fault->timing)));
    }
  }
  return absl::OkStatus();
}

}  // namespace sockfi
