/* pdf/fonts — see fonts.h. */
#include "pdf/fonts.h"

#include <fontconfig/fontconfig.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

struct wp_font {
  char *file, *family;
  unsigned index, upem;
  hb_blob_t *blob;
  hb_face_t *face;
  hb_font_t *hb;
  /* ToUnicode record: gid -> slot in spans; spans index into text. */
  hb_map_t *gid_text;
  struct { uint32_t off, n; } *spans;
  size_t nspans, capspans;
  uint32_t *text;
  size_t ntext, captext;
};

struct wp_fonts {
  wp_font **fonts;
  int n, cap;
};

wp_fonts *wp_fonts_create(void) {
  FcInit(); /* idempotent; the default config is shared read-only after that */
  return wp_xcalloc(1, sizeof(wp_fonts));
}

static void font_free(wp_font *f) {
  hb_font_destroy(f->hb);
  hb_face_destroy(f->face);
  hb_blob_destroy(f->blob);
  hb_map_destroy(f->gid_text);
  free(f->spans);
  free(f->text);
  free(f->file);
  free(f->family);
  free(f);
}

void wp_fonts_destroy(wp_fonts *fs) {
  if (!fs) return;
  for (int i = 0; i < fs->n; i++) font_free(fs->fonts[i]);
  free(fs->fonts);
  free(fs);
}

/* fontconfig always returns its best match; accept it only if one of its family names is the
 * one asked for, so a missing font is reported instead of quietly replaced. */
static bool family_matches(FcPattern *p, const char *family) {
  FcChar8 *name;
  for (int i = 0; FcPatternGetString(p, FC_FAMILY, i, &name) == FcResultMatch; i++)
    if (strcasecmp((const char *)name, family) == 0) return true;
  return false;
}

static wp_font *font_open(const char *file, unsigned index, const char *family) {
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
  if (!blob) return NULL;
  hb_face_t *face = hb_face_create(blob, index);
  if (hb_face_get_glyph_count(face) == 0) {
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return NULL;
  }
  wp_font *f = wp_xcalloc(1, sizeof *f);
  f->file = wp_xstrdup(file);
  f->family = wp_xstrdup(family);
  f->index = index;
  f->blob = blob;
  f->face = face;
  f->upem = hb_face_get_upem(face);
  f->hb = hb_font_create(face);
  /* Scale = upem: all positions are exact design units, independent of the point size. */
  hb_font_set_scale(f->hb, (int)f->upem, (int)f->upem);
  f->gid_text = hb_map_create();
  return f;
}

wp_font *wp_fonts_get(wp_fonts *fs, const char *family, wp_font_style style) {
  FcPattern *pat = FcPatternCreate();
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
  FcPatternAddInteger(pat, FC_WEIGHT, (style & WP_BOLD) ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcPatternAddInteger(pat, FC_SLANT, (style & WP_ITALIC) ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
  FcConfigSubstitute(NULL, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  FcPattern *m = FcFontMatch(NULL, pat, &res);
  FcPatternDestroy(pat);
  if (!m) return NULL;
  wp_font *out = NULL;
  FcChar8 *file;
  int index = 0;
  if (family_matches(m, family) && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch) {
    FcPatternGetInteger(m, FC_INDEX, 0, &index);
    /* One wp_font per face file: a style the family lacks maps to the same face. */
    for (int i = 0; i < fs->n && !out; i++)
      if (strcmp(fs->fonts[i]->file, (const char *)file) == 0 &&
          fs->fonts[i]->index == (unsigned)index)
        out = fs->fonts[i];
    if (!out && (out = font_open((const char *)file, (unsigned)index, family))) {
      if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 8;
        fs->fonts = wp_xrealloc(fs->fonts, (size_t)fs->cap * sizeof *fs->fonts);
      }
      fs->fonts[fs->n++] = out;
    }
  }
  FcPatternDestroy(m);
  return out;
}

int wp_fonts_stack(wp_fonts *fs, const char *const *families, int n, wp_font_style style,
                   wp_font_stack *out) {
  out->n = 0;
  for (int i = 0; i < n && out->n < WP_STACK_MAX; i++) {
    wp_font *f = wp_fonts_get(fs, families[i], style);
    if (f) out->font[out->n++] = f;
  }
  return out->n;
}

const char *const *wp_fonts_default_families(const char *lang, int *n) {
  static const char *const ar[] = {"Amiri", "Liberation Serif"};
  static const char *const zh[] = {"AR PL UMing CN", "WenQuanYi Zen Hei", "Liberation Serif"};
  static const char *const latin[] = {"Liberation Serif"};
  if (lang && strncmp(lang, "ar", 2) == 0) { *n = 2; return ar; }
  if (lang && strncmp(lang, "zh", 2) == 0) { *n = 3; return zh; }
  *n = 1;
  return latin;
}

hb_font_t *wp_font_hb(const wp_font *f) { return f->hb; }
hb_face_t *wp_font_face(const wp_font *f) { return f->face; }
unsigned wp_font_upem(const wp_font *f) { return f->upem; }
const char *wp_font_file(const wp_font *f) { return f->file; }

bool wp_font_covers(const wp_font *f, uint32_t cp) {
  hb_codepoint_t g;
  return hb_font_get_nominal_glyph(f->hb, cp, &g);
}

void wp_font_extents(const wp_font *f, int *ascender, int *descender) {
  hb_font_extents_t e;
  hb_font_get_h_extents(f->hb, &e);
  *ascender = e.ascender;
  *descender = e.descender;
}

void wp_font_note_glyph(wp_font *f, unsigned gid, const uint32_t *cp, unsigned n) {
  if (hb_map_has(f->gid_text, gid)) return;
  if (f->nspans == f->capspans) {
    f->capspans = f->capspans ? f->capspans * 2 : 256;
    f->spans = wp_xrealloc(f->spans, f->capspans * sizeof *f->spans);
  }
  if (f->ntext + n > f->captext) {
    while (f->ntext + n > f->captext) f->captext = f->captext ? f->captext * 2 : 1024;
    f->text = wp_xrealloc(f->text, f->captext * sizeof *f->text);
  }
  memcpy(f->text + f->ntext, cp, n * sizeof *cp);
  f->spans[f->nspans].off = (uint32_t)f->ntext;
  f->spans[f->nspans].n = n;
  f->ntext += n;
  hb_map_set(f->gid_text, gid, (hb_codepoint_t)f->nspans++);
}

const uint32_t *wp_font_glyph_text(const wp_font *f, unsigned gid, unsigned *n) {
  hb_codepoint_t slot = hb_map_get(f->gid_text, gid);
  if (slot == HB_MAP_VALUE_INVALID) {
    *n = 0;
    return NULL;
  }
  *n = f->spans[slot].n;
  return f->text + f->spans[slot].off;
}

int wp_fonts_count(const wp_fonts *fs) { return fs->n; }
wp_font *wp_fonts_at(const wp_fonts *fs, int i) { return fs->fonts[i]; }
