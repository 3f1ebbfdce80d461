/* site — loading site.yaml, the theme's i18n files, the content layout and pages. */
#include "site.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "markdown.h"
#include "pool.h"

/* Keys a language file may not set because _document.yaml owns them. */
static const char *const neutral_keys[] = {"symbol", "date", "original", "distribution",
                                           "job_number", "weight", "numbered_paragraphs",
                                           "heading_numbering", "session_dates", NULL};

static wp_value *load_yaml_file(int root_fd, const char *rel, bool required, wp_err *err) {
  size_t len;
  char *text = wp_read_file_at(root_fd, rel, &len);
  if (!text) {
    if (!required && errno == ENOENT) return wp_yaml_parse("", 0, rel, 1, err);
    wp_err_set(err, rel, 0, "cannot read: %s", strerror(errno));
    return NULL;
  }
  wp_value *v = NULL;
  long bad = wp_utf8_invalid_at(text, len);
  if (bad >= 0)
    wp_err_set(err, rel, wp_line_of(text, (size_t)bad), "invalid UTF-8");
  else
    v = wp_yaml_parse(text, len, rel, 1, err);
  free(text);
  if (v && v->type != WP_MAP) {
    wp_err_set(err, rel, v->line, "expected a map of keys and values");
    wp_value_free(v);
    v = NULL;
  }
  return v;
}

static bool load_languages(wp_site *site, const char *only, wp_err *err) {
  const wp_value *langs = wp_value_get(site->config, "languages");
  if (!langs || langs->type != WP_LIST || langs->count == 0) {
    wp_err_set(err, "site.yaml", langs ? langs->line : 1, "'languages' must be a non-empty list");
    return false;
  }
  site->langs = wp_xcalloc(langs->count, sizeof *site->langs);
  const char *def = wp_value_str(site->config, "default_language");
  bool have_default = false;
  for (size_t i = 0; i < langs->count; i++) {
    const wp_value *l = langs->items[i];
    const char *code = wp_value_str(l, "code"), *name = wp_value_str(l, "name");
    const char *dir = wp_value_str(l, "dir");
    if (!code || !name) {
      wp_err_set(err, "site.yaml", l->line, "each language needs 'code' and 'name'");
      return false;
    }
    if (dir && strcmp(dir, "ltr") && strcmp(dir, "rtl")) {
      wp_err_set(err, "site.yaml", l->line, "'dir' must be ltr or rtl, not '%s'", dir);
      return false;
    }
    if (only) { /* --lang keeps the listed languages, in site.yaml's order */
      size_t n = strlen(code);
      const char *p = strstr(only, code);
      while (p && !((p == only || p[-1] == ',') && (p[n] == 0 || p[n] == ','))) p = strstr(p + 1, code);
      if (!p) continue;
    }
    wp_lang *lang = &site->langs[site->nlangs];
    lang->code = wp_xstrdup(code);
    lang->name = wp_xstrdup(name);
    lang->dir = wp_xstrdup(dir ? dir : "ltr");
    const char *locale = wp_value_str(l, "locale");
    lang->locale = wp_xstrdup(locale ? locale : code);
    lang->i18n_path = wp_printf("themes/%s/i18n/%s.yaml", site->theme, code);
    if (!(lang->i18n = load_yaml_file(site->root_fd, lang->i18n_path, false, err))) return false;
    if (def && !strcmp(def, code)) {
      site->default_lang = site->nlangs;
      have_default = true;
    }
    site->nlangs++;
  }
  if (site->nlangs == 0) {
    wp_err_set(err, NULL, 0, "--lang %s: no such language in site.yaml", only);
    return false;
  }
  if (def && !have_default && !only) {
    wp_err_set(err, "site.yaml", 1, "default_language '%s' is not in 'languages'", def);
    return false;
  }
  return true;
}

static int by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

static ssize_t lang_index(const wp_site *site, const char *code, size_t n) {
  for (size_t i = 0; i < site->nlangs; i++)
    if (strlen(site->langs[i].code) == n && !strncmp(site->langs[i].code, code, n)) return (ssize_t)i;
  return -1;
}

static bool known_language(const wp_value *config, const char *code, size_t n) {
  const wp_value *langs = wp_value_get(config, "languages");
  for (size_t i = 0; langs && i < langs->count; i++) {
    const char *c = wp_value_str(langs->items[i], "code");
    if (c && strlen(c) == n && !strncmp(c, code, n)) return true;
  }
  return false;
}

/* One document folder: its pages, _document.yaml and the other files beside them. Touches only
 * *out, so folders are scanned in parallel; *out stays NULL when slug is not a folder. */
