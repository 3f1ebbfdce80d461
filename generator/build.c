/* build — see build.h. Stages:
 *   load    per page, in parallel: parse and resolve, body HTML, PDF; then the page's source
 *           and tree are freed. When the last page of a document is loaded, the same worker
 *           renders the document's pages and frees their body HTML (a 10,000-page site keeps
 *           only metadata: no 60 MB of HTML waiting for a second pass, and it is still in cache);
 *   render  the pages that show the whole site (home, lists, feeds, status, sitemap, 404), in
 *           parallel, once every document is loaded;
 *   publish changed files move into the output folder only when every stage succeeded.
 * A session (`serve`) keeps the model, jobs and Lua states of its last build and applies an
 * edit of pages to them (update): the edited documents go through the same stages alone. */
#include "build.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "markdown.h"
#include "pdf/fonts.h"
#include "pdf/text.h"
#include "pdf_document.h"
#include "pool.h"
#include "publish.h"
#include "site.h"
#include "status.h"
#include "template.h"
#include "version.h"

#define MAX_REPORTED_ERRORS 50

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

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Only worker 0 writes the line, so it never interleaves. */
static void progress(build_ctx *b, size_t total, int worker) {
  size_t done = atomic_fetch_add(&b->done, 1) + 1;
  if (!b->show_progress || worker != 0) return;
  double t = now_ms();
  if (t - b->started < 1000 || t - b->last_shown < 100) return;
  b->last_shown = t;
  fprintf(stderr, "\r%s %zu/%zu", b->stage, done, total);
}

/* Prints each distinct error once (a template error repeats on every page); returns how many
 * items failed. */
static int report(FILE *log, char *const *errors, size_t n) {
  int count = 0, shown = 0;
  for (size_t i = 0; i < n; i++) {
    if (!errors[i]) continue;
    count++;
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++) seen = errors[j] && !strcmp(errors[j], errors[i]);
    if (!seen && ++shown <= MAX_REPORTED_ERRORS) fprintf(log, "%s\n", errors[i]);
  }
  if (shown > MAX_REPORTED_ERRORS) fprintf(log, "(%d more errors)\n", shown - MAX_REPORTED_ERRORS);
  return count;
}

/* Prints each distinct warning once; returns how many there were. */
static int report_warnings(FILE *log, const wp_buf *warnings, size_t n) {
  int count = 0;
  wp_buf seen = {0};
  wp_buf_putc(&seen, '\n');
  for (size_t i = 0; i < n; i++)
    for (const char *line = warnings[i].data; line && *line;) {
      const char *eol = strchr(line, '\n');
      size_t len = eol ? (size_t)(eol - line) : strlen(line);
      char *key = wp_printf("\n%.*s\n", (int)len, line);
      if (!strstr(seen.data, key)) {
        fprintf(log, "%.*s\n", (int)len, line);
        wp_buf_puts(&seen, key + 1);
        count++;
      }
      free(key);
      line = eol ? eol + 1 : line + len;
    }
  wp_buf_free(&seen);
  return count;
}

/* ---- PDFs, cached by a hash of everything they depend on ---------------------------------- */

static void collect_warning(void *ud, const char *message) {
  wp_buf_puts(ud, message);
  wp_buf_putc(ud, '\n');
}

/* Both lanes of the key (two seeds) over the same bytes. */
static void pdf_hash2(unsigned long long h[2], const void *data, size_t n) {
  h[0] = wp_hash(h[0], data, n);
  h[1] = wp_hash(h[1], data, n);
}

/* The engine version and binary, the designer's fingerprint of the page's language (page
 * design, its fonts, site.yaml, the language's strings: computed once per build), the
 * document's language-neutral data and the page itself: two 64-bit hashes (two seeds). */
