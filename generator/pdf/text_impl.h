/* pdf/text_impl — private to the text module (text.c, linebreak.c, lines.c): the paragraph's
 * representation. Not for other modules. */
#ifndef WP_PDF_TEXT_IMPL_H
#define WP_PDF_TEXT_IMPL_H

#include <hb.h>

#include "pdf/text.h"

/* A shaped run: characters [start, end) with one level, script, font and style. */
typedef struct {
  size_t start, end;
  int level;
  hb_script_t script;
  wp_font *font;
  double size;
  size_t g0, ng; /* its glyphs in wp_para.g, in visual order (HarfBuzz output order) */
} wp_trun;

typedef struct {
  uint32_t gid, cluster; /* cluster: index of the cluster's first character */
  int32_t adv, dx, dy;   /* font units */
  uint32_t text_c, text_n; /* characters this glyph stands for (0 for extra glyphs) */
} wp_tglyph;

typedef enum { IT_BOX, IT_GLUE, IT_PENALTY } wp_item_type;

/* Knuth–Plass item covering characters [c0, c1). */
typedef struct {
  wp_item_type type;
  double width, stretch, shrink, penalty;
  bool flagged;
  size_t c0, c1;
} wp_item;

typedef struct {
  size_t first_item, break_item; /* items [first_item, break_item) + the break */
  double ratio;                  /* adjustment ratio of glue */
  double measure;
} wp_tline;

struct wp_para {
  char lang[16];
  bool rtl;
  /* logical text of all spans */
  uint32_t *cp;
  size_t *byte_of; /* byte offset of each character; byte_of[n] = total */
  uint16_t *style_of;
  size_t n, cap, nbytes;
  wp_text_style *styles;
  int nstyles;
  /* analysis and shaping */
  wp_trun *runs;
  size_t nruns;
  wp_tglyph *g;
  size_t ng;
  double *cadv;       /* advance of each character (cluster advance on its first char), pt */
  bool *cluster_start;
  size_t *run_of;     /* run index of each character */
  /* breaking */
  wp_item *items;
  size_t nitems;
  wp_tline *lines;
  int nlines;
  wp_break_opts opts;
};

/* linebreak.c */
void wp_text_build_items(wp_para *p, bool hyphenate);
bool wp_text_is_space(uint32_t c);

#endif
