/* util — growable buffers, files and folders, error messages, text escaping.
 * Everything here is independent of the site model and safe to use from any thread. */
#ifndef WP_UTIL_H
#define WP_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* A growable byte buffer that is always NUL-terminated. */
typedef struct {
  char *data;
  size_t len, cap;
} wp_buf;

void wp_buf_grow(wp_buf *b, size_t extra);
void wp_buf_put(wp_buf *b, const char *s, size_t n);
void wp_buf_puts(wp_buf *b, const char *s);
void wp_buf_putc(wp_buf *b, char c);
void wp_buf_printf(wp_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wp_buf_free(wp_buf *b);
/* Returns the buffer's string and leaves the buffer empty; the caller frees it. */
char *wp_buf_take(wp_buf *b);

/* An error message, already formatted as "file:line: message". */
typedef struct {
  char msg[1024];
} wp_err;

void wp_err_set(wp_err *e, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

void *wp_xmalloc(size_t n);
void *wp_xcalloc(size_t n, size_t size);
void *wp_xrealloc(void *p, size_t n);
char *wp_xstrdup(const char *s);
char *wp_xstrndup(const char *s, size_t n);
char *wp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reads a whole file; NULL with errno set on failure. */
char *wp_read_file(const char *path, size_t *len);
/* The same, for path relative to the open folder dir (or AT_FDCWD). */
char *wp_read_file_at(int dir, const char *path, size_t *len);
/* Writes a file, creating parent folders. */
bool wp_write_file(const char *path, const char *data, size_t len);
bool wp_mkdir_p(const char *path);
/* Writes path (relative to dir) into a tree being built, where its folder is likely new: the
 * folder is made first, so there is no failed open() (on a fresh tree, one path walk less per
 * file, and short paths from dir instead of from the root). */
bool wp_write_new_file_at(int dir, const char *path, const char *data, size_t len);
bool wp_rm_rf(const char *path);
/* Writes data to path; but when reuse (a file of the previous build) already holds exactly
 * these bytes, hard-links it instead, so unchanged outputs keep their inode and mtime. */
bool wp_publish_file(const char *path, const char *reuse, const char *data, size_t len);
/* Copies a tree (files through wp_publish_file against the same place under reuse, if any). */
bool wp_copy_tree(const char *from, const char *to, const char *reuse);
bool wp_is_dir(const char *path);
bool wp_is_file(const char *path);
/* True when path is a folder with nothing in it, or does not exist. */
bool wp_dir_is_empty(const char *path);

/* HTML escaping of & < > " ' into b. */
void wp_html_escape(wp_buf *b, const char *s, size_t n);
/* Index of the first byte of invalid UTF-8, or -1 when all of s is valid. */
long wp_utf8_invalid_at(const char *s, size_t n);
/* FNV-1a 64 of n bytes, continuing from h (start with WP_HASH_INIT). A change detector for
 * caches and editors, not a security measure. */
#define WP_HASH_INIT 0xcbf29ce484222325ULL
unsigned long long wp_hash(unsigned long long h, const void *data, size_t n);
/* 1-based line number of byte offset off in s. */
int wp_line_of(const char *s, size_t off);

#endif
