// The fault plan's text form: good plans round-trip, bad ones get exact
// messages.

#include "src/fault/fault_plan.h"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace sockfi {
namespace {

TEST(FaultPlanTest, ParsesEveryKindOfRule) {
  absl::StatusOr<FaultPlan> plan = ParsePlan(
      "accept#2=ECONNABORTED\n"
      "close#*=EINTR; connect#1=EINTR:after  # a comment\n"
      "send#1=short:1\n"
      "  # a whole-line comment\n"
      "recv#3-5=EAGAIN:before; poll#2-=EINTR\n"
      "foreign@listen#1; flood@listen#2; impostor@listen#1; halfopen@accept#3\n"
      "fdlimit=5\n"
      "recv#1=eof; recv#2-=corrupt\n");
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->faults.size(), 8u);
  EXPECT_EQ(plan->faults[0].call, CallKind::kAccept);
  EXPECT_EQ(plan->faults[0].when, (Occurrences{2, 2}));
  EXPECT_EQ(std::get<ErrnoFault>(plan->faults[0].action),
            (ErrnoFault{ECONNABORTED, std::nullopt}));
  EXPECT_EQ(plan->faults[1].when, (Occurrences{1, Occurrences::kOpenEnd}));
  EXPECT_EQ(std::get<ErrnoFault>(plan->faults[2].action),
            (ErrnoFault{EINTR, Timing::kAfter}));
  EXPECT_EQ(std::get<ShortTransfer>(plan->faults[3].action).max_bytes, 1u);
  EXPECT_EQ(plan->faults[4].when, (Occurrences{3, 5}));
  EXPECT_EQ(plan->faults[5].when, (Occurrences{2, Occurrences::kOpenEnd}));
  EXPECT_EQ(std::get<StreamFault>(plan->faults[6].action),
            StreamFault::kEndOfStream);
  EXPECT_EQ(std::get<StreamFault>(plan->faults[7].action),
            StreamFault::kCorrupt);
  ASSERT_EQ(plan->actors.size(), 4u);
  EXPECT_EQ(plan->actors[1],
            (ActorRule{ActorKind::kFlood, CallKind::kListen, {2, 2}}));
  EXPECT_EQ(plan->actors[3].call, CallKind::kAccept);
  EXPECT_EQ(plan->fd_limit, 5u);
}

TEST(FaultPlanTest, PrintsCanonicalText) {
  absl::StatusOr<FaultPlan> plan = ParsePlan(
      "foreign@listen#1\nfdlimit=3;accept#2-=EWOULDBLOCK ; close#*=EIO");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(PrintPlan(*plan),
            "fdlimit=3; accept#2-=EAGAIN; close#*=EIO; foreign@listen#1");
  EXPECT_EQ(PrintPlan(FaultPlan()), "none");
  EXPECT_EQ(*ParsePlan("none"), FaultPlan());
  EXPECT_EQ(*ParsePlan("  none  # nothing\n"), FaultPlan());
}

TEST(FaultPlanTest, CheckPrintParsesBackSaysWhatThePrintedTextBecame) {
  absl::StatusOr<FaultPlan> good =
      ParsePlan("accept#2-=EMFILE; flood@listen#1");
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(CheckPrintParsesBack(*good).ok());

  // An errno Linux has no name for prints as "errno 4000", which no plan
  // text can name.
  FaultPlan nameless;
  nameless.faults.push_back(FaultRule{CallKind::kAccept, Occurrences{},
                                      ErrnoFault{4000, std::nullopt}});
  const absl::Status status = CheckPrintParsesBack(nameless);
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_TRUE(
      absl::StartsWith(status.message(),
                       "\"" + PrintPlan(nameless) + "\" does not parse back: "))
      << status.message();
}

// Every plan written in README.md, and a few more: parse, print, parse again.
TEST(FaultPlanTest, GoodExamplesRoundTrip) {
  const std::vector<std::string> examples = {
      "accept#2=ECONNABORTED",
      "close#*=EINTR",
      "connect#1=EINTR:after",
      "send#1=short:1",
      "foreign@listen#1",
      "flood@listen#1",
      "fdlimit=5",
      "none",
      "accept#1=ECONNABORTED; accept#2=EMFILE",
      "recv#1-3=short:2; send#4=EAGAIN:before; impostor@listen#1",
      "halfopen@listen#1; getpeername#1=ENOTCONN; poll#*=EINTR",
      "socket#2=EMFILE; bind#1=EADDRNOTAVAIL; getrandom#1=ENOSYS",
      "recv#2=eof; recv#3-=corrupt",
  };
  for (const std::string& text : examples) {
    SCOPED_TRACE(text);
    absl::StatusOr<FaultPlan> first = ParsePlan(text);
    ASSERT_TRUE(first.ok()) << first.status();
    const std::string printed = PrintPlan(*first);
    absl::StatusOr<FaultPlan> second = ParsePlan(printed);
    ASSERT_TRUE(second.ok()) << printed << ": " << second.status();
    EXPECT_EQ(*first, *second);
    EXPECT_EQ(PrintPlan(*second), printed);
  }
}

