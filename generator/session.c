/* session — see session.h. An update loads and renders the edited documents alone (through
 * the build's own stages, build_impl.h) and renders the site's own pages again only where
 * they show what changed; anything it cannot apply builds everything. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "build_impl.h"
#include "pdf/fonts.h"
#include "pdf/text.h"
#include "pool.h"
#include "status.h"

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
  s->out = bd_output_folder(opt);
  s->b = (build_ctx){.opt = &s->opt, .out = s->out};
  return s;
}

void wp_session_free(wp_session *s) {
  if (!s) return;
  bd_free_ctx(&s->b);
  free(s->out);
  free(s);
}

enum {
  UPDATE_FULL = -2,   /* the edit needs a whole build */
  DOCUMENT_GONE = -3, /* reload_document: the document's folder is gone */
};

/* Folders of content/ the model does not have, named by a burst: documents to add. */
typedef struct {
  char **slugs;
  size_t n;
} slug_list;

static void slug_list_add(slug_list *list, const char *slug, size_t len) {
  for (size_t i = 0; i < list->n; i++)
    if (!strncmp(list->slugs[i], slug, len) && !list->slugs[i][len]) return;
  list->slugs = wp_xrealloc(list->slugs, (list->n + 1) * sizeof *list->slugs);
  list->slugs[list->n++] = wp_xstrndup(slug, len);
}

static void slug_list_free(slug_list *list) {
  for (size_t i = 0; i < list->n; i++) free(list->slugs[i]);
  free(list->slugs);
}

static ssize_t doc_index(const wp_site *site, const char *slug, size_t len) {
  for (size_t d = 0; d < site->ndocs; d++)
    if (!strncmp(site->docs[d]->slug, slug, len) && !site->docs[d]->slug[len]) return (ssize_t)d;
  return -1;
}

/* Marks in reload[] the documents whose folders the changed paths (relative to the root;
 * "content/<slug>/" for a document folder made, moved or removed) are in, and lists in added
 * the folders the model does not have. Only pages and _document.yaml of documents, and whole
 * document folders, can be applied as an update: anything else (site.yaml, templates, themes,
 * a picture beside a page, a folder inside a document's) may change any output, and returns
 * UPDATE_FULL. */