static char *pdf_cache_key(const wp_site *site, wp_pdf_designer *d, const wp_page *p) {
  unsigned long long h[2] = {WP_HASH_INIT, WP_HASH_INIT ^ 0x9e3779b97f4a7c15ULL};
  const char *fp = wp_pdf_designer_fingerprint(d, p->lang_index);
  /* The binary itself too: a rebuilt wufpress (same version, new code) must not reuse PDFs. */
  struct stat self;
  long long exe[4] = {0, 0, 0, 0};
  if (stat("/proc/self/exe", &self) == 0)
    exe[0] = (long long)self.st_size, exe[1] = (long long)self.st_mtim.tv_sec, exe[2] = (long long)self.st_mtim.tv_nsec,
    exe[3] = (long long)self.st_ino;
  pdf_hash2(h, WUFPRESS_VERSION, sizeof WUFPRESS_VERSION);
  pdf_hash2(h, exe, sizeof exe);
  pdf_hash2(h, fp, strlen(fp) + 1);
  size_t n = 0;
  char *data = wp_read_file_at(site->root_fd, p->doc->meta_path, &n);
  pdf_hash2(h, p->doc->meta_path, strlen(p->doc->meta_path) + 1);
  if (data) pdf_hash2(h, data, n);
  free(data);
  pdf_hash2(h, p->text, strlen(p->text));
  /* The files beside the page: a chart's CSV or a picture is part of its PDF. */
  for (size_t a = 0; a < p->doc->nassets; a++) {
    char *rel = wp_printf("content/%s/%s", p->doc->slug, p->doc->assets[a]);
    data = wp_read_file_at(site->root_fd, rel, &n);
    pdf_hash2(h, rel, strlen(rel) + 1);
    if (data) pdf_hash2(h, data, n);
    free(data), free(rel);
  }
  return wp_printf("%016llx%016llx", h[0], h[1]);
}

static void build_pdf(build_ctx *b, wp_page *page, size_t i, int worker, wp_err *err) {
  if (!b->designers[worker]) b->designers[worker] = wp_pdf_designer_new(b->site);
  wp_pdf_designer *d = b->designers[worker];
  /* With nothing cached, every PDF is laid out: the hyphenation patterns (~8 ms to load) start
   * now, overlapping fontconfig's start that the cache key waits for. Otherwise they start
   * when a PDF is found missing (wp_pdf_render), so warm builds do not load them for nothing. */
  if (b->cold_cache) wp_text_prefetch_hyphenation(page->lang->code);
  char *key = pdf_cache_key(b->site, d, page);
  char *cached = wp_printf("%s/%s.pdf", b->cache_dir, key);
  size_t len = 0;
  char *pdf = wp_read_file(cached, &len);
  if (!pdf && (pdf = wp_pdf_render(d, page, &len, collect_warning, &b->warnings[i], err)))
    wp_write_file(cached, pdf, len); /* a cache that cannot be written only costs time */
  if (pdf) {
    char *url = wp_pdf_url(page);
    if (wp_publisher_put(b->pub, url, pdf, len, err)) page->pdf_size = len;
    free(url);
  }
  free(pdf), free(cached), free(key);
}

/* ---- stages --------------------------------------------------------------------------------- */

static bool is_draft(const build_ctx *b, const wp_page *p) {
  return !b->opt->drafts && wp_value_true(p->front, "draft");
}

/* The worker's error slot, emptied for a new item. */
static wp_err *item_error(build_ctx *b, int worker) {
  b->scratch[worker].msg[0] = 0;
  return &b->scratch[worker];
}

static void free_errors(char ***errors, size_t n) {
  for (size_t i = 0; *errors && i < n; i++) free((*errors)[i]);
  free(*errors);
  *errors = NULL;
}

/* Keeps the item's error, if it had one. */
static void keep_error(char **errors, size_t i, const wp_err *err) {
  if (err->msg[0]) errors[i] = wp_xstrdup(err->msg);
}

static void render_job(build_ctx *b, size_t i, int worker) {
  if (!b->workers[worker]) b->workers[worker] = wp_templates_new(b->site);
  size_t len;
  wp_err *err = item_error(b, worker);
  char *out = wp_templates_render(b->workers[worker], &b->jobs[i], &len, err);
  if (out) wp_publisher_put(b->pub, b->jobs[i].out_path, out, len, err);
  free(out);
  keep_error(b->job_errors, i, err);
}

/* Drafts are left out of the build, as if the translation did not exist. */
static void drop_drafts(build_ctx *b, wp_document *doc) {
  for (size_t l = 0; l < b->site->nlangs; l++)
    if (doc->pages[l] && is_draft(b, doc->pages[l])) {
      wp_page_free(doc->pages[l]);
      doc->pages[l] = NULL;
    }
}

/* Renders the pages of document d (drafts dropped) and frees their body HTML, which only its
 * own page shows; returns false if one failed (its error is in b->job_errors). */
