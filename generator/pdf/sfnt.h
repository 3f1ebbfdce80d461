/* pdf/sfnt — what a PDF embeds of a TrueType font: the font program of a subset (an sfnt file
 * of the outline and metric tables, no more) and the numbers of its FontDescriptor.
 *
 * Codes in our content streams are glyph IDs (CIDToGIDMap /Identity), so no reader looks
 * a character up in the embedded font: its cmap maps only the space (kept so that picky
 * font loaders see a Unicode cmap), and layout tables, hinting, bitmaps and glyph names are
 * left out. Pure functions of their input; thread-safe. */
#ifndef WP_PDF_SFNT_H
#define WP_PDF_SFNT_H

#include <hb.h>
#include <stddef.h>
#include <stdint.h>

/* FontDescriptor numbers, in 1/1000 em as PDF wants them (italic_angle in degrees). */
typedef struct {
  int ascent, descent, cap_height, x_height;
  int bbox[4];          /* xMin yMin xMax yMax */
  double italic_angle;
  unsigned flags;       /* PDF font flags: FixedPitch, Serif, Script, Nonsymbolic, Italic */
  unsigned fs_type;     /* OS/2 embedding permissions */
} wp_sfnt_metrics;

void wp_sfnt_metrics_of(hb_font_t *font, wp_sfnt_metrics *m);

/* Whether the font's licence bits (OS/2 fsType) allow embedding a subset: not restricted,
 * subsetting allowed, outlines allowed (the rule libharu applied). */
int wp_sfnt_embeddable(const wp_sfnt_metrics *m);

/* The font program of the subset face sub: its outline and metric tables, with a cmap that
 * maps U+0020 to space_gid (nothing when space_gid is 0). Caller frees; *len its size. */
uint8_t *wp_sfnt_program(hb_face_t *sub, unsigned space_gid, size_t *len);

/* The PostScript name of the face (name ID 6) reduced to PDF-name-safe characters, at most
 * max-1 bytes, into out; "Font" when it has none. */
void wp_sfnt_ps_name(hb_face_t *face, char *out, size_t max);

#endif
