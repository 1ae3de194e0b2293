#include "src/preload/preload_trace.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "src/sys/errno_name.h"

namespace sockfi {
namespace {

// A JSON value, as much of JSON as trace lines use (numbers are integers).
struct JsonValue {
  enum class Type { kNull, kBool, kInt, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  int64_t integer = 0;
  std::string string;
  std::vector<JsonValue> items;                            // kArray
  std::vector<std::pair<std::string, JsonValue>> members;  // kObject
};

const char* TypeName(JsonValue::Type type) {
  switch (type) {
    case JsonValue::Type::kNull:
      return "null";
    case JsonValue::Type::kBool:
      return "a boolean";
    case JsonValue::Type::kInt:
      return "an integer";
    case JsonValue::Type::kString:
      return "a string";
    case JsonValue::Type::kArray:
      return "an array";
    case JsonValue::Type::kObject:
      return "an object";
  }
  return "?";
}

void AppendUtf8(uint32_t code, std::string* out) {
  if (code < 0x80) {
    out->push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (code >> 6)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3f)));
  } else if (code < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (code >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (code >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3f)));
  }
}

// Parses one line's JSON text.
class JsonParser {
 public:
  JsonParser(absl::string_view text, int line) : text_(text), line_(line) {}

  absl::StatusOr<JsonValue> ParseDocument() {
    JsonValue value;
    absl::Status parsed = ParseValue(&value, 0);
    if (!parsed.ok()) return parsed;
    SkipSpaces();
    if (pos_ != text_.size()) {
      return Error(absl::StrCat("unexpected ", Here(), " after the object"));
    }
    return value;
  }

 private:
  static constexpr int kMaxDepth = 8;

  absl::Status Error(absl::string_view message) const {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", line_, ", column ", pos_ + 1, ": ", message));
  }

