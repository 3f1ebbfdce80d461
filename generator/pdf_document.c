/* pdf_document — see pdf_document.h. Runs the page design (a Lua file in templates/pdf/) for a page,
 * then the layout engine (generator/layout/: design -> flow -> paginate -> compose) onto a
 * wp_pdf, and saves it to memory. Fonts are found once per document (a wp_fonts per render:
 * the ToUnicode record of a font must not mix documents, or output would depend on the
 * order pages reach a worker). */
#include "pdf_document.h"

#include <dirent.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#include "layout/compose.h"
#include "layout/design.h"
#include "layout/flow.h"
#include "layout/paginate.h"
#include "pdf/pdf.h"
#include "template.h"

#define DEFAULT_DESIGN "un-document"
#define LAYOUT_VERSION "layout 2" /* bump when the engine's output changes */

struct wp_pdf_designer {
  const wp_site *site;
  wp_templates *tpl;
  char **fingerprints; /* per site language, computed on first use */
};

wp_pdf_designer *wp_pdf_designer_new(const wp_site *site) {
  wp_pdf_designer *d = wp_xcalloc(1, sizeof *d);
  d->site = site;
  d->tpl = wp_templates_new(site);
  d->fingerprints = wp_xcalloc(site->nlangs, sizeof *d->fingerprints);
  return d;
}

void wp_pdf_designer_free(wp_pdf_designer *d) {
  if (!d) return;
  wp_templates_free(d->tpl);
  for (size_t l = 0; d->fingerprints && l < d->site->nlangs; l++) free(d->fingerprints[l]);
  free(d->fingerprints);
  free(d);
}

char *wp_pdf_url(const wp_page *page) {
  return wp_printf("%s%s-%s.pdf", page->url, page->doc->slug, page->lang->code);
}

/* "pdf/<name>.lua": the page's `pdf_design` (front matter or _document.yaml) or the default. */
static char *design_name(const wp_page *page) {
  const wp_value *v = wp_page_param(page, "pdf_design");
  const char *name = v && v->type == WP_STRING ? v->string : DEFAULT_DESIGN;
  return wp_printf("pdf/%s.lua", name);
}

static wp_render_job job_of(const wp_page *page, const char *name) {
  return (wp_render_job){name, "document", page->url, page->url, page->lang_index, page, page->doc};
}

/* ---- warnings ------------------------------------------------------------------------------ */

typedef struct {
  const wp_page *page;
  wp_warn_fn warn;
  void *ud;
  uint32_t seen[64]; /* each character is reported once per document */
  int nseen;
} warn_ctx;

static void on_missing(void *ud, uint32_t cp, int line) {
  warn_ctx *w = ud;
  for (int i = 0; i < w->nseen; i++)
    if (w->seen[i] == cp) return;
  if (w->nseen < 64) w->seen[w->nseen++] = cp;
  if (!w->warn) return;
  char name[128] = "";
  UErrorCode e = U_ZERO_ERROR;
  u_charName((UChar32)cp, U_UNICODE_CHAR_NAME, name, sizeof name, &e);
  if (U_FAILURE(e) || !name[0]) snprintf(name, sizeof name, "unnamed");
  char *msg = wp_printf("%s:%d: no font covers U+%04X (%s)", w->page->source, line > 0 ? line : 1,
                        (unsigned)cp, name);
  w->warn(w->ud, msg);
  free(msg);
}

/* ---- rendering ------------------------------------------------------------------------------ */

char *wp_pdf_render(wp_pdf_designer *d, const wp_page *page, size_t *len, wp_warn_fn warn, void *ud, wp_err *err) {
  *len = 0;
  wp_text_prefetch_hyphenation(page->lang->code); /* loads while the design and fonts are set up */
  char *name = design_name(page);
  wp_render_job job = job_of(page, name);
  if (!wp_templates_design(d->tpl, name, &job, err)) {
    free(name);
    return NULL;
  }
  lua_State *L = wp_templates_lua(d->tpl);
  int base = lua_gettop(L) - 1; /* the design table is on top until we are done */
  char *out = NULL;
  wp_design design = {0};
  wp_fonts *fonts = wp_fonts_create();
  wp_pdf *pdf = NULL;
  wp_flow flow = {0};
  wp_layout layout = {0};
  wp_ditems first = {0};
  warn_ctx wc = {page, warn, ud, {0}, 0};
  bool rtl = page->lang->dir && !strcmp(page->lang->dir, "rtl");
  if (!wp_design_read(&design, L, -1, name, err)) goto done;
  wp_flow_fonts ff;
  if (!wp_flow_fonts_find(&ff, fonts, &design, err)) goto done;
  wp_compose comp = {page, &design, name, &ff, rtl, on_missing, &wc};

  wp_page_facts f1 = wp_compose_facts(&comp, 1, 1);
  if (!wp_design_items(&design, "first_page", &f1, name, &first, err)) goto done;
  double masthead_bottom, notes1;
  wp_compose_measure(&comp, &first, &masthead_bottom, &notes1);

  wp_flow_input in = {d->site, page, &design, &ff, f1.measure, on_missing, &wc, err};
  wp_flow_build(&flow, &in);
  if (err->msg[0]) goto done;
  wp_pagination g = {masthead_bottom > design.top ? masthead_bottom : design.top, design.top,
                     design.height - design.bottom, notes1 > 0 ? notes1 + design.note_gap : 0,
                     design.note_gap};
  wp_paginate(&flow, &g, &layout);

  pdf = wp_pdf_create(fonts);
  if (!wp_compose_pages(&comp, &first, &flow, &layout, pdf, err)) goto done;
  wp_pdf_set_info(pdf, "Title", page->title);
  for (int i = 0; i < 4; i++) wp_pdf_set_info(pdf, wp_design_info_keys[i], design.info[i]);
  if (!design.info[3]) wp_pdf_set_info(pdf, "Creator", "wufpress");
  wp_pdf_set_lang(pdf, page->lang->code);
  char msg[512];
  out = wp_pdf_save_mem(pdf, len, msg, sizeof msg);
  if (!out) wp_err_set(err, page->source, 0, "cannot write the PDF: %s", msg);
done:
  wp_ditems_free(&first);
  wp_layout_free(&layout);
  wp_flow_free(&flow);
  wp_pdf_destroy(pdf);
  wp_fonts_destroy(fonts);
  wp_design_free(&design);
  lua_settop(L, base);
  free(name);
  return out;
}

