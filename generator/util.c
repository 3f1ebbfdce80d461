/* util — see util.h. */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static void die_oom(void) {
  fputs("wufpress: out of memory\n", stderr);
  abort();
}

void *wp_xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) die_oom();
  return p;
}
void *wp_xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) die_oom();
  return p;
}
void *wp_xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) die_oom();
  return p;
}
char *wp_xstrdup(const char *s) { return wp_xstrndup(s, strlen(s)); }
char *wp_xstrndup(const char *s, size_t n) {
  char *p = wp_xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

void wp_buf_grow(wp_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  b->data = wp_xrealloc(b->data, cap);
  b->cap = cap;
}
void wp_buf_put(wp_buf *b, const char *s, size_t n) {
  wp_buf_grow(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}
void wp_buf_puts(wp_buf *b, const char *s) { wp_buf_put(b, s, strlen(s)); }
void wp_buf_putc(wp_buf *b, char c) { wp_buf_put(b, &c, 1); }
void wp_buf_printf(wp_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  wp_buf_grow(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}
void wp_buf_free(wp_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}
char *wp_buf_take(wp_buf *b) {
  char *s = b->data ? b->data : wp_xstrdup("");
  b->data = NULL;
  b->len = b->cap = 0;
  return s;
}

char *wp_printf(const char *fmt, ...) {
  char small[256]; /* most results fit: format once, not once to measure and once to write */
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  size_t len = (size_t)(n < 0 ? 0 : n);
  char *s = wp_xmalloc(len + 1);
  if (len < sizeof small) {
    memcpy(s, small, len + 1);
    return s;
  }
  va_start(ap, fmt);
  vsnprintf(s, len + 1, fmt, ap);
  va_end(ap);
  return s;
}

void wp_err_set(wp_err *e, const char *file, int line, const char *fmt, ...) {
  if (!e) return;
  int n = 0;
  if (file && line > 0)
    n = snprintf(e->msg, sizeof e->msg, "%s:%d: ", file, line);
  else if (file)
    n = snprintf(e->msg, sizeof e->msg, "%s: ", file);
  if (n < 0 || (size_t)n >= sizeof e->msg) n = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(e->msg + n, sizeof e->msg - (size_t)n, fmt, ap);
  va_end(ap);
}

/* One allocation of the file's size and read() straight into it: content, templates and
 * i18n files are read once each per build, ten thousand at a time. */
char *wp_read_file(const char *path, size_t *len) { return wp_read_file_at(AT_FDCWD, path, len); }

char *wp_read_file_at(int dir, const char *path, size_t *len) {
  int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  bool regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  size_t cap = regular ? (size_t)st.st_size + 1 : 4096;
  char *data = wp_xmalloc(cap);
  size_t n = 0;
  /* A regular file is read to the size fstat gave (no second read() to see the end of it). */
  while (!regular || n < (size_t)st.st_size) {
    if (n + 1 >= cap) data = wp_xrealloc(data, cap *= 2); /* not a regular file: no size known */
    ssize_t r = read(fd, data + n, cap - 1 - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      int e = errno;
      free(data);
      close(fd);
      errno = e;
      return NULL;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  data[n] = 0;
  if (len) *len = n;
  return data;
}

/* Creates the leaf first and walks up only when a parent is missing: an output tree is made
 * of many files in few folders, so most calls cost one mkdir (or none), not one per level. */
static bool mkdir_p_at(int dir, const char *path) { /* path relative to the folder open as dir */
  if (mkdirat(dir, path, 0755) == 0 || errno == EEXIST) return true;
  if (errno != ENOENT) return false;
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path) return false;
  char *parent = wp_xstrndup(path, (size_t)(slash - path));
  bool ok = mkdir_p_at(dir, parent);
  free(parent);
  return ok && (mkdirat(dir, path, 0755) == 0 || errno == EEXIST);
}
bool wp_mkdir_p(const char *path) { return mkdir_p_at(AT_FDCWD, path); }

static bool write_all(int fd, const char *data, size_t len) {
  if (fd < 0) return false;
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int e = n < 0 ? errno : EIO;
      close(fd);
      errno = e;
      return false;
    }
    data += n, len -= (size_t)n;
  }
  return close(fd) == 0;
}

/* Makes the folder of path (relative to dir), parents included. */
static bool make_parent(int dir, const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path) return false;
  char *parent = wp_xstrndup(path, (size_t)(slash - path));
  bool ok = mkdir_p_at(dir, parent);
  free(parent);
  return ok;
}

/* open() first and make the folder only when it is missing; write() without stdio's copy. */
bool wp_write_file(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0 && errno == ENOENT) {
    if (!make_parent(AT_FDCWD, path)) return false;
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  }
  return write_all(fd, data, len);
}

bool wp_write_new_file_at(int dir, const char *path, const char *data, size_t len) {
  if (strchr(path, '/') && !make_parent(dir, path)) return false;
  return write_all(openat(dir, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666), data, len);
}

bool wp_is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
bool wp_is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool wp_dir_is_empty(const char *path) {
  DIR *d = opendir(path);
  if (!d) return true;
  bool empty = true;
  for (struct dirent *e; empty && (e = readdir(d));) empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
  closedir(d);
  return empty;
}

bool wp_rm_rf(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return errno == ENOENT;
  if (!S_ISDIR(st.st_mode)) return unlink(path) == 0;
  DIR *d = opendir(path);
  if (!d) return false;
  bool ok = true;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *child = wp_printf("%s/%s", path, e->d_name);
    ok = wp_rm_rf(child) && ok;
    free(child);
  }
  closedir(d);
  return rmdir(path) == 0 && ok;
}

