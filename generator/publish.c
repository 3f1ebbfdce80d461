/* publish — see publish.h. */
#include "publish.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct wp_publisher {
  char *out, *staging;
  int staging_fd;       /* staging, open: files are written relative to it */
  bool fresh;           /* no output folder yet: the staging folder becomes it */
  bool partial;         /* publishes what is put and removes nothing (wp_publisher_partial) */
  pthread_mutex_t lock; /* guards the lists below */
  char **outputs;       /* every rel path this build produced */
  size_t noutputs;
  char **changed;       /* the ones written into staging */
  size_t nchanged;
  size_t removed;
  char **gone;          /* partial: outputs to remove at commit (wp_publisher_remove) */
  size_t ngone;
  char **keep;          /* top-level names never pruned */
};

static void append(char ***list, size_t *n, char *s) {
  *list = wp_xrealloc(*list, (*n + 1) * sizeof **list);
  (*list)[(*n)++] = s;
}

wp_publisher *wp_publisher_new(const char *out, const char *const *keep, wp_err *err) {
  wp_publisher *p = wp_xcalloc(1, sizeof *p);
  size_t nkeep = 0;
  while (keep && keep[nkeep]) nkeep++;
  p->keep = wp_xcalloc(nkeep + 1, sizeof *p->keep);
  for (size_t i = 0; i < nkeep; i++) p->keep[i] = wp_xstrdup(keep[i]);
  p->out = wp_xstrdup(out);
  p->staging = wp_printf("%s.staging-%ld", out, (long)getpid());
  p->fresh = !wp_is_dir(out);
  pthread_mutex_init(&p->lock, NULL);
  wp_rm_rf(p->staging);
  p->staging_fd = -1;
  if (!wp_mkdir_p(p->staging) || (p->staging_fd = open(p->staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
    wp_err_set(err, p->staging, 0, "cannot create: %s", strerror(errno));
    wp_publisher_free(p);
    return NULL;
  }
  return p;
}

static bool same_as_published(const wp_publisher *p, const char *rel, const char *data, size_t len) {
  if (p->fresh) return false;
  char *path = wp_printf("%s/%s", p->out, rel);
  struct stat st;
  bool same = false;
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len) {
    size_t n;
    char *old = wp_read_file(path, &n);
    same = old && n == len && memcmp(old, data, len) == 0;
    free(old);
  }
  free(path);
  return same;
}

void wp_publisher_partial(wp_publisher *p) { p->partial = true; }

void wp_publisher_remove(wp_publisher *p, const char *rel) {
  pthread_mutex_lock(&p->lock);
  append(&p->gone, &p->ngone, wp_xstrdup(rel));
  pthread_mutex_unlock(&p->lock);
}

bool wp_publisher_put(wp_publisher *p, const char *rel, const char *data, size_t len, wp_err *err) {
  bool same = same_as_published(p, rel, data, len);
  if (!same && !wp_write_new_file_at(p->staging_fd, rel, data, len)) {
    int e = errno;
    char *path = wp_printf("%s/%s", p->staging, rel);
    wp_err_set(err, path, 0, "cannot write: %s", strerror(e));
    free(path);
    return false;
  }
  pthread_mutex_lock(&p->lock);
  append(&p->outputs, &p->noutputs, wp_xstrdup(rel));
  if (!same) append(&p->changed, &p->nchanged, wp_xstrdup(rel));
  pthread_mutex_unlock(&p->lock);
  return true;
}

bool wp_publisher_copy(wp_publisher *p, const char *rel, const char *src, wp_err *err) {
  if (wp_is_dir(src)) {
    DIR *d = opendir(src);
    if (!d) {
      wp_err_set(err, src, 0, "cannot read: %s", strerror(errno));
      return false;
    }
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(d))) {
      size_t len = strlen(e->d_name);
      if (e->d_name[0] == '.' || e->d_name[len - 1] == '~') continue; /* hidden files, editors' backups */
      char *s = wp_printf("%s/%s", src, e->d_name), *r = *rel ? wp_printf("%s/%s", rel, e->d_name) : wp_xstrdup(e->d_name);
      ok = wp_publisher_copy(p, r, s, err);
      free(s), free(r);
    }
    closedir(d);
    return ok;
  }
  size_t n;
  char *data = wp_read_file(src, &n);
  if (!data) {
    wp_err_set(err, src, 0, "cannot read: %s", strerror(errno));
    return false;
  }
  bool ok = wp_publisher_put(p, rel, data, n, err);
  free(data);
  return ok;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Removes files under the folder `fd` (rel to out, "" for out itself) that this build did not
 * produce; returns whether it ended up empty. It walks by descriptors and readdir's d_type:
 * a rebuild of 10,000 pages walks 10,000 folders, and a path and an lstat per entry cost
 * ~60 % more. Closes fd. */