static int classify(const build_ctx *b, char *const *changed, size_t n, bool *reload, slug_list *added) {
  for (size_t i = 0; i < n; i++) {
    const char *path = changed[i];
    if (strncmp(path, "content/", 8)) return UPDATE_FULL;
    const char *slug = path + 8, *slash = strchr(slug, '/');
    if (!slash || strchr(slash + 1, '/')) return UPDATE_FULL;
    if (!wp_is_document_folder(slug, (size_t)(slash - slug))) return UPDATE_FULL; /* the site skips it */
    ssize_t d = doc_index(b->site, slug, (size_t)(slash - slug));
    if (d < 0) {
      slug_list_add(added, slug, (size_t)(slash - slug));
      continue;
    }
    const char *name = slash + 1;
    size_t len = strlen(name);
    if (!len) { /* the folder itself: removed, or made again */
      reload[d] = true;
      continue;
    }
    if (name[0] == '.' || name[len - 1] == '~') continue; /* editors' own files */
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
 * document differently: they show each page (one added or removed changes them), its title,
 * summary and subtitle, and the document's symbol, date and original (template_data.c push_document_summary, push_status); a status
 * page shows the original's title where the page is missing. */
static void mark_listed(const wp_site *site, const wp_document *a, const wp_document *b, bool *listed) {
  bool all = !same_str(a->symbol, b->symbol) || !same_str(a->date, b->date) || a->original != b->original;
  const wp_page *ao = a->pages[a->original], *bo = b->pages[b->original];
  bool original_title = ao && bo && !same_str(ao->title, bo->title);
  for (size_t l = 0; l < site->nlangs; l++) {
    const wp_page *p = a->pages[l], *q = b->pages[l];
    listed[l] = listed[l] || all || !p != !q || (!p && original_title) ||
                (p && (!same_str(p->title, q->title) || !same_str(p->summary, q->summary) ||
                       !same_str(p->subtitle, q->subtitle)));
  }
}

static bool same_status_row(const wp_site *site, const wp_tr_status *a, const wp_tr_status *b) {
  for (size_t l = 0; l < site->nlangs; l++)
    if (a[l].state != b[l].state || !same_str(a[l].reason, b[l].reason)) return false;
  return true;
}

/* A page or document added, removed or drafted changes the outputs: every job is planned
 * again (~1 ms at 10,000 pages), with new per-job error slots (errors in the old ones were
 * reported already), and checked as a build checks them. False after an error (reported). */
static bool replan(build_ctx *b, FILE *log) {
  bd_free_errors(&b->job_errors, b->njobs);
  bd_free_jobs(b);
  bd_plan_outputs(b);
  b->job_errors = wp_xcalloc(b->njobs ? b->njobs : 1, sizeof *b->job_errors);
  wp_err err = {{0}};
  if (bd_check_outputs(b, &err)) return true;
  fprintf(log, "%s\n", err.msg);
  return false;
}

/* The errors of document d's pages (an update goes on after one document failed). */
static void report_document(const build_ctx *b, size_t d, FILE *log) {
  bd_report(log, b->job_errors + b->first_job[d], b->first_job[d + 1] - b->first_job[d]);
}

/* The folder of a page that is gone (its page, PDF and the files beside it) leaves the output. */
static void remove_page_folder(build_ctx *b, const wp_page *page) {
  char *rel = wp_xstrdup(page->url);
  size_t n = strlen(rel);
  if (n && rel[n - 1] == '/') rel[n - 1] = 0;
  wp_publisher_remove(b->pub, rel);
  free(rel);
}

/* A document folder read again (wp_document_load): its pages loaded, drafts dropped. Returns
 * 0, 1 after an error (reported) or DOCUMENT_GONE; *out is the document, NULL unless 0. */
static int load_document(build_ctx *b, const char *slug, FILE *log, wp_document **out) {
  wp_err err = {{0}};
  wp_document *doc = *out = wp_document_load(b->site, slug, &err);
  if (!doc) {
    if (err.msg[0]) fprintf(log, "%s\n", err.msg);
    return err.msg[0] ? 1 : DOCUMENT_GONE;
  }
  int rc = 0;
  for (size_t l = 0; l < b->site->nlangs; l++) /* every page's error, as a build reports them */
    if (doc->pages[l] && !wp_page_load(b->site, doc->pages[l], &err)) fprintf(log, "%s\n", err.msg), rc = 1;
  if (rc) {
    wp_document_free(b->site, doc);
    *out = NULL;
    return 1;
  }
  bd_drop_drafts(b, doc);
  return 0;
}

/* Body HTML and PDF of each of doc's pages, as the build's load stage makes them; warnings
 * reported (errors with --strict). Returns 0 or 1 (reported). */
static int finish_pages(build_ctx *b, wp_document *doc, FILE *log) {
  int rc = 0;
  wp_err err = {{0}};
  wp_buf warnings = {0};
  b->warnings = &warnings; /* bd_finish_page's slot 0 */
  for (size_t l = 0; l < b->site->nlangs; l++)
    if (doc->pages[l]) {
      err.msg[0] = 0;
      bd_finish_page(b, doc->pages[l], 0, 0, &err);
      if (err.msg[0]) fprintf(log, "%s\n", err.msg), rc = 1;
    }
  b->warnings = NULL;
  int warned = rc ? 0 : bd_report_warnings(log, &warnings, 1);
  if (warned && b->opt->strict) {
    fprintf(log, "wufpress: --strict: %d warning%s\n", warned, warned == 1 ? "" : "s");
    rc = 1;
  }
  wp_buf_free(&warnings);
  return rc;
}

/* Loads document d again and renders its pages (and PDFs) into b->pub. Returns 0, 1 after an
 * error (reported), DOCUMENT_GONE, or UPDATE_FULL when it has another place in the lists
 * (weight), other files beside its pages, or no page left. A page added, removed or drafted
 * is applied: the jobs are planned again, the new page's files published and the gone page's
 * folder removed; *reshaped is then set. listed[] gets the languages whose lists show it
 * differently (mark_listed). */
static int reload_document(build_ctx *b, size_t d, FILE *log, bool *listed, bool *reshaped) {
  wp_site *site = b->site;
  wp_document *old = site->docs[d], *doc;
  wp_err err = {{0}};
  int rc = load_document(b, old->slug, log, &doc);
  if (rc) return rc;
  bool same_place = doc->weight == old->weight && doc->nassets == old->nassets, same_pages = true, any_page = false;
  for (size_t a = 0; a < doc->nassets && same_place; a++) same_place = !strcmp(doc->assets[a], old->assets[a]);
  for (size_t l = 0; l < site->nlangs; l++)
    same_pages = same_pages && !doc->pages[l] == !old->pages[l], any_page = any_page || doc->pages[l];
  rc = !same_place || !any_page ? UPDATE_FULL : finish_pages(b, doc, log);
  if (rc) {
    wp_document_free(site, doc);
    return rc;
  }
  mark_listed(site, old, doc, listed);
  site->docs[d] = doc;
  bool ok = true;
  if (!same_pages) {
    ok = replan(b, log);
    for (size_t l = 0; l < site->nlangs; l++)
      if (old->pages[l] && !doc->pages[l]) remove_page_folder(b, old->pages[l]);
    *reshaped = true;
  }
  if (!ok) rc = 1;
  else ok = bd_render_document_pages(b, d, 0); /* points the document's jobs at it */
  if (ok && !same_pages && !bd_publish_document_assets(b, d, &err)) fprintf(log, "%s\n", err.msg), rc = 1;
  if (!ok && !rc) report_document(b, d, log), rc = 1;
  wp_document_free(site, old);
  return rc;
}

/* Documents removed (their folders gone) and added (folders the model did not have): the
 * model's document array changes and the documents after each change index, so the status
 * rows go (update computes them anew), the jobs are planned again and the workers forget the
 * Lua strings they keep by document index. The new documents' pages are rendered with the
 * files beside them; the gone ones' page folders are removed. listed[] gets the languages
 * they have pages in. Returns 0 or 1 (reported). */
static int restructure(build_ctx *b, const bool *gone, size_t ngone, const slug_list *added, FILE *log, bool *listed,
                       size_t *nadded) {
  wp_site *site = b->site;
  wp_document **docs = wp_xcalloc(added->n + 1, sizeof *docs);
  size_t ndocs = 0;
  int rc = 0;
  for (size_t i = 0; i < added->n; i++) { /* each one's errors, as a build reports them */
    wp_document *doc;
    int r = load_document(b, added->slugs[i], log, &doc);
    if (r == DOCUMENT_GONE) continue; /* made and removed in one burst, or a file, not a folder */
    if (!r) r = finish_pages(b, doc, log);
    if (r) {
      wp_document_free(site, doc);
      rc = 1;
      continue;
    }
    docs[ndocs++] = doc;
  }
  *nadded = ndocs;
  if (!ngone && !ndocs) { /* the folders came and went: the model stays as it is */
    free(docs);
    return rc;
  }
  wp_status_free(site, site->status);
  site->status = NULL;
  for (size_t d = site->ndocs; d-- > 0;)
    if (gone[d]) {
      for (size_t l = 0; l < site->nlangs; l++)
        if (site->docs[d]->pages[l]) remove_page_folder(b, site->docs[d]->pages[l]), listed[l] = true;
      wp_site_remove_document(site, d);
    }
  for (size_t k = 0; k < ndocs; k++) {
    for (size_t l = 0; l < site->nlangs; l++) listed[l] = listed[l] || docs[k]->pages[l];
    wp_site_add_document(site, docs[k]);
  }
  if (!replan(b, log)) rc = 1;
  wp_err err = {{0}};
  for (size_t k = 0; k < ndocs && !rc; k++) {
    size_t d = 0;
    while (site->docs[d] != docs[k]) d++;
    if (!bd_render_document_pages(b, d, 0)) report_document(b, d, log), rc = 1;
    else if (!bd_publish_document_assets(b, d, &err)) fprintf(log, "%s\n", err.msg), rc = 1;
  }
  for (int w = 0; w < wp_pool_size(b->opt->jobs); w++)
    if (b->workers[w]) wp_templates_forget_document(b->workers[w], WP_ALL_DOCUMENTS);
  free(docs);
  return rc;
}

typedef struct {
  build_ctx *b;
  size_t *jobs;
} job_list;

static void render_listed_job(void *ctx, size_t i, int worker) {
  job_list *list = ctx;
  bd_render_job(list->b, list->jobs[i], worker);
}

/* Applies an edit of pages (edited, added, removed or drafted) and of document folders (added
 * or removed): the documents are loaded and rendered again, and the site's own pages only when
 * what they show of them changed (a title, a summary, a translation's status, which pages and
 * documents exist), into the output folder (nothing else in it is touched but gone pages'
 * folders). Returns 0, 1 (reported), WP_SESSION_UNCHANGED or UPDATE_FULL. */
static int update(build_ctx *b, FILE *log, char *const *changed, size_t n) {
  double started = bd_now_ms();
  wp_site *site = b->site;
  if (!wp_is_dir(b->out)) return UPDATE_FULL; /* the output folder was removed */
  for (size_t j = 0; j < b->first_job[0]; j++) { /* or part of it (a language's folder) */
    char *path = wp_printf("%s/%s", b->out, b->jobs[j].out_path);
    bool there = wp_is_file(path);
    free(path);
    if (!there) return UPDATE_FULL;
  }
  size_t ndocs = site->ndocs; /* before documents are added or removed */
  bool *reload = wp_xcalloc(ndocs ? ndocs : 1, sizeof *reload), *gone = wp_xcalloc(ndocs ? ndocs : 1, sizeof *gone);
  slug_list added = {0};
  int rc = classify(b, changed, n, reload, &added);
  bool any = added.n > 0;
  for (size_t d = 0; d < ndocs; d++) any = any || reload[d];
  if (rc || !any) { /* a whole build, or only an editor's temporary files came and went */
    free(reload), free(gone);
    slug_list_free(&added);
    return rc ? rc : WP_SESSION_UNCHANGED;
  }
  wp_err err = {{0}};
  if (!rc && !(b->pub = wp_publisher_new(b->out, (const char *const *)site->preserve, &err)))
    fprintf(log, "%s\n", err.msg), rc = 1;
  size_t reloaded = 0, removed_docs = 0, added_docs = 0;
  bool reshaped = false; /* a page was added, removed or drafted */
  bool restructured = false; /* a document was added or removed: document indexes moved */
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
    /* Every document is loaded even after one failed, so that all errors are reported. */
    bool failed = false;
    for (size_t d = 0; d < ndocs && rc != UPDATE_FULL; d++)
      if (reload[d]) {
        int r = reload_document(b, d, log, listed, &reshaped);
        if (r == DOCUMENT_GONE) gone[d] = true, removed_docs++;
        else if (r == UPDATE_FULL) rc = UPDATE_FULL;
        else failed = failed || r, reloaded++;
      }
    if (rc != UPDATE_FULL && (removed_docs || added.n)) {
      failed = restructure(b, gone, removed_docs, &added, log, listed, &added_docs) || failed;
      restructured = removed_docs || added_docs;
      reshaped = reshaped || restructured;
    }
    if (rc != UPDATE_FULL && failed) rc = 1;
    /* Folders made and removed in one burst: no document was added, removed or loaded again. */
    if (!rc && !reloaded && !removed_docs && !added_docs) rc = WP_SESSION_UNCHANGED;
    for (int w = 0; w < workers; w++) wp_pdf_designer_free(b->designers[w]);
    free(b->designers), free(b->cache_dir);
    b->designers = NULL, b->cache_dir = NULL;
  }
  if (!rc) {
    status = wp_status_compute(site);
    bool status_changed = restructured; /* else compare the reloaded documents' rows */
    for (size_t d = 0; !restructured && d < site->ndocs; d++)
      status_changed = status_changed || (reload[d] && !same_status_row(site, status[d], site->status[d]));
    wp_status_free(site, site->status);
    site->status = status;
    job_list list = {b, wp_xcalloc(b->first_job[0] + 1, sizeof *list.jobs)};
    size_t count = 0;
    for (size_t j = 0; j < b->first_job[0]; j++) { /* 404 and robots.txt show no document's data */
      const char *kind = b->jobs[j].kind;
      bool shows_documents = !strcmp(kind, "home") || !strcmp(kind, "list") || !strcmp(kind, "feed");
      bool status_page = !strcmp(kind, "status");
      if ((listed[b->jobs[j].lang_index] && (shows_documents || status_page)) || (status_changed && status_page) ||
          (reshaped && !strcmp(kind, "sitemap"))) /* the sitemap lists every page */
        list.jobs[count++] = j;
    }
    if (count) {
      for (int w = 0; w < wp_pool_size(b->opt->jobs); w++)
        for (size_t d = 0; b->workers[w] && !restructured && d < site->ndocs; d++)
          if (reload[d]) wp_templates_forget_document(b->workers[w], d);
      wp_pool_run(count, wp_pool_size(b->opt->jobs), render_listed_job, &list);
      if (bd_report(log, b->job_errors, b->njobs)) rc = 1;
    }
    free(list.jobs);
    if (!rc && !wp_publisher_commit(b->pub, &err)) fprintf(log, "%s\n", err.msg), rc = 1;
    if (!rc && !b->opt->quiet) {
      size_t written, removed;
      wp_publisher_counts(b->pub, &written, &removed);
      size_t all = reloaded + added_docs + removed_docs;
      char *more = added_docs || removed_docs ? wp_printf(" (%zu new, %zu removed)", added_docs, removed_docs) : NULL;
      char *gone_files = removed ? wp_printf(", %zu removed", removed) : NULL;
      fprintf(log, "wufpress: %zu document%s updated%s%s → %s (%zu files written%s, %.0f ms)\n", all,
              all == 1 ? "" : "s", more ? more : "", count ? ", with the site's pages that show them" : "", b->out,
              written, gone_files ? gone_files : "", bd_now_ms() - started);
      free(gone_files);
      free(more);
    }
  }
  free(reload), free(gone), free(listed);
  slug_list_free(&added);
  free(b->scratch);
  b->scratch = NULL;
  wp_publisher_free(b->pub);
  b->pub = NULL;
  bd_free_errors(&b->job_errors, b->njobs);
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
  bd_free_ctx(&s->b);
  s->b = (build_ctx){.opt = &s->opt, .out = s->out};
  int rc = bd_full_build(&s->b, log);
  s->current = rc == 0;
  return rc;
}