  std::string Here() const {
    if (pos_ >= text_.size()) return "the end of the line";
    const unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c < 0x20 || c >= 0x7f) return absl::StrFormat("byte 0x%02x", c);
    return absl::StrCat("\"", std::string(1, static_cast<char>(c)), "\"");
  }

  void SkipSpaces() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Consume(absl::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  absl::Status ParseValue(JsonValue* value, int depth) {
    if (depth > kMaxDepth) return Error("values nested too deep");
    SkipSpaces();
    if (pos_ >= text_.size()) return Error("expected a value, found the end");
    const char c = text_[pos_];
    if (c == '{') return ParseObject(value, depth);
    if (c == '[') return ParseArray(value, depth);
    if (c == '"') {
      value->type = JsonValue::Type::kString;
      return ParseString(&value->string);
    }
    if (c == '-' || absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return ParseInteger(value);
    }
    if (Consume("true")) {
      value->type = JsonValue::Type::kBool;
      value->boolean = true;
      return absl::OkStatus();
    }
    if (Consume("false")) {
      value->type = JsonValue::Type::kBool;
      return absl::OkStatus();
    }
    if (Consume("null")) return absl::OkStatus();
    return Error(absl::StrCat("expected a value, found ", Here()));
  }

  absl::Status ParseInteger(JsonValue* value) {
    const size_t start = pos_;
    const bool negative = text_[pos_] == '-';
    if (negative) ++pos_;
    uint64_t magnitude = 0;
    const size_t digits = pos_;
    while (pos_ < text_.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(text_[pos_]))) {
      magnitude = magnitude * 10 + static_cast<uint64_t>(text_[pos_] - '0');
      if (magnitude > (uint64_t{1} << 63)) {
        pos_ = start;
        return Error("integer out of range");
      }
      ++pos_;
    }
    if (pos_ == digits) return Error("expected digits after \"-\"");
    if (pos_ < text_.size() &&
        (text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E')) {
      return Error("expected an integer, found a fraction or exponent");
    }
    if (!negative &&
        magnitude > uint64_t{std::numeric_limits<int64_t>::max()}) {
      pos_ = start;
      return Error("integer out of range");
    }
    value->type = JsonValue::Type::kInt;
    value->integer = negative ? static_cast<int64_t>(0 - magnitude)
                              : static_cast<int64_t>(magnitude);
    return absl::OkStatus();
  }

  absl::Status ParseHex4(uint32_t* code) {
    if (pos_ + 4 > text_.size()) return Error("a \\u escape needs 4 digits");
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_ + i];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        pos_ += i;
        return Error(absl::StrCat(
            "expected a hex digit in a \\u escape, found ", Here()));
      }
    }
    pos_ += 4;
    *code = value;
    return absl::OkStatus();
  }

  absl::Status ParseString(std::string* out) {
    ++pos_;  // '"'
    while (true) {
      if (pos_ >= text_.size()) {
        return Error("unterminated string (the line is cut?)");
      }
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return absl::OkStatus();
      }
      if (static_cast<unsigned char>(c) < 0x20) {
        return Error(
            absl::StrCat("control character ", Here(), " inside a string"));
      }
      if (c != '\\') {
        out->push_back(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) return Error("unterminated escape");
      const char escaped = text_[pos_++];
      switch (escaped) {
        case '"':
        case '\\':
        case '/':
          out->push_back(escaped);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t code;
          absl::Status hex = ParseHex4(&code);
          if (!hex.ok()) return hex;
          if (code >= 0xd800 && code < 0xdc00 && Consume("\\u")) {
            uint32_t low;
            hex = ParseHex4(&low);
            if (!hex.ok()) return hex;
            if (low >= 0xdc00 && low < 0xe000) {
              code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
            }
          }
          AppendUtf8(code, out);
          break;
        }
        default:
          --pos_;
          return Error(absl::StrCat("unknown escape \\", Here()));
      }
    }
  }

  absl::Status ParseArray(JsonValue* value, int depth) {
    value->type = JsonValue::Type::kArray;
    ++pos_;  // '['
    SkipSpaces();
    if (Consume("]")) return absl::OkStatus();
    while (true) {
      JsonValue item;
      absl::Status parsed = ParseValue(&item, depth + 1);
      if (!parsed.ok()) return parsed;
      value->items.push_back(std::move(item));
      SkipSpaces();
      if (Consume("]")) return absl::OkStatus();
      if (!Consume(",")) {
        return Error(absl::StrCat("expected \",\" or \"]\", found ", Here()));
      }
    }
  }

  absl::Status ParseObject(JsonValue* value, int depth) {
    value->type = JsonValue::Type::kObject;
    ++pos_;  // '{'
    SkipSpaces();
    if (Consume("}")) return absl::OkStatus();
    while (true) {
      SkipSpaces();
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        return Error(absl::StrCat("expected a key in quotes, found ", Here()));
      }
      const size_t key_at = pos_;
      std::string key;
      absl::Status parsed = ParseString(&key);
      if (!parsed.ok()) return parsed;
      for (const auto& member : value->members) {
        if (member.first == key) {
          pos_ = key_at;
          return Error(absl::StrCat("duplicate key \"", key, "\""));
        }
      }
      SkipSpaces();
      if (!Consume(":")) {
        return Error(
            absl::StrCat("expected \":\" after the key, found ", Here()));
      }
      JsonValue member;
      parsed = ParseValue(&member, depth + 1);
      if (!parsed.ok()) return parsed;
      value->members.emplace_back(std::move(key), std::move(member));
      SkipSpaces();
      if (Consume("}")) return absl::OkStatus();
      if (!Consume(",")) {
        return Error(absl::StrCat("expected \",\" or \"}\", found ", Here()));
      }
    }
  }

  absl::string_view text_;
  int line_;
  size_t pos_ = 0;
};

// Reads typed fields out of one line's object, with errors naming the line.
class Fields {
 public:
  Fields(const JsonValue& object, int line) : object_(object), line_(line) {}

