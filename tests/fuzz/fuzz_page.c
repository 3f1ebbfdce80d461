/* libFuzzer target: a content file (front matter + Markdown) through the model — front
 * matter, cmark-gfm, charts, numbering, links — into body HTML, against the bundled site's
 * configuration and theme (run from the repository root). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "site.h"

static wp_site *site;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!site) {
    wp_err err;
    wp_markdown_init();
    if (!(site = wp_site_load(".", NULL, 1, &err)) || site->ndocs == 0) abort();
  }
  wp_document *doc = site->docs[0];
  size_t lang = size ? data[0] % site->nlangs : 0; /* the first byte picks the language */
  wp_page *page = calloc(1, sizeof *page);
  page->doc = doc;
  page->lang = &site->langs[lang];
  page->lang_index = lang;
  page->source = wp_xstrdup("content/fuzz/xx.md");
  page->url = wp_xstrdup("xx/fuzz/");
  char *text = wp_xstrndup((const char *)data, size);
  wp_err err;
  if (wp_page_load_text(site, page, text, size, &err)) free(wp_markdown_html(site, page));
  wp_page_free(page);
  return 0;
}
