/* site — the document model: languages, documents, pages, and loading them from a site root.
 * Loading is two-step: wp_site_load reads site.yaml, the theme's i18n files and the content
 * folder layout (document folders in parallel); wp_page_load reads and resolves one page
 * (parallel-safe: it touches only its own page). After loading, the model is read-only. */
#ifndef WP_SITE_H
#define WP_SITE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"
#include "value.h"

typedef struct cmark_node cmark_node;

typedef struct {
  char *code, *name, *dir, *locale;
  char *i18n_path;  /* themes/<theme>/i18n/<code>.yaml, relative to the root */
  wp_value *i18n;   /* interface strings and numbering labels */
} wp_lang;

typedef struct {
  int level;
  char *id;     /* anchor, unique within the page */
  char *label;  /* "I.", "A.", "ألف -", or NULL when the level is not numbered */
  char *text;   /* plain text of the heading */
} wp_heading;

/* A link or image of the body, as written, with its file line (for `check`). */
typedef struct {
  char *url;
  int line;
  bool image;
} wp_link;

typedef struct wp_document wp_document;

typedef struct {
  wp_document *doc;
  const wp_lang *lang;
  size_t lang_index;
  char *source;     /* "content/<doc>/<lang>.md", for messages */
  char *text;       /* the file's bytes (the build frees them once the page is rendered) */
  char hash[17];    /* of the file's bytes, for originals only: what translations record as
                     * source_hash (FNV-1a, ~4 cycles a byte: not spent on the other pages) */
  wp_value *front;  /* front matter */
  int body_line;    /* file line of the first Markdown line */
  const char *title;
  const char *summary, *subtitle; /* front matter's, or NULL (read once: list pages show them) */
  char *url;        /* site path: "<lang>/<doc>/" */
  cmark_node *root; /* resolved Markdown tree */
  wp_heading *headings;
  size_t nheadings;
  int paragraphs;   /* numbered paragraphs */
  int footnotes;
  char **footnote_labels; /* anchors are "fn-<label>" */
  wp_link *links;
  size_t nlinks;
  char *body_html;
  size_t body_html_len; /* set by wp_markdown_html with the HTML it returns */
  size_t pdf_size;  /* set by the build once the page's PDF is written (0: none) */
  struct wp_markdown *md; /* markdown.c's own bookkeeping */
} wp_page;

struct wp_document {
  char *slug;
  wp_value *meta;   /* language-neutral data from _document.yaml (an empty map if none) */
  char *meta_path;
  double weight;
  size_t original;  /* index of its original language: `original:`, else the site default */
  const char *symbol, *date; /* from meta, or NULL (read once: every list page shows them) */
  wp_page **pages;  /* one slot per site language; NULL where there is no translation */
  char **assets;    /* other files beside the Markdown (images, data): published with each page */
  size_t nassets;
};

typedef struct wp_site {
  char *root;       /* site root folder */
  int root_fd;      /* the same, open: pages and YAML are read relative to it, which spares
                     * the kernel walking the root's path again for each of 10,000 files */
  wp_value *config; /* site.yaml */
  char *theme, *theme_dir;
  char *base_url;   /* always ends with '/' */
  bool allow_html;
  char **preserve;  /* site.yaml `preserve:`: top-level output names other tools own (NULL-ended) */
  wp_lang *langs;
  size_t nlangs;
  size_t default_lang;
  wp_document **docs;
  size_t ndocs;
  size_t sources;   /* page files the scan found (drafts too): fixed once loaded, unlike the
                     * pages, whose drafts a build drops while other workers read the site */
  struct wp_tr_status **status; /* translation status per document and language (status.h) */
} wp_site;

/* Reads site.yaml, the theme's i18n files and the content layout on up to `jobs` threads (0:
 * one per core). only_langs, if not NULL, is a comma-separated list of language codes to keep. */
wp_site *wp_site_load(const char *root, const char *only_langs, int jobs, wp_err *err);
void wp_site_free(wp_site *site);

/* Reads, parses and resolves one page. Safe to call for different pages in parallel. */
bool wp_page_load(const wp_site *site, wp_page *page, wp_err *err);
/* The same from bytes already read (NUL-terminated, len without the NUL); takes text. */
bool wp_page_load_text(const wp_site *site, wp_page *page, char *text, size_t len, wp_err *err);

void wp_page_free(wp_page *page);
/* One document folder again (content/<slug>/: _document.yaml and which pages and files it
 * has; the pages are not loaded yet), for `serve` after an edit. NULL with err set on an
 * error; NULL with err empty when the folder is gone. */
wp_document *wp_document_load(const wp_site *site, const char *slug, wp_err *err);
void wp_document_free(const wp_site *site, wp_document *doc);
/* Whether a folder of content/ named name (len bytes) is a document: not hidden ('.'), not
 * the site's own ('_'), not an editor's backup ('~' at the end). */
bool wp_is_document_folder(const char *name, size_t len);
/* For `serve`: a new document folder joins the site in its place (by weight, then slug, as
 * wp_site_load orders them; returns its index), and a removed one leaves it (freed). Both
 * move the documents after it: indexes into site->docs (jobs, status rows) must be made again. */
size_t wp_site_add_document(wp_site *site, wp_document *doc);
void wp_site_remove_document(wp_site *site, size_t d);
/* How many pages (document x language) the site has. */
size_t wp_site_page_count(const wp_site *site);
/* Frees what only rendering needs (the file's bytes and the Markdown tree); the page's
 * metadata, headings, links and body HTML stay. */
void wp_page_release(wp_page *page);

/* A front-matter value of the page, falling back to the document's language-neutral data. */
const wp_value *wp_page_param(const wp_page *page, const char *key);

/* Looks up an i18n string for a language; NULL when missing. */
const wp_value *wp_lang_string(const wp_lang *lang, const char *key);

#endif
