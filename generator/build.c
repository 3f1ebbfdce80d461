/* build — see build.h. Stages: load (parallel per page) → render (parallel per output file)
 * → publish (swap the staging folder in). */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "markdown.h"
#include "pdf_document.h"
#include "pool.h"
#include "site.h"
#include "status.h"
#include "template.h"
#include "version.h"

#define MAX_REPORTED_ERRORS 50

typedef struct {
  wp_site *site;
  const char *out;        /* the previous build, whose unchanged files are reused */
  wp_page **pages;
  size_t npages;
  wp_render_job *jobs;
  size_t njobs;
  char *staging;
  wp_templates **workers; /* one template engine (Lua state) per worker thread */
  wp_pdf_designer **designers; /* one PDF page design (Lua state) per worker thread */
  wp_buf *warnings;       /* per PDF job */
  char *cache_dir;        /* .wufpress-cache/pdf */
  wp_err *errors;         /* one slot per item of the current stage; msg[0] == 0 when fine */
} build_ctx;

static void load_page(void *p, size_t i, int worker) {
  (void)worker;
  build_ctx *b = p;
  wp_page *page = b->pages[i];
  if (wp_page_load(b->site, page, &b->errors[i])) page->body_html = wp_markdown_html(b->site, page);
}

static void render_job(void *p, size_t i, int worker) {
  build_ctx *b = p;
  if (!b->workers[worker]) b->workers[worker] = wp_templates_new(b->site);
  size_t len;
  char *html = wp_templates_render(b->workers[worker], &b->jobs[i], &len, &b->errors[i]);
  if (!html) return;
  char *path = wp_printf("%s/%s", b->staging, b->jobs[i].out_path);
  char *old = wp_printf("%s/%s", b->out, b->jobs[i].out_path);
  if (!wp_publish_file(path, old, html, len)) wp_err_set(&b->errors[i], path, 0, "cannot write: %s", strerror(errno));
  free(old);
  free(path);
  free(html);
}

/* Prints the errors of a stage in item order, each distinct message once (a template error
 * repeats on every page); returns how many items failed. */
static int report(FILE *log, const wp_err *errors, size_t n) {
  int count = 0, shown = 0;
  for (size_t i = 0; i < n; i++) {
    if (!errors[i].msg[0]) continue;
    count++;
    bool seen = false;
    for (size_t j = 0; j < i && !seen; j++) seen = !strcmp(errors[j].msg, errors[i].msg);
    if (!seen && ++shown <= MAX_REPORTED_ERRORS) fprintf(log, "%s\n", errors[i].msg);
  }
  if (shown > MAX_REPORTED_ERRORS) fprintf(log, "(%d more errors)\n", shown - MAX_REPORTED_ERRORS);
  return count;
}

/* ---- PDFs: rendered before the HTML, which shows their sizes; cached by content hash ------ */

static void collect_warning(void *ud, const char *message) {
  wp_buf *w = ud;
  wp_buf_puts(w, message);
  wp_buf_putc(w, '\n');
}

static void hash_file(unsigned long long *h, const char *path) {
  size_t n;
  char *data = wp_read_file(path, &n);
  *h = wp_hash(*h, path, strlen(path) + 1);
  if (data) *h = wp_hash(*h, data, n);
  free(data);
}

/* Everything the PDF of a page depends on: the engine, the page design and fonts, site.yaml,
 * the language's interface strings, the document's language-neutral data and the page. */
static char *pdf_cache_key(const wp_site *site, wp_pdf_designer *d, const wp_page *p) {
  unsigned long long h[2] = {WP_HASH_INIT, WP_HASH_INIT ^ 0x9e3779b97f4a7c15ULL};
  for (int k = 0; k < 2; k++) {
    const char *fp = wp_pdf_designer_fingerprint(d);
    h[k] = wp_hash(h[k], WUFPRESS_VERSION, sizeof WUFPRESS_VERSION);
    h[k] = wp_hash(h[k], fp, strlen(fp) + 1);
    char *paths[3] = {wp_printf("%s/site.yaml", site->root), wp_printf("%s/%s", site->root, p->lang->i18n_path),
                      wp_printf("%s/%s", site->root, p->doc->meta_path)};
    for (int i = 0; i < 3; i++) hash_file(&h[k], paths[i]), free(paths[i]);
    h[k] = wp_hash(h[k], p->text, strlen(p->text));
  }
  return wp_printf("%016llx%016llx", h[0], h[1]);
}

