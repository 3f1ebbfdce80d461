/* pdf/text — one paragraph: itemize (bidi level, script, font), shape (HarfBuzz), break into
 * lines (ICU UAX 14 + libhyphen + Knuth–Plass) and draw lines in visual order (UAX 9 L2).
 *
 * Life cycle: wp_para_create -> wp_para_add (any number of styled spans) -> wp_para_shape
 * -> wp_para_break (again with other widths as often as needed) -> wp_para_line /
 * wp_para_draw_line -> wp_para_destroy.
 * Owns: its text, analysis, glyphs and lines. Borrows the fonts of the styles (they belong to
 * the document's wp_fonts). Not thread-safe per object; separate paragraphs may be used from
 * separate threads if their wp_fonts differ. */
#ifndef WP_PDF_TEXT_H
#define WP_PDF_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdf/fonts.h"
#include "pdf/pdf.h"

typedef struct wp_para wp_para;

/* The style of a span. The stack is copied; its fonts are borrowed. */
typedef struct {
  wp_font_stack fonts;
  double size; /* points */
  double rise; /* baseline shift up, points (superscript footnote calls); 0 normally */
} wp_text_style;

/* Called once per character no font of its stack covers; byte_offset is into the text of
 * all spans added so far, concatenated (the caller turns it into file:line). */
typedef void (*wp_missing_fn)(void *ud, uint32_t cp, size_t byte_offset);

/* lang: "ar", "zh", "en", "fr", "ru", "es" (or with a region, "fr-CA"): selects the base
 * direction (ar: right to left), HarfBuzz language, ICU line-break locale and hyphenation. */
wp_para *wp_para_create(const char *lang);
void wp_para_destroy(wp_para *p);

/* Appends UTF-8 text (invalid bytes become U+FFFD). Line breaks inside count as spaces. */
void wp_para_add(wp_para *p, const char *utf8, size_t len, const wp_text_style *style);

/* Itemizes and shapes. Returns the number of characters no font covers (each reported to
 * missing, which may be NULL). */
size_t wp_para_shape(wp_para *p, wp_missing_fn missing, void *ud);

typedef enum { WP_ALIGN_START, WP_ALIGN_CENTER, WP_ALIGN_END } wp_align;

typedef struct {
  double width;          /* the measure, points */
  const double *widths;  /* optional: line i gets widths[min(i, nwidths-1)] */
  int nwidths;
  bool justify;          /* false: ragged (headings), greedy breaks, no stretching */
  bool hyphenate;        /* only where a dictionary exists (en, fr, es, ru) */
  double hyphen_penalty; /* Knuth–Plass penalty of a hyphenated break (default 50) */
  wp_align align;        /* for lines that are not justified (last line, ragged) */
} wp_break_opts;

/* Defaults: justified, hyphenated, penalty 50, start-aligned. */
wp_break_opts wp_break_defaults(double width);

/* Chooses the line breaks; returns the number of lines (0 for an empty paragraph). */
int wp_para_break(wp_para *p, const wp_break_opts *opts);

typedef struct {
  double natural;         /* width with spaces at their natural size (hyphen included) */
  double width;           /* width as set (= measure when justified) */
  double measure;         /* the line's measure */
  double ascent, descent; /* largest of the line's fonts at their sizes (descent > 0) */
  bool justified, hyphenated;
  size_t byte_start, byte_end; /* the line's text in the concatenated input */
} wp_line_info;

void wp_para_line(const wp_para *p, int line, wp_line_info *out);

/* Draws a line with its measure starting at x (left edge) and the baseline at y.
 * Returns the width actually drawn (sum of the glyph advances as placed). */
double wp_para_draw_line(wp_para *p, int line, wp_pdf_page *page, double x, double y);

/* Where the text bytes [byte_a, byte_b) of a line lie when the line is drawn at x: the
 * leftmost and rightmost edge of their glyphs (one box even when bidi splits them). Returns
 * false when none of those bytes is on the line. For link annotations. */
bool wp_para_line_range(wp_para *p, int line, double x, size_t byte_a, size_t byte_b,
                        double *x0, double *x1);

/* Starts loading the language's hyphenation dictionary on another thread (see linebreak.c);
 * a paragraph that needs it before it is ready waits for it. wp_text_prefetch_join waits for
 * every load started, so nothing runs on at exit. */
void wp_text_prefetch_hyphenation(const char *lang);
void wp_text_prefetch_join(void);

#endif
