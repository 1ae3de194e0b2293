// ersatz_pair: makes a socket pair with libevent's own loopback emulation,
// evutil_ersatz_socketpair_ (exported by Debian's libevent_core 2.1), and
// proves it connected by sending a message each way.
//
//   ersatz_pair [--leak] [--count=N]
//
// Exits 0 after every pair was made and proven (printing one line per pair
// unless --count is over 1), 1 with a message naming the step and the errno
// when a pair could not be made or proven, 2 on a usage error. Errors of its
// own closes are ignored, as a correct caller does on Linux. --leak keeps
// the accepted end (fds[1]) of the last pair open and prints "leaked fd N".
// --count=N makes, proves and closes N pairs in a row (closing the connecting
// end first, so TIME_WAIT stays on the client's ephemeral port).

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

// libevent's header does not declare it (it is internal API), but
// libevent_core exports it: `nm -D libevent_core-2.1.so.7 | grep ersatz`.
// evutil_socket_t is int on Unix.
int evutil_ersatz_socketpair_(int family, int type, int protocol, int fd[2]);

static int Fail(const char* step, int error) {
  const char* name = strerrorname_np(error);
  fprintf(stderr, "ersatz_pair: %s failed: %s (%s)\n", step,
          name != NULL ? name : "unknown errno", strerror(error));
  return 1;
}

// Sends `message` on `from` and reads it back on `to`.
static int Prove(int from, int to, const char* message) {
  const size_t size = strlen(message);
  size_t sent = 0;
  while (sent < size) {
    const ssize_t wrote = write(from, message + sent, size - sent);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return Fail("write", errno);
    }
    sent += (size_t)wrote;
  }
  char buffer[64];
  size_t got = 0;
  while (got < size) {
    const ssize_t read_now = read(to, buffer + got, size - got);
    if (read_now < 0) {
      if (errno == EINTR) continue;
      return Fail("read", errno);
    }
    if (read_now == 0) {
      fprintf(stderr, "ersatz_pair: read: end of stream after %zu bytes\n",
              got);
      return 1;
    }
    got += (size_t)read_now;
  }
  if (memcmp(buffer, message, size) != 0) {
    fprintf(stderr, "ersatz_pair: read back other bytes than were sent\n");
    return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  int leak = 0;
  long count = 1;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--leak") == 0) {
      leak = 1;
    } else if (strncmp(argv[i], "--count=", 8) == 0) {
      char* end;
      count = strtol(argv[i] + 8, &end, 10);
      if (*end != '\0' || count < 1) {
        fprintf(stderr, "ersatz_pair: --count wants a number from 1, got %s\n",
                argv[i] + 8);
        return 2;
      }
    } else {
      fprintf(stderr, "usage: ersatz_pair [--leak] [--count=N]\n");
      return 2;
    }
  }
  for (long pair = 1; pair <= count; ++pair) {
    int fds[2] = {-1, -1};
    if (evutil_ersatz_socketpair_(AF_INET, SOCK_STREAM, 0, fds) != 0) {
      return Fail("evutil_ersatz_socketpair_", errno);
    }
    int failed = Prove(fds[0], fds[1], "ping from fds[0]");
    if (!failed) failed = Prove(fds[1], fds[0], "pong from fds[1]");
    if (failed) {
      close(fds[0]);
      close(fds[1]);
      return 1;
    }
    if (count == 1) {
      printf("pair: fds %d and %d, proven both ways\n", fds[0], fds[1]);
    }
    // The pair worked. A failing close (EINTR, EIO) has released the fd all
    // the same on Linux, and there is nothing to retry: its error is not the
    // harness's outcome, so the findings are libevent's.
    close(fds[0]);
    if (leak && pair == count) {
      printf("leaked fd %d\n", fds[1]);
    } else {
      close(fds[1]);
    }
  }
  if (count > 1) printf("%ld pairs made and proven\n", count);
  return 0;
}