static void render_pdf(void *ctx, size_t i, int worker) {
  build_ctx *b = ctx;
  wp_page *page = b->pages[i];
  if (!b->designers[worker]) b->designers[worker] = wp_pdf_designer_new(b->site);
  wp_pdf_designer *d = b->designers[worker];
  char *key = pdf_cache_key(b->site, d, page);
  char *cached = wp_printf("%s/%s.pdf", b->cache_dir, key);
  size_t len = 0;
  char *pdf = wp_read_file(cached, &len);
  if (!pdf) {
    pdf = wp_pdf_render(d, page, &len, collect_warning, &b->warnings[i], &b->errors[i]);
    if (pdf) wp_write_file(cached, pdf, len); /* a cache that cannot be written only costs time */
  }
  if (pdf) {
    char *url = wp_pdf_url(page);
    char *path = wp_printf("%s/%s", b->staging, url), *old = wp_printf("%s/%s", b->out, url);
    if (wp_publish_file(path, old, pdf, len)) page->pdf_size = len;
    else wp_err_set(&b->errors[i], path, 0, "cannot write: %s", strerror(errno));
    free(url), free(path), free(old);
  }
  free(pdf), free(cached), free(key);
}

/* Prints each distinct warning once; returns how many there were. */
static int report_warnings(FILE *log, const wp_buf *warnings, size_t n) {
  int count = 0;
  wp_buf seen = {0};
  for (size_t i = 0; i < n; i++) {
    for (const char *line = warnings[i].data; line && *line;) {
      const char *eol = strchr(line, '\n');
      size_t len = eol ? (size_t)(eol - line) : strlen(line);
      char *one = wp_printf("\n%.*s\n", (int)len, line);
      if (!seen.data || !strstr(seen.data, one)) {
        fprintf(log, "%.*s\n", (int)len, line);
        wp_buf_puts(&seen, one + 1);
        count++;
      }
      free(one);
      line = eol ? eol + 1 : line + len;
    }
  }
  wp_buf_free(&seen);
  return count;
}

static bool build_pdfs(build_ctx *b, const wp_build_options *opt, int workers, FILE *log) {
  free(b->pages);
  b->pages = NULL;
  b->npages = 0;
  for (size_t d = 0; d < b->site->ndocs; d++)
    for (size_t l = 0; l < b->site->nlangs; l++)
      if (b->site->docs[d]->pages[l]) {
        b->pages = wp_xrealloc(b->pages, (b->npages + 1) * sizeof *b->pages);
        b->pages[b->npages++] = b->site->docs[d]->pages[l];
      }
  b->cache_dir = wp_printf("%s/.wufpress-cache/pdf", opt->root);
  wp_mkdir_p(b->cache_dir);
  b->errors = wp_xcalloc(b->npages ? b->npages : 1, sizeof *b->errors);
  b->warnings = wp_xcalloc(b->npages ? b->npages : 1, sizeof *b->warnings);
  b->designers = wp_xcalloc((size_t)workers, sizeof *b->designers);
  wp_pool_run(b->npages, workers, render_pdf, b);
  for (int w = 0; w < workers; w++) wp_pdf_designer_free(b->designers[w]);
  free(b->designers);
  int warned = report_warnings(log, b->warnings, b->npages);
  for (size_t i = 0; i < b->npages; i++) wp_buf_free(&b->warnings[i]);
  free(b->warnings);
  bool ok = report(log, b->errors, b->npages) == 0 && !(opt->strict && warned);
  if (opt->strict && warned) fprintf(log, "wufpress: --strict: %d warning%s\n", warned, warned == 1 ? "" : "s");
  free(b->errors);
  b->errors = NULL;
  return ok;
}

static void add_job(build_ctx *b, const char *tmpl, const char *kind, char *out_path, char *url, size_t lang,
                    const wp_document *doc) {
  b->jobs = wp_xrealloc(b->jobs, (b->njobs + 1) * sizeof *b->jobs);
  b->jobs[b->njobs++] = (wp_render_job){tmpl, kind, out_path, url, lang, doc ? doc->pages[lang] : NULL, doc};
}

