/* pdf/pdf_impl — the PDF display list's own types, shared by pdf.c (pages, glyph runs, marks,
 * saving), shapes.c (vector shapes and recorded drawings) and pdf_fonts.c (the fonts of a
 * document being saved). Not for use outside pdf/. */
#ifndef WP_PDF_IMPL_H
#define WP_PDF_IMPL_H

#include <hb-subset.h>
#include <hpdf.h>

#include "pdf/pdf.h"
#include "util.h"

typedef struct {
  wp_font *font;
  double size, x, y;
  size_t off, n;
  wp_rgb color;
} run;

/* Vector shapes (under the text) and drawings share this list. */
typedef struct {
  enum { SH_RECT, SH_PATH, SH_BEGIN, SH_END, SH_INK } kind;
  wp_paint paint;
  double x, y, w, h;    /* SH_RECT */
  size_t seg0, nseg;    /* SH_PATH: segments in the list's segs */
  char tag[32];         /* SH_BEGIN */
  wp_rgb ink;           /* SH_INK (drawings only): text colour from here */
} shape;

typedef struct {
  shape *sh;
  size_t n;
  wp_path_seg *seg;
  size_t nseg;
} shape_list;

/* Drawn after the text: lines, images; then link annotations. */
typedef struct {
  enum { MARK_LINE, MARK_IMAGE, MARK_URI, MARK_GOTO } kind;
  double x0, y0, x1, y1, width; /* line ends / box / link rectangle; width: line width */
  char *data;                   /* image bytes or URI */
  size_t len;
  bool png;
  int to_page;
  double to_y;
} mark;

typedef struct {
  int level, page;
  double y;
  char *title;
} outline_entry;

struct wp_pdf_page {
  double w, h;
  run *runs;
  size_t nruns, caprun;
  wp_glyph *g;
  size_t ng, capg;
  mark *marks;
  size_t nmarks;
  shape_list shapes;
  wp_rgb ink;           /* colour of runs added from now on */
};

struct wp_drawing {
  double w, h;
  shape_list shapes;
};

struct wp_pdf {
  wp_fonts *fonts;
  wp_pdf_page **pages;
  int n, cap;
  outline_entry *outline;
  size_t noutline;
  char *info[5]; /* by info_keys */
  char *lang;
};

/* ---- pdf_fonts.c: the fonts of a document being saved ---- */

typedef struct {
  wp_font *font;
  hb_set_t *used;          /* original glyph IDs drawn */
  hb_subset_plan_t *plan;
  const hb_map_t *old2new, *new2old;
  hb_face_t *sub;          /* the subset face */
  unsigned sub_glyphs;
  double *width;           /* by new glyph ID, 1/1000 em as written in /W */
  double *amin, *amax;     /* by new glyph ID: smallest/largest advance drawn, em */
  HPDF_Font hf;
} wp_font_job;

wp_font_job *wp_font_job_of(wp_font_job *jobs, int n, const wp_font *f);
/* Subsets j->font to j->used. */
bool wp_font_job_subset(wp_font_job *j, char *err, size_t errlen);
/* Records the advances of a run as drawn, then (after every run) chooses the /W widths. */
void wp_font_job_note_run(wp_font_job *j, const run *rn, const wp_glyph *gl);
void wp_font_job_widths(wp_font_job *j);
/* The subset's glyph ID of an original one; the /W width of a subset glyph. */
unsigned wp_font_job_gid(const wp_font_job *j, uint32_t old);
double wp_font_job_width(const wp_font_job *j, unsigned gid);
/* Adds the font to doc (j->hf); index numbers its subset tag. */
bool wp_font_job_embed(HPDF_Doc doc, wp_font_job *j, int index, char *err, size_t errlen);
void wp_font_job_free(wp_font_job *j);

/* Content-stream numbers: at most `decimals` (0-3) decimals, no trailing zeros, locale-free. */
void wp_pdf_put_uint(wp_buf *b, unsigned long long v);
void wp_pdf_put_fixed(wp_buf *b, double v, int decimals);
void wp_pdf_put_hex4(wp_buf *b, unsigned v);

/* A new, zeroed mark at the end of the page's list (lines, images, links: after the text). */
mark *wp_pdf_add_mark(wp_pdf_page *pg);
/* Replays recorded drawing bytes (wp_drawing_take) into the box with bottom-left (x, y). */
void wp_pdf_place_drawing(wp_pdf_page *pg, const char *data, double x, double y, double w, double h);
/* Sets the fill (or stroke) colour of what follows on the page. */
void wp_pdf_set_rgb(HPDF_Page page, wp_rgb c, bool fill);
/* At save: the page's shapes, before its text, in one q ... Q. */
void wp_pdf_draw_shapes(HPDF_Page page, const wp_pdf_page *pg);

#endif