  const absl::Status& status() const { return status_; }

  int64_t Int(absl::string_view key) {
    const JsonValue* value = Get(key, JsonValue::Type::kInt, false);
    return value != nullptr ? value->integer : 0;
  }
  std::optional<int64_t> OptionalInt(absl::string_view key) {
    if (Find(key) == nullptr) return std::nullopt;
    const JsonValue* value = Get(key, JsonValue::Type::kInt, false);
    if (value == nullptr) return std::nullopt;
    return value->integer;
  }
  // An integer that must fit `[low, high]`.
  int64_t IntIn(absl::string_view key, int64_t low, int64_t high) {
    const int64_t value = Int(key);
    if (status_.ok() && (value < low || value > high)) {
      Fail(absl::StrCat("field \"", key, "\" is ", value, ", expected ", low,
                        " to ", high));
    }
    return value;
  }
  bool Bool(absl::string_view key) {
    const JsonValue* value = Get(key, JsonValue::Type::kBool, false);
    return value != nullptr && value->boolean;
  }
  std::string Str(absl::string_view key) {
    const JsonValue* value = Get(key, JsonValue::Type::kString, false);
    return value != nullptr ? value->string : std::string();
  }
  // A string or null, present in every line of its type.
  std::optional<std::string> StrOrNull(absl::string_view key) {
    const JsonValue* value = Get(key, JsonValue::Type::kString, true);
    if (value == nullptr || value->type == JsonValue::Type::kNull) {
      return std::nullopt;
    }
    return value->string;
  }
  // An optional field: absent or a string.
  std::optional<std::string> OptionalStr(absl::string_view key) {
    if (Find(key) == nullptr) return std::nullopt;
    return Str(key);
  }
  std::optional<int64_t> IntOrNull(absl::string_view key) {
    const JsonValue* value = Get(key, JsonValue::Type::kInt, true);
    if (value == nullptr || value->type == JsonValue::Type::kNull) {
      return std::nullopt;
    }
    return value->integer;
  }
  std::vector<int> IntArray(absl::string_view key, bool optional) {
    std::vector<int> out;
    if (optional && Find(key) == nullptr) return out;
    const JsonValue* value = Get(key, JsonValue::Type::kArray, false);
    if (value == nullptr) return out;
    for (const JsonValue& item : value->items) {
      if (item.type != JsonValue::Type::kInt ||
          item.integer < std::numeric_limits<int>::min() ||
          item.integer > std::numeric_limits<int>::max()) {
        Fail(absl::StrCat("field \"", key, "\" must hold integers, found ",
                          TypeName(item.type)));
        return out;
      }
      out.push_back(static_cast<int>(item.integer));
    }
    return out;
  }
  std::vector<std::string> StrArray(absl::string_view key) {
    std::vector<std::string> out;
    if (Find(key) == nullptr) return out;
    const JsonValue* value = Get(key, JsonValue::Type::kArray, false);
    if (value == nullptr) return out;
    for (const JsonValue& item : value->items) {
      if (item.type != JsonValue::Type::kString) {
        Fail(absl::StrCat("field \"", key, "\" must hold strings, found ",
                          TypeName(item.type)));
        return out;
      }
      out.push_back(item.string);
    }
    return out;
  }
  // An errno name, or 0 for null (when `nullable`).
  int Errno(absl::string_view key, bool nullable) {
    std::optional<std::string> name =
        nullable ? StrOrNull(key) : std::optional<std::string>(Str(key));
    if (!name.has_value() || !status_.ok()) return 0;
    std::optional<int> number = ErrnoFromName(*name);
    if (!number.has_value() && absl::StartsWith(*name, "errno ")) {
      int parsed;
      if (absl::SimpleAtoi(name->substr(6), &parsed) && parsed > 0) {
        number = parsed;
      }
    }
    if (!number.has_value()) {
      Fail(absl::StrCat("field \"", key, "\" names an unknown errno \"", *name,
                        "\""));
      return 0;
    }
    return *number;
  }
  bool Has(absl::string_view key) const { return Find(key) != nullptr; }
  void Fail(absl::string_view message) {
    if (status_.ok()) {
      status_ = absl::InvalidArgumentError(
          absl::StrCat("line ", line_, ": ", message));
    }
  }