/* Outputs whose template a theme may leave out; home, list and document are required. */
static bool optional_missing(const wp_site *s, const char *tmpl) {
  char *path = wp_printf("%s/templates/%s", s->root, tmpl);
  bool missing = !wp_is_file(path);
  free(path);
  return missing;
}

static void plan_outputs(build_ctx *b) {
  wp_site *s = b->site;
  bool feeds = !optional_missing(s, "feed.xml"), status = !optional_missing(s, "status.html");
  bool not_found = !optional_missing(s, "404.html");
  add_job(b, "home.html", "home", wp_xstrdup("index.html"), wp_xstrdup(""), s->default_lang, NULL);
  if (not_found) add_job(b, "404.html", "404", wp_xstrdup("404.html"), wp_xstrdup("404.html"), s->default_lang, NULL);
  if (!optional_missing(s, "sitemap.xml"))
    add_job(b, "sitemap.xml", "sitemap", wp_xstrdup("sitemap.xml"), wp_xstrdup("sitemap.xml"), s->default_lang, NULL);
  if (!optional_missing(s, "robots.txt"))
    add_job(b, "robots.txt", "robots", wp_xstrdup("robots.txt"), wp_xstrdup("robots.txt"), s->default_lang, NULL);
  for (size_t l = 0; l < s->nlangs; l++) {
    const char *code = s->langs[l].code;
    add_job(b, "list.html", "list", wp_printf("%s/index.html", code), wp_printf("%s/", code), l, NULL);
    if (not_found) add_job(b, "404.html", "404", wp_printf("%s/404.html", code), wp_printf("%s/404.html", code), l, NULL);
    if (feeds) add_job(b, "feed.xml", "feed", wp_printf("%s/feed.xml", code), wp_printf("%s/feed.xml", code), l, NULL);
    if (status)
      add_job(b, "status.html", "status", wp_printf("%s/status/index.html", code), wp_printf("%s/status/", code), l, NULL);
    for (size_t d = 0; d < s->ndocs; d++)
      if (s->docs[d]->pages[l])
        add_job(b, "document.html", "document", wp_printf("%s/%s/index.html", code, s->docs[d]->slug),
                wp_xstrdup(s->docs[d]->pages[l]->url), l, s->docs[d]);
  }
}

/* Drafts are left out of the build, as if the translation did not exist. */
static void drop_drafts(build_ctx *b) {
  for (size_t d = 0; d < b->site->ndocs; d++)
    for (size_t l = 0; l < b->site->nlangs; l++) {
      wp_page *p = b->site->docs[d]->pages[l];
      if (p && wp_value_true(p->front, "draft")) {
        wp_page_free(p);
        b->site->docs[d]->pages[l] = NULL;
      }
    }
}

/* Files beside a document's Markdown (images, data) are published with every translation. */
static bool copy_assets(FILE *log, const wp_site *site, const char *staging, const char *out) {
  bool ok = true;
  for (size_t d = 0; d < site->ndocs; d++) {
    char *dir = wp_printf("%s/content/%s", site->root, site->docs[d]->slug);
    DIR *dh = opendir(dir);
    struct dirent *e;
    while (dh && (e = readdir(dh))) {
      size_t n = strlen(e->d_name);
      if (e->d_name[0] == '.' || !strcmp(e->d_name, "_document.yaml") || (n > 3 && !strcmp(e->d_name + n - 3, ".md")))
        continue;
      char *from = wp_printf("%s/%s", dir, e->d_name);
      for (size_t l = 0; l < site->nlangs; l++) {
        const wp_page *p = site->docs[d]->pages[l];
        if (!p) continue;
        char *to = wp_printf("%s/%s%s", staging, p->url, e->d_name), *old = wp_printf("%s/%s%s", out, p->url, e->d_name);
        if (!wp_copy_tree(from, to, old)) {
          fprintf(log, "%s: cannot copy to %s\n", from, to);
          ok = false;
        }
        free(to), free(old);
      }
      free(from);
    }
    if (dh) closedir(dh);
    free(dir);
  }
  return ok;
}

