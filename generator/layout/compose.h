/* layout/compose — paginated strips and the design's positioned items drawn onto the pages
 * of a wp_pdf: running header and footer (the design's functions, called per page), the
 * first-page masthead and its notes, the body, footnotes under their rule; link annotations
 * (URIs, in-page anchors, footnote calls to their notes) and bookmarks from headings.
 * Right-to-left pages are mirrored here: every position the flow and the design give is
 * measured from the start edge. Owns nothing it is given; paragraphs it makes for items are
 * freed before it returns. */
#ifndef WP_LAYOUT_COMPOSE_H
#define WP_LAYOUT_COMPOSE_H

#include "layout/design.h"
#include "layout/flow.h"
#include "layout/paginate.h"
#include "pdf/pdf.h"
#include "site.h"

typedef struct {
  const wp_page *page;
  wp_design *design;
  const char *design_name;   /* "pdf/un-document.lua", for messages */
  const wp_flow_fonts *fonts;
  bool rtl;
  wp_flow_missing_fn missing;
  void *ud;
} wp_compose;

/* Page facts (text block offset and width) for page number n (1-based). */
wp_page_facts wp_compose_facts(const wp_compose *c, int number, int count);

/* The first page's items: the bottom of what flows from the top margin (where the body may
 * start) and the foot space their notes need (0 when none). */
void wp_compose_measure(const wp_compose *c, const wp_ditems *items, double *bottom, double *notes);

/* Draws every page. False with err when a design function fails. */
bool wp_compose_pages(const wp_compose *c, const wp_ditems *first, const wp_flow *flow,
                      const wp_layout *layout, wp_pdf *pdf, wp_err *err);

#endif
