/* pdf/hpdf_internals — the only code that uses libharu's internal headers (structs of
 * documents, pages, dictionaries, streams).
 *
 * libharu 2.3.0's public API cannot write HarfBuzz glyph IDs: its TrueType path parses the
 * whole font, maps Unicode through the font's cmap, embeds composite glyphs one level deep
 * and writes an invalid ToUnicode CMap (see docs/notes pdf-text-stack). So the fonts are built
 * here as plain PDF objects in "GID mode" (Identity-H, CIDToGIDMap /Identity: content codes
 * are glyph IDs) from parts the caller made, and wrapped as an HPDF_Font that libharu's page
 * code accepts. These functions are written against libharu 2.3.0's struct layouts:
 * wp_hpdf_check refuses any other version and probes the layouts, and every function
 * re-checks the objects it touches, so a changed libharu fails loudly instead of writing a
 * broken PDF. Owns nothing: all objects belong to the HPDF_Doc. */
#ifndef WP_PDF_HPDF_INTERNALS_H
#define WP_PDF_HPDF_INTERNALS_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdf/sfnt.h"

/* The libharu version these internals were written for. */
#define WP_HPDF_EXPECTED_VERSION "2.3.0"

/* Checks the run-time libharu version (version: NULL = HPDF_GetVersion(); tests pass another
 * string to see the guard fire) and probes struct layouts on a scratch document. Thread-safe
 * when version is NULL (result computed once). */
bool wp_hpdf_check(const char *version, char *err, size_t errlen);

/* A font in GID mode, as its parts. */
typedef struct {
  const char *name;          /* BaseFont and FontName, subset tag included: "HPDFAA+Foo" */
  const uint8_t *program;    /* the TrueType font program (FontFile2), uncompressed */
  size_t program_len;
  const wp_sfnt_metrics *metrics;
  const char *dw;            /* /DW and the content of the /W array, written as they are */
  const char *w;             /* ("500", "3 [556.15 333]": 1/1000 em with our decimals) */
  const char *tounicode;     /* the ToUnicode CMap */
} wp_hpdf_font;

/* Adds the Type0 font, its CIDFontType2, FontDescriptor, FontFile2 and ToUnicode to pdf;
 * the result can be given to HPDF_Page_SetFontAndSize. NULL with a message on failure. */
HPDF_Font wp_hpdf_add_font(HPDF_Doc pdf, const wp_hpdf_font *f, char *err, size_t errlen);

/* Appends raw content-stream operators to the page (inside BeginText/EndText): len bytes,
 * which may include NULs (the glyph codes of literal strings). */
HPDF_STATUS wp_hpdf_page_write(HPDF_Page page, const char *ops, size_t len);

/* Sets the catalog's /Lang (the public API has no call for it). */
bool wp_hpdf_set_lang(HPDF_Doc pdf, const char *lang);

#endif