static bool prune(wp_publisher *p, int fd, const char *rel) {
  DIR *d = fdopendir(fd);
  if (!d) {
    close(fd);
    return false;
  }
  bool empty = true;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    bool kept = false;
    for (char **k = p->keep; !*rel && *k && !kept; k++) kept = !strcmp(*k, e->d_name);
    if (kept) {
      empty = false;
      continue;
    }
    char *r = *rel ? wp_printf("%s/%s", rel, e->d_name) : wp_xstrdup(e->d_name);
    bool dir = e->d_type == DT_DIR;
    if (e->d_type == DT_UNKNOWN) { /* file systems that do not say */
      struct stat st;
      dir = fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
    }
    if (dir) {
      int sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub >= 0 && prune(p, sub, r) && unlinkat(fd, e->d_name, AT_REMOVEDIR) == 0) p->removed++;
      else empty = false;
    } else if (!p->noutputs || !bsearch(&r, p->outputs, p->noutputs, sizeof *p->outputs, cmp_str)) {
      if (unlinkat(fd, e->d_name, 0) == 0) p->removed++;
      else empty = false;
    } else {
      empty = false;
    }
    free(r);
  }
  closedir(d); /* closes fd */
  return empty;
}

bool wp_publisher_commit(wp_publisher *p, wp_err *err) {
  if (p->fresh && !p->partial) {
    if (rename(p->staging, p->out) != 0) {
      wp_err_set(err, p->out, 0, "cannot publish: %s", strerror(errno));
      return false;
    }
    return true;
  }
  /* Sorted, so parents' files come before their children's and pruning can bsearch. */
  if (p->nchanged) qsort(p->changed, p->nchanged, sizeof *p->changed, cmp_str); /* (NULL with 0 is UB) */
  for (size_t i = 0; i < p->nchanged; i++) {
    char *from = wp_printf("%s/%s", p->staging, p->changed[i]), *to = wp_printf("%s/%s", p->out, p->changed[i]);
    char *slash = strrchr(to, '/');
    *slash = 0;
    struct stat st;
    if (lstat(to, &st) == 0 && !S_ISDIR(st.st_mode)) unlink(to); /* a file where a folder must go */
    bool ok = wp_mkdir_p(to);
    *slash = '/';
    if (ok && wp_is_dir(to)) wp_rm_rf(to); /* a folder where a file must go */
    ok = ok && rename(from, to) == 0;
    if (!ok) wp_err_set(err, to, 0, "cannot publish: %s", strerror(errno));
    free(from), free(to);
    if (!ok) return false;
  }
  if (p->partial) {
    for (size_t i = 0; i < p->ngone; i++) {
      char *path = wp_printf("%s/%s", p->out, p->gone[i]);
      struct stat st;
      bool there = lstat(path, &st) == 0, failed = there && !wp_rm_rf(path);
      if (failed) wp_err_set(err, path, 0, "cannot remove: %s", strerror(errno));
      else p->removed += there;
      free(path);
      if (failed) return false;
    }
    return true;
  }
  if (p->noutputs) qsort(p->outputs, p->noutputs, sizeof *p->outputs, cmp_str);
  int fd = open(p->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) prune(p, fd, "");
  return true;
}

void wp_publisher_counts(const wp_publisher *p, size_t *written, size_t *removed) {
  *written = p->fresh ? p->noutputs : p->nchanged;
  *removed = p->removed;
}

void wp_publisher_free(wp_publisher *p) {
  if (!p) return;
  if (p->staging_fd >= 0) close(p->staging_fd);
  wp_rm_rf(p->staging); /* after a commit only empty folders are left in it */
  for (size_t i = 0; i < p->noutputs; i++) free(p->outputs[i]);
  for (size_t i = 0; i < p->nchanged; i++) free(p->changed[i]);
  for (size_t i = 0; i < p->ngone; i++) free(p->gone[i]);
  free(p->outputs), free(p->changed), free(p->gone);
  for (char **k = p->keep; k && *k; k++) free(*k);
  free(p->keep);
  pthread_mutex_destroy(&p->lock);
  free(p->out), free(p->staging);
  free(p);
}
