/* bench/floor_clock.h — the two clocks of bench's floor programs (fs_floor.c, md_floor.c):
 * wall time and the process's CPU time (user + system, all threads), in milliseconds. */
#ifndef FLOOR_CLOCK_H
#define FLOOR_CLOCK_H

#include <sys/resource.h>
#include <time.h>

static inline double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static inline double wall_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

#endif
