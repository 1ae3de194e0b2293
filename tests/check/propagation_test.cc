// The propagation oracle on hand-made records: failures the kernel gives by
// itself.

#include "src/check/propagation.h"

#include <poll.h>

#include <cerrno>
#include <vector>

#include "gtest/gtest.h"
#include "src/check/run_record.h"
#include "src/fault/errno_catalog.h"
#include "src/sys/step_error.h"

namespace sockfi {
namespace {

TraceEvent Call(CallKind call, int error_number = 0) {
  TraceEvent event;
  event.call = call;
  event.occurrence = 1;
  event.error_number = error_number;
  return event;
}

std::vector<Violation> Check(const RunRecord& record) {
  std::vector<Violation> violations;
  CheckPropagation(record, ErrnoCatalog::Linux(), /*pair_works=*/false,
                   &violations);
  return violations;
}

TEST(PropagationTest, GivingUpAtOnceOnARealSignalIsAnUnexpectedError) {
  RunRecord record;
  record.trace = {Call(CallKind::kSocket), Call(CallKind::kPoll, EINTR),
                  Call(CallKind::kClose)};
  record.status = StepErrorStatus("poll", EINTR);
  const std::vector<Violation> violations = Check(record);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].kind, ViolationKind::kUnexpectedError);
}

TEST(PropagationTest, ARealRetryableFailureExplainsAnErrorOnceRetried) {
  RunRecord record;
  record.trace = {Call(CallKind::kSocket), Call(CallKind::kPoll, EINTR),
                  Call(CallKind::kPoll, EINTR), Call(CallKind::kClose)};
  record.trace[2].occurrence = 2;
  record.status = StepErrorStatus("poll", EINTR);
  EXPECT_TRUE(Check(record).empty());
}

TEST(PropagationTest, ARealFatalFailureExplainsItsErrorAtOnce) {
  RunRecord record;
  record.trace = {Call(CallKind::kSocket, EMFILE)};
  record.status = StepErrorStatus("socket", EMFILE);
  EXPECT_TRUE(Check(record).empty());
}

// Found by socketpair_real_fuzzer: with a 1 ms deadline on the real kernel,
// the deadline passed right after an adversarial recv#1=ETIMEDOUT on a
// candidate connection, and the routine fairly reported DeadlineExceeded at
// "accept" without another call.
TEST(PropagationTest, APassedDeadlineExplainsETimedOutWhateverFaultCameLast) {
  RunRecord record;
  record.plan = *ParsePlan("recv#1=ETIMEDOUT");
  record.trace = {Call(CallKind::kAccept), Call(CallKind::kRecv, ETIMEDOUT),
                  Call(CallKind::kClose)};
  record.trace[1].fault.kind = FaultKind::kErrno;
  record.trace[1].fault.error_number = ETIMEDOUT;
  record.trace[1].fault.rule = 0;
  record.status = StepErrorStatus("accept", ETIMEDOUT);
  record.deadline = absl::Milliseconds(1);
  record.elapsed = absl::Microseconds(900);
  record.actor_time = absl::Microseconds(150);
  EXPECT_TRUE(Check(record).empty());
  // Before its deadline the same report names the wrong step.
  record.actor_time = absl::ZeroDuration();
  const std::vector<Violation> violations = Check(record);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].kind, ViolationKind::kWrongStep);
}

}  // namespace
}  // namespace sockfi
