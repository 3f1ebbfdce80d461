/* publish — writes a build's outputs so that a failed build changes nothing: every output is
 * first compared with what the output folder already holds; changed and new files are written
 * into a staging folder beside it, and only wp_publisher_commit moves them into place and
 * removes outputs the build no longer produces. Unchanged files are never touched (their
 * mtimes stay), so a rebuild after one edit rewrites only what depends on it. When the output
 * folder does not exist yet, the staging folder simply becomes it. */
#ifndef WP_PUBLISH_H
#define WP_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util.h"

typedef struct wp_publisher wp_publisher;

/* keep: top-level names in the output folder that other tools own (e.g. a search index made
 * after the build); they are never removed. NULL-terminated, may be NULL. */
wp_publisher *wp_publisher_new(const char *out, const char *const *keep, wp_err *err);
/* For a rebuild of some outputs only (`serve` after an edit): what is put replaces what the
 * output folder holds, and nothing else is removed. */
void wp_publisher_partial(wp_publisher *p);
/* In a partial publish: the file or folder rel (a page that is gone) is removed from the
 * output folder at commit. */
void wp_publisher_remove(wp_publisher *p, const char *rel);
/* Publishes data at rel (a path inside the output folder). Safe from several threads. */
bool wp_publisher_put(wp_publisher *p, const char *rel, const char *data, size_t len, wp_err *err);
/* Publishes a file or a whole folder (its files under rel). */
bool wp_publisher_copy(wp_publisher *p, const char *rel, const char *src, wp_err *err);
/* Moves everything into place; false with err on an I/O error. */
bool wp_publisher_commit(wp_publisher *p, wp_err *err);
/* Counts after commit: files written (new or changed) and removed. */
void wp_publisher_counts(const wp_publisher *p, size_t *written, size_t *removed);
/* Drops the staging folder (after a failed build) and frees p; also frees after a commit. */
void wp_publisher_free(wp_publisher *p);

#endif