static bool render_document_pages(build_ctx *b, size_t d, int worker) {
  wp_document *doc = b->site->docs[d];
  bool ok = true;
  for (size_t j = b->first_job[d]; j < b->first_job[d + 1]; j++) {
    wp_page *page = doc->pages[b->jobs[j].lang_index];
    b->jobs[j].doc = doc;
    b->jobs[j].page = page; /* NULL for a draft: no file, and no pointer left to the freed page */
    if (!page) continue;
    render_job(b, j, worker);
    ok = ok && !b->job_errors[j];
    free(page->body_html);
    page->body_html = NULL;
  }
  return ok;
}

/* After a page is loaded: its body HTML and PDF (warnings into slot i); then what only
 * rendering needed is freed. */
static void finish_page(build_ctx *b, wp_page *page, size_t i, int worker, wp_err *err) {
  page->body_html = wp_markdown_html(b->site, page);
  if (b->opt->pdf) build_pdf(b, page, i, worker, err);
  wp_page_release(page);
}

/* A document's pages, once all of them are loaded (by whichever worker loads the last one).
 * Its drafts go first; its other pages see the translations that are left. Nothing is
 * rendered if a page failed: the build fails anyway. */
static void render_document(build_ctx *b, size_t d, int worker) {
  for (size_t i = b->first_page[d]; i < b->first_page[d + 1]; i++)
    if (b->errors[i]) return;
  drop_drafts(b, b->site->docs[d]);
  render_document_pages(b, d, worker);
}

static void load_page(void *ctx, size_t i, int worker) {
  build_ctx *b = ctx;
  wp_page *page = b->pages[i];
  size_t d = b->page_doc[i];
  wp_err *err = item_error(b, worker);
  if (wp_page_load(b->site, page, err) && b->pub && !is_draft(b, page)) /* else only loading: keep the tree */
    finish_page(b, page, i, worker, err);
  keep_error(b->errors, i, err);
  progress(b, b->npages, worker);
  if (b->pub && atomic_fetch_sub(&b->unloaded[d], 1) == 1) render_document(b, d, worker);
}

static void render_site_job(void *ctx, size_t i, int worker) {
  build_ctx *b = ctx;
  render_job(b, i, worker);
  progress(b, b->first_job[0], worker);
}

static void add_job(build_ctx *b, const char *tmpl, const char *kind, char *out_path, char *url, size_t lang,
                    const wp_document *doc) {
  b->jobs = wp_xrealloc(b->jobs, (b->njobs + 1) * sizeof *b->jobs);
  b->jobs[b->njobs++] = (wp_render_job){tmpl, kind, out_path, url, lang, doc ? doc->pages[lang] : NULL, doc};
}

/* Outputs whose template a theme may leave out; home, list and document are required. */
static bool has_template(const wp_site *s, const char *tmpl) {
  char *path = wp_printf("%s/templates/%s", s->root, tmpl);
  bool found = wp_is_file(path);
  free(path);
  return found;
}

static void plan_outputs(build_ctx *b) {
  wp_site *s = b->site;
  bool feeds = has_template(s, "feed.xml"), status = has_template(s, "status.html");
  bool not_found = has_template(s, "404.html");
  add_job(b, "home.html", "home", wp_xstrdup("index.html"), wp_xstrdup(""), s->default_lang, NULL);
  if (not_found) add_job(b, "404.html", "404", wp_xstrdup("404.html"), wp_xstrdup("404.html"), s->default_lang, NULL);
  if (has_template(s, "sitemap.xml"))
    add_job(b, "sitemap.xml", "sitemap", wp_xstrdup("sitemap.xml"), wp_xstrdup("sitemap.xml"), s->default_lang, NULL);
  if (has_template(s, "robots.txt"))
    add_job(b, "robots.txt", "robots", wp_xstrdup("robots.txt"), wp_xstrdup("robots.txt"), s->default_lang, NULL);
  for (size_t l = 0; l < s->nlangs; l++) {
    const char *code = s->langs[l].code;
    add_job(b, "list.html", "list", wp_printf("%s/index.html", code), wp_printf("%s/", code), l, NULL);
    if (not_found) add_job(b, "404.html", "404", wp_printf("%s/404.html", code), wp_printf("%s/404.html", code), l, NULL);
    if (feeds) add_job(b, "feed.xml", "feed", wp_printf("%s/feed.xml", code), wp_printf("%s/feed.xml", code), l, NULL);
    if (status)
      add_job(b, "status.html", "status", wp_printf("%s/status/index.html", code), wp_printf("%s/status/", code), l, NULL);
  }
  /* Document pages a document at a time, its languages together (render_document): a page's
   * neighbours share its data (translations, URLs: the Lua strings made for them are still
   * interned when the next page needs them; -4.5 % of a 10,000-page build). */
  b->first_job = wp_xcalloc(s->ndocs + 1, sizeof *b->first_job);
  for (size_t d = 0; d < s->ndocs; d++) {
    b->first_job[d] = b->njobs;
    for (size_t l = 0; l < s->nlangs; l++)
      if (s->docs[d]->pages[l])
        add_job(b, "document.html", "document", wp_printf("%s/%s/index.html", s->langs[l].code, s->docs[d]->slug),
                wp_xstrdup(s->docs[d]->pages[l]->url), l, s->docs[d]);
  }
  b->first_job[s->ndocs] = b->njobs;
}

