/* pool — runs fn(ctx, i, worker) for i in [0, n) on up to `jobs` threads. Items are taken in
 * order by whichever worker is free; `worker` (0..jobs-1) lets callers keep per-thread state.
 * Also background tasks: work started ahead on a thread of its own, at most once per process,
 * and joined before the process goes on to exit. */
#ifndef WP_POOL_H
#define WP_POOL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

typedef void (*wp_pool_fn)(void *ctx, size_t i, int worker);

/* Number of worker threads to use for `jobs` (0 = one per online core). */
int wp_pool_size(int jobs);
void wp_pool_run(size_t n, int jobs, wp_pool_fn fn, void *ctx);

/* A static wp_task (zero-initialised) runs fn(arg) on its own thread the first time it is
 * started; later starts do nothing. Joining waits for it once; joining a task never started
 * does nothing. Both are safe from any thread. */
typedef struct {
  bool started, joined;
  pthread_t thread;
} wp_task;
void wp_task_start(wp_task *t, void *(*fn)(void *), void *arg);
void wp_task_join(wp_task *t);

#endif
