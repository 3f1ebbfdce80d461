/* pool — see pool.h. */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <unistd.h>

#include "util.h"

typedef struct {
  atomic_size_t next;
  size_t n;
  wp_pool_fn fn;
  void *ctx;
} pool_state;

typedef struct {
  pool_state *state;
  int worker;
} worker_arg;

static void *work(void *p) {
  worker_arg *a = p;
  size_t i;
  while ((i = atomic_fetch_add(&a->state->next, 1)) < a->state->n) a->state->fn(a->state->ctx, i, a->worker);
  return NULL;
}

int wp_pool_size(int jobs) {
  if (jobs > 0) return jobs;
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return cores > 0 ? (int)cores : 1;
}

void wp_pool_run(size_t n, int jobs, wp_pool_fn fn, void *ctx) {
  pool_state state = {.n = n, .fn = fn, .ctx = ctx};
  atomic_init(&state.next, 0);
  int threads = wp_pool_size(jobs);
  if ((size_t)threads > n) threads = n ? (int)n : 1;
  worker_arg *args = wp_xcalloc((size_t)threads, sizeof *args);
  pthread_t *ids = wp_xcalloc((size_t)threads, sizeof *ids);
  for (int w = 1; w < threads; w++) {
    args[w] = (worker_arg){&state, w};
    if (pthread_create(&ids[w], NULL, work, &args[w]) != 0) args[w].state = NULL;
  }
  args[0] = (worker_arg){&state, 0};
  work(&args[0]); /* the calling thread works too */
  for (int w = 1; w < threads; w++)
    if (args[w].state) pthread_join(ids[w], NULL);
  free(args);
  free(ids);
}

/* One lock for all tasks: starting and joining are rare and quick. */
static pthread_mutex_t task_lock = PTHREAD_MUTEX_INITIALIZER;

void wp_task_start(wp_task *t, void *(*fn)(void *), void *arg) {
  pthread_mutex_lock(&task_lock);
  if (!t->started) t->started = pthread_create(&t->thread, NULL, fn, arg) == 0;
  pthread_mutex_unlock(&task_lock);
}

void wp_task_join(wp_task *t) {
  pthread_mutex_lock(&task_lock);
  bool join = t->started && !t->joined;
  t->joined = t->joined || join;
  pthread_mutex_unlock(&task_lock);
  if (join) pthread_join(t->thread, NULL);
}
