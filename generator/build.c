/* build — see build.h. Stages:
 *   load    per page, in parallel: parse and resolve, body HTML, PDF; then the page's source
 *           and tree are freed. When the last page of a document is loaded, the same worker
 *           renders the document's pages and frees their body HTML (a 10,000-page site keeps
 *           only metadata: no 60 MB of HTML waiting for a second pass, and it is still in cache);
 *   render  the pages that show the whole site (home, lists, feeds, status, sitemap, 404), in
 *           parallel, once every document is loaded;
 *   publish changed files move into the output folder only when every stage succeeded.
 * serve's session (session.c) keeps the model, jobs and Lua states of a whole build and
 * applies an edit of pages to them through the same stages (build_impl.h). */
#include "build.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build_impl.h"
#include "markdown.h"
#include "pdf/fonts.h"
#include "pdf/text.h"
#include "pool.h"
#include "status.h"
#include "version.h"

#define MAX_REPORTED_ERRORS 50

double bd_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Only worker 0 writes the line, so it never interleaves. */
static void progress(build_ctx *b, size_t total, int worker) {
  size_t done = atomic_fetch_add(&b->done, 1) + 1;
  if (!b->show_progress || worker != 0) return;
  double t = bd_now_ms();
  if (t - b->started < 1000 || t - b->last_shown < 100) return;
  b->last_shown = t;
  fprintf(stderr, "\r%s %zu/%zu", b->stage, done, total);
}

/* Prints each distinct error once (a template error repeats on every page); returns how many
 * items failed. */
