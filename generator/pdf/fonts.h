/* pdf/fonts — font lookup (fontconfig), HarfBuzz faces and the glyphs a document uses.
 *
 * Owns: one wp_fonts per PDF document (and per thread). Shared by the process, behind locks:
 * fontconfig itself (started ahead by wp_fonts_prefetch) and its answers. A wp_fonts owns every
 * wp_font it hands out, their HarfBuzz faces and fonts, and the record of used glyphs with the
 * text each glyph stands for (the ToUnicode map). wp_font pointers stay valid until
 * wp_fonts_destroy. Metrics are in font units (HarfBuzz scale = units per em). */
#ifndef WP_PDF_FONTS_H
#define WP_PDF_FONTS_H

#include <hb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct wp_fonts wp_fonts;
typedef struct wp_font wp_font;

typedef enum { WP_REGULAR = 0, WP_BOLD = 1, WP_ITALIC = 2, WP_BOLD_ITALIC = 3 } wp_font_style;

#define WP_STACK_MAX 8
/* Fonts tried in order for each character (first that covers it wins). Borrowed pointers. */
typedef struct {
  wp_font *font[WP_STACK_MAX];
  int n;
} wp_font_stack;

wp_fonts *wp_fonts_create(void);
void wp_fonts_destroy(wp_fonts *fs);

/* The font of this family and style, found through fontconfig; NULL when no installed font
 * has that family name (fontconfig would otherwise silently substitute another family).
 * A missing style falls back to the family's regular face. */
wp_font *wp_fonts_get(wp_fonts *fs, const char *family, wp_font_style style);

/* Fills a stack from family names, skipping families that are not installed.
 * Returns the number of fonts found (0: nothing usable). */
int wp_fonts_stack(wp_fonts *fs, const char *const *families, int n, wp_font_style style,
                   wp_font_stack *out);

/* h continued with what fontconfig could answer for these families: every installed face
 * of them (file, index, size, modification time, inode) in the configuration that answers for
 * the family (see fonts.c), and the full configuration's files when it answers for one (its
 * rules choose among the faces). For cache keys: it changes whenever a lookup of the
 * families could, without matching each family and style (~2 million instructions a match). */
unsigned long long wp_fonts_families_hash(unsigned long long h, const char *const *families, int n);

/* Built-in default family list for a language code (ar, zh, en, fr, ru, es; others get the
 * Latin list). The theme normally supplies its own. */
const char *const *wp_fonts_default_families(const char *lang, int *n);

hb_font_t *wp_font_hb(const wp_font *f);
hb_face_t *wp_font_face(const wp_font *f);
unsigned wp_font_upem(const wp_font *f);
const char *wp_font_file(const wp_font *f);
bool wp_font_covers(const wp_font *f, uint32_t cp);
/* Ascender/descender (descender negative) in font units. */
void wp_font_extents(const wp_font *f, int *ascender, int *descender);

/* Records that glyph gid shows the text cp[0..n) (for the ToUnicode map; the first text
 * recorded for a glyph wins). */
void wp_font_note_glyph(wp_font *f, unsigned gid, const uint32_t *cp, unsigned n);

/* Read by the PDF writer. */
const uint32_t *wp_font_glyph_text(const wp_font *f, unsigned gid, unsigned *n);

/* Starts fontconfig on another thread (see fonts.c); later calls wait for it. Join before exit. */
void wp_fonts_prefetch(void);
void wp_fonts_prefetch_join(void);

#endif