/* Files beside a document's Markdown (images, data) are published with every translation. */
static bool publish_assets(build_ctx *b, wp_err *err) {
  const wp_site *site = b->site;
  for (size_t d = 0; d < site->ndocs; d++) {
    const wp_document *doc = site->docs[d];
    for (size_t a = 0; a < doc->nassets; a++) {
      char *from = wp_printf("%s/content/%s/%s", site->root, doc->slug, doc->assets[a]);
      bool ok = true;
      for (size_t l = 0; ok && l < site->nlangs; l++)
        if (doc->pages[l]) {
          char *to = wp_printf("%s%s", doc->pages[l]->url, doc->assets[a]);
          ok = wp_publisher_copy(b->pub, to, from, err);
          free(to);
        }
      free(from);
      if (!ok) return false;
    }
  }
  return true;
}

/* The load stage; with b->pub set it also renders body HTML, PDFs and the documents' pages
 * (render_document), and frees sources. */
static bool load(build_ctx *b, FILE *log, wp_err *err) {
  if (!(b->site = wp_site_load(b->opt->root, b->opt->langs, b->opt->jobs, err))) return false;
  if (b->out && !(b->pub = wp_publisher_new(b->out, (const char *const *)b->site->preserve, err))) return false;
  size_t ndocs = b->site->ndocs;
  b->pages = wp_xcalloc(b->site->sources + 1, sizeof *b->pages);
  b->page_doc = wp_xcalloc(b->site->sources + 1, sizeof *b->page_doc);
  b->first_page = wp_xcalloc(ndocs + 1, sizeof *b->first_page);
  b->unloaded = wp_xcalloc(ndocs + 1, sizeof *b->unloaded);
  for (size_t d = 0; d < ndocs; d++) {
    b->first_page[d] = b->npages;
    for (size_t l = 0; l < b->site->nlangs; l++)
      if (b->site->docs[d]->pages[l]) {
        b->page_doc[b->npages] = d;
        b->pages[b->npages++] = b->site->docs[d]->pages[l];
        atomic_fetch_add(&b->unloaded[d], 1);
      }
  }
  b->first_page[ndocs] = b->npages;
  int workers = wp_pool_size(b->opt->jobs);
  if (b->pub) {
    plan_outputs(b);
    b->job_errors = wp_xcalloc(b->njobs ? b->njobs : 1, sizeof *b->job_errors);
    b->workers = wp_xcalloc((size_t)workers, sizeof *b->workers);
  }
  b->errors = wp_xcalloc(b->npages ? b->npages : 1, sizeof *b->errors);
  b->scratch = wp_xcalloc((size_t)workers, sizeof *b->scratch);
  b->warnings = wp_xcalloc(b->npages ? b->npages : 1, sizeof *b->warnings);
  b->designers = wp_xcalloc((size_t)workers, sizeof *b->designers);
  b->cache_dir = wp_printf("%s/.wufpress-cache/pdf", b->opt->root);
  if (b->pub && b->opt->pdf) wp_mkdir_p(b->cache_dir);
  b->cold_cache = wp_dir_is_empty(b->cache_dir);
  b->stage = "pages";
  wp_pool_run(b->npages, workers, load_page, b);
  for (int w = 0; w < workers; w++) wp_pdf_designer_free(b->designers[w]);
  int warned = report_warnings(log, b->warnings, b->npages);
  bool ok = report(log, b->errors, b->npages) == 0;
  if (ok && b->opt->strict && warned) {
    fprintf(log, "wufpress: --strict: %d warning%s\n", warned, warned == 1 ? "" : "s");
    ok = false;
  }
  for (size_t i = 0; i < b->npages; i++) wp_buf_free(&b->warnings[i]);
  free_errors(&b->errors, b->npages);
  free(b->warnings), free(b->designers), free(b->pages), free(b->cache_dir), free(b->page_doc), free(b->first_page);
  free(b->unloaded);
  b->warnings = NULL, b->designers = NULL, b->pages = NULL, b->cache_dir = NULL, b->page_doc = NULL;
  b->first_page = NULL, b->unloaded = NULL;
  b->npages = 0;
  if (!ok) return false;
  /* A build has dropped each document's drafts before rendering it (render_document); `check`
   * and `status`, which render nothing, need them dropped too before the status is computed. */
  for (size_t d = 0; d < b->site->ndocs; d++) drop_drafts(b, b->site->docs[d]);
  b->site->status = wp_status_compute(b->site);
  return true;
}

