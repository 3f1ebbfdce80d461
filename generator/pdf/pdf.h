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

/* Writes the file. On failure returns false with a message in err. */
bool wp_pdf_save(wp_pdf *pdf, const char *path, char *err, size_t errlen);

#endif