static bool scan_document(const wp_site *site, const char *slug, wp_document **out, wp_err *err) {
  char *dir = wp_printf("%s/content/%s", site->root, slug);
  struct dirent **names;
  int n = scandir(dir, &names, NULL, by_name);
  free(dir);
  if (n < 0) return true; /* not a folder */
  wp_document *doc = *out = wp_xcalloc(1, sizeof *doc);
  doc->slug = wp_xstrdup(slug);
  doc->pages = wp_xcalloc(site->nlangs, sizeof *doc->pages);
  doc->meta_path = wp_printf("content/%s/_document.yaml", slug);
  bool ok = (doc->meta = load_yaml_file(site->root_fd, doc->meta_path, false, err)) != NULL;
  for (int i = 0; i < n; i++) {
    const char *name = names[i]->d_name;
    size_t len = strlen(name);
    if (ok && len > 3 && !strcmp(name + len - 3, ".md")) {
      ssize_t li = lang_index(site, name, len - 3);
      if (li >= 0) {
        wp_page *page = wp_xcalloc(1, sizeof *page);
        page->doc = doc;
        page->lang = &site->langs[li];
        page->lang_index = (size_t)li;
        page->source = wp_printf("content/%s/%s", slug, name);
        page->url = wp_printf("%s/%s/", site->langs[li].code, slug);
        doc->pages[li] = page;
      } else if (!known_language(site->config, name, len - 3)) {
        wp_err_set(err, NULL, 0,
                   "content/%s/%s:1: '%.*s' is not a language of this site (site.yaml lists them)",
                   slug, name, (int)(len - 3), name);
        ok = false;
      }
    } else if (name[0] != '.' && name[len - 1] != '~' && strcmp(name, "_document.yaml") &&
               !(len > 3 && !strcmp(name + len - 3, ".md"))) { /* dotfiles and editors' backups (x~) stay out */
      doc->assets = wp_xrealloc(doc->assets, (doc->nassets + 1) * sizeof *doc->assets);
      doc->assets[doc->nassets++] = wp_xstrdup(name);
    }
    free(names[i]);
  }
  free(names);
  if (ok) {
    const wp_value *w = wp_value_get(doc->meta, "weight");
    doc->weight = w && w->type == WP_NUMBER ? w->number : 0;
    doc->symbol = wp_value_str(doc->meta, "symbol");
    doc->date = wp_value_str(doc->meta, "date");
    const char *code = wp_value_str(doc->meta, "original");
    doc->original = site->default_lang;
    for (size_t l = 0; code && l < site->nlangs; l++)
      if (!strcmp(site->langs[l].code, code)) doc->original = l;
  }
  return ok;
}

typedef struct {
  wp_site *site;
  char **slugs;
  wp_document **docs;
  wp_err *errors;
  bool *failed;
} scan_ctx;

static void scan_one(void *ctx, size_t i, int worker) {
  (void)worker;
  scan_ctx *c = ctx;
  c->failed[i] = !scan_document(c->site, c->slugs[i], &c->docs[i], &c->errors[i]);
}

/* The document folders of content/, in parallel (each parses its _document.yaml); the first
 * error in name order is the one reported, as a serial scan would. */
static bool scan_documents(wp_site *site, char **slugs, size_t n, int jobs, wp_err *err) {
  scan_ctx c = {site, slugs, wp_xcalloc(n ? n : 1, sizeof *c.docs), wp_xcalloc(n ? n : 1, sizeof *c.errors),
                wp_xcalloc(n ? n : 1, sizeof *c.failed)};
  wp_pool_run(n, jobs, scan_one, &c);
  bool ok = true;
  site->docs = wp_xcalloc(n ? n : 1, sizeof *site->docs);
  for (size_t i = 0; i < n; i++) {
    if (c.failed[i] && ok) *err = c.errors[i], ok = false;
    if (c.docs[i]) site->docs[site->ndocs++] = c.docs[i];
  }
  free(c.docs), free(c.errors), free(c.failed);
  return ok;
}

static int by_weight(const void *a, const void *b) {
  const wp_document *x = *(wp_document *const *)a, *y = *(wp_document *const *)b;
  if (x->weight != y->weight) return x->weight < y->weight ? -1 : 1;
  return strcmp(x->slug, y->slug);
}