// Returns every plan README.md shows: each --plan='...' and each rule in the
// first column of the "Fault plans" table.
std::vector<std::string> ReadmePlans() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  std::ifstream file(std::string(srcdir ? srcdir : ".") + "/sockfi/README.md");
  std::stringstream text;
  text << file.rdbuf();
  const std::string readme = text.str();
  std::vector<std::string> plans;
  for (size_t at = readme.find("--plan='"); at != std::string::npos;
       at = readme.find("--plan='", at + 1)) {
    const size_t start = at + 8;
    plans.push_back(readme.substr(start, readme.find('\'', start) - start));
  }
  const size_t table = readme.find("| rule | meaning |");
  const size_t end = readme.find("\n\n", table);
  std::stringstream rows(readme.substr(table, end - table));
  std::string row;
  while (std::getline(rows, row)) {
    const size_t cell_end = row.find(" | ", 2);
    if (row.rfind("| `", 0) != 0 || cell_end == std::string::npos) continue;
    const std::string cell = row.substr(2, cell_end - 2);
    for (size_t tick = cell.find('`'); tick != std::string::npos;
         tick = cell.find('`', cell.find('`', tick + 1) + 1)) {
      const size_t close = cell.find('`', tick + 1);
      plans.push_back(cell.substr(tick + 1, close - tick - 1));
    }
  }
  return plans;
}

TEST(FaultPlanTest, EveryPlanInTheReadmeRoundTrips) {
  const std::vector<std::string> plans = ReadmePlans();
  ASSERT_GE(plans.size(), 15u) << "README.md not found or changed shape";
  for (const std::string& text : plans) {
    SCOPED_TRACE(text);
    absl::StatusOr<FaultPlan> first = ParsePlan(text);
    ASSERT_TRUE(first.ok()) << first.status();
    absl::StatusOr<FaultPlan> second = ParsePlan(PrintPlan(*first));
    ASSERT_TRUE(second.ok()) << second.status();
    EXPECT_EQ(*first, *second);
  }
}

TEST(FaultPlanTest, BadInputsGetExactMessages) {
  const std::string huge(1 << 20, 'a');
  std::string many_rules;
  for (int i = 0; i < 10001; ++i) many_rules += "poll#1=EINTR;";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"acept#1=EINTR",
       "line 1, column 1: unknown call \"acept\"; expected one of socket, "
       "socketpair, bind, listen, getsockname, getpeername, connect, accept, "
       "fcntl, "
       "getsockopt, poll, send, recv, close, getrandom, or fdlimit, none, or "
       "an "
       "actor such as foreign@listen#1"},
      {"accept#1=EFOO",
       "line 1, column 10: unknown errno \"EFOO\"; expected a name such as "
       "EINTR, "
       "EAGAIN or EMFILE, or short:N, eof, corrupt"},
      {"accept#1=eintr",
       "line 1, column 10: unknown errno \"eintr\"; expected a name such as "
       "EINTR, "
       "EAGAIN or EMFILE, or short:N, eof, corrupt"},
      {"accept#0=EINTR",
       "line 1, column 8: occurrence 0: calls are counted from 1"},
      {"accept#2 EINTR",
       "line 1, column 9: expected \"=\" after \"accept#2\", found \" \""},
      {"accept#2",
       "line 1, column 9: expected \"=\" after \"accept#2\", found the "
       "end of the plan"},
      {"accept=EINTR",
       "line 1, column 7: expected \"#\" and an occurrence after \"accept\" "
       "(e.g. "
       "accept#1), found \"=\""},
      {"accept#=EINTR",
       "line 1, column 8: expected an occurrence (a number from 1, a range N-M "
       "or "
       "N-, or *), found \"=\""},
      {"accept#5-3=EINTR", "line 1, column 8: range 5-3 ends before it starts"},
      {"accept#1=EINTR garbage",
       "line 1, column 16: unexpected \"garbage\" after the rule; expected "
       "\";\", a "
       "new line or a \" #\" comment"},
      {"accept#1=EINTRx",
       "line 1, column 10: unknown errno \"EINTRx\"; expected a name such as "
       "EINTR, "
       "EAGAIN or EMFILE, or short:N, eof, corrupt"},
      {"accept#1=EINTR:later",
       "line 1, column 16: unknown timing \"later\"; expected before or after"},
      {"accept#1=short:1",
       "line 1, column 10: short:N applies to send and recv only"},
      {"send#1=short:0",
       "line 1, column 14: short:0 would move nothing: use 1 or more"},
      {"send#1=short",
       "line 1, column 13: expected \":\" and a byte count after "
       "\"short\" (e.g. short:1), found the end of the plan"},
      {"accept#1=",
       "line 1, column 10: expected an errno name (e.g. EINTR), "
       "short:N, eof or corrupt, found the end of the plan"},
      {"send#1=eof", "line 1, column 8: eof applies to recv only"},
      {"accept#2=corrupt", "line 1, column 10: corrupt applies to recv only"},
      {std::string("accept#1=EINTR;\x01\x02", 17),
       "line 1, column 16: unexpected byte 0x01; expected a rule such as "
       "accept#1=EINTR"},
      {std::string("\xff\xfe", 2),
       "line 1, column 1: unexpected byte 0xff; expected a rule such as "
       "accept#1=EINTR"},
      {"poll#1=EINTR\nsend#1=EAGAIN\nclose#x=EIO",
       "line 3, column 7: expected an occurrence (a number from 1, a range N-M "
       "or "
       "N-, or *), found \"x\""},
      {"bogus@listen#1",
       "line 1, column 1: unknown actor \"bogus\"; expected "
       "foreign, impostor, halfopen, flood or hangup"},
      {"foreign@lisen#1",
       "line 1, column 9: unknown call \"lisen\" after \"foreign@\"; expected "
       "one "
       "of socket, socketpair, bind, listen, getsockname, getpeername, "
       "connect, "
       "accept, fcntl, getsockopt, poll, send, recv, close, getrandom"},
      {"fdlimit=2; fdlimit=3", "line 1, column 12: fdlimit is given twice"},
      {"fdlimit:3",
       "line 1, column 8: expected \"=\" after \"fdlimit\", found \":\""},
      {"accept#99999999999=EINTR",
       "line 1, column 8: an occurrence (a number from 1, a range N-M or N-, "
       "or *) "
       "is larger than 1000000000"},
      {"none; accept#1=EINTR",
       "line 1, column 1: \"none\" cannot be combined with other rules"},
      {"",
       "the plan is empty: write rules such as accept#1=EINTR, or \"none\" for "
       "no faults"},
      {" ;\n  # only a comment\n",
       "the plan is empty: write rules such as "
       "accept#1=EINTR, or \"none\" for no faults"},
      {huge,
       "line 1, column 1: unknown call "
       "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" (1048576 characters); expected "
       "one of socket, socketpair, bind, listen, getsockname, getpeername, "
       "connect, accept, fcntl, getsockopt, poll, send, recv, close, "
       "getrandom, or fdlimit, none, or an actor such as foreign@listen#1"},
      {many_rules, "line 1, column 130001: more than 10000 rules"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text.substr(0, 40));
    absl::StatusOr<FaultPlan> plan = ParsePlan(text);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(plan.status().message(), message);
  }
}