 private:
  const JsonValue* Find(absl::string_view key) const {
    for (const auto& member : object_.members) {
      if (member.first == key) return &member.second;
    }
    return nullptr;
  }

  const JsonValue* Get(absl::string_view key, JsonValue::Type type,
                       bool nullable) {
    if (!status_.ok()) return nullptr;
    const JsonValue* value = Find(key);
    if (value == nullptr) {
      Fail(absl::StrCat("missing field \"", key, "\""));
      return nullptr;
    }
    if (value->type != type &&
        !(nullable && value->type == JsonValue::Type::kNull)) {
      Fail(absl::StrCat("field \"", key, "\" must be ", TypeName(type),
                        nullable ? " or null" : "", ", found ",
                        TypeName(value->type)));
      return nullptr;
    }
    return value;
  }

  const JsonValue& object_;
  int line_;
  absl::Status status_;
};

constexpr int64_t kIntMax = std::numeric_limits<int>::max();
constexpr int64_t kUint32Max = std::numeric_limits<uint32_t>::max();

absl::Status ParseCall(Fields& f, int line, PreloadCall* call) {
  call->line = line;
  call->pid = static_cast<int>(f.IntIn("pid", 1, kIntMax));
  call->tid = static_cast<int>(f.IntIn("tid", 1, kIntMax));
  call->seq = static_cast<uint64_t>(
      f.IntIn("seq", 0, std::numeric_limits<int64_t>::max()));
  call->call = f.Str("call");
  if (f.status().ok()) {
    call->kind = CallKindFromName(call->call);
    if (!call->kind.has_value() && call->call != "setsockopt" &&
        call->call != "dup") {
      f.Fail(absl::StrCat("unknown call \"", call->call, "\"; expected one of ",
                          AllCallNames(), ", setsockopt, dup"));
    }
  }
  call->function = f.Str("function");
  call->occurrence =
      static_cast<uint32_t>(f.IntIn("occurrence", 1, kUint32Max));
  call->fd = static_cast<int>(f.IntIn("fd", -1, kIntMax));
  call->new_fds = f.IntArray("new_fds", false);
  call->fault = f.StrOrNull("fault");
  call->rule = f.StrOrNull("rule");
  const std::optional<std::string> status = f.StrOrNull("rule_status");
  if (f.status().ok()) {
    if (!status.has_value()) {
      call->rule_status = PreloadRuleStatus::kNone;
    } else if (*status == "injected") {
      call->rule_status = PreloadRuleStatus::kInjected;
    } else if (*status == "suppressed") {
      call->rule_status = PreloadRuleStatus::kSuppressed;
    } else if (*status == "missed") {
      call->rule_status = PreloadRuleStatus::kMissed;
    } else {
      f.Fail(absl::StrCat("field \"rule_status\" is \"", *status,
                          "\"; expected injected, suppressed, missed or null"));
    }
    if (call->rule_status != PreloadRuleStatus::kNone &&
        !call->rule.has_value()) {
      f.Fail("field \"rule_status\" is set but \"rule\" is null");
    }
    if (call->fault.has_value() != call->injected()) {
      f.Fail(
          "field \"fault\" must be set exactly when \"rule_status\" is "
          "\"injected\"");
    }
  }
  if (f.status().ok() && call->fault.has_value() && *call->fault != "short" &&
      !call->stream_fault()) {
    call->fault_errno = f.Errno("fault", false);
  }
  call->note = f.StrOrNull("note");
  call->result = f.Int("result");
  call->error = f.Errno("errno", true);
  if (f.status().ok() && (call->result == -1) != (call->error != 0)) {
    f.Fail("field \"errno\" must be set exactly when \"result\" is -1");
  }
  call->addr = f.OptionalStr("addr");
  call->domain = f.OptionalStr("domain");
  call->socket_type = f.OptionalStr("socket_type");
  call->flags = f.OptionalInt("flags");
  call->len = f.OptionalInt("len");
  call->cmd = f.OptionalStr("cmd");
  call->arg = f.OptionalInt("arg");
  call->level = f.OptionalInt("level");
  call->optname = f.OptionalInt("optname");
  call->backlog = f.OptionalInt("backlog");
  call->timeout_ms = f.OptionalInt("timeout_ms");
  call->nfds = f.OptionalInt("nfds");
  call->poll_fds = f.IntArray("poll_fds", true);
  call->actors = f.StrArray("actors");
  return f.status();
}

