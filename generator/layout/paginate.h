/* layout/paginate — the flow's strips onto pages: strips that keep with the next one move
 * together (headings with their first lines, orphans and widows, table header rows), space
 * is dropped at the top of a page, each footnote starts at the foot of the page that calls
 * it (continuing at the foot of the next pages when it must), and a table continued on a new
 * page repeats its header row. Owns the placements it returns; borrows the flow. */
#ifndef WP_LAYOUT_PAGINATE_H
#define WP_LAYOUT_PAGINATE_H

#include "layout/flow.h"

typedef struct {
  int strip;   /* index into the body's strips, or into the note's strips */
  int note;    /* -1 for the body, else the note (0-based) */
  double top;  /* top of the strip, from the top of the page */
} wp_place;

typedef struct {
  wp_place *body, *foot;
  int nbody, nfoot;
  double foot_top; /* top of the footnote area (its rule), from the page top; 0 if none */
} wp_laid_page;

typedef struct {
  double top1, top, bottom; /* the body area: top on page 1, top on other pages, bottom */
  double reserve1;          /* foot space page 1 keeps for the design's notes (rule included) */
  double rule_space;        /* space the rule above the footnotes takes */
} wp_pagination;

typedef struct {
  wp_laid_page *pages;
  int n;
} wp_layout;

void wp_paginate(const wp_flow *f, const wp_pagination *g, wp_layout *out);
void wp_layout_free(wp_layout *l);

#endif
