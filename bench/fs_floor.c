/* bench/fs_floor — what the file system alone costs for a site's output (issue 10).
 *
 * fs_floor SRC DEST THREADS: makes DEST a copy of the tree SRC (an earlier build's output) in
 * shape only: the same folders, the same files at the same sizes (filled with 'x'), made the
 * way wufpress's publisher makes them (mkdirat of the page's folder, openat relative to the
 * root, one write, close) by THREADS threads. Each thread makes whole top-level folders (the
 * languages), so two threads rarely wait for the same folder's lock, as in a build, where
 * they spend most of their time between files (with more threads than top-level folders, some
 * stay idle). Prints one line:
 *   files N folders N threads N wall_ms W cpu_ms C
 * counting the files and folders it made (exit 1 if they are not SRC's), where wall_ms and
 * cpu_ms (user + system, all threads) cover only the making, not the walk of SRC. No parsing, no templates: no build that writes this tree can take less. bench.py runs it
 * on the same file systems as the builds, so the HTML ratio can be read against this floor. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "floor_clock.h"

typedef struct {
  char *path; /* relative to the root */
  size_t size;
  int thread; /* who makes it */
} entry;

static entry *files;
static size_t nfiles, capfiles, nfolders, src_len, biggest;
static atomic_size_t made_files, made_folders;
static int dest_fd, nthreads;
static char *fill;

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)ftw;
  if (strlen(path) <= src_len) return 0; /* the root itself */
  if (type == FTW_D) nfolders++;
  if (type != FTW_F) return 0;
  if (nfiles == capfiles) {
    capfiles = capfiles ? capfiles * 2 : 4096;
    if (!(files = realloc(files, capfiles * sizeof *files))) abort();
  }
  files[nfiles++] = (entry){strdup(path + src_len + 1), (size_t)st->st_size, 0};
  if ((size_t)st->st_size > biggest) biggest = (size_t)st->st_size;
  return 0;
}

/* Makes the folders above rel (the last one first, as the publisher does: usually only the
 * page's own folder is missing). */
static int make_parents(char *rel) {
  char *slash = strrchr(rel, '/');
  if (!slash) return 0;
  *slash = 0;
  int rc = mkdirat(dest_fd, rel, 0755);
  if (rc && errno == ENOENT) rc = make_parents(rel) || mkdirat(dest_fd, rel, 0755);
  if (rc == 0) made_folders++;
  else if (errno == EEXIST) rc = 0;
  *slash = '/';
  return rc;
}

static size_t top_len(const char *path) {
  const char *slash = strchr(path, '/');
  return slash ? (size_t)(slash - path) : 0; /* 0: a file of the root */
}

/* Top-level folders (nftw lists each one's files together), largest first, each to the thread
 * with the fewest files so far. */
static void assign_threads(void) {
  size_t ngroups = 0, *first = calloc(nfiles + 1, sizeof *first), *load = calloc((size_t)nthreads, sizeof *load);
  for (size_t i = 0; i < nfiles; i++)
    if (i == 0 || top_len(files[i].path) != top_len(files[i - 1].path) ||
        strncmp(files[i].path, files[i - 1].path, top_len(files[i].path)))
      first[ngroups++] = i;
  first[ngroups] = nfiles;
  bool *done = calloc(ngroups + 1, sizeof *done);
  for (size_t k = 0; k < ngroups; k++) {
    size_t g = 0, best = 0;
    for (size_t j = 0; j < ngroups; j++)
      if (!done[j] && first[j + 1] - first[j] >= best) best = first[j + 1] - first[j], g = j;
    int t = 0;
    for (int u = 1; u < nthreads; u++)
      if (load[u] < load[t]) t = u;
    done[g] = true;
    load[t] += best;
    for (size_t i = first[g]; i < first[g + 1]; i++) files[i].thread = t;
  }
  free(first), free(load), free(done);
}

static void *worker(void *arg) {
  for (size_t i = 0; i < nfiles; i++) {
    if (files[i].thread != (int)(intptr_t)arg) continue;
    if (make_parents(files[i].path)) { perror(files[i].path); exit(1); }
    int fd = openat(dest_fd, files[i].path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, fill, files[i].size) != (ssize_t)files[i].size || close(fd)) {
      perror(files[i].path);
      exit(1);
    }
    made_files++;
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 4 || (nthreads = atoi(argv[3])) < 1) {
    fprintf(stderr, "usage: fs_floor SRC DEST THREADS\n");
    return 2;
  }
  src_len = strlen(argv[1]);
  while (src_len > 1 && argv[1][src_len - 1] == '/') argv[1][--src_len] = 0;
  if (nftw(argv[1], collect, 64, FTW_PHYS)) { perror(argv[1]); return 1; }
  if (!(fill = malloc(biggest + 1))) abort();
  memset(fill, 'x', biggest + 1);
  if (mkdir(argv[2], 0755) || (dest_fd = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
    perror(argv[2]);
    return 1;
  }
  assign_threads();
  double w0 = wall_ms(), c0 = cpu_ms();
  pthread_t *t = calloc((size_t)nthreads, sizeof *t);
  for (int i = 0; i < nthreads; i++) pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
  for (int i = 0; i < nthreads; i++) pthread_join(t[i], NULL);
  double wall = wall_ms() - w0, cpu = cpu_ms() - c0;
  printf("files %zu folders %zu threads %d wall_ms %.1f cpu_ms %.1f\n", (size_t)made_files, (size_t)made_folders,
         nthreads, wall, cpu);
  if (made_files != nfiles || made_folders != nfolders) {
    fprintf(stderr, "fs_floor: made %zu files and %zu folders; %s has %zu and %zu\n", (size_t)made_files,
            (size_t)made_folders, argv[1], nfiles, nfolders);
    return 1;
  }
  return 0;
}
