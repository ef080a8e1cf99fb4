/* sidecar-bench calibration relay: a TCP relay inside the sidecar container, between the proxy and
 * the app, that holds every chunk going to the app for exactly DELAY_US after it arrived.
 *
 * Why not inside HAProxy: its Lua clock and timers tick in whole ms, and a Lua cosocket costs
 * ~300 us of CPU per request. The relay sleeps until 150 us before the due time on the monotonic
 * clock (1 ns timer slack; the default 50 us would bias every delay) and spins the rest: a plain
 * sleep came out 60-110 us late here even with the CPUs kept awake. The spin steals the core from a
 * request arriving at that moment, so the arrival period must not divide D (measured: +174 us at
 * D = 1 ms with arrivals every 1 ms); calibrate.yaml sends every 2 ms.
 * Usage: sidecar-bench-delay-relay <listen port> <app port> <delay_us>   (127.0.0.1 only) */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SPIN_NS 150000L

static long delay_ns;
static unsigned short app_port;

struct pipe_ends {
  int from;
  int to;
  int delayed;
};

static long now_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec * 1000000000L + now.tv_nsec;
}

static void wait_until(long due_ns) {
  long sleep_until_ns = due_ns - SPIN_NS;
  if (sleep_until_ns > now_ns()) {
    struct timespec until = {.tv_sec = sleep_until_ns / 1000000000L, .tv_nsec = sleep_until_ns % 1000000000L};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) != 0) {
    }
  }
  while (now_ns() < due_ns) {
  }
}

static void *copy(void *arg) {
  struct pipe_ends *ends = arg;
  char buffer[65536];
  ssize_t length;
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  while ((length = recv(ends->from, buffer, sizeof buffer, 0)) > 0) {
    if (ends->delayed && delay_ns > 0) wait_until(now_ns() + delay_ns);
    for (ssize_t sent = 0; sent < length;) {
      ssize_t n = send(ends->to, buffer + sent, (size_t)(length - sent), MSG_NOSIGNAL);
      if (n <= 0) goto done;
      sent += n;
    }
  }
done:
  shutdown(ends->to, SHUT_WR);
  shutdown(ends->from, SHUT_RD);
  return NULL;
}

static void *serve(void *arg) {
  int downstream = (int)(long)arg;
  int one = 1;
  int upstream = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in app = {.sin_family = AF_INET, .sin_port = htons(app_port)};
  app.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  setsockopt(downstream, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(upstream, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(upstream, (struct sockaddr *)&app, sizeof app) == 0) {
    struct pipe_ends toward_app = {downstream, upstream, 1};
    struct pipe_ends toward_proxy = {upstream, downstream, 0};
    pthread_t back;
    if (pthread_create(&back, NULL, copy, &toward_proxy) == 0) {
      copy(&toward_app);
      pthread_join(back, NULL);
    }
  }
  close(upstream);
  close(downstream);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <listen port> <app port> <delay_us>\n", argv[0]);
    return 64;
  }
  app_port = (unsigned short)atoi(argv[2]);
  delay_ns = atol(argv[3]) * 1000L;
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1]))};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1024) != 0) {
    perror("sidecar-bench-delay-relay");
    return 1;
  }
  for (;;) {
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) continue;
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attributes, serve, (void *)(long)fd) != 0) close(fd);
    pthread_attr_destroy(&attributes);
  }
}
