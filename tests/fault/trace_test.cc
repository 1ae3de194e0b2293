// What the liveness oracle and the injector's spin cut-off count as a failure.

#include "src/fault/trace.h"

#include <cerrno>

#include "gtest/gtest.h"

namespace sockfi {
namespace {

TraceEvent Poll(int error_number, int timeout_ms) {
  TraceEvent event;
  event.call = CallKind::kPoll;
  event.arg = timeout_ms;
  event.nonblocking = timeout_ms == 0;
  event.error_number = error_number;
  return event;
}

TEST(TraceTest, ARealSignalEndingAWaitIsNoFailure) {
  const TraceEvent waited = Poll(EINTR, 100);
  EXPECT_TRUE(IsInterruptedWait(waited));
  EXPECT_FALSE(IsFailure(waited));
  EXPECT_FALSE(IsProgress(waited));
  EXPECT_FALSE(SameFailure(waited, waited));
}

TEST(TraceTest, AnInjectedEintrTakesNoTimeAndIsAFailure) {
  TraceEvent injected = Poll(EINTR, 100);
  injected.fault.kind = FaultKind::kErrno;
  injected.fault.error_number = EINTR;
  EXPECT_FALSE(IsInterruptedWait(injected));
  EXPECT_TRUE(IsFailure(injected));
  EXPECT_TRUE(SameFailure(injected, injected));
}

TEST(TraceTest, OtherErrorsAndEndOfStreamAreFailures) {
  EXPECT_TRUE(IsFailure(Poll(ENOMEM, 100)));
  TraceEvent accept;
  accept.call = CallKind::kAccept;
  accept.nonblocking = true;
  accept.error_number = EAGAIN;
  EXPECT_TRUE(IsFailure(accept));
  TraceEvent eof;
  eof.call = CallKind::kRecv;
  eof.arg = 16;
  eof.value = 0;
  EXPECT_TRUE(IsFailure(eof));
  EXPECT_FALSE(IsFailure(Poll(0, 100)));
}

}  // namespace
}  // namespace sockfi
