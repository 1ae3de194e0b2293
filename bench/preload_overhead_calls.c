// preload_overhead_calls: the time one call takes, in nanoseconds, for a
// socket call the interposer tracks (getsockname on a socket) and one it
// passes through (fcntl F_GETFL on a pipe). Run it plain and under
// libsockfi_preload.so: the difference is the interposer's cost per call.
//
//   preload_overhead_calls [CALLS]
//
// Prints "tracked_ns N" and "untracked_ns N": the best of 15 rounds of CALLS
// calls (default 20000) each, so that another process's burst does not count.

#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double Now(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)now.tv_sec * 1e9 + (double)now.tv_nsec;
}

int main(int argc, char** argv) {
  const long calls = argc > 1 ? atol(argv[1]) : 20000;
  if (calls < 1) {
    fprintf(stderr, "usage: preload_overhead_calls [CALLS]\n");
    return 2;
  }
  const int socket_fd = socket(AF_INET, SOCK_STREAM, 0);
  int pipe_fds[2];
  if (socket_fd < 0 || pipe(pipe_fds) != 0) {
    perror("preload_overhead_calls");
    return 1;
  }
  double best_tracked = 1e30;
  double best_untracked = 1e30;
  for (int round = 0; round < 15; ++round) {
    struct sockaddr_in address;
    double start = Now();
    for (long i = 0; i < calls; ++i) {
      socklen_t size = sizeof(address);
      getsockname(socket_fd, (struct sockaddr*)&address, &size);
    }
    double took = (Now() - start) / (double)calls;
    if (took < best_tracked) best_tracked = took;
    start = Now();
    for (long i = 0; i < calls; ++i) fcntl(pipe_fds[0], F_GETFL);
    took = (Now() - start) / (double)calls;
    if (took < best_untracked) best_untracked = took;
  }
  printf("tracked_ns %.1f\nuntracked_ns %.1f\n", best_tracked, best_untracked);
  close(socket_fd);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  return 0;
}
