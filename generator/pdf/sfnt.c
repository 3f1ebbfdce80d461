/* pdf/sfnt — see sfnt.h. Metrics tables are read as raw big-endian bytes (offsets from the OpenType
 * specification); every read is bounds-checked, a short table reads as zeros. */
#include "pdf/sfnt.h"

#include <hb-ot.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

typedef struct {
  hb_blob_t *blob;
  const uint8_t *d;
  unsigned n;
} table;

static table get(hb_face_t *face, const char *tag) {
  table t = {hb_face_reference_table(face, hb_tag_from_string(tag, 4)), NULL, 0};
  t.d = (const uint8_t *)hb_blob_get_data(t.blob, &t.n);
  return t;
}

static unsigned u16(const table *t, unsigned off) {
  return off + 2 <= t->n ? (unsigned)t->d[off] << 8 | t->d[off + 1] : 0;
}
static int s16(const table *t, unsigned off) { return (int16_t)u16(t, off); }
static uint32_t u32(const table *t, unsigned off) { return (uint32_t)u16(t, off) << 16 | u16(t, off + 2); }

/* Top of a glyph (its extents' y bearing) in font units, 0 when the font lacks it. */
static int glyph_top(hb_font_t *font, uint32_t cp) {
  hb_codepoint_t g;
  hb_glyph_extents_t e;
  if (!hb_font_get_nominal_glyph(font, cp, &g) || !hb_font_get_glyph_extents(font, g, &e)) return 0;
  return e.y_bearing;
}

void wp_sfnt_metrics_of(hb_font_t *font, wp_sfnt_metrics *m) {
  hb_face_t *face = hb_font_get_face(font);
  double k = 1000.0 / (hb_face_get_upem(face) ? hb_face_get_upem(face) : 1000);
  table head = get(face, "head"), hhea = get(face, "hhea"), os2 = get(face, "OS/2"),
        post = get(face, "post");
  memset(m, 0, sizeof *m);
  m->ascent = (int)lround(s16(&hhea, 4) * k);
  m->descent = (int)lround(s16(&hhea, 6) * k);
  for (int i = 0; i < 4; i++) m->bbox[i] = (int)lround(s16(&head, 36 + 2 * i) * k);
  unsigned version = u16(&os2, 0);
  int cap = version >= 2 ? s16(&os2, 88) : 0, xh = version >= 2 ? s16(&os2, 86) : 0;
  m->cap_height = (int)lround((cap > 0 ? cap : glyph_top(font, 'H')) * k);
  m->x_height = (int)lround((xh > 0 ? xh : glyph_top(font, 'x')) * k);
  m->italic_angle = (int32_t)u32(&post, 4) / 65536.0;
  m->fs_type = u16(&os2, 8);
  unsigned cls = u16(&os2, 30) >> 8; /* sFamilyClass: class in the high byte */
  if (u32(&post, 12)) m->flags |= 1;                          /* FixedPitch */
  if ((cls >= 1 && cls <= 5) || cls == 7) m->flags |= 2;      /* Serif */
  m->flags |= cls == 12 ? 4 : 32;                             /* Symbolic : Nonsymbolic */
  if (cls == 10) m->flags |= 8;                               /* Script */
  if ((u16(&head, 44) & 2) || m->italic_angle != 0) m->flags |= 64; /* Italic */
  hb_blob_destroy(head.blob);
  hb_blob_destroy(hhea.blob);
  hb_blob_destroy(os2.blob);
  hb_blob_destroy(post.blob);
}

int wp_sfnt_embeddable(const wp_sfnt_metrics *m) {
  /* 0x0002 restricted licence, 0x0100 no subsetting, 0x0200 bitmap embedding only. */
  return !(m->fs_type & (0x0002 | 0x0100 | 0x0200));
}

static void put16(wp_buf *b, unsigned v) {
  char c[2] = {(char)(v >> 8), (char)v};
  wp_buf_put(b, c, 2);
}
static void put32(wp_buf *b, uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xFFFF);
}

/* A (3,1) format 4 cmap: the space (when present) and the final 0xFFFF segment. */
static void make_cmap(wp_buf *b, unsigned space_gid) {
  unsigned segs = space_gid ? 2 : 1, sr = segs == 2 ? 4 : 2;
  put16(b, 0), put16(b, 1);                /* version, one encoding record */
  put16(b, 3), put16(b, 1), put32(b, 12);  /* Windows, Unicode BMP */
  put16(b, 4), put16(b, 16 + 8 * segs), put16(b, 0);
  put16(b, 2 * segs), put16(b, sr), put16(b, segs == 2 ? 1 : 0), put16(b, 2 * segs - sr);
  if (space_gid) put16(b, 0x20);
  put16(b, 0xFFFF), put16(b, 0);           /* end codes, reservedPad */
  if (space_gid) put16(b, 0x20);
  put16(b, 0xFFFF);                        /* start codes */
  if (space_gid) put16(b, (space_gid - 0x20) & 0xFFFF);
  put16(b, 1);                             /* id deltas: 0xFFFF -> glyph 0 */
  if (space_gid) put16(b, 0);
  put16(b, 0);                             /* id range offsets */
}

uint8_t *wp_sfnt_program(hb_face_t *sub, unsigned space_gid, size_t *len) {
  /* What PDF renderers read of a TrueType CIDFont (PDF 32000 9.9: head, hhea, loca, maxp,
   * cvt, prep, glyf, hmtx, fpgm), plus OS/2, name, post and the small cmap that font
   * loaders expect. HarfBuzz's face builder writes the table directory and checksums. */
  static const char *const keep[] = {"OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea",
                                     "hmtx", "loca", "maxp", "name", "post", "prep"};
  hb_face_t *builder = hb_face_builder_create();
  wp_buf cmap = {0};
  make_cmap(&cmap, space_gid);
  for (size_t i = 0; i < sizeof keep / sizeof *keep; i++) {
    hb_tag_t tag = hb_tag_from_string(keep[i], 4);
    hb_blob_t *blob = tag == HB_TAG('c', 'm', 'a', 'p')
                          ? hb_blob_create(cmap.data, (unsigned)cmap.len, HB_MEMORY_MODE_DUPLICATE, NULL, NULL)
                          : hb_face_reference_table(sub, tag);
    if (hb_blob_get_length(blob)) hb_face_builder_add_table(builder, tag, blob);
    hb_blob_destroy(blob);
  }
  wp_buf_free(&cmap);
  hb_blob_t *font = hb_face_reference_blob(builder);
  unsigned n;
  const char *data = hb_blob_get_data(font, &n);
  uint8_t *out = wp_xmalloc(n ? n : 1);
  if (n) memcpy(out, data, n);
  *len = n;
  hb_blob_destroy(font);
  hb_face_destroy(builder);
  return out;
}

void wp_sfnt_ps_name(hb_face_t *face, char *out, size_t max) {
  char name[128];
  unsigned n = sizeof name;
  if (!hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &n, name)) n = 0;
  size_t k = 0;
  for (unsigned i = 0; i < n && name[i] && k + 1 < max; i++) {
    char c = name[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')
      out[k++] = c;
  }
  if (!k) snprintf(out, max, "Font");
  else out[k] = 0;
}
