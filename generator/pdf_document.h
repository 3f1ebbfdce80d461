/* pdf_document — a document page of the model as a PDF that reads like a UN document: page
 * design (size, margins, masthead, running header and footer) from the Lua page design in
 * templates/pdf/, body laid out by the PDF text engine (generator/pdf/), footnotes at the foot
 * of the page that calls them, bookmarks, links and metadata.
 *
 * One wp_pdf_designer per worker thread (it owns a Lua state with the compiled page design);
 * never shared between threads. */
#ifndef WP_PDF_DOCUMENT_H
#define WP_PDF_DOCUMENT_H

#include "site.h"

typedef struct wp_pdf_designer wp_pdf_designer;

/* A build warning (e.g. "content/x/ar.md:12: no font covers U+10900"). */
typedef void (*wp_warn_fn)(void *ud, const char *message);

wp_pdf_designer *wp_pdf_designer_new(const wp_site *site);
void wp_pdf_designer_free(wp_pdf_designer *d);

/* The PDF of one page of the model, as bytes (caller frees); NULL with err set on failure.
 * Warnings go to warn (may be NULL). */
char *wp_pdf_render(wp_pdf_designer *d, const wp_page *page, size_t *len, wp_warn_fn warn, void *ud, wp_err *err);

/* What besides the page itself and its document's _document.yaml decides the PDF of a page in
 * language `lang` (an index of site->langs): page design files, the fonts found for that
 * language, site.yaml, the language's i18n file, the engine version; for the build's cache
 * key; computed once per designer and language (a designer lives for one build). */
const char *wp_pdf_designer_fingerprint(wp_pdf_designer *d, size_t lang);

/* The site path of a page's PDF: "<lang>/<doc>/<doc>-<lang>.pdf" (caller frees). */
char *wp_pdf_url(const wp_page *page);

#endif
