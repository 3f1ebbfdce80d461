/* libFuzzer target: a content file through the model into a laid-out PDF (page design,
 * shaping, bidi, line breaking, pagination, footnotes, tables, output), against the bundled
 * site's configuration, theme and page design (run from the repository root). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "markdown.h"
#include "pdf_document.h"
#include "site.h"

static wp_site *site;
static wp_pdf_designer *designer;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!site) {
    wp_err err;
    wp_markdown_init();
    if (!(site = wp_site_load(".", NULL, 1, &err)) || site->ndocs == 0) abort();
    designer = wp_pdf_designer_new(site);
  }
  if (size > 16384) return 0; /* layout time grows with length; the corpus explores structure */
  size_t lang = size ? data[0] % site->nlangs : 0; /* the first byte picks the language */
  wp_page *page = calloc(1, sizeof *page);
  page->doc = site->docs[0];
  page->lang = &site->langs[lang];
  page->lang_index = lang;
  page->source = wp_xstrdup("content/fuzz/xx.md");
  page->url = wp_xstrdup("xx/fuzz/");
  wp_err err;
  if (wp_page_load_text(site, page, wp_xstrndup((const char *)data, size), size, &err)) {
    size_t len;
    err.msg[0] = 0;
    free(wp_pdf_render(designer, page, &len, NULL, NULL, &err));
  }
  wp_page_free(page);
  return 0;
}