bool wp_publish_file(const char *path, const char *reuse, const char *data, size_t len) {
  struct stat st;
  if (reuse && stat(reuse, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len) {
    size_t n;
    char *old = wp_read_file(reuse, &n);
    bool same = old && n == len && memcmp(old, data, len) == 0;
    free(old);
    if (same) {
      const char *slash = strrchr(path, '/');
      if (slash && slash != path) {
        char *dir = wp_xstrndup(path, (size_t)(slash - path));
        wp_mkdir_p(dir);
        free(dir);
      }
      if (link(reuse, path) == 0) return true;
    }
  }
  return wp_write_file(path, data, len);
}

bool wp_copy_tree(const char *from, const char *to, const char *reuse) {
  struct stat st;
  if (stat(from, &st) != 0) return false;
  if (!S_ISDIR(st.st_mode)) {
    size_t n;
    char *data = wp_read_file(from, &n);
    if (!data) return false;
    bool ok = wp_publish_file(to, reuse, data, n);
    free(data);
    return ok;
  }
  if (!wp_mkdir_p(to)) return false;
  DIR *d = opendir(from);
  if (!d) return false;
  bool ok = true;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char *a = wp_printf("%s/%s", from, e->d_name), *b = wp_printf("%s/%s", to, e->d_name);
    char *r = reuse ? wp_printf("%s/%s", reuse, e->d_name) : NULL;
    ok = wp_copy_tree(a, b, r) && ok;
    free(a), free(b), free(r);
  }
  closedir(d);
  return ok;
}

/* The five characters HTML escapes are rare in text: find them sixteen bytes at a time (SSE2 is
 * part of x86-64) and copy the runs between them. A page writes ~100 escaped strings: titles,
 * summaries, URLs; the status and list pages tens of thousands. */
static size_t plain_run(const char *s, size_t n) {
  size_t i = 0;
#ifdef __SSE2__
  const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>');
  const __m128i quot = _mm_set1_epi8('"'), apos = _mm_set1_epi8('\'');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, lt)),
                               _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, gt), _mm_cmpeq_epi8(v, quot)),
                                            _mm_cmpeq_epi8(v, apos)));
    int mask = _mm_movemask_epi8(hit);
    if (mask) return i + (size_t)__builtin_ctz((unsigned)mask);
  }
#endif
  for (; i < n; i++)
    if (s[i] == '&' || s[i] == '<' || s[i] == '>' || s[i] == '"' || s[i] == '\'') break;
  return i;
}

void wp_html_escape(wp_buf *b, const char *s, size_t n) {
  wp_buf_grow(b, n * 6); /* "&quot;" for every byte at worst: no growth check in the loop */
  char *out = b->data + b->len;
  size_t i = 0;
  while (i < n) {
    size_t run = plain_run(s + i, n - i);
    memcpy(out, s + i, run);
    out += run, i += run;
    if (i == n) break;
    const char *rep;
    size_t len;
    switch (s[i++]) {
    case '&': rep = "&amp;", len = 5; break;
    case '<': rep = "&lt;", len = 4; break;
    case '>': rep = "&gt;", len = 4; break;
    case '"': rep = "&quot;", len = 6; break;
    default: rep = "&#39;", len = 5; break;
    }
    memcpy(out, rep, len);
    out += len;
  }
  b->len = (size_t)(out - b->data);
  b->data[b->len] = 0;
}

/* A lead byte's sequence length (0: never a lead byte) and the range its second byte must fall
 * in (Unicode 15, table 3-7: this rules out overlong forms, surrogates and code points past
 * U+10FFFF); later bytes are 80..BF. No code point arithmetic: most of a Chinese, Arabic or
 * Russian page is multibyte. */
typedef struct {
  unsigned char len, lo, hi;
} utf8_lead;

static inline utf8_lead lead_of(unsigned c) {
  if (c >= 0xC2 && c <= 0xDF) return (utf8_lead){2, 0x80, 0xBF};
  if (c >= 0xE1 && c <= 0xEF && c != 0xED) return (utf8_lead){3, 0x80, 0xBF};
  if (c == 0xE0) return (utf8_lead){3, 0xA0, 0xBF};
  if (c == 0xED) return (utf8_lead){3, 0x80, 0x9F};
  if (c == 0xF0) return (utf8_lead){4, 0x90, 0xBF};
  if (c >= 0xF1 && c <= 0xF3) return (utf8_lead){4, 0x80, 0xBF};
  if (c == 0xF4) return (utf8_lead){4, 0x80, 0x8F};
  return (utf8_lead){0, 0, 0};
}

long wp_utf8_invalid_at(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    uint64_t word; /* eight ASCII bytes at a time: most of a Latin-script page is ASCII */
    if (i + 8 <= n && (memcpy(&word, s + i, 8), (word & 0x8080808080808080ULL) == 0)) {
      i += 8;
      continue;
    }
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    utf8_lead l = lead_of(s[i]);
    if (!l.len || l.len > n - i || s[i + 1] < l.lo || s[i + 1] > l.hi) return (long)i;
    for (size_t k = 2; k < l.len; k++)
      if ((s[i + k] & 0xC0) != 0x80) return (long)i;
    i += l.len;
  }
  return -1;
}

unsigned long long wp_hash(unsigned long long h, const void *data, size_t n) {
  const unsigned char *p = data;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
  return h;
}

int wp_line_of(const char *s, size_t off) {
  int line = 1;
  for (size_t i = 0; i < off && s[i]; i++)
    if (s[i] == '\n') line++;
  return line;
}
