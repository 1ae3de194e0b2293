// ErrnoCatalog: which errnos Linux really returns from each call of the shim,
// with the side effect each has and what a correct caller does about it.
//
// The catalog is the specification the injector follows (realistic faults only,
// unless adversarial) and the propagation oracle checks (retry or propagate).
// Sources: the Linux man pages (socket(2), bind(2), listen(2), connect(2),
// accept(2), send(2), recv(2), poll(2), close(2), getrandom(2)), the kernel
// behaviour recorded in LINUX_SEMANTICS.md, and POSIX on interrupted connect.

#ifndef SOCKFI_SRC_FAULT_ERRNO_CATALOG_H_
#define SOCKFI_SRC_FAULT_ERRNO_CATALOG_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "src/fault/call_kind.h"

namespace sockfi {

// When, relative to the call's effect, the error is reported.
enum class Timing : uint8_t {
  // The call fails before it has any effect: nothing created, bound, consumed,
  // sent
  // or closed.
  kBefore,
  // The call takes effect, then reports the error: an interrupted connect goes
  // on in
  // the background; close has released the fd; accept ECONNABORTED has consumed
  // a
  // queued connection; socket's new fd is closed again.
  kAfter,
};

// What a correct caller does with the error.
enum class Handling : uint8_t {
  // Transient or not a failure at all: carry on (poll, then try again, or wait
  // for
  // the connection to complete). The operation should still succeed.
  kRetry,
  // The operation fails: stop, close what was opened, report this errno at this
  // step.
  kPropagate,
  // Nothing to do: never retry the call, never report its error in place of the
  // operation's own outcome (close: the fd is gone either way).
  kIgnore,
};

// When Linux can return the errno at all.
enum class Condition : uint8_t {
  kAnyCall,
  // Only when the call does not block: a non-blocking fd, MSG_DONTWAIT, or poll
  // with a zero timeout (EAGAIN, EINPROGRESS).
  kNonBlockingOnly,
  // Only when the call blocks and a signal arrives (EINTR): a blocking fd, or
  // poll with a non-zero timeout.
  kBlockingOnly,
};

struct CatalogEntry {
  CallKind call;
  int error_number;
  Timing timing;  // when Linux reports it; the other timing is adversarial
  Handling handling;
  Condition condition;
  // The cause lasts (fd or port exhaustion, no memory): a retry meets it again,
  // so systematic exploration injects it on every later call of the kind too.
  bool persistent;
  absl::string_view cause;  // what makes Linux return it, one line
};

// Returns "before" / "after", "retry" / "propagate" / "ignore", and the
// condition's wording for tables ("any", "non-blocking only", "blocking only").
absl::string_view TimingName(Timing timing);
absl::string_view HandlingName(Handling handling);
absl::string_view ConditionName(Condition condition);

class ErrnoCatalog {
 public:
  // Returns the catalog of Linux behaviour.
  static const ErrnoCatalog& Linux();

  // Returns every entry, grouped by call in CallKind order.
  absl::Span<const CatalogEntry> entries() const { return entries_; }
  // Returns the entries of one call (empty when Linux has no realistic errno
  // there, as for fcntl and getsockopt on a valid socket).
  absl::Span<const CatalogEntry> EntriesFor(CallKind call) const;
  // Returns the entry for `error_number` at `call`, or nullptr when Linux does
  // not return it there.
  const CatalogEntry* Find(CallKind call, int error_number) const;

  // Returns the catalog as an aligned text table, one entry a line, with a
  // header.
  std::string FormatTable() const;

 private:
  // `entries` must be grouped by call in CallKind order.
  explicit ErrnoCatalog(absl::Span<const CatalogEntry> entries);
  absl::Span<const CatalogEntry> entries_;
  // Where each call's entries begin in entries_ (the injector looks an errno
  // up on every call a rule matches).
  std::array<uint16_t, kCallKindCount + 1> begin_ = {};
};

}  // namespace sockfi

#endif  // SOCKFI_SRC_FAULT_ERRNO_CATALOG_H_