/* ---- fingerprint ------------------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The files of templates/pdf/, in name order; returns how many. */
static size_t design_files(const char *root, char ***out) {
  char *dir = wp_printf("%s/templates/pdf", root);
  DIR *dp = opendir(dir);
  char **names = NULL;
  size_t n = 0;
  for (struct dirent *e; dp && (e = readdir(dp));) {
    if (e->d_name[0] == '.') continue;
    names = wp_xrealloc(names, (n + 1) * sizeof *names);
    names[n++] = wp_xstrdup(e->d_name);
  }
  if (dp) closedir(dp);
  if (n) qsort(names, n, sizeof *names, cmp_str);
  free(dir);
  *out = names;
  return n;
}

/* The fonts design `name` may use in language l: all installed faces of its families (see
 * wp_fonts_families_hash; a document finds only the faces and styles it uses as it is laid
 * out). The design runs without a document here (page.params is nil): fonts may depend only
 * on the language. */
static unsigned long long hash_fonts(unsigned long long h, wp_pdf_designer *d, const char *name, size_t l) {
  wp_render_job job = {name, "design", d->site->langs[l].code, d->site->langs[l].code, l, NULL, NULL};
  wp_err err = {{0}};
  if (wp_templates_design(d->tpl, name, &job, &err)) {
    lua_State *L = wp_templates_lua(d->tpl);
    int base = lua_gettop(L) - 1;
    wp_design design = {0};
    if (wp_design_read(&design, L, -1, name, &err))
      for (int face = 0; face < WP_FACE_COUNT; face++) {
        for (int i = 0; i < design.nfamilies[face]; i++)
          h = wp_hash(h, design.families[face][i], strlen(design.families[face][i]) + 1);
        h = wp_fonts_families_hash(h, (const char *const *)design.families[face], design.nfamilies[face]);
      }
    wp_design_free(&design);
    lua_settop(L, base);
  }
  return wp_hash(h, err.msg, strlen(err.msg));
}

/* A file of the site by its path and bytes (absent: its path only). */
static unsigned long long hash_file(unsigned long long h, const wp_site *site, const char *path) {
  size_t n = 0;
  char *data = wp_read_file_at(site->root_fd, path, &n);
  h = wp_hash(h, path, strlen(path) + 1);
  if (data) h = wp_hash(h, data, n);
  free(data);
  return h;
}

const char *wp_pdf_designer_fingerprint(wp_pdf_designer *d, size_t lang) {
  if (d->fingerprints[lang]) return d->fingerprints[lang];
  unsigned long long h = wp_hash(WP_HASH_INIT, LAYOUT_VERSION, sizeof LAYOUT_VERSION);
  char **names = NULL;
  size_t n = design_files(d->site->root, &names);
  for (size_t i = 0; i < n; i++) {
    char *path = wp_printf("%s/templates/pdf/%s", d->site->root, names[i]);
    size_t len;
    char *data = wp_read_file(path, &len);
    h = wp_hash(h, names[i], strlen(names[i]) + 1);
    if (data) h = wp_hash(h, data, len);
    size_t nl = strlen(names[i]);
    if (nl > 4 && !strcmp(names[i] + nl - 4, ".lua")) {
      char *name = wp_printf("pdf/%s", names[i]);
      h = hash_fonts(h, d, name, lang); /* only this language's fonts: a page needs no other */
      free(name);
    }
    free(data), free(path), free(names[i]);
  }
  free(names);
  /* What every page of the language shares: the site's settings and the language's strings. */
  h = hash_file(h, d->site, "site.yaml");
  h = hash_file(h, d->site, d->site->langs[lang].i18n_path);
  d->fingerprints[lang] = wp_printf("%s %016llx", LAYOUT_VERSION, h);
  return d->fingerprints[lang];
}