absl::Status ParseLeak(Fields& f, int line, PreloadLeak* leak) {
  leak->line = line;
  leak->pid = static_cast<int>(f.IntIn("pid", 1, kIntMax));
  leak->fd = static_cast<int>(f.IntIn("fd", 0, kIntMax));
  leak->call = f.Str("call");
  leak->function = f.Str("function");
  leak->occurrence =
      static_cast<uint32_t>(f.IntIn("occurrence", 1, kUint32Max));
  leak->created_pid = static_cast<int>(f.IntIn("created_pid", 1, kIntMax));
  leak->domain = f.Str("domain");
  leak->socket_type = f.Str("socket_type");
  leak->local = f.StrOrNull("local");
  leak->peer = f.StrOrNull("peer");
  leak->faults_before =
      static_cast<uint32_t>(f.IntIn("faults_before", 0, kUint32Max));
  leak->last_fault = f.StrOrNull("last_fault");
  return f.status();
}

bool IsBlank(absl::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

absl::StatusOr<PreloadTrace> ParsePreloadTrace(absl::string_view jsonl) {
  PreloadTrace trace;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(jsonl, '\n')) {
    ++number;
    if (IsBlank(line)) continue;
    absl::StatusOr<JsonValue> parsed = JsonParser(line, number).ParseDocument();
    if (!parsed.ok()) return parsed.status();
    if (parsed->type != JsonValue::Type::kObject) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", number, ": expected a JSON object, found ",
                       TypeName(parsed->type)));
    }
    Fields fields(*parsed, number);
    const std::string type = fields.Str("type");
    if (!fields.status().ok()) return fields.status();
    if (fields.Has("overflow")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line ", number, ": the interposer could not fit this \"", type,
          "\" line in its buffer"));
    }
    if (type == "call") {
      PreloadCall call;
      absl::Status status = ParseCall(fields, number, &call);
      if (!status.ok()) return status;
      trace.calls.push_back(std::move(call));
    } else if (type == "leak") {
      PreloadLeak leak;
      absl::Status status = ParseLeak(fields, number, &leak);
      if (!status.ok()) return status;
      trace.leaks.push_back(std::move(leak));
    } else if (type == "start") {
      PreloadStart start;
      start.line = number;
      start.pid = static_cast<int>(fields.IntIn("pid", 1, kIntMax));
      start.ppid = static_cast<int>(fields.IntIn("ppid", 0, kIntMax));
      start.exe = fields.Str("exe");
      start.plan = fields.Str("plan");
      start.adversarial = fields.Bool("adversarial");
      const std::optional<int64_t> parent = fields.IntOrNull("forked_from");
      if (parent.has_value()) start.forked_from = static_cast<int>(*parent);
      if (!fields.status().ok()) return fields.status();
      trace.starts.push_back(std::move(start));
    } else if (type == "end") {
      PreloadEnd end;
      end.line = number;
      end.pid = static_cast<int>(fields.IntIn("pid", 1, kIntMax));
      end.calls = static_cast<uint64_t>(
          fields.IntIn("calls", 0, std::numeric_limits<int64_t>::max()));
      end.faults = static_cast<uint64_t>(
          fields.IntIn("faults", 0, std::numeric_limits<int64_t>::max()));
      end.leaks = static_cast<uint64_t>(
          fields.IntIn("leaks", 0, std::numeric_limits<int64_t>::max()));
      if (!fields.status().ok()) return fields.status();
      trace.ends.push_back(end);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", number, ": unknown type \"", type,
                       "\"; expected start, call, leak or end"));
    }
  }
  return trace;
}

