/* markdown — the Markdown side of the model: parsing a page body with cmark-gfm (tables,
 * footnotes, strikethrough, autolinks), resolving it (raw HTML made text unless the site allows
 * it, headings numbered and given ids, paragraphs numbered) and rendering the body as HTML.
 * Numbers and ids are decided once here and read by every output. */
#ifndef WP_MARKDOWN_H
#define WP_MARKDOWN_H

#include <stdbool.h>

#include "site.h"

/* Call once before any thread parses. */
void wp_markdown_init(void);
/* Parses and resolves body (the text after the front matter; valid UTF-8 without NUL, as
 * wp_page_load_text checks) into page->root, headings,
 * paragraph and footnote counts. */
bool wp_markdown_parse(const wp_site *site, wp_page *page, const char *body, size_t len, wp_err *err);
/* The page body as HTML (caller frees). Safe in parallel for different pages. */
char *wp_markdown_html(const wp_site *site, wp_page *page);
void wp_markdown_free(wp_page *page);

/* For outputs that walk page->root themselves (the PDF): the label ("I.", "12.", "ألف -")
 * and anchor id ("introduction", "para-12") wufpress gave a heading or top-level paragraph,
 * or NULL when the node has none. */
const char *wp_markdown_label(const wp_page *page, const cmark_node *node, const char **id);
/* The chart a ```chart code block stands for, or NULL when the node is not one. */
typedef struct wp_chart wp_chart;
const wp_chart *wp_markdown_chart(const wp_page *page, const cmark_node *node);

#endif
