// The contract of libsockfi_preload.so, the LD_PRELOAD fault interposer:
// environment, exit status, call names, fault semantics, trace format.
//
//   LD_PRELOAD=/path/to/libsockfi_preload.so SOCKFI_PLAN='accept#1=EINTR'
//       SOCKFI_TRACE=/tmp/trace.jsonl prog
//
// The interposer applies a FaultPlan (src/fault/fault_plan.h) to the socket
// calls of an unmodified, dynamically linked program, with the side effects the
// errno catalog (src/fault/errno_catalog.h) gives each errno, exactly as
// FaultInjector does for routines behind the Syscalls shim; it writes every
// call on a tracked socket to a JSON-lines trace, and at exit reports each
// socket still open with the call that made it. ParsePreloadTrace
// (src/preload/preload_trace.h) reads the trace back.
//
// ENVIRONMENT (read once, by a constructor, before main)
//
//   SOCKFI_PLAN         The plan in the text form of ParsePlan ("accept#1=
//                       ECONNABORTED; close#*=EINTR"), or "@PATH" to read it
//                       from the file PATH. Unset: no faults (trace and leak
//                       report only). Set but empty: an error ("write none").
//   SOCKFI_ADVERSARIAL  "1": inject every rule as written, even where Linux
//                       could not fail that way (CheckRealistic is skipped and
//                       no rule is suppressed at run time). "0" or unset:
//                       realistic, as sockfi run without --adversarial.
//   SOCKFI_TRACE        The path of the JSON-lines trace (a relative path is
//                       taken from the directory the program starts in).
//                       Created if missing (mode 0644), appended to and never
//                       truncated, so one file can take the lines of several
//                       processes (exec'd or forked children): remove it
//                       before a run. Nothing is created until the process
//                       first makes a socket. Unset: no trace.
//   SOCKFI_LEAK_REPORT  "stderr": print the human leak report to stderr even
//                       when SOCKFI_TRACE is set. "off": never print it.
//                       Unset: print it when SOCKFI_TRACE is unset.
//
// EXIT STATUS
//
//   The interposer never changes a program's exit status, with one exception
//   (kBadEnvironmentExitStatus): when the environment is wrong — SOCKFI_PLAN
//   does not parse, its @file cannot be read, the plan is not realistic and
//   SOCKFI_ADVERSARIAL is not "1", SOCKFI_TRACE is empty or its directory is
//   not writable, SOCKFI_ADVERSARIAL or SOCKFI_LEAK_REPORT has another value —
//   the process writes one line to stderr and calls _exit(2) before main runs:
//     sockfi-preload: SOCKFI_PLAN: line 1, column 10: unknown errno "EFOO"; ...
//     sockfi-preload: SOCKFI_PLAN: @/tmp/p.txt: line 2, column 1: ...
//     sockfi-preload: SOCKFI_PLAN: accept#1=EBADF: Linux does not return ...
//   i.e. "sockfi-preload: <variable>: <what is wrong, where>". Every other
//   message the interposer prints starts with "sockfi-preload: " too.
//
// WHAT IS TRACKED
//
//   A tracked fd is a socket made by an intercepted socket, socketpair,
//   accept, accept4, dup, dup2, dup3 or fcntl(F_DUPFD*) call of this process,
//   from its creation to the intercepted close (or dup2/dup3 over it) that
//   releases it. Sockets inherited across exec, received with SCM_RIGHTS, or
//   made by libc internally (getaddrinfo, syslog) are not tracked; neither
//   are fds numbered 1048576 or more. Calls on untracked fds pass straight to
//   the next definition (libc): no lock, no allocation, errno untouched,
//   nothing counted or written. A program that never makes a socket behaves
//   exactly as without the interposer: no file, no output.
//
// CALL NAMES: plan call name <- intercepted functions
//
//   socket       socket                    connect      connect
//   socketpair   socketpair                accept       accept, accept4
//   bind         bind                      fcntl        fcntl, fcntl64
//   listen       listen                    getsockopt   getsockopt
//   getsockname  getsockname               poll         poll, __poll_chk
//   getpeername  getpeername               close        close
//   send         send, sendto, sendmsg, write (on a tracked fd)
//   recv         recv, recvfrom, recvmsg, read, __read_chk, __recv_chk,
//                __recvfrom_chk (on a tracked fd)
//   Traced and counted but never faulted (a plan cannot name them):
//   setsockopt   setsockopt                dup          dup, dup2, dup3
//   Not intercepted: getrandom (its plan rules never fire), readv, writev,
//   sendmmsg, recvmmsg, sendfile, splice, select, ppoll, epoll_*, ioctl,
//   shutdown, close_range, and libc's internal calls. fclose of an fdopen'ed
//   socket closes it behind the interposer's back: the fd stays tracked, so
//   calls on a file that reuses its number are traced as if on the socket,
//   and the leak check at exit reports an fd only if it is still a socket of
//   the domain and type it was made with.
//
// OCCURRENCES
//
//   `accept#2` is the second intercepted call of kind "accept" in the process,
//   counting every thread (one atomic counter per call name, taken when the
//   call starts). socket and socketpair calls always count. Every other call
//   counts only when it acts on a tracked fd: close, read, write, fcntl and
//   the rest on an untracked fd are invisible. A poll counts when at least one
//   entry of its array has a tracked fd (entries with a negative fd are
//   ignored); a poll on untracked fds only is invisible. dup2/dup3 count when
//   either fd is tracked. A call counts even when a fault makes it fail, and
//   calls that fail by themselves (EBADF, ...) count too.
//
// FAULT SEMANTICS (same as FaultInjector, src/fault/fault_injector.h)
//
//   The first rule of the plan that names the call and whose occurrences
//   contain it decides. Timing is the rule's (":before"/":after"), else the
//   catalog's, else before.
//   - before: the real call is not made; the program sees -1 and the errno.
//     accept EAGAIN/EINTR/EMFILE/ENFILE/ENOBUFS/ENOMEM leave the connection
//     queued; socket/socketpair/accept EMFILE make no fd.
//   - after: the real call is made; if it succeeded, what the program will
//     never see is undone and the errno reported: accept ECONNABORTED (and
//     EPROTO, ENETUNREACH) really accepts, closes the new connection (the
//     client reads end of stream) and fails, so the connection is consumed;
//     close EINTR/EIO really closes the fd, then fails; connect EINTR on a
//     blocking socket starts the connection non-blocking (O_NONBLOCK is set
//     for the real call and restored), then fails with EINTR while the
//     attempt goes on, as POSIX says of an interrupted connect; connect
//     EINPROGRESS starts it and fails; socket EMFILE:after (adversarial)
//     closes the new fd. If the real call fails by itself first, the program
//     sees that failure and the rule is "missed".
//   - short:N on send/recv moves at most N bytes (the length, or the iovecs of
//     sendmsg/recvmsg, are cut); the real call is made.
//   - Realistic mode suppresses (does not inject, and says so in the trace) a
//     rule whose catalog entry needs a call that cannot block (EAGAIN,
//     EINPROGRESS) on a call that can (a blocking fd without MSG_DONTWAIT,
//     poll with a non-zero timeout), and one that needs a blocking call (EINTR
//     on accept, connect, poll, send, recv) on one that cannot.
//   - fdlimit=N: socket, socketpair, accept and accept4 fail with EMFILE
//     (before) when the tracked sockets open in the process plus the new ones
//     would exceed N.
//   - Actors (foreign@listen#1, impostor@, hangup@, flood@, on listen or
//     accept) act right after the matching call succeeded, with real sockets
//     the interposer makes outside the trace (RealHostActors); halfopen needs
//     raw sockets and is noted as not performed.
//   errno: a successful call leaves errno as the real call left it; a failed
//   call sets it to the errno in the trace. Calls on untracked fds never touch
//   it.
//
// TRACE FORMAT (SOCKFI_TRACE): one JSON object per line, in ASCII (string
// values are cut to 160 bytes; control characters are escaped, bytes above
// 0x7f written as '?'); integers only; fields always present and in this
// order unless marked "optional". A line may be followed by whitespace-only
// lines (space padding a process reserved for lines it never wrote, left when
// it ended without running exit handlers): skip them. The last line of a
// process killed in the middle of writing may be cut.
//
//   {"type":"start", ...}  first line of each process that makes a socket
//                          (its other threads wait for it)
//     pid, ppid          ints
//     exe                string: /proc/self/exe
//     plan               string: the canonical plan (PrintPlan); "none" when
//                        SOCKFI_PLAN is unset
//     adversarial        bool
//     forked_from        int or null: the parent's pid for a fork child (its
//                        counters go on from the parent's values at the fork)
//   {"type":"call", ...}   one per counted call, written when it returns
//     pid, tid           ints (tid: the kernel thread id, gettid(2))
//     seq                int: 0, 1, 2, ... per process, in the order calls
//                        returned; lines of concurrent threads may appear out
//                        of seq order in the file: sort by (pid, seq)
//     call               string: the call name above ("accept")
//     function           string: the intercepted function ("accept4")
//     occurrence         int: the call's occurrence number (from 1)
//     fd                 int: the fd acted on; -1 for socket, socketpair, poll
//     new_fds            [int]: fds made and handed to the program ([] if none)
//     fault              string or null: the injected errno's name ("EINTR"),
//                        "short" for a short transfer, or null
//     rule               string or null: the plan rule that matched
//                        ("accept#1=ECONNABORTED", "fdlimit=3"), even when
//                        it was not injected
//     rule_status        "injected", "suppressed", "missed", or null (no rule)
//     note               string or null: why a rule was suppressed or missed,
//                        or why an actor did not act
//     result             int: what the call returned (-1 on failure; bytes
//                        moved; the new fd; poll's ready count)
//     errno              string or null: the errno the program saw when result
//                        is -1 ("ECONNABORTED"), else null
//     addr               optional string: bind/connect/sendto target,
//                        getsockname/getpeername/accept/recvfrom result
//                        ("127.0.0.1:4242", "[::1]:80", "unix:/path",
//                        "unix:@abstract", "unix:" for unnamed, "family N")
//     domain,            optional strings, socket and socketpair: "AF_INET",
//     socket_type        "SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC"
//     flags              optional int: accept4, send*, recv* flags
//     len                optional int: bytes offered to send* / room for recv*
//     cmd                optional string: fcntl command ("F_GETFL", "F_SETFL",
//                        "F_DUPFD_CLOEXEC", "cmd N")
//     arg                optional int: fcntl F_SETFL/F_SETFD/F_DUPFD argument
//     level, optname     optional ints: setsockopt/getsockopt
//     backlog            optional int: listen
//     timeout_ms, nfds   optional ints: poll
//     poll_fds           optional [int]: poll, the tracked fds in the array
//                        (at most 16)
//     actors             optional [string]: actors that acted after the call
//   {"type":"leak", ...}   at exit, one per tracked socket still open
//     pid                int: the process that exited with it open
//     fd                 int
//     call, function     strings: what made it ("accept", "accept4")
//     occurrence         int: that call's occurrence
//     created_pid        int: the process that made it (a fork parent's pid
//                        for inherited sockets)
//     domain,            strings, as in call lines ("AF_INET", "SOCK_STREAM",
//     socket_type        without the NONBLOCK and CLOEXEC flags)
//     local, peer        strings or null: getsockname/getpeername at exit
//     faults_before      int: errno faults (fdlimit included, short transfers
//                        not) injected in the process before it was made
//     last_fault         string or null: the last of those, as a rule that
//                        reproduces it alone ("accept#1=ECONNABORTED")
//   {"type":"end", ...}    the last line of a process that exited normally
//     pid                int
//     calls              int: call lines this process wrote (with the "start"
//                        line and "end", a reader can check completeness)
//     faults             int: faults injected (call lines whose rule_status is
//                        "injected")
//     leaks              int: leak lines written just before
//
// Leaks are reported from a destructor, so only when the process ends by
// exit() or returning from main: not after _exit, exec, or a fatal signal
// (then the trace has no "end" line).
//
// THE HUMAN LEAK REPORT (stderr), only when at least one socket leaked:
//   sockfi-preload: 1 socket still open at exit (pid 1234):
//   sockfi-preload:   fd 5 AF_INET SOCK_STREAM 127.0.0.1:41000 <->
//                     127.0.0.1:52000, made by accept#1 (accept4), after
//                     fault connect#1=EINTR
// (one line per socket; "in parent process P" follows the call for a socket a
// fork child inherited).
//
// FORK AND EXEC
//
//   A fork child keeps tracking: it inherits the tracked sockets (with their
//   provenance), the plan and the occurrence counters as they were at the
//   fork, and counts on from there on its own; it writes its own "start" line
//   (with forked_from) and its own lines with its own pid and seq, to the same
//   trace file; at its exit it reports the tracked sockets open in it (leak
//   lines with pid = the child, created_pid = whoever made them). An exec'd
//   image starts afresh (new counters, nothing tracked: inherited sockets are
//   untracked) if LD_PRELOAD still names the interposer. An exec without a
//   fork keeps the pid: the new image writes a second "start" line for it and
//   its seq starts again at 0, so a reader splits that pid's lines at its
//   start lines, in file order (CheckPreloadTraceComplete reports such a pid
//   as a seq that appears twice). A vfork child shares its parent's memory
//   until it execs: an intercepted close in it would untrack the parent's
//   socket (posix_spawn's file actions use libc's internal close, which is
//   not intercepted). Sockets made before the interposer's constructor ran
//   (by other libraries' constructors) are not tracked.
//
// THREADS AND SIGNALS
//
//   Any number of threads may call at once. The tracked path takes no lock
//   and allocates nothing either (atomics only; the trace file is a shared
//   memory mapping reserved 256 KiB at a time), so calls from signal handlers
//   are safe; a line that finds the next 256 KiB being reserved by a thread
//   the handler interrupted is dropped rather than deadlock (its seq is then
//   missing, and CheckPreloadTraceComplete says so). Plan actors (flood) run
//   a thread of their own in the process; nothing else does.

#ifndef SOCKFI_SRC_PRELOAD_PRELOAD_CONTRACT_H_
#define SOCKFI_SRC_PRELOAD_PRELOAD_CONTRACT_H_

namespace sockfi::preload {

// Environment variables the interposer reads.
inline constexpr char kPlanEnv[] = "SOCKFI_PLAN";
inline constexpr char kAdversarialEnv[] = "SOCKFI_ADVERSARIAL";
inline constexpr char kTraceEnv[] = "SOCKFI_TRACE";
inline constexpr char kLeakReportEnv[] = "SOCKFI_LEAK_REPORT";

// The exit status of a process whose SOCKFI_* environment is wrong.
inline constexpr int kBadEnvironmentExitStatus = 2;

// The prefix of every line the interposer writes to stderr.
inline constexpr char kMessagePrefix[] = "sockfi-preload: ";

// The file name of the interposer (a Bazel target in src/preload).
inline constexpr char kLibraryName[] = "libsockfi_preload.so";

// The largest fd number that can be tracked, plus one.
inline constexpr int kMaxTrackedFds = 1 << 20;

}  // namespace sockfi::preload

#endif  // SOCKFI_SRC_PRELOAD_PRELOAD_CONTRACT_H_
