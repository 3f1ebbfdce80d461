/* pdf/hpdf_internals — the only code that uses libharu's internal headers (structs of
 * documents, pages, fonts, font definitions, streams).
 *
 * libharu 2.3.0's public API cannot write HarfBuzz glyph IDs, embeds composite glyphs only one
 * level deep and writes an invalid ToUnicode CMap (see docs/notes pdf-text-stack). These
 * functions patch exactly those places. They are written against libharu 2.3.0's struct
 * layouts: wp_hpdf_check refuses any other version and probes the layouts, and every
 * function re-checks the objects it touches, so a changed libharu fails loudly instead of
 * writing a broken PDF. Owns nothing: all objects belong to the HPDF_Doc. */
#ifndef WP_PDF_HPDF_INTERNALS_H
#define WP_PDF_HPDF_INTERNALS_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The libharu version these internals were written for. */
#define WP_HPDF_EXPECTED_VERSION "2.3.0"

/* Checks the run-time libharu version (version: NULL = HPDF_GetVersion(); tests pass another
 * string to see the guard fire) and probes struct layouts on a scratch document. Thread-safe
 * when version is NULL (result computed once). */
bool wp_hpdf_check(const char *version, char *err, size_t errlen);

/* Loads a TrueType font (normally a subset) from memory into pdf and returns it in "GID
 * mode": CIDToGIDMap /Identity, so the codes written by wp_hpdf_page_write are glyph IDs.
 * num_glyphs and upem are what HarfBuzz reads from the same bytes (cross-checked). */
HPDF_Font wp_hpdf_load_gid_font(HPDF_Doc pdf, const void *data, size_t len, unsigned num_glyphs,
                                unsigned upem, char *err, size_t errlen);

/* Appends raw content-stream operators to the page (inside BeginText/EndText). */
HPDF_STATUS wp_hpdf_page_write(HPDF_Page page, const char *ops);

/* Before saving: marks glyphs gids[0..n) for embedding (the caller passes the complete set,
 * composite components included), replaces /W with widths[i] (1/1000 em) for those glyphs
 * and replaces the ToUnicode stream's content with cmap. */
bool wp_hpdf_finish_font(HPDF_Font font, const uint16_t *gids, const int *widths, size_t n,
                         const char *cmap, char *err, size_t errlen);

/* Sets the catalog's /Lang (the public API has no call for it). */
bool wp_hpdf_set_lang(HPDF_Doc pdf, const char *lang);

#endif
