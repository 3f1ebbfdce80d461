/* layout/flow — the body of a page (its cmark tree) typeset into "strips": horizontal slices
 * of the text block (one line of a paragraph, a table row, a rule, an image, vertical space)
 * with what pagination needs to know about each (height, keep-with-next, footnotes called,
 * anchors, bookmarks, table header rows). Footnotes are typeset into strips of their own.
 * Numbers and labels come from the model (wp_markdown_label); nothing is numbered here.
 *
 * Owns: strips, drawing ops, typeset paragraphs (wp_para), links, image bytes. Borrows the
 * page, the design and the fonts (a wp_fonts per document). Positions are direction-free:
 * x is measured from the START edge of the text block, y downwards from the strip's top. */
#ifndef WP_LAYOUT_FLOW_H
#define WP_LAYOUT_FLOW_H

#include "layout/design.h"
#include "pdf/fonts.h"
#include "pdf/text.h"
#include "site.h"

typedef enum { WP_OP_TEXT, WP_OP_RULE, WP_OP_IMAGE } wp_op_kind;

typedef struct {
  wp_op_kind kind;
  int para, line;       /* WP_OP_TEXT: typeset paragraph and line */
  int image;            /* WP_OP_IMAGE */
  double x, y;          /* start offset; text: baseline, rule: its y, image: its top */
  double width, height; /* text: the line's measure; rule: length, thickness; image size */
} wp_op;

typedef struct {
  double height;
  bool keep;            /* stays on the page of the next strip */
  bool gap;             /* vertical space: dropped at the top of a page */
  int op0, nops;
  int call0, ncalls;    /* footnotes called here: flow->calls[call0 ..] (0-based notes) */
  const char *anchor;   /* id of a heading or numbered paragraph starting here */
  int heading;          /* 1 + index into page->headings of a heading starting here */
  int table;            /* 1-based table number for table rows, else 0 */
  bool header_row;
  int header;           /* for body rows: strip index of their table's header row, or -1 */
} wp_strip;

typedef struct {
  wp_strip *s;
  int n, cap;
} wp_strips;

/* A link over text bytes [b0, b1) of a typeset paragraph. Exactly one target is set. */
typedef struct {
  int para;
  size_t b0, b1;
  char *uri;            /* external, percent-encoded */
  char *anchor;         /* "#id" inside the page: the id */
  int note;             /* 1-based footnote number, or 0 */
} wp_flow_link;

typedef struct {
  char *data;
  size_t len;
  bool png;
} wp_flow_image;

typedef struct {
  wp_strips body;
  wp_strips *notes;     /* one per footnote, in note order (note i has number i + 1) */
  int nnotes;
  wp_op *ops;
  int nops, capops;
  int *calls;
  int ncalls, capcalls;
  wp_para **paras;
  int nparas, capparas;
  wp_flow_link *links;
  int nlinks;
  wp_flow_image *images;
  int nimages;
  int ntables;
} wp_flow;

/* Reports a character no font covers, at file line `line` of the page's source. */
typedef void (*wp_flow_missing_fn)(void *ud, uint32_t cp, int line);

/* Font stacks of the design's faces in the four styles, each found (fontconfig) the first
 * time a paragraph asks for it: a fontconfig match costs ~2 million instructions, and most
 * documents use three or four of the twelve. Borrows fonts and design. */
typedef struct {
  wp_fonts *fonts;
  const wp_design *design;
  wp_font_stack stack[WP_FACE_COUNT][4];
  bool found[WP_FACE_COUNT][4];
} wp_flow_fonts;

/* Checks that the design's text families are installed (its regular text stack is found now);
 * false with err when none is. */
bool wp_flow_fonts_find(wp_flow_fonts *ff, wp_fonts *fonts, const wp_design *d, wp_err *err);

/* The stack of a face in a style (wp_font_style), found on first use. A face whose families
 * are none of them installed uses the text face's. */
const wp_font_stack *wp_flow_stack(const wp_flow_fonts *ff, int face, int style);

/* A paragraph of one style (items of the page design use it too). */
wp_para *wp_flow_para(const wp_flow_fonts *ff, const wp_dstyle *st, const char *lang,
                      const char *text, double rise);

typedef struct {
  const wp_site *site;
  const wp_page *page;
  const wp_design *design;
  const wp_flow_fonts *fonts;
  double measure;       /* width of the text block */
  wp_flow_missing_fn missing;
  void *ud;
  wp_err *err;          /* set (file:line) for content the PDF cannot show, e.g. a broken image */
} wp_flow_input;

/* Typesets the page body and its footnotes. */
void wp_flow_build(wp_flow *f, const wp_flow_input *in);
void wp_flow_free(wp_flow *f);

/* Percent-encodes what may not stand in a PDF URI (non-ASCII bytes, spaces, controls,
 * quotes, angle brackets); keeps existing %XX escapes. Caller frees. */
char *wp_uri_encode(const char *url);

#endif