std::vector<int> PreloadTrace::Pids() const {
  std::vector<std::pair<int, int>> first_line;  // (line, pid)
  auto note = [&](int pid, int line) {
    for (auto& entry : first_line) {
      if (entry.second == pid) {
        entry.first = std::min(entry.first, line);
        return;
      }
    }
    first_line.emplace_back(line, pid);
  };
  for (const PreloadStart& start : starts) note(start.pid, start.line);
  for (const PreloadCall& call : calls) note(call.pid, call.line);
  for (const PreloadLeak& leak : leaks) note(leak.pid, leak.line);
  for (const PreloadEnd& end : ends) note(end.pid, end.line);
  std::sort(first_line.begin(), first_line.end());
  std::vector<int> pids;
  for (const auto& entry : first_line) pids.push_back(entry.second);
  return pids;
}

std::vector<const PreloadCall*> PreloadTrace::CallsOf(int pid) const {
  std::vector<const PreloadCall*> out;
  for (const PreloadCall& call : calls) {
    if (call.pid == pid) out.push_back(&call);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const PreloadCall* a, const PreloadCall* b) {
                     return a->seq < b->seq;
                   });
  return out;
}

std::vector<const PreloadLeak*> PreloadTrace::LeaksOf(int pid) const {
  std::vector<const PreloadLeak*> out;
  for (const PreloadLeak& leak : leaks) {
    if (leak.pid == pid) out.push_back(&leak);
  }
  return out;
}

const PreloadEnd* PreloadTrace::EndOf(int pid) const {
  for (const PreloadEnd& end : ends) {
    if (end.pid == pid) return &end;
  }
  return nullptr;
}

absl::Status CheckPreloadTraceComplete(const PreloadTrace& trace) {
  for (int pid : trace.Pids()) {
    const PreloadEnd* end = trace.EndOf(pid);
    if (end == nullptr) {
      return absl::FailedPreconditionError(absl::StrCat(
          "pid ", pid, ": no end line (it did not exit normally)"));
    }
    const bool started = std::any_of(
        trace.starts.begin(), trace.starts.end(),
        [pid](const PreloadStart& start) { return start.pid == pid; });
    if (!started) {
      return absl::FailedPreconditionError(
          absl::StrCat("pid ", pid, ": no start line"));
    }
    const std::vector<const PreloadCall*> calls = trace.CallsOf(pid);
    for (size_t i = 0; i < calls.size(); ++i) {
      if (calls[i]->seq != i) {
        return absl::FailedPreconditionError(absl::StrCat(
            "pid ", pid, ": ",
            calls[i]->seq < i
                ? absl::StrCat("seq ", calls[i]->seq, " appears twice")
                : absl::StrCat("seq ", i, " is missing")));
      }
    }
    if (calls.size() != end->calls) {
      return absl::FailedPreconditionError(
          absl::StrCat("pid ", pid, ": ", calls.size(),
                       " call lines, but its end line counts ", end->calls));
    }
    const size_t leaks = trace.LeaksOf(pid).size();
    if (leaks != end->leaks) {
      return absl::FailedPreconditionError(
          absl::StrCat("pid ", pid, ": ", leaks,
                       " leak lines, but its end line counts ", end->leaks));
    }
  }
  return absl::OkStatus();
}

}  // namespace sockfi