wp_site *wp_load(const wp_build_options *opt) {
  FILE *log = opt->log ? opt->log : stderr;
  build_ctx b = {.opt = opt};
  wp_err err = {{0}};
  wp_markdown_init();
  bool ok = load(&b, log, &err);
  free(b.scratch);
  if (!ok) {
    if (err.msg[0]) fprintf(log, "%s\n", err.msg);
    if (b.site) wp_status_free(b.site, b.site->status);
    wp_site_free(b.site);
    return NULL;
  }
  return b.site;
}

/* A whole build into b->out. b keeps the model, the jobs and the Lua states (free_ctx), which
 * `serve` updates after an edit (update). */
static int full_build(build_ctx *b, FILE *log) {
  const wp_build_options *opt = b->opt;
  b->started = now_ms();
  b->show_progress = !opt->quiet && log == stderr && isatty(STDERR_FILENO);
  wp_err err = {{0}};
  int status = 1;
  wp_markdown_init();
  if (opt->pdf) wp_fonts_prefetch(); /* overlaps loading the site */
  if (!load(b, log, &err)) goto done;
  double loaded = now_ms();

  int workers = wp_pool_size(opt->jobs);
  b->stage = "site pages";
  atomic_store(&b->done, 0);
  wp_pool_run(b->first_job[0], workers, render_site_job, b);
  if (b->show_progress && now_ms() - b->started >= 1000) fputs("\r\033[K", stderr);
  if (report(log, b->job_errors, b->njobs)) goto done;
  double rendered = now_ms();

  char *static_dir = wp_printf("%s/static", b->site->theme_dir);
  bool ok = (!wp_is_dir(static_dir) || wp_publisher_copy(b->pub, "", static_dir, &err)) && publish_assets(b, &err) &&
            wp_publisher_commit(b->pub, &err);
  free(static_dir);
  if (!ok) goto done;
  status = 0;
  if (getenv("WUFPRESS_TIMING")) /* for bench/: where a build's time goes */
    fprintf(log, "timing: pages %.0f ms (loaded, documents rendered), site pages %.0f ms, publish %.0f ms\n",
            loaded - b->started, rendered - loaded, now_ms() - rendered);
  if (!opt->quiet) {
    size_t pages = wp_site_page_count(b->site), written, removed;
    wp_publisher_counts(b->pub, &written, &removed);
    fprintf(log, "wufpress: %zu pages in %zu languages → %s (%zu files written, %zu removed, %.0f ms)\n", pages,
            b->site->nlangs, b->out, written, removed, now_ms() - b->started);
  }
done:
  if (err.msg[0]) fprintf(log, "%s\n", err.msg);
  free(b->scratch);
  b->scratch = NULL;
  wp_publisher_free(b->pub);
  b->pub = NULL;
  free_errors(&b->job_errors, b->njobs);
  wp_fonts_prefetch_join(); /* background loads of the PDF stage (pool.h wp_task) */
  wp_text_prefetch_join();
  return status;
}

static void free_ctx(build_ctx *b) {
  for (int w = 0; b->workers && w < wp_pool_size(b->opt->jobs); w++) wp_templates_free(b->workers[w]);
  free(b->workers);
  for (size_t i = 0; i < b->njobs; i++) free((char *)b->jobs[i].out_path), free((char *)b->jobs[i].url);
  free(b->jobs);
  free(b->first_job);
  if (b->site) wp_status_free(b->site, b->site->status);
  wp_site_free(b->site);
}

