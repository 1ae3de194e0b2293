// socket_routines: small socket programs that tests run under
// libsockfi_preload.so. Each mode prints what it saw, one "name value" line
// per step, so a test can compare the program's view with the trace's.
//
//   socket_routines MODE [ARGS]
//
// Modes:
//   classic          the classic emulation (non-blocking connect, poll,
//                    SO_ERROR, accept, close the listener), proven both ways;
//                    prints one "call FUNCTION FD RESULT ERRNO" line per
//                    socket call it makes, in order
//   accept [nb]      a client connects, then accept; when accept fails, says
//                    whether the connection is still queued and what the
//                    client sees, then accepts again (connecting a second
//                    client if the first one's connection is gone); nb makes
//                    the listener non-blocking
//   close            closes a socket, then checks the fd is really gone
//   connect          a blocking connect; when it fails with EINTR, waits for
//                    the connection with poll and SO_ERROR and proves it
//   errno            checks that calls leave errno as the kernel does
//   short            a socketpair; sends 10 bytes once, reads what came
//   readback         a socketpair; sends "ABCD", reads with recvmsg into two
//                    1-byte buffers, then with recv; prints the counts and
//                    the first bytes each read (00 where nothing was read)
//   threads T K      T threads make K classic pairs each
//   fork             makes a listener, forks a child that makes a socket and
//                    exits without closing either, waits for it
//   dup              dup()s a socket and closes the original
//   fclose           closes a socket with fclose (libc's internal close,
//                    which the interposer does not see), then opens a pipe
//                    that takes its number
//   nosocket         touches files, pipes, poll, fcntl and dup, no socket
// Exit status: 0 when the mode ran (whatever faults it met), 1 when something
// it relies on failed unexpectedly, 3 for nosocket (to see it passed on).

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const char* Name(int error) {
  const char* name = strerrorname_np(error);
  return name != NULL ? name : "?";
}

// Prints "call FUNCTION FD RESULT ERRNO" for the call just made.
static long Log(const char* function, int fd, long result) {
  const int error = errno;
  printf("call %s %d %ld %s\n", function, fd, result,
         result == -1 ? Name(error) : "-");
  errno = error;
  return result;
}

static int Die(const char* what) {
  fprintf(stderr, "socket_routines: %s: %s\n", what, Name(errno));
  exit(1);
}

static struct sockaddr_in Loopback(void) {
  struct sockaddr_in address;
  memset(&address, 0, sizeof(address));
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// A listener on 127.0.0.1 with a kernel-chosen port, its address in `out`.
static int Listener(struct sockaddr_in* out) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) Die("socket");
  struct sockaddr_in address = Loopback();
  if (bind(fd, (struct sockaddr*)&address, sizeof(address)) != 0) Die("bind");
  if (listen(fd, 4) != 0) Die("listen");
  socklen_t size = sizeof(*out);
  if (getsockname(fd, (struct sockaddr*)out, &size) != 0) Die("getsockname");
  return fd;
}

static int Client(const struct sockaddr_in* to) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) Die("socket");
  if (connect(fd, (const struct sockaddr*)to, sizeof(*to)) != 0) Die("connect");
  return fd;
}

// Sends a byte from `a` to `b` and back; returns 0 when both arrived.
static int Prove(int a, int b) {
  char c = 'x';
  if (send(a, "p", 1, 0) != 1 || recv(b, &c, 1, 0) != 1 || c != 'p') return 1;
  if (send(b, "q", 1, 0) != 1 || recv(a, &c, 1, 0) != 1 || c != 'q') return 1;
  return 0;
}

static int Classic(int quiet) {
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (!quiet) Log("socket", -1, listener);
  if (listener < 0) return 1;
  struct sockaddr_in address = Loopback();
  long r = bind(listener, (struct sockaddr*)&address, sizeof(address));
  if (!quiet) Log("bind", listener, r);
  r = listen(listener, 1);
  if (!quiet) Log("listen", listener, r);
  socklen_t size = sizeof(address);
  r = getsockname(listener, (struct sockaddr*)&address, &size);
  if (!quiet) Log("getsockname", listener, r);
  int client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (!quiet) Log("socket", -1, client);
  const int flags = fcntl(client, F_GETFL);
  if (!quiet) Log("fcntl", client, flags);
  r = fcntl(client, F_SETFL, flags | O_NONBLOCK);
  if (!quiet) Log("fcntl", client, r);
  r = connect(client, (struct sockaddr*)&address, sizeof(address));
  if (!quiet) Log("connect", client, r);
  if (r != 0 && errno != EINPROGRESS) return 1;
  struct pollfd wait[2] = {{client, POLLOUT, 0}, {listener, POLLIN, 0}};
  r = poll(wait, 2, 5000);
  if (!quiet) Log("poll", -1, r);
  int error = 0;
  size = sizeof(error);
  r = getsockopt(client, SOL_SOCKET, SO_ERROR, &error, &size);
  if (!quiet) Log("getsockopt", client, r);
  if (error != 0) return 1;
  int accepted = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
  if (!quiet) Log("accept4", listener, accepted);
  if (accepted < 0) return 1;
  r = close(listener);
  if (!quiet) Log("close", listener, r);
  r = fcntl(client, F_SETFL, flags);
  if (!quiet) Log("fcntl", client, r);
  char c = 0;
  r = write(client, "a", 1);
  if (!quiet) Log("write", client, r);
  r = read(accepted, &c, 1);
  if (!quiet) Log("read", accepted, r);
  r = send(accepted, "b", 1, 0);
  if (!quiet) Log("send", accepted, r);
  r = recv(client, &c, 1, 0);
  if (!quiet) Log("recv", client, r);
  r = close(client);
  if (!quiet) Log("close", client, r);
  r = close(accepted);
  if (!quiet) Log("close", accepted, r);
  return 0;
}

