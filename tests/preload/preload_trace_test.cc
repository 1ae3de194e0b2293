#include "src/preload/preload_trace.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace sockfi {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kStart[] =
    R"({"type":"start","pid":7,"ppid":1,"exe":"/bin/prog","plan":"accept#1=ECONNABORTED","adversarial":false,"forked_from":null})";
constexpr char kSocket[] =
    R"({"type":"call","pid":7,"tid":7,"seq":0,"call":"socket","function":"socket","occurrence":1,"fd":-1,"new_fds":[3],"fault":null,"rule":null,"rule_status":null,"note":null,"result":3,"errno":null,"domain":"AF_INET","socket_type":"SOCK_STREAM"})";
constexpr char kAccept[] =
    R"({"type":"call","pid":7,"tid":9,"seq":1,"call":"accept","function":"accept4","occurrence":1,"fd":3,"new_fds":[],"fault":"ECONNABORTED","rule":"accept#1=ECONNABORTED","rule_status":"injected","note":null,"result":-1,"errno":"ECONNABORTED","flags":524288,"addr":"127.0.0.1:5555","actors":["foreign"],"future_field":{"a":[1,2]}})";
constexpr char kLeak[] =
    R"({"type":"leak","pid":7,"fd":3,"call":"socket","function":"socket","occurrence":1,"created_pid":7,"domain":"AF_INET","socket_type":"SOCK_STREAM","local":"127.0.0.1:5555","peer":null,"faults_before":0,"last_fault":null})";
constexpr char kEnd[] =
    R"({"type":"end","pid":7,"calls":2,"faults":1,"leaks":1})";

std::string Join(std::initializer_list<std::string> lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

TEST(PreloadTraceTest, ReadsEveryKindOfLine) {
  absl::StatusOr<PreloadTrace> trace = ParsePreloadTrace(
      Join({kStart, kSocket, "   ", kAccept, "", kLeak, kEnd}));
  ASSERT_TRUE(trace.ok()) << trace.status();
  ASSERT_EQ(trace->starts.size(), 1u);
  EXPECT_EQ(trace->starts[0].plan, "accept#1=ECONNABORTED");
  EXPECT_EQ(trace->starts[0].exe, "/bin/prog");
  EXPECT_FALSE(trace->starts[0].forked_from.has_value());
  ASSERT_EQ(trace->calls.size(), 2u);
  const PreloadCall& socket = trace->calls[0];
  EXPECT_EQ(socket.line, 2);
  EXPECT_EQ(socket.kind, CallKind::kSocket);
  EXPECT_THAT(socket.new_fds, ElementsAre(3));
  EXPECT_EQ(socket.domain, "AF_INET");
  EXPECT_FALSE(socket.injected());
  const PreloadCall& accept = trace->calls[1];
  EXPECT_EQ(accept.line, 4);
  EXPECT_EQ(accept.tid, 9);
  EXPECT_EQ(accept.function, "accept4");
  EXPECT_EQ(accept.fault_errno, ECONNABORTED);
  EXPECT_EQ(accept.error, ECONNABORTED);
  EXPECT_TRUE(accept.injected());
  EXPECT_EQ(accept.flags, 524288);
  EXPECT_EQ(accept.addr, "127.0.0.1:5555");
  EXPECT_THAT(accept.actors, ElementsAre("foreign"));
  EXPECT_FALSE(accept.len.has_value());
  ASSERT_EQ(trace->leaks.size(), 1u);
  EXPECT_EQ(trace->leaks[0].local, "127.0.0.1:5555");
  EXPECT_FALSE(trace->leaks[0].peer.has_value());
  ASSERT_NE(trace->EndOf(7), nullptr);
  EXPECT_EQ(trace->EndOf(7)->faults, 1u);
  EXPECT_THAT(trace->Pids(), ElementsAre(7));
  EXPECT_TRUE(CheckPreloadTraceComplete(*trace).ok());
}

TEST(PreloadTraceTest, ReadsEscapesAndTraceOnlyCalls) {
  absl::StatusOr<PreloadTrace> trace = ParsePreloadTrace(
      R"({"type":"call","pid":7,"tid":7,"seq":0,"call":"setsockopt","function":"setsockopt","occurrence":1,"fd":3,"new_fds":[],"fault":null,"rule":null,"rule_status":null,"note":"a \"q\" \\ \u00e9\n","result":0,"errno":null})");
  ASSERT_TRUE(trace.ok()) << trace.status();
  EXPECT_FALSE(trace->calls[0].kind.has_value());
  EXPECT_EQ(trace->calls[0].note, "a \"q\" \\ \xc3\xa9\n");
}