/* What an exiting build leaves to the OS, reachable (volatile: the stores must stay), so leak
 * checkers count it as in use, not lost. */
static wp_site *volatile left_site;
static wp_render_job *volatile left_jobs;
static wp_templates **volatile left_workers;

/* --out, else ROOT/public; without a trailing slash (the staging folder is made beside it). */
static char *output_folder(const wp_build_options *opt) {
  char *out = opt->out ? wp_xstrdup(opt->out) : wp_printf("%s/public", opt->root);
  for (size_t n = strlen(out); n > 1 && out[n - 1] == '/';) out[--n] = 0;
  return out;
}

int wp_build(const wp_build_options *opt) {
  char *out = output_folder(opt);
  build_ctx b = {.opt = opt, .out = out};
  int status = full_build(&b, opt->log ? opt->log : stderr);
  if (opt->exiting) { /* closing the Lua states alone took ~8 ms at 10,000 pages */
    left_site = b.site, left_jobs = b.jobs, left_workers = b.workers;
    free(b.first_job);
  } else {
    free_ctx(&b);
  }
  free(out);
  return status;
}

/* ---- serve: applying an edit to the model of the last build ------------------------------- */

struct wp_session {
  wp_build_options opt;
  char *out;
  build_ctx b;
  bool current; /* b holds the model of the last build, which succeeded: edits can be applied */
};

wp_session *wp_session_new(const wp_build_options *opt) {
  wp_session *s = wp_xcalloc(1, sizeof *s);
  s->opt = *opt;
  s->opt.exiting = false;
  s->out = output_folder(opt);
  s->b = (build_ctx){.opt = &s->opt, .out = s->out};
  return s;
}

void wp_session_free(wp_session *s) {
  if (!s) return;
  free_ctx(&s->b);
  free(s->out);
  free(s);
}

enum { UPDATE_FULL = -2 }; /* the edit needs a whole build */

static ssize_t doc_index(const wp_site *site, const char *slug, size_t len) {
  for (size_t d = 0; d < site->ndocs; d++)
    if (!strncmp(site->docs[d]->slug, slug, len) && !site->docs[d]->slug[len]) return (ssize_t)d;
  return -1;
}

/* Marks in reload[] the documents whose folders the changed paths (relative to the root) are
 * in. Only pages and _document.yaml of documents the model has can be applied as an update:
 * anything else (site.yaml, templates, themes, a new folder, a picture beside a page) may
 * change any output, and returns UPDATE_FULL. */
static int classify(const build_ctx *b, char *const *changed, size_t n, bool *reload) {
  for (size_t i = 0; i < n; i++) {
    const char *path = changed[i];
    if (strncmp(path, "content/", 8)) return UPDATE_FULL;
    const char *slug = path + 8, *slash = strchr(slug, '/');
    if (!slash || strchr(slash + 1, '/')) return UPDATE_FULL;
    ssize_t d = doc_index(b->site, slug, (size_t)(slash - slug));
    if (d < 0) return UPDATE_FULL;
    const char *name = slash + 1;
    size_t len = strlen(name);
    if (!len || name[0] == '.' || name[len - 1] == '~') continue; /* editors' own files */
    if (!strcmp(name, "_document.yaml") || (len > 3 && !strcmp(name + len - 3, ".md"))) {
      reload[d] = true;
      continue;
    }
    bool asset = false; /* a file beside the pages: published with them */
    for (size_t a = 0; a < b->site->docs[d]->nassets && !asset; a++) asset = !strcmp(b->site->docs[d]->assets[a], name);
    char *full = wp_printf("%s/%s", b->site->root, path);
    bool exists = wp_is_file(full);
    free(full);
    if (asset || exists) return UPDATE_FULL; /* else it came and went (an editor's temporary file) */
  }
  return 0;
}

