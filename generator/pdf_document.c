/* pdf_document — see pdf_document.h. (Placeholder until the document layout lands: PDFs are
 * not produced; wp_pdf_render returns NULL with no error.) */
#include "pdf_document.h"

#include <stdlib.h>

struct wp_pdf_designer {
  const wp_site *site;
};

wp_pdf_designer *wp_pdf_designer_new(const wp_site *site) {
  wp_pdf_designer *d = wp_xcalloc(1, sizeof *d);
  d->site = site;
  return d;
}

void wp_pdf_designer_free(wp_pdf_designer *d) { free(d); }

char *wp_pdf_render(wp_pdf_designer *d, const wp_page *page, size_t *len, wp_warn_fn warn, void *ud, wp_err *err) {
  (void)d, (void)page, (void)warn, (void)ud, (void)err;
  *len = 0;
  return NULL;
}

const char *wp_pdf_designer_fingerprint(wp_pdf_designer *d) {
  (void)d;
  return "placeholder";
}

char *wp_pdf_url(const wp_page *page) {
  return wp_printf("%s%s-%s.pdf", page->url, page->doc->slug, page->lang->code);
}
