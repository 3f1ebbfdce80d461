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
int wp_pdf_page_count(const wp_pdf *pdf);

/* Draws glyphs left to right (visual order) starting with the pen at (x, y). */
void wp_pdf_glyphs(wp_pdf_page *page, wp_font *font, double size, double x, double y,
                   const wp_glyph *glyphs, size_t n);

/* A straight line (rules, table borders), drawn after the page's text. */
void wp_pdf_line(wp_pdf_page *page, double x0, double y0, double x1, double y1, double width);

/* An image (PNG or JPEG bytes, copied) scaled into the box with bottom-left (x, y). */
void wp_pdf_image(wp_pdf_page *page, const void *data, size_t len, bool png, double x, double y,
                  double w, double h);

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
