/* build_impl — private to the build (build.c) and serve's session (session.c): the build's
 * context and the stages both run. Not for other modules. */
#ifndef WP_BUILD_IMPL_H
#define WP_BUILD_IMPL_H

#include <stdatomic.h>

#include "build.h"
#include "pdf_document.h"
#include "publish.h"
#include "site.h"
#include "template.h"

typedef struct {
  const wp_build_options *opt;
  wp_site *site;
  const char *out;              /* the output folder; NULL when only loading (check, status) */
  wp_publisher *pub;
  wp_page **pages;
  size_t npages;
  wp_render_job *jobs;          /* the site's pages first, then documents' pages by document */
  size_t njobs;
  size_t *first_page, *first_job; /* per document (+1 past the end): its range in pages, jobs;
                                   * jobs[0, first_job[0]) are the site's own pages */
  size_t *page_doc;             /* per page: its document's index */
  atomic_int *unloaded;         /* per document: pages still loading */
  char **job_errors;            /* per job: its message, NULL when fine */
  wp_templates **workers;       /* one template engine (Lua state) per worker thread */
  wp_pdf_designer **designers;  /* one PDF page design per worker thread */
  wp_buf *warnings;             /* per page */
  char *cache_dir;              /* ROOT/.wufpress-cache/pdf */
  bool cold_cache;              /* no PDF cached yet: every PDF will be laid out */
  char **errors;                /* per page while loading: its message, NULL when fine */
  wp_err *scratch;              /* per worker: where the item being done writes its error (1 KiB
                                 * each: one per item would be 10 MiB to zero at 10,000 pages) */
  /* A progress line on a terminal for builds longer than a second; nothing in CI or logs. */
  bool show_progress;
  double started, last_shown;
  atomic_size_t done;
  const char *stage;
} build_ctx;

double bd_now_ms(void);
/* Print each distinct error (warning) once; return how many items failed (warnings). */
int bd_report(FILE *log, char *const *errors, size_t n);
int bd_report_warnings(FILE *log, const wp_buf *warnings, size_t n);
void bd_free_errors(char ***errors, size_t n);

/* The output folder of opt: --out, else ROOT/public, without a trailing slash. */
char *bd_output_folder(const wp_build_options *opt);
/* b->jobs and b->first_job for b->site's pages: the site's own pages, then each document's. */
void bd_plan_outputs(build_ctx *b);
void bd_free_jobs(build_ctx *b);
/* False with err (file:line) when a document folder is named like one of the site's own
 * outputs in a language folder (status, feed.xml, 404.html): one would overwrite the other. */
bool bd_check_outputs(const build_ctx *b, wp_err *err);
/* A loaded page's body HTML and PDF (its warnings into b->warnings[i]). */
void bd_finish_page(build_ctx *b, wp_page *page, size_t i, int worker, wp_err *err);
void bd_drop_drafts(build_ctx *b, wp_document *doc);
/* Renders job i into b->pub (its error into b->job_errors[i]). */
void bd_render_job(build_ctx *b, size_t i, int worker);
/* Renders document d's pages and frees their body HTML; false if one failed. */
bool bd_render_document_pages(build_ctx *b, size_t d, int worker);
/* Copies the files beside document d's pages into each of its pages' folders. */
bool bd_publish_document_assets(build_ctx *b, size_t d, wp_err *err);
/* A whole build into b->out; b keeps the model, the jobs and the Lua states (bd_free_ctx). */
int bd_full_build(build_ctx *b, FILE *log);
void bd_free_ctx(build_ctx *b);

#endif
