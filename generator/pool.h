/* pool — runs fn(ctx, i, worker) for i in [0, n) on up to `jobs` threads. Items are taken in
 * order by whichever worker is free; `worker` (0..jobs-1) lets callers keep per-thread state. */
#ifndef WP_POOL_H
#define WP_POOL_H

#include <stddef.h>

typedef void (*wp_pool_fn)(void *ctx, size_t i, int worker);

/* Number of worker threads to use for `jobs` (0 = one per online core). */
int wp_pool_size(int jobs);
void wp_pool_run(size_t n, int jobs, wp_pool_fn fn, void *ctx);

#endif