static int Accept(int nonblocking) {
  struct sockaddr_in address;
  const int listener = Listener(&address);
  if (nonblocking) fcntl(listener, F_SETFL, O_NONBLOCK);
  const int client = Client(&address);
  int accepted = accept(listener, NULL, NULL);
  printf("accept1 %s\n", accepted >= 0 ? "ok" : Name(errno));
  int second = -1;
  if (accepted < 0) {
    struct pollfd queue = {listener, POLLIN, 0};
    const int queued = poll(&queue, 1, 0);
    printf("queued %d\n", queued);
    struct pollfd peer = {client, POLLIN, 0};
    if (poll(&peer, 1, 200) == 1) {
      char c;
      const ssize_t got = read(client, &c, 1);
      printf("client %s\n", got == 0 ? "eof" : got > 0 ? "data" : Name(errno));
    } else {
      printf("client open\n");
    }
    if (queued == 0) second = Client(&address);
    if (nonblocking) fcntl(listener, F_SETFL, 0);
    accepted = accept(listener, NULL, NULL);
    printf("accept2 %s\n", accepted >= 0 ? "ok" : Name(errno));
  }
  if (accepted >= 0) {
    printf("proven %s\n",
           Prove(second >= 0 ? second : client, accepted) == 0 ? "yes" : "no");
    close(accepted);
  }
  if (second >= 0) close(second);
  close(client);
  close(listener);
  return 0;
}

static int Close(void) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) Die("socket");
  const int closed = close(fd);
  printf("close %s\n", closed == 0 ? "ok" : Name(errno));
  const int flags = fcntl(fd, F_GETFD);
  printf("fd %s\n", flags < 0 && errno == EBADF ? "gone" : "open");
  const int again = socket(AF_INET, SOCK_STREAM, 0);
  printf("number reused %s\n", again == fd ? "yes" : "no");
  if (again >= 0) close(again);
  return 0;
}

static int Connect(void) {
  struct sockaddr_in address;
  const int listener = Listener(&address);
  const int client = socket(AF_INET, SOCK_STREAM, 0);
  if (client < 0) Die("socket");
  const int connected =
      connect(client, (struct sockaddr*)&address, sizeof(address));
  printf("connect %s\n", connected == 0 ? "ok" : Name(errno));
  const int flags = fcntl(client, F_GETFL);
  printf("blocking %s\n", (flags & O_NONBLOCK) == 0 ? "yes" : "no");
  if (connected != 0) {
    struct pollfd wait = {client, POLLOUT, 0};
    const int ready = poll(&wait, 1, 5000);
    int error = -1;
    socklen_t size = sizeof(error);
    getsockopt(client, SOL_SOCKET, SO_ERROR, &error, &size);
    printf("completed %s\n", ready == 1 && error == 0 ? "yes" : "no");
  }
  // Bounded: a connection that never started must not hang the test.
  struct pollfd queue = {listener, POLLIN, 0};
  if (poll(&queue, 1, 5000) != 1) {
    printf("queued no\n");
    return 0;
  }
  const int accepted = accept(listener, NULL, NULL);
  if (accepted < 0) Die("accept");
  printf("proven %s\n", Prove(client, accepted) == 0 ? "yes" : "no");
  close(accepted);
  close(client);
  close(listener);
  return 0;
}

static int Errno(void) {
  struct sockaddr_in address;
  const int listener = Listener(&address);
  errno = EDOM;
  socklen_t size = sizeof(address);
  getsockname(listener, (struct sockaddr*)&address, &size);
  printf("after tracked success %s\n", Name(errno));
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) Die("pipe");
  errno = ERANGE;
  if (write(pipe_fds[1], "z", 1) != 1) Die("write");
  printf("after untracked success %s\n", Name(errno));
  errno = EDOM;
  const int bad = close(-5);
  printf("untracked failure %d %s\n", bad, Name(errno));
  errno = 0;
  const ssize_t got = recv(listener, &address, 1, MSG_DONTWAIT);
  printf("tracked failure %zd %s\n", got, Name(errno));
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  close(listener);
  return 0;
}

