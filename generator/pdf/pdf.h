/* pdf/pdf — the PDF document as a display list, written through libharu at save time.
 *
 * Layout adds pages and positioned glyph runs (HarfBuzz glyph IDs of a wp_font); nothing
 * touches libharu until wp_pdf_save, when the used glyphs of every font are known: each font
 * is subset (hb-subset), embedded once, and given exact /W and ToUnicode. Same display list
 * -> byte-identical file.
 *
 * Owns: its pages and glyph runs. Borrows the wp_fonts (must outlive the wp_pdf; its glyph
 * text record supplies ToUnicode). Coordinates are PDF points, origin bottom-left, y up. */
#ifndef WP_PDF_PDF_H
#define WP_PDF_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdf/fonts.h"

typedef struct wp_pdf wp_pdf;
typedef struct wp_pdf_page wp_pdf_page;

/* One positioned glyph, in points: the pen moves by advance after drawing the glyph at
 * (pen + dx, baseline + dy). */
typedef struct {
  uint32_t gid;
  double advance, dx, dy;
} wp_glyph;

wp_pdf *wp_pdf_create(wp_fonts *fonts);
void wp_pdf_destroy(wp_pdf *pdf);

/* Adds a page at the end; the pointer stays valid until wp_pdf_destroy. */
wp_pdf_page *wp_pdf_add_page(wp_pdf *pdf, double width, double height);

/* Draws glyphs left to right (visual order) starting with the pen at (x, y). */
void wp_pdf_glyphs(wp_pdf_page *page, wp_font *font, double size, double x, double y,
                   const wp_glyph *glyphs, size_t n);

/* A straight line (rules, table borders), drawn after the page's text. */
void wp_pdf_line(wp_pdf_page *page, double x0, double y0, double x1, double y1, double width);

/* An image (PNG or JPEG bytes, copied) scaled into the box with bottom-left (x, y); drawing
 * bytes (wp_drawing_take) are drawn as vectors instead. */
void wp_pdf_image(wp_pdf_page *page, const void *data, size_t len, bool png, double x, double y,
                  double w, double h);

/* ---- vector shapes (charts) ------------------------------------------------------------
 * Filled and stroked paths, drawn UNDER the page's text (labels stay readable on bars) in the
 * order added, inside one q ... Q. Colours are 0xRRGGBB. */
typedef uint32_t wp_rgb;
#define WP_RGB_NONE 0xFFFFFFFFu /* no fill, or no stroke */

typedef struct {
  wp_rgb fill, stroke; /* WP_RGB_NONE: not filled / not stroked */
  double width;        /* stroke width, points */
} wp_paint;

typedef enum { WP_PATH_MOVE, WP_PATH_LINE, WP_PATH_CURVE, WP_PATH_CLOSE } wp_path_verb;

/* MOVE and LINE use (x[0], y[0]); CURVE: control points 0 and 1, end point 2. */
typedef struct {
  wp_path_verb verb;
  double x[3], y[3];
} wp_path_seg;

void wp_pdf_rect(wp_pdf_page *page, double x, double y, double w, double h, wp_paint paint);
void wp_pdf_path(wp_pdf_page *page, const wp_path_seg *segs, size_t n, wp_paint paint);
/* Colour of the glyph runs added to the page from now on (black until set). */
void wp_pdf_text_color(wp_pdf_page *page, wp_rgb rgb);

/* ---- drawings -------------------------------------------------------------------------
 * Shapes recorded before there is a page, in a box of their own (w x h, origin top-left, y
 * DOWN, as in SVG), then serialized to bytes that travel like an image: wp_pdf_image draws
 * drawing bytes as vectors scaled into its box (and applies their text colours to the page).
 * The layout uses them to hand charts through its image ops. */
typedef struct wp_drawing wp_drawing;

/* w or h 0: that axis is not scaled (the box placed gives the size). */
wp_drawing *wp_drawing_new(double w, double h);
void wp_drawing_rect(wp_drawing *d, double x, double y, double w, double h, wp_paint paint);
void wp_drawing_path(wp_drawing *d, const wp_path_seg *segs, size_t n, wp_paint paint);
/* Brackets the shapes added between them as marked content, /tag BMC ... EMC (tag: a PDF
 * name, letters and digits; tests find a chart's marks by it). Groups nest. */
void wp_drawing_group_begin(wp_drawing *d, const char *tag);
void wp_drawing_group_end(wp_drawing *d);
/* When the drawing is placed: the page's text colour from then on (see wp_pdf_text_color). */
void wp_drawing_text_color(wp_drawing *d, wp_rgb rgb);
/* The bytes (caller frees); destroys d. */
char *wp_drawing_take(wp_drawing *d, size_t *len);
void wp_drawing_destroy(wp_drawing *d);
/* Whether bytes are a drawing (rather than PNG or JPEG data). */
bool wp_pdf_is_drawing(const void *data, size_t len);

/* Link annotations over a rectangle (no border): to a URI (percent-encoded ASCII), or to
 * a place in this document (page index from 0, y of the top of the view). */
void wp_pdf_link_uri(wp_pdf_page *page, double x0, double y0, double x1, double y1, const char *uri);
void wp_pdf_link_goto(wp_pdf_page *page, double x0, double y0, double x1, double y1, int to_page,
                      double to_y);

/* A bookmark (outline entry), in document order: level 1 is the top; title is UTF-8. */
void wp_pdf_outline(wp_pdf *pdf, int level, const char *title, int page, double y);

/* Document information: key is "Title", "Author", "Subject", "Keywords" or "Creator"
 * (UTF-8 value); wp_pdf_set_lang sets the catalog's /Lang ("ar", "zh-CN"). */
void wp_pdf_set_info(wp_pdf *pdf, const char *key, const char *value);
void wp_pdf_set_lang(wp_pdf *pdf, const char *lang);

/* Writes the file. On failure returns false with a message in err. */
bool wp_pdf_save(wp_pdf *pdf, const char *path, char *err, size_t errlen);
/* The same bytes in memory (caller frees); NULL with a message in err on failure. */
char *wp_pdf_save_mem(wp_pdf *pdf, size_t *len, char *err, size_t errlen);

#endif