/* Replaces out with staging; the old tree is removed only after the new one is in place. */
static bool publish(FILE *log, const char *staging, const char *out) {
  char *old = wp_printf("%s.old-%ld", out, (long)getpid());
  bool had_old = wp_is_dir(out);
  if (had_old && rename(out, old) != 0) {
    fprintf(log, "%s: cannot move aside: %s\n", out, strerror(errno));
    free(old);
    return false;
  }
  if (rename(staging, out) != 0) {
    fprintf(log, "%s: cannot publish: %s\n", out, strerror(errno));
    if (had_old) rename(old, out);
    free(old);
    return false;
  }
  if (had_old) wp_rm_rf(old);
  free(old);
  return true;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

wp_site *wp_load(const wp_build_options *opt, size_t *npages) {
  FILE *log = opt->log ? opt->log : stderr;
  wp_err err = {{0}};
  wp_markdown_init();
  build_ctx b = {0};
  if (!(b.site = wp_site_load(opt->root, opt->langs, &err))) {
    fprintf(log, "%s\n", err.msg);
    return NULL;
  }
  b.site->include_drafts = opt->drafts;
  for (size_t d = 0; d < b.site->ndocs; d++)
    for (size_t l = 0; l < b.site->nlangs; l++)
      if (b.site->docs[d]->pages[l]) {
        b.pages = wp_xrealloc(b.pages, (b.npages + 1) * sizeof *b.pages);
        b.pages[b.npages++] = b.site->docs[d]->pages[l];
      }
  b.errors = wp_xcalloc(b.npages ? b.npages : 1, sizeof *b.errors);
  wp_pool_run(b.npages, opt->jobs, load_page, &b);
  bool failed = report(log, b.errors, b.npages) > 0;
  free(b.errors);
  free(b.pages);
  if (failed) {
    wp_site_free(b.site);
    return NULL;
  }
  if (!opt->drafts) drop_drafts(&b);
  size_t n = 0;
  for (size_t d = 0; d < b.site->ndocs; d++)
    for (size_t l = 0; l < b.site->nlangs; l++) n += b.site->docs[d]->pages[l] != NULL;
  if (npages) *npages = n;
  b.site->status = wp_status_compute(b.site);
  return b.site;
}

int wp_build(const wp_build_options *opt) {
  FILE *log = opt->log ? opt->log : stderr;
  double start = now_ms();
  build_ctx b = {0};
  size_t built_pages;
  if (!(b.site = wp_load(opt, &built_pages))) return 1;
  int status = 1;
  char *out = opt->out ? wp_xstrdup(opt->out) : wp_printf("%s/public", opt->root);
  size_t olen = strlen(out);
  while (olen > 1 && out[olen - 1] == '/') out[--olen] = 0;

  b.out = out;
  plan_outputs(&b);
  b.staging = wp_printf("%s.staging-%ld", out, (long)getpid());
  wp_rm_rf(b.staging);
  if (!wp_mkdir_p(b.staging)) {
    fprintf(log, "%s: cannot create: %s\n", b.staging, strerror(errno));
    goto done;
  }
  int workers = wp_pool_size(opt->jobs);
  if (opt->pdf && !build_pdfs(&b, opt, workers, log)) goto done;
  b.errors = wp_xcalloc(b.njobs, sizeof *b.errors);
  b.workers = wp_xcalloc((size_t)workers, sizeof *b.workers);
  wp_pool_run(b.njobs, workers, render_job, &b);
  for (int w = 0; w < workers; w++) wp_templates_free(b.workers[w]);
  free(b.workers);
  if (report(log, b.errors, b.njobs)) goto done;

  char *static_dir = wp_printf("%s/static", b.site->theme_dir);
  bool copied = !wp_is_dir(static_dir) || wp_copy_tree(static_dir, b.staging, out);
  if (!copied) fprintf(log, "%s: cannot copy the theme's static files\n", static_dir);
  free(static_dir);
  copied = copied && copy_assets(log, b.site, b.staging, out);
  if (!copied || !publish(log, b.staging, out)) goto done;
  status = 0;
  if (!opt->quiet)
    fprintf(log, "wufpress: %zu pages in %zu languages → %s (%zu files, %.0f ms)\n", built_pages, b.site->nlangs, out,
            b.njobs, now_ms() - start);
done:
  if (b.staging && status != 0) wp_rm_rf(b.staging);
  for (size_t i = 0; i < b.njobs; i++) {
    free((char *)b.jobs[i].out_path);
    free((char *)b.jobs[i].url);
  }
  free(b.jobs);
  free(b.errors);
  free(b.pages);
  free(b.cache_dir);
  free(b.staging);
  free(out);
  wp_status_free(b.site, b.site->status);
  wp_site_free(b.site);
  return status;
}