static int Short(void) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) Die("socketpair");
  const ssize_t sent = send(pair[0], "0123456789", 10, 0);
  char buffer[16];
  const ssize_t got = recv(pair[1], buffer, sizeof(buffer), 0);
  printf("sent %zd received %zd\n", sent, got);
  close(pair[0]);
  close(pair[1]);
  return 0;
}

static int Readback(void) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) Die("socketpair");
  if (send(pair[0], "ABCD", 4, 0) != 4) Die("send");
  unsigned char a = 0, b = 0, c[4] = {0, 0, 0, 0};
  struct iovec iov[2] = {{&a, 1}, {&b, 1}};
  struct msghdr message;
  memset(&message, 0, sizeof(message));
  message.msg_iov = iov;
  message.msg_iovlen = 2;
  const ssize_t first = recvmsg(pair[1], &message, 0);
  const ssize_t second = recv(pair[1], c, sizeof(c), 0);
  printf("recvmsg %zd: %02x %02x; recv %zd: %02x %02x\n", first, a, b, second,
         c[0], c[1]);
  close(pair[0]);
  close(pair[1]);
  return 0;
}

static int g_pairs_per_thread = 0;

static void* Worker(void* unused) {
  (void)unused;
  for (int i = 0; i < g_pairs_per_thread; ++i) {
    if (Classic(1) != 0) {
      fprintf(stderr, "socket_routines: a pair failed\n");
      exit(1);
    }
  }
  return NULL;
}

static int Threads(int threads, int pairs) {
  g_pairs_per_thread = pairs;
  pthread_t ids[64];
  if (threads > 64) threads = 64;
  for (int i = 0; i < threads; ++i) pthread_create(&ids[i], NULL, Worker, NULL);
  for (int i = 0; i < threads; ++i) pthread_join(ids[i], NULL);
  printf("threads done\n");
  return 0;
}

static int Fork(void) {
  struct sockaddr_in address;
  const int listener = Listener(&address);
  fflush(stdout);
  const pid_t child = fork();
  if (child < 0) Die("fork");
  if (child == 0) {
    const int own = socket(AF_INET, SOCK_STREAM, 0);
    printf("child socket %d\n", own);
    exit(0);  // leaves `own` and the inherited listener open
  }
  int status = 0;
  waitpid(child, &status, 0);
  printf("parent listener %d child pid %d\n", listener, (int)child);
  close(listener);
  return 0;
}

static int Dup(void) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  const int copy = dup(fd);
  close(fd);
  printf("copy %d\n", copy);
  return 0;
}

static int Fclose(void) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  FILE* stream = fdopen(fd, "r+");
  if (stream == NULL) Die("fdopen");
  fclose(stream);
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) Die("pipe");
  printf("socket %d pipe %d %d\n", fd, pipe_fds[0], pipe_fds[1]);
  return 0;  // the pipe stays open
}

static int NoSocket(void) {
  printf("hello from nosocket\n");
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) Die("pipe");
  const int copy = dup(pipe_fds[1]);
  fcntl(copy, F_SETFL, O_NONBLOCK);
  if (write(copy, "data", 4) != 4) Die("write");
  struct pollfd wait = {pipe_fds[0], POLLIN, 0};
  printf("poll %d\n", poll(&wait, 1, 100));
  char buffer[8] = {0};
  printf("read %zd %s\n", read(pipe_fds[0], buffer, 4), buffer);
  const int file = open("/proc/self/stat", O_RDONLY);
  printf("file %s\n", file >= 0 && read(file, buffer, 1) == 1 ? "read" : "no");
  close(file);
  close(copy);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
  fprintf(stderr, "nosocket stderr\n");
  return 3;
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (argc < 2) {
    fprintf(stderr, "usage: socket_routines MODE [ARGS]\n");
    return 2;
  }
  const char* mode = argv[1];
  if (strcmp(mode, "classic") == 0) return Classic(0);
  if (strcmp(mode, "accept") == 0) {
    return Accept(argc > 2 && strcmp(argv[2], "nb") == 0);
  }
  if (strcmp(mode, "close") == 0) return Close();
  if (strcmp(mode, "connect") == 0) return Connect();
  if (strcmp(mode, "errno") == 0) return Errno();
  if (strcmp(mode, "short") == 0) return Short();
  if (strcmp(mode, "readback") == 0) return Readback();
  if (strcmp(mode, "threads") == 0 && argc == 4) {
    return Threads(atoi(argv[2]), atoi(argv[3]));
  }
  if (strcmp(mode, "fork") == 0) return Fork();
  if (strcmp(mode, "dup") == 0) return Dup();
  if (strcmp(mode, "fclose") == 0) return Fclose();
  if (strcmp(mode, "nosocket") == 0) return NoSocket();
  fprintf(stderr, "socket_routines: unknown mode %s\n", mode);
  return 2;
}
