/* session — `serve`'s builds: the model, jobs and Lua states of the last build stay, and an
 * edit of pages is applied to them (the edited documents and the site's pages that show them)
 * instead of building everything again. */
#ifndef WP_SESSION_H
#define WP_SESSION_H

#include <stddef.h>
#include <stdio.h>

#include "build.h"

typedef struct wp_session wp_session;
wp_session *wp_session_new(const wp_build_options *opt);
/* Builds everything (changed NULL), or applies the files changed since the last build (paths
 * relative to the root) when they are pages or _document.yaml files of documents it had and
 * that build succeeded; else builds everything. Messages go to log. Returns like wp_build, or
 * WP_SESSION_UNCHANGED when the changed files change no output (an editor's temporary file
 * that came and went). */
#define WP_SESSION_UNCHANGED (-1)
int wp_session_build(wp_session *s, char *const *changed, size_t n, FILE *log);
void wp_session_free(wp_session *s);

#endif
