/* layout/flow_impl — private to the flow (flow.c, flow_blocks.c, table.c, chart_pdf.c): the walk's
 * context and the helpers that add strips, ops and typeset paragraphs. Not for other modules. */
#ifndef WP_LAYOUT_FLOW_IMPL_H
#define WP_LAYOUT_FLOW_IMPL_H

#include <cmark-gfm.h>

#include "layout/flow.h"

typedef struct {
  int para;
  size_t byte;
  int note; /* 0-based */
} fl_ref;

typedef struct {
  wp_flow *f;
  const wp_flow_input *in;
  wp_strips *out;   /* the body, or the note being typeset */
  double x0, x1;    /* container insets from the start / end of the text block */
  int depth;        /* list and quote nesting: 0 at the top of the body */
  wp_role role;     /* the role of paragraphs in this container */
  double pending;   /* space owed after the previous block */
  int line;         /* file line of the block being typeset (warnings) */
  int lists;        /* list nesting */
  bool tight;       /* inside a tight list */
  fl_ref *refs;
  int nrefs;
  int heading_index; /* headings of the body seen so far */
  const char *marker; /* list marker or note number for the next paragraph, then NULL */
  bool marker_super;  /* the marker is a note number: raised */
} fl_ctx;

/* Where text of a block starts: the role's text column at the top level, else the
 * container's start. */
double fl_text_start(const fl_ctx *c);

wp_strip *fl_strip(fl_ctx *c, double height);
void fl_op(fl_ctx *c, wp_strip *s, wp_op op);
int fl_keep_para(fl_ctx *c, wp_para *p);
void fl_gap(fl_ctx *c, double h);
void fl_begin_block(fl_ctx *c, const wp_dstyle *st);
void fl_end_block(fl_ctx *c, const wp_dstyle *st);
double fl_baseline(const wp_dstyle *st);

/* Inline content of node into p in style st (links, footnote calls, emphasis). */
void fl_inlines(fl_ctx *c, wp_para *p, int para, cmark_node *node, const wp_dstyle *st);
/* Shapes p (warnings at the block's line). */
void fl_shape(fl_ctx *c, wp_para *p);
/* A single-line paragraph's natural width. */
double fl_natural(wp_para *p);

/* Typesets a paragraph into strips at start offset x and width `measure` (label: hangs at
 * label_x, or right before the text when tight). keep_all: every line keeps with the next
 * (headings). Returns the first strip's index in c->out. */
int fl_emit(fl_ctx *c, int para, const wp_dstyle *st, double x, double measure, int label,
            double label_x, bool tight, bool keep_all);

/* table.c */
void fl_table(fl_ctx *c, cmark_node *table);

#endif