wp_site *wp_site_load(const char *root, const char *only_langs, int jobs, wp_err *err) {
  wp_site *site = wp_xcalloc(1, sizeof *site);
  site->root = wp_xstrdup(root);
  if ((site->root_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) { /* no site there: */
    wp_err_set(err, "site.yaml", 0, "cannot read: %s", strerror(errno)); /* what reading it says */
    goto fail;
  }
  if (!(site->config = load_yaml_file(site->root_fd, "site.yaml", true, err))) goto fail;
  const char *theme = wp_value_str(site->config, "theme");
  site->theme = wp_xstrdup(theme ? theme : "default");
  site->theme_dir = wp_printf("%s/themes/%s", root, site->theme);
  if (!wp_is_dir(site->theme_dir)) {
    wp_err_set(err, "site.yaml", 1, "theme '%s' not found (expected themes/%s/)", site->theme, site->theme);
    goto fail;
  }
  const char *base = wp_value_str(site->config, "base_url");
  if (!base) base = "/";
  size_t blen = strlen(base);
  site->base_url = blen && base[blen - 1] == '/' ? wp_xstrdup(base) : wp_printf("%s/", base);
  site->allow_html = wp_value_true(site->config, "allow_html");
  const wp_value *keep = wp_value_get(site->config, "preserve");
  size_t nkeep = keep && keep->type == WP_LIST ? keep->count : 0;
  site->preserve = wp_xcalloc(nkeep + 1, sizeof *site->preserve);
  for (size_t i = 0; i < nkeep; i++) {
    const char *name = keep->items[i]->string;
    if (!name || !*name || strchr(name, '/')) {
      wp_err_set(err, "site.yaml", keep->items[i]->line, "'preserve' lists top-level names in the output folder");
      goto fail;
    }
    site->preserve[i] = wp_xstrdup(name);
  }
  if (!load_languages(site, only_langs, err)) goto fail;

  char *content = wp_printf("%s/content", root);
  struct dirent **names;
  int n = scandir(content, &names, NULL, by_name);
  free(content);
  if (n < 0) {
    wp_err_set(err, "content", 0, "cannot read the content folder: %s", strerror(errno));
    goto fail;
  }
  char **slugs = wp_xcalloc(n > 0 ? (size_t)n : 1, sizeof *slugs);
  size_t nslugs = 0;
  for (int i = 0; i < n; i++) {
    const char *name = names[i]->d_name;
    if (wp_is_document_folder(name, strlen(name))) slugs[nslugs++] = wp_xstrdup(name);
    free(names[i]);
  }
  free(names);
  bool ok = scan_documents(site, slugs, nslugs, jobs, err);
  for (size_t i = 0; i < nslugs; i++) free(slugs[i]);
  free(slugs);
  if (!ok) goto fail;
  if (site->ndocs) qsort(site->docs, site->ndocs, sizeof *site->docs, by_weight);
  site->sources = wp_site_page_count(site);
  return site;
fail:
  wp_site_free(site);
  return NULL;
}

void wp_page_free(wp_page *p) {
  if (!p) return;
  wp_markdown_free(p);
  for (size_t i = 0; i < p->nheadings; i++) {
    free(p->headings[i].id);
    free(p->headings[i].label);
    free(p->headings[i].text);
  }
  free(p->headings);
  for (int i = 0; i < p->footnotes; i++) free(p->footnote_labels[i]);
  free(p->footnote_labels);
  for (size_t i = 0; i < p->nlinks; i++) free(p->links[i].url);
  free(p->links);
  wp_value_free(p->front);
  free(p->source);
  free(p->text);
  free(p->url);
  free(p->body_html);
  free(p);
}

wp_document *wp_document_load(const wp_site *site, const char *slug, wp_err *err) {
  wp_document *doc = NULL;
  if (!scan_document(site, slug, &doc, err)) {
    wp_document_free(site, doc);
    return NULL;
  }
  return doc;
}

bool wp_is_document_folder(const char *name, size_t len) {
  return len && name[0] != '.' && name[0] != '_' && name[len - 1] != '~';
}

size_t wp_site_add_document(wp_site *site, wp_document *doc) {
  size_t d = 0;
  while (d < site->ndocs && by_weight(&site->docs[d], &doc) < 0) d++;
  site->docs = wp_xrealloc(site->docs, (site->ndocs + 1) * sizeof *site->docs);
  memmove(&site->docs[d + 1], &site->docs[d], (site->ndocs - d) * sizeof *site->docs);
  site->docs[d] = doc;
  site->ndocs++;
  return d;
}

void wp_site_remove_document(wp_site *site, size_t d) {
  wp_document_free(site, site->docs[d]);
  memmove(&site->docs[d], &site->docs[d + 1], (site->ndocs - d - 1) * sizeof *site->docs);
  site->ndocs--;
}

void wp_document_free(const wp_site *site, wp_document *doc) {
  if (!doc) return;
  for (size_t l = 0; l < site->nlangs; l++) wp_page_free(doc->pages[l]);
  free(doc->pages);
  wp_value_free(doc->meta);
  free(doc->meta_path);
  free(doc->slug);
  for (size_t i = 0; i < doc->nassets; i++) free(doc->assets[i]);
  free(doc->assets);
  free(doc);
}

void wp_site_free(wp_site *site) {
  if (!site) return;
  for (size_t d = 0; d < site->ndocs; d++) wp_document_free(site, site->docs[d]);
  free(site->docs);
  for (size_t i = 0; i < site->nlangs; i++) {
    wp_lang *l = &site->langs[i];
    free(l->code), free(l->name), free(l->dir), free(l->locale), free(l->i18n_path);
    wp_value_free(l->i18n);
  }
  free(site->langs);
  wp_value_free(site->config);
  for (char **k = site->preserve; k && *k; k++) free(*k);
  free(site->preserve);
  free(site->root), free(site->theme), free(site->theme_dir), free(site->base_url);
  if (site->root_fd >= 0) close(site->root_fd);
  free(site);
}

/* Splits "---\n<yaml>\n---\n<markdown>"; a file without front matter has none. */
static bool split_front_matter(wp_page *page, size_t len, const char **body, wp_err *err) {
  const char *t = page->text;
  page->body_line = 1;
  *body = t;
  if (strncmp(t, "---", 3) || (t[3] != '\n' && !(t[3] == '\r' && t[4] == '\n'))) {
    wp_err_set(err, page->source, 1, "missing front matter: the file must start with a '---' line, a 'title:' and a closing '---'");
    return false;
  }
  const char *yaml = strchr(t, '\n') + 1;
  for (const char *line = yaml; line < t + len;) {
    const char *eol = memchr(line, '\n', (size_t)(t + len - line));
    size_t n = eol ? (size_t)(eol - line) : (size_t)(t + len - line);
    if (n && line[n - 1] == '\r') n--;
    if ((n == 3 && (!strncmp(line, "---", 3) || !strncmp(line, "...", 3)))) {
      page->front = wp_yaml_parse(yaml, (size_t)(line - yaml), page->source, 2, err);
      if (!page->front) return false;
      if (page->front->type != WP_MAP) {
        wp_err_set(err, page->source, 2, "front matter must be a map of keys and values");
        return false;
      }
      *body = eol ? eol + 1 : t + len;
      page->body_line = wp_line_of(t, (size_t)(*body - t));
      return true;
    }
    line = eol ? eol + 1 : t + len;
  }
  wp_err_set(err, page->source, 1, "front matter is not closed: add a '---' line after it");
  return false;
}

bool wp_page_load(const wp_site *site, wp_page *page, wp_err *err) {
  size_t len;
  char *text = wp_read_file_at(site->root_fd, page->source, &len);
  if (!text) {
    wp_err_set(err, page->source, 0, "cannot read: %s", strerror(errno));
    return false;
  }
  return wp_page_load_text(site, page, text, len, err);
}

bool wp_page_load_text(const wp_site *site, wp_page *page, char *text, size_t len, wp_err *err) {
  page->text = text;
  if (strlen(page->text) != len) {
    wp_err_set(err, page->source, wp_line_of(page->text, strlen(page->text)), "the file contains a NUL byte");
    return false;
  }
  long bad = wp_utf8_invalid_at(page->text, len);
  if (bad >= 0) {
    wp_err_set(err, page->source, wp_line_of(page->text, (size_t)bad), "invalid UTF-8 (files must be UTF-8)");
    return false;
  }
  if (page->lang_index == page->doc->original)
    snprintf(page->hash, sizeof page->hash, "%016llx", wp_hash(WP_HASH_INIT, page->text, len));
  const char *body;
  if (!split_front_matter(page, len, &body, err)) return false;
  const wp_value *title = wp_value_get(page->front, "title");
  if (!title || title->type != WP_STRING || !title->string[0]) {
    wp_err_set(err, page->source, title ? title->line : 2, "front matter needs a 'title' (text)");
    return false;
  }
  page->title = title->string;
  page->summary = wp_value_str(page->front, "summary");
  page->subtitle = wp_value_str(page->front, "subtitle");
  for (const char *const *k = neutral_keys; *k; k++) {
    const wp_value *v = wp_value_get(page->front, *k);
    if (v && wp_value_get(page->doc->meta, *k)) {
      wp_err_set(err, page->source, v->line,
                 "'%s' is set in %s for all languages; a translation cannot set it again",
                 *k, page->doc->meta_path);
      return false;
    }
  }
  return wp_markdown_parse(site, page, body, len - (size_t)(body - page->text), err);
}

size_t wp_site_page_count(const wp_site *site) {
  size_t n = 0;
  for (size_t d = 0; d < site->ndocs; d++)
    for (size_t l = 0; l < site->nlangs; l++) n += site->docs[d]->pages[l] != NULL;
  return n;
}

void wp_page_release(wp_page *page) {
  wp_markdown_free(page);
  free(page->text);
  page->text = NULL;
}

const wp_value *wp_page_param(const wp_page *page, const char *key) {
  const wp_value *v = wp_value_get(page->front, key);
  return v ? v : wp_value_get(page->doc->meta, key);
}

const wp_value *wp_lang_string(const wp_lang *lang, const char *key) {
  return wp_value_path(lang->i18n, key);
}