static bool same_str(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

/* Marks in listed[] the languages whose lists, feeds and status page show the two versions of a
 * document differently: they show each page's title, summary and subtitle and the document's
 * symbol, date and original (template_data.c push_document_summary, push_status); a status
 * page shows the original's title where the page is missing. */
static void mark_listed(const wp_site *site, const wp_document *a, const wp_document *b, bool *listed) {
  bool all = !same_str(a->symbol, b->symbol) || !same_str(a->date, b->date) || a->original != b->original;
  const wp_page *ao = a->pages[a->original], *bo = b->pages[b->original];
  bool original_title = ao && bo && !same_str(ao->title, bo->title);
  for (size_t l = 0; l < site->nlangs; l++) {
    const wp_page *p = a->pages[l], *q = b->pages[l];
    listed[l] = listed[l] || all || (!p && original_title) ||
                (p && (!same_str(p->title, q->title) || !same_str(p->summary, q->summary) ||
                       !same_str(p->subtitle, q->subtitle)));
  }
}

static bool same_status_row(const wp_site *site, const wp_tr_status *a, const wp_tr_status *b) {
  for (size_t l = 0; l < site->nlangs; l++)
    if (a[l].state != b[l].state || !same_str(a[l].reason, b[l].reason)) return false;
  return true;
}

/* Loads document d again and renders its pages (and PDFs) into b->pub. Returns 0, 1 after an
 * error (reported) or UPDATE_FULL when it now has other pages or files, or another place in
 * the lists. listed[] gets the languages whose lists show it differently (mark_listed). */
static int reload_document(build_ctx *b, size_t d, FILE *log, bool *listed) { /* one per language */
  wp_site *site = b->site;
  wp_document *old = site->docs[d];
  wp_err err = {{0}};
  wp_document *doc = wp_document_load(site, old->slug, &err);
  if (!doc) {
    if (!err.msg[0]) return UPDATE_FULL; /* the folder is gone */
    fprintf(log, "%s\n", err.msg);
    return 1;
  }
  int rc = 0;
  for (size_t l = 0; l < site->nlangs && !rc; l++)
    if (doc->pages[l] && !wp_page_load(site, doc->pages[l], &err)) fprintf(log, "%s\n", err.msg), rc = 1;
  if (!rc) drop_drafts(b, doc);
  bool same_shape = doc->weight == old->weight && doc->nassets == old->nassets;
  for (size_t l = 0; l < site->nlangs; l++) same_shape = same_shape && !doc->pages[l] == !old->pages[l];
  for (size_t a = 0; a < doc->nassets && same_shape; a++) same_shape = !strcmp(doc->assets[a], old->assets[a]);
  if (!rc && !same_shape) rc = UPDATE_FULL;
  wp_buf warnings = {0};
  b->warnings = &warnings; /* finish_page's slot 0 */
  for (size_t l = 0; l < site->nlangs && !rc; l++)
    if (doc->pages[l]) {
      finish_page(b, doc->pages[l], 0, 0, &err);
      if (err.msg[0]) fprintf(log, "%s\n", err.msg), rc = 1;
    }
  b->warnings = NULL;
  int warned = rc ? 0 : report_warnings(log, &warnings, 1);
  if (warned && b->opt->strict) {
    fprintf(log, "wufpress: --strict: %d warning%s\n", warned, warned == 1 ? "" : "s");
    rc = 1;
  }
  wp_buf_free(&warnings);
  if (rc) {
    wp_document_free(site, doc);
    return rc;
  }
  mark_listed(site, old, doc, listed);
  site->docs[d] = doc;
  bool ok = render_document_pages(b, d, 0); /* points the document's jobs at it */
  wp_document_free(site, old);
  if (!ok) report(log, b->job_errors, b->njobs);
  return ok ? 0 : 1;
}

typedef struct {
  build_ctx *b;
  size_t *jobs;
} job_list;

static void render_listed_job(void *ctx, size_t i, int worker) {
  job_list *list = ctx;
  render_job(list->b, list->jobs[i], worker);
}

/* Applies an edit of pages of documents the model has: those documents are loaded and
 * rendered again, and the site's own pages only when what they show of them changed (a
 * title, a summary, a translation's status), into the output folder (nothing else in it is
 * touched). Returns 0, 1 (reported), WP_SESSION_UNCHANGED or UPDATE_FULL. */
static int update(build_ctx *b, FILE *log, char *const *changed, size_t n) {
  double started = now_ms();
  wp_site *site = b->site;
  if (!wp_is_dir(b->out)) return UPDATE_FULL; /* the output folder was removed */
  for (size_t j = 0; j < b->first_job[0]; j++) { /* or part of it (a language's folder) */
    char *path = wp_printf("%s/%s", b->out, b->jobs[j].out_path);
    bool there = wp_is_file(path);
    free(path);
    if (!there) return UPDATE_FULL;
  }
  bool *reload = wp_xcalloc(site->ndocs ? site->ndocs : 1, sizeof *reload);
  int rc = classify(b, changed, n, reload);
  bool any = false;
  for (size_t d = 0; d < site->ndocs; d++) any = any || reload[d];
  if (!rc && !any) { /* only an editor's temporary files came and went */
    free(reload);
    return WP_SESSION_UNCHANGED;
  }
  wp_err err = {{0}};
  if (!rc && !(b->pub = wp_publisher_new(b->out, (const char *const *)site->preserve, &err)))
    fprintf(log, "%s\n", err.msg), rc = 1;
  size_t reloaded = 0;
  bool *listed = wp_xcalloc(site->nlangs, sizeof *listed);
  wp_tr_status **status = NULL;
  if (!rc) {
    wp_publisher_partial(b->pub);
    int workers = wp_pool_size(b->opt->jobs);
    b->scratch = wp_xcalloc((size_t)workers, sizeof *b->scratch);
    b->job_errors = wp_xcalloc(b->njobs ? b->njobs : 1, sizeof *b->job_errors);
    b->designers = wp_xcalloc((size_t)workers, sizeof *b->designers);
    b->cache_dir = wp_printf("%s/.wufpress-cache/pdf", b->opt->root);
    if (b->opt->pdf) wp_mkdir_p(b->cache_dir);
    b->cold_cache = wp_dir_is_empty(b->cache_dir);
    for (size_t d = 0; d < site->ndocs && !rc; d++)
      if (reload[d]) rc = reload_document(b, d, log, listed), reloaded++;
    for (int w = 0; w < workers; w++) wp_pdf_designer_free(b->designers[w]);
    free(b->designers), free(b->cache_dir);
    b->designers = NULL, b->cache_dir = NULL;
  }
  if (!rc) {
    status = wp_status_compute(site);
    bool status_changed = false;
    for (size_t d = 0; d < site->ndocs; d++)
      status_changed = status_changed || (reload[d] && !same_status_row(site, status[d], site->status[d]));
    wp_status_free(site, site->status);
    site->status = status;
    job_list list = {b, wp_xcalloc(b->first_job[0] + 1, sizeof *list.jobs)};
    size_t count = 0;
    for (size_t j = 0; j < b->first_job[0]; j++) { /* the sitemap, 404 and robots.txt show no document's data */
      const char *kind = b->jobs[j].kind;
      bool shows_documents = !strcmp(kind, "home") || !strcmp(kind, "list") || !strcmp(kind, "feed");
      bool status_page = !strcmp(kind, "status");
      if ((listed[b->jobs[j].lang_index] && (shows_documents || status_page)) || (status_changed && status_page))
        list.jobs[count++] = j;
    }
    if (count) {
      for (int w = 0; w < wp_pool_size(b->opt->jobs); w++)
        if (b->workers[w]) wp_templates_forget_documents(b->workers[w]);
      wp_pool_run(count, wp_pool_size(b->opt->jobs), render_listed_job, &list);
      if (report(log, b->job_errors, b->njobs)) rc = 1;
    }
    free(list.jobs);
    if (!rc && !wp_publisher_commit(b->pub, &err)) fprintf(log, "%s\n", err.msg), rc = 1;
    if (!rc && !b->opt->quiet) {
      size_t written, removed;
      wp_publisher_counts(b->pub, &written, &removed);
      fprintf(log, "wufpress: %zu document%s updated%s → %s (%zu files written, %.0f ms)\n", reloaded,
              reloaded == 1 ? "" : "s", count ? ", with the site's pages that show them" : "", b->out, written,
              now_ms() - started);
    }
  }
  free(reload), free(listed);
  free(b->scratch);
  b->scratch = NULL;
  wp_publisher_free(b->pub);
  b->pub = NULL;
  free_errors(&b->job_errors, b->njobs);
  wp_fonts_prefetch_join();
  wp_text_prefetch_join();
  return rc;
}

int wp_session_build(wp_session *s, char *const *changed, size_t n, FILE *log) {
  s->opt.log = log;
  if (s->current && changed) {
    int rc = update(&s->b, log, changed, n);
    if (rc != UPDATE_FULL) {
      /* After a failure the model may be ahead of the output: the next edit builds it all. */
      s->current = rc == 0 || rc == WP_SESSION_UNCHANGED;
      return rc;
    }
  }
  free_ctx(&s->b);
  s->b = (build_ctx){.opt = &s->opt, .out = s->out};
  int rc = full_build(&s->b, log);
  s->current = rc == 0;
  return rc;
}
