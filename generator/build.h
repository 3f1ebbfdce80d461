/* build — the build command: load the model, render every output in parallel into a staging
 * folder beside the output folder, and swap it in only when everything succeeded. */
#ifndef WP_BUILD_H
#define WP_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util.h"

typedef struct wp_build_options {
  const char *root;   /* site root (default ".") */
  const char *out;    /* output folder (default ROOT/public) */
  const char *langs;  /* comma-separated language codes, or NULL for all */
  int jobs;           /* worker threads; 0 = one per core */
  bool quiet;
  bool drafts;        /* include pages marked draft: true */
  bool pdf;           /* write PDFs */
  bool strict;        /* warnings (e.g. characters no font covers) fail the build */
  FILE *log;          /* where errors and the summary go; NULL = stderr */
  bool exiting;       /* the process ends right after (the CLI): the site model and the Lua
                       * states are left to the OS rather than freed piece by piece (~18 ms,
                       * serial, at 10,000 pages) */
} wp_build_options;

typedef struct wp_site wp_site;

/* The load stage on its own (for commands other than build): site, pages in parallel, drafts
 * dropped, translation status computed. Prints errors and returns NULL on failure. */
wp_site *wp_load(const wp_build_options *opt);

/* For `check`: false with err (file:line) when a document folder is named like one of the
 * site's own pages in a language folder (status, feed.xml, 404.html), as a build would fail. */
bool wp_check_output_names(wp_site *site, wp_err *err);

/* Returns the process exit status: 0 ok, 1 content or template error. Errors go to stderr. */
int wp_build(const wp_build_options *opt);

#endif