int bd_report(FILE *log, char *const *errors, size_t n) {
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
int bd_report_warnings(FILE *log, const wp_buf *warnings, size_t n) {
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
  /* The layout's warnings (a character no font covers) are kept beside the PDF and given again
   * when it comes from the cache: a build with --strict fails each time, not only the first. */
  char *warned = wp_printf("%s/%s.warn", b->cache_dir, key);
  size_t len = 0, before = b->warnings[i].len, n;
  char *pdf = wp_read_file(cached, &len);
  if (pdf) {
    char *text = wp_read_file(warned, &n);
    if (text) wp_buf_put(&b->warnings[i], text, n);
    free(text);
  } else if ((pdf = wp_pdf_render(d, page, &len, collect_warning, &b->warnings[i], err))) {
    /* A cache that cannot be written only costs time; the PDF goes in only with its warnings. */
    size_t added = b->warnings[i].len - before;
    if (!added || wp_write_file(warned, b->warnings[i].data + before, added)) wp_write_file(cached, pdf, len);
  }
  free(warned);
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

void bd_free_errors(char ***errors, size_t n) {
  for (size_t i = 0; *errors && i < n; i++) free((*errors)[i]);
  free(*errors);
  *errors = NULL;
}

/* Keeps the item's error, if it had one. */
static void keep_error(char **errors, size_t i, const wp_err *err) {
  if (err->msg[0]) errors[i] = wp_xstrdup(err->msg);
}

void bd_render_job(build_ctx *b, size_t i, int worker) {
  if (!b->workers[worker]) b->workers[worker] = wp_templates_new(b->site);
  size_t len;
  wp_err *err = item_error(b, worker);
  char *out = wp_templates_render(b->workers[worker], &b->jobs[i], &len, err);
  if (out) wp_publisher_put(b->pub, b->jobs[i].out_path, out, len, err);
  free(out);
  keep_error(b->job_errors, i, err);
}

/* Drafts are left out of the build, as if the translation did not exist. */
void bd_drop_drafts(build_ctx *b, wp_document *doc) {
  for (size_t l = 0; l < b->site->nlangs; l++)
    if (doc->pages[l] && is_draft(b, doc->pages[l])) {
      wp_page_free(doc->pages[l]);
      doc->pages[l] = NULL;
    }
}

/* Renders the pages of document d (drafts dropped) and frees their body HTML, which only its
 * own page shows; returns false if one failed (its error is in b->job_errors). */
bool bd_render_document_pages(build_ctx *b, size_t d, int worker) {
  wp_document *doc = b->site->docs[d];
  bool ok = true;
  for (size_t j = b->first_job[d]; j < b->first_job[d + 1]; j++) {
    wp_page *page = doc->pages[b->jobs[j].lang_index];
    b->jobs[j].doc = doc;
    b->jobs[j].page = page; /* NULL for a draft: no file, and no pointer left to the freed page */
    if (!page) continue;
    bd_render_job(b, j, worker);
    ok = ok && !b->job_errors[j];
    free(page->body_html);
    page->body_html = NULL;
  }
  return ok;
}

/* After a page is loaded: its body HTML and PDF (warnings into slot i); then what only
 * rendering needed is freed. */
void bd_finish_page(build_ctx *b, wp_page *page, size_t i, int worker, wp_err *err) {
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
  bd_drop_drafts(b, b->site->docs[d]);
  bd_render_document_pages(b, d, worker);
}

static void load_page(void *ctx, size_t i, int worker) {
  build_ctx *b = ctx;
  wp_page *page = b->pages[i];
  size_t d = b->page_doc[i];
  wp_err *err = item_error(b, worker);
  if (wp_page_load(b->site, page, err) && b->pub && !is_draft(b, page)) /* else only loading: keep the tree */
    bd_finish_page(b, page, i, worker, err);
  keep_error(b->errors, i, err);
  progress(b, b->npages, worker);
  if (b->pub && atomic_fetch_sub(&b->unloaded[d], 1) == 1) render_document(b, d, worker);
}

static void render_site_job(void *ctx, size_t i, int worker) {
  build_ctx *b = ctx;
  bd_render_job(b, i, worker);
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

void bd_plan_outputs(build_ctx *b) {
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

bool bd_check_outputs(const build_ctx *b, wp_err *err) {
  const wp_site *site = b->site;
  for (size_t d = 0; d < site->ndocs; d++) {
    const wp_document *doc = site->docs[d];
    size_t n = strlen(doc->slug);
    for (size_t j = 0; j < b->first_job[0]; j++) {
      const char *in_lang = strchr(b->jobs[j].out_path, '/'); /* "status/index.html", "feed.xml" */
      const wp_page *page = doc->pages[b->jobs[j].lang_index];
      if (!page || !in_lang || strncmp(in_lang + 1, doc->slug, n) || (in_lang[1 + n] && in_lang[1 + n] != '/'))
        continue;
      wp_err_set(err, page->source, 1, "the folder name '%s' is taken by the site's own page %s: rename the folder",
                 doc->slug, b->jobs[j].out_path);
      return false;
    }
  }
  return true;
}

bool wp_check_output_names(wp_site *site, wp_err *err) {
  build_ctx b = {.site = site};
  bd_plan_outputs(&b);
  bool ok = bd_check_outputs(&b, err);
  bd_free_jobs(&b);
  return ok;
}

/* Files beside a document's Markdown (images, data) are published with every translation. */
bool bd_publish_document_assets(build_ctx *b, size_t d, wp_err *err) {
  const wp_document *doc = b->site->docs[d];
  for (size_t a = 0; a < doc->nassets; a++) {
    char *from = wp_printf("%s/content/%s/%s", b->site->root, doc->slug, doc->assets[a]);
    bool ok = true;
    for (size_t l = 0; ok && l < b->site->nlangs; l++)
      if (doc->pages[l]) {
        char *to = wp_printf("%s%s", doc->pages[l]->url, doc->assets[a]);
        ok = wp_publisher_copy(b->pub, to, from, err);
        free(to);
      }
    free(from);
    if (!ok) return false;
  }
  return true;
}

static bool publish_assets(build_ctx *b, wp_err *err) {
  for (size_t d = 0; d < b->site->ndocs; d++)
    if (!bd_publish_document_assets(b, d, err)) return false;
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
    bd_plan_outputs(b);
    if (!bd_check_outputs(b, err)) return false;
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
  int warned = bd_report_warnings(log, b->warnings, b->npages);
  bool ok = bd_report(log, b->errors, b->npages) == 0;
  if (ok && b->opt->strict && warned) {
    fprintf(log, "wufpress: --strict: %d warning%s\n", warned, warned == 1 ? "" : "s");
    ok = false;
  }
  for (size_t i = 0; i < b->npages; i++) wp_buf_free(&b->warnings[i]);
  bd_free_errors(&b->errors, b->npages);
  free(b->warnings), free(b->designers), free(b->pages), free(b->cache_dir), free(b->page_doc), free(b->first_page);
  free(b->unloaded);
  b->warnings = NULL, b->designers = NULL, b->pages = NULL, b->cache_dir = NULL, b->page_doc = NULL;
  b->first_page = NULL, b->unloaded = NULL;
  b->npages = 0;
  if (!ok) return false;
  /* A build has dropped each document's drafts before rendering it (render_document); `check`
   * and `status`, which render nothing, need them dropped too before the status is computed. */
  for (size_t d = 0; d < b->site->ndocs; d++) bd_drop_drafts(b, b->site->docs[d]);
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

/* A whole build into b->out. b keeps the model, the jobs and the Lua states (bd_free_ctx), which
 * `serve` updates after an edit (update). */
int bd_full_build(build_ctx *b, FILE *log) {
  const wp_build_options *opt = b->opt;
  b->started = bd_now_ms();
  b->show_progress = !opt->quiet && log == stderr && isatty(STDERR_FILENO);
  wp_err err = {{0}};
  int status = 1;
  wp_markdown_init();
  if (opt->pdf) wp_fonts_prefetch(); /* overlaps loading the site */
  if (!load(b, log, &err)) goto done;
  double loaded = bd_now_ms();

  int workers = wp_pool_size(opt->jobs);
  b->stage = "site pages";
  atomic_store(&b->done, 0);
  wp_pool_run(b->first_job[0], workers, render_site_job, b);
  if (b->show_progress && bd_now_ms() - b->started >= 1000) fputs("\r\033[K", stderr);
  if (bd_report(log, b->job_errors, b->njobs)) goto done;
  double rendered = bd_now_ms();

  char *static_dir = wp_printf("%s/static", b->site->theme_dir);
  bool ok = (!wp_is_dir(static_dir) || wp_publisher_copy(b->pub, "", static_dir, &err)) && publish_assets(b, &err) &&
            wp_publisher_commit(b->pub, &err);
  free(static_dir);
  if (!ok) goto done;
  status = 0;
  if (getenv("WUFPRESS_TIMING")) /* for bench/: where a build's time goes */
    fprintf(log, "timing: pages %.0f ms (loaded, documents rendered), site pages %.0f ms, publish %.0f ms\n",
            loaded - b->started, rendered - loaded, bd_now_ms() - rendered);
  if (!opt->quiet) {
    size_t pages = wp_site_page_count(b->site), written, removed;
    wp_publisher_counts(b->pub, &written, &removed);
    fprintf(log, "wufpress: %zu pages in %zu languages → %s (%zu files written, %zu removed, %.0f ms)\n", pages,
            b->site->nlangs, b->out, written, removed, bd_now_ms() - b->started);
  }
done:
  if (err.msg[0]) fprintf(log, "%s\n", err.msg);
  free(b->scratch);
  b->scratch = NULL;
  wp_publisher_free(b->pub);
  b->pub = NULL;
  bd_free_errors(&b->job_errors, b->njobs);
  wp_fonts_prefetch_join(); /* background loads of the PDF stage (pool.h wp_task) */
  wp_text_prefetch_join();
  return status;
}

void bd_free_jobs(build_ctx *b) {
  for (size_t i = 0; i < b->njobs; i++) free((char *)b->jobs[i].out_path), free((char *)b->jobs[i].url);
  free(b->jobs), free(b->first_job);
  b->jobs = NULL, b->first_job = NULL, b->njobs = 0;
}

void bd_free_ctx(build_ctx *b) {
  for (int w = 0; b->workers && w < wp_pool_size(b->opt->jobs); w++) wp_templates_free(b->workers[w]);
  free(b->workers);
  bd_free_jobs(b);
  if (b->site) wp_status_free(b->site, b->site->status);
  wp_site_free(b->site);
}

/* What an exiting build leaves to the OS, reachable (volatile: the stores must stay), so leak
 * checkers count it as in use, not lost. */
static wp_site *volatile left_site;
static wp_render_job *volatile left_jobs;
static wp_templates **volatile left_workers;

/* --out, else ROOT/public; without a trailing slash (the staging folder is made beside it). */
char *bd_output_folder(const wp_build_options *opt) {
  char *out = opt->out ? wp_xstrdup(opt->out) : wp_printf("%s/public", opt->root);
  for (size_t n = strlen(out); n > 1 && out[n - 1] == '/';) out[--n] = 0;
  return out;
}

int wp_build(const wp_build_options *opt) {
  char *out = bd_output_folder(opt);
  build_ctx b = {.opt = opt, .out = out};
  int status = bd_full_build(&b, opt->log ? opt->log : stderr);
  if (opt->exiting) { /* closing the Lua states alone took ~8 ms at 10,000 pages */
    left_site = b.site, left_jobs = b.jobs, left_workers = b.workers;
    free(b.first_job);
  } else {
    bd_free_ctx(&b);
  }
  free(out);
  return status;
}