struct BadTrace {
  std::string text;
  std::string message;
};

TEST(PreloadTraceTest, NamesTheLineOfMalformedInput) {
  const std::string call_head =
      R"({"type":"call","pid":7,"tid":7,"seq":0,"call":"socket","function":"socket","occurrence":1,"fd":-1,"new_fds":[],)";
  const std::vector<BadTrace> cases = {
      {Join({kStart, "not json"}),
       "line 2, column 1: expected a value, found \"n\""},
      {Join({kStart, "[1,2]"}),
       "line 2: expected a JSON object, found an array"},
      {Join({kStart, R"({"type":"call","pid":7})"}),
       "line 2: missing field \"tid\""},
      {Join({R"({"type":"start","pid":"7"})"}),
       "line 1: field \"pid\" must be an integer, found a string"},
      {Join({kStart, R"({"type":"bogus"})"}),
       "line 2: unknown type \"bogus\"; expected start, call, leak or end"},
      {Join({kStart, R"({"type":"end","type":"end"})"}),
       "line 2, column 15: duplicate key \"type\""},
      {Join({kStart, kSocket,
             R"({"type":"call","pid":7,"tid":7,"seq":1,"call":"acc)"}),
       "line 3, column 51: unterminated string (the line is cut?)"},
      {Join(
           {call_head +
            R"("fault":null,"rule":null,"rule_status":null,"note":null,"result":-1,"errno":"EFOO"})"}),
       "line 1: field \"errno\" names an unknown errno \"EFOO\""},
      {Join(
           {call_head +
            R"("fault":null,"rule":null,"rule_status":null,"note":null,"result":-1,"errno":null})"}),
       "line 1: field \"errno\" must be set exactly when \"result\" is -1"},
      {Join(
           {call_head +
            R"("fault":"EINTR","rule":null,"rule_status":null,"note":null,"result":0,"errno":null})"}),
       "line 1: field \"fault\" must be set exactly when \"rule_status\" is "
       "\"injected\""},
      {Join(
           {R"({"type":"call","pid":7,"tid":7,"seq":0,"call":"frob","function":"x","occurrence":1})"}),
       "line 1: unknown call \"frob\""},
      {Join({R"({"type":"call","overflow":true})"}),
       "line 1: the interposer could not fit this \"call\" line"},
      {Join({R"({"type":"end","pid":7,"calls":1.5})"}),
       "line 1, column 32: expected an integer, found a fraction"},
  };
  for (const BadTrace& bad : cases) {
    absl::StatusOr<PreloadTrace> trace = ParsePreloadTrace(bad.text);
    ASSERT_FALSE(trace.ok()) << bad.text;
    EXPECT_EQ(trace.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(trace.status().message()), StartsWith(bad.message))
        << bad.text;
  }
}

TEST(PreloadTraceTest, CompletenessNeedsEveryLineTheEndCounts) {
  auto check = [](std::initializer_list<std::string> lines) {
    absl::StatusOr<PreloadTrace> trace = ParsePreloadTrace(Join(lines));
    EXPECT_TRUE(trace.ok()) << trace.status();
    return CheckPreloadTraceComplete(*trace);
  };
  EXPECT_TRUE(check({kStart, kSocket, kAccept, kLeak, kEnd}).ok());
  EXPECT_THAT(std::string(check({kStart, kSocket, kAccept, kLeak}).message()),
              HasSubstr("pid 7: no end line"));
  EXPECT_THAT(std::string(check({kStart, kAccept, kLeak, kEnd}).message()),
              HasSubstr("pid 7: seq 0 is missing"));
  EXPECT_THAT(
      std::string(check({kStart, kSocket, kSocket, kLeak, kEnd}).message()),
      HasSubstr("pid 7: seq 0 appears twice"));
  EXPECT_THAT(std::string(check({kStart, kSocket, kAccept, kEnd}).message()),
              HasSubstr("pid 7: 0 leak lines, but its end line counts 1"));
  EXPECT_THAT(std::string(check({kSocket, kAccept, kLeak, kEnd}).message()),
              HasSubstr("pid 7: no start line"));
}

}  // namespace
}  // namespace sockfi
