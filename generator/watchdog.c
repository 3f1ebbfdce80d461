/* watchdog — see watchdog.h. */
#include "watchdog.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "util.h"

#define POLL_MS 100

struct wp_watch {
  lua_State *L;
  lua_Hook hook;
  int count;
  pthread_t thread;         /* the thread of the current run (guarded by lock) */
  atomic_llong started;     /* when the current run began, in ms; 0 between runs */
  struct wp_watch *next;    /* in `watched` (guarded by lock) */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static wp_watch *watched;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int watch_signal;
static _Thread_local wp_watch *running; /* the run on this thread, for the signal handler */

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts); /* async-signal-safe */
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool overdue(const wp_watch *w, long long now) {
  long long started = atomic_load(&w->started);
  return started && now - started >= WP_WATCH_AFTER_MS;
}

/* On the running thread. The run may have ended (or another begun) since the watchdog looked:
 * only a run that is itself overdue gets the hook. */
static void on_signal(int sig) {
  (void)sig;
  wp_watch *w = running;
  if (w && overdue(w, now_ms())) lua_sethook(w->L, w->hook, LUA_MASKCOUNT, w->count);
}

static void *watch_loop(void *arg) {
  (void)arg;
  for (;;) {
    struct timespec pause = {0, POLL_MS * 1000000L};
    nanosleep(&pause, NULL);
    long long now = now_ms();
    pthread_mutex_lock(&lock); /* held while signalling: no run can end and its thread exit */
    for (wp_watch *w = watched; w; w = w->next)
      if (overdue(w, now)) pthread_kill(w->thread, watch_signal);
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

static void start(void) {
  watch_signal = SIGRTMIN + 4; /* glibc keeps the first real-time signals for itself */
  struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESTART};
  sigemptyset(&sa.sa_mask);
  sigaction(watch_signal, &sa, NULL);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t t;
  if (pthread_create(&t, &attr, watch_loop, NULL) != 0) abort();
  pthread_attr_destroy(&attr);
}

wp_watch *wp_watch_new(lua_State *L, lua_Hook hook, int count) {
  pthread_once(&once, start);
  wp_watch *w = wp_xcalloc(1, sizeof *w);
  w->L = L, w->hook = hook, w->count = count;
  pthread_mutex_lock(&lock);
  w->next = watched;
  watched = w;
  pthread_mutex_unlock(&lock);
  return w;
}

void wp_watch_free(wp_watch *w) {
  if (!w) return;
  pthread_mutex_lock(&lock);
  for (wp_watch **p = &watched; *p; p = &(*p)->next)
    if (*p == w) {
      *p = w->next;
      break;
    }
  pthread_mutex_unlock(&lock);
  free(w);
}

void wp_watch_begin(wp_watch *w) {
  pthread_mutex_lock(&lock);
  w->thread = pthread_self();
  atomic_store(&w->started, now_ms());
  pthread_mutex_unlock(&lock);
  running = w;
  lua_sethook(w->L, NULL, 0, 0);
}

void wp_watch_end(wp_watch *w) {
  pthread_mutex_lock(&lock);
  atomic_store(&w->started, 0);
  pthread_mutex_unlock(&lock);
  running = NULL;
  lua_sethook(w->L, NULL, 0, 0);
}
