#include "src/explore/schedule_space.h"

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace sockfi {
namespace {

TraceEvent Event(CallKind call, uint32_t occurrence, bool nonblocking = false) {
  TraceEvent event;
  event.call = call;
  event.occurrence = occurrence;
  event.nonblocking = nonblocking;
  return event;
}

std::vector<std::string> Texts(const std::vector<Atom>& atoms) {
  std::vector<std::string> texts;
  for (const Atom& atom : atoms) texts.push_back(atom.text);
  return texts;
}

bool Has(const std::vector<std::string>& texts, const std::string& text) {
  return std::find(texts.begin(), texts.end(), text) != texts.end();
}

TEST(ScheduleSpaceTest, RealisticAtomsFollowTheCatalogConditions) {
  Trace trace = {Event(CallKind::kAccept, 1, /*nonblocking=*/true),
                 Event(CallKind::kAccept, 2, /*nonblocking=*/false),
                 Event(CallKind::kClose, 1)};
  const std::vector<std::string> texts =
      Texts(CandidateAtoms(trace, false, ScheduleSpaceOptions()));
  EXPECT_TRUE(Has(texts, "accept#1=EAGAIN"));  // non-blocking call
  EXPECT_FALSE(Has(texts, "accept#1=EINTR"));  // it could not block
  EXPECT_TRUE(Has(texts, "accept#2=EINTR"));   // blocking call
  EXPECT_FALSE(Has(texts, "accept#2=EAGAIN"));
  EXPECT_TRUE(Has(texts, "accept#1=EMFILE"));
  EXPECT_TRUE(Has(texts, "accept#*=EMFILE"));  // a lasting cause, from here on
  EXPECT_TRUE(Has(texts, "accept#2-=EMFILE"));
  EXPECT_FALSE(Has(texts, "accept#*=ECONNABORTED"));
  EXPECT_TRUE(Has(texts, "close#1=EINTR"));
  EXPECT_FALSE(Has(texts, "close#1=EBADF"));
}

TEST(ScheduleSpaceTest, ActorsFollowListenAndShortTransfersFollowTransfers) {
  TraceEvent listen = Event(CallKind::kListen, 1);
  TraceEvent send = Event(CallKind::kSend, 1);
  send.arg = 16;
  TraceEvent tiny = Event(CallKind::kRecv, 1);
  tiny.arg = 1;
  ScheduleSpaceOptions no_half_open;
  no_half_open.half_open = false;
  const std::vector<std::string> texts =
      Texts(CandidateAtoms({listen, send, tiny}, false, no_half_open));
  for (const char* actor :
       {"foreign@listen#1", "impostor@listen#1", "flood@listen#1"}) {
    EXPECT_TRUE(Has(texts, actor)) << actor;
  }
  EXPECT_FALSE(Has(texts, "halfopen@listen#1"));
  EXPECT_TRUE(Has(texts, "send#1=short:1"));
  EXPECT_FALSE(Has(texts, "recv#1=short:1"));  // one byte cannot be shorter
}

TEST(ScheduleSpaceTest, FdLimitsStayBelowWhatTheRunHeld) {
  TraceEvent a = Event(CallKind::kSocket, 1);
  a.new_fds = {3, -1};
  TraceEvent b = Event(CallKind::kSocketPair, 1);
  b.new_fds = {4, 5};
  TraceEvent close = Event(CallKind::kClose, 1);
  close.fd = 3;
  const std::vector<std::string> texts =
      Texts(CandidateAtoms({a, b, close}, true, ScheduleSpaceOptions()));
  EXPECT_TRUE(Has(texts, "fdlimit=0"));
  EXPECT_TRUE(Has(texts, "fdlimit=2"));
  EXPECT_FALSE(Has(texts, "fdlimit=3"));
}

TEST(ScheduleSpaceTest, AdversarialAddsImpossibleErrnosButNeverAStickyClose) {
  ScheduleSpaceOptions adversarial;
  adversarial.adversarial = true;
  const std::vector<std::string> texts = Texts(
      CandidateAtoms({Event(CallKind::kFcntl, 1), Event(CallKind::kClose, 1)},
                     false, adversarial));
  EXPECT_TRUE(Has(texts, "fcntl#1=EBADF:before"));
  EXPECT_TRUE(Has(texts, "fcntl#1=EINTR:after"));
  EXPECT_TRUE(Has(texts, "close#1=EBADF:after"));
  EXPECT_FALSE(Has(texts, "close#1=EBADF:before"));
  EXPECT_FALSE(Has(texts, "close#1=EINTR:before"));
}

TEST(ScheduleSpaceTest, AdversarialRecvsAlsoReadEndOfStreamOrAlteredBytes) {
  TraceEvent recv = Event(CallKind::kRecv, 2, /*nonblocking=*/true);
  recv.arg = 16;
  ScheduleSpaceOptions options;
  EXPECT_FALSE(
      Has(Texts(CandidateAtoms({recv}, false, options)), "recv#2=eof"));
  options.adversarial = true;
  std::vector<std::string> texts =
      Texts(CandidateAtoms({recv}, false, options));
  EXPECT_TRUE(Has(texts, "recv#2=eof"));
  EXPECT_TRUE(Has(texts, "recv#2=corrupt"));
}

TEST(ScheduleSpaceTest, AtomsAndPlansConvertBothWays) {
  const FaultPlan plan =
      *ParsePlan("fdlimit=2; accept#1=EMFILE; send#2=short:1; flood@listen#1");
  const std::vector<Atom> atoms = AtomsOf(plan);
  EXPECT_EQ(Texts(atoms),
            (std::vector<std::string>{"fdlimit=2", "accept#1=EMFILE",
                                      "send#2=short:1", "flood@listen#1"}));
  EXPECT_EQ(PlanOf(atoms), plan);
}

}  // namespace
}  // namespace sockfi