TEST(FaultPlanTest, RealisticModeRejectsWhatLinuxCannotDo) {
  const ErrnoCatalog& linux = ErrnoCatalog::Linux();
  const std::vector<std::pair<std::string, std::string>> rejected = {
      {"accept#1=EBADF",
       "accept#1=EBADF: Linux does not return EBADF from accept on a socket "
       "the "
       "program owns (its errnos there: EAGAIN, EINTR, ECONNABORTED, EPROTO, "
       "ENETUNREACH, EMFILE, ENFILE, ENOBUFS, ENOMEM); use --adversarial to "
       "inject "
       "it anyway"},
      {"fcntl#1=EINTR",
       "fcntl#1=EINTR: Linux does not return EINTR from fcntl on a socket the "
       "program owns (it returns no errno there); use --adversarial to inject "
       "it "
       "anyway"},
      {"connect#1=EINTR:before",
       "connect#1=EINTR:before: Linux reports EINTR from connect after the "
       "call "
       "took effect (a signal interrupted it; the attempt goes on (POSIX): "
       "poll, "
       "then SO_ERROR); use --adversarial to inject it :before"},
      {"close#2=EINTR:before",
       "close#2=EINTR:before: Linux reports EINTR from close after the call "
       "took "
       "effect (a signal interrupted the final flush; the fd is released "
       "anyway "
       "(never retry close)); use --adversarial to inject it :before"},
      {"recv#1=eof",
       "recv#1=eof: Linux reads end of stream only once the peer has shut its "
       "side down, after every byte it sent; use --adversarial to inject it "
       "anyway"},
      {"recv#2-=corrupt",
       "recv#2-=corrupt: Linux hands loopback TCP bytes over intact; use "
       "--adversarial to inject it anyway"},
  };
  for (const auto& [text, message] : rejected) {
    absl::StatusOr<FaultPlan> plan = ParsePlan(text);
    ASSERT_TRUE(plan.ok()) << plan.status();
    EXPECT_EQ(CheckRealistic(*plan, linux).message(), message);
  }
  for (const char* text : {"connect#1=EINTR:after", "connect#1=EINTR",
                           "close#*=EIO", "accept#1=EMFILE:before",
                           "send#2=short:3", "flood@listen#1; fdlimit=1"}) {
    EXPECT_TRUE(CheckRealistic(*ParsePlan(text), linux).ok()) << text;
  }
}

}  // namespace
}  // namespace sockfi
