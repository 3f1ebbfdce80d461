/* pdf/pdf_fonts — the fonts of a document at save time: each font is subset to the glyphs
 * drawn (hb-subset), given /W widths that extractors read as the glyphs are drawn, a
 * ToUnicode CMap from the text each glyph stands for, and added to the HPDF_Doc with its
 * font program (pdf/sfnt). See pdf_impl.h. */
#include <hb-subset.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/hpdf_internals.h"
#include "pdf/pdf_impl.h"
#include "pdf/sfnt.h"
#include "util.h"

/* ---- subsetting ---- */

wp_font_job *wp_font_job_of(wp_font_job *jobs, int n, const wp_font *f) {
  for (int i = 0; i < n; i++)
    if (jobs[i].font == f) return &jobs[i];
  return NULL;
}

bool wp_font_job_subset(wp_font_job *j, char *err, size_t errlen) {
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  if (!in) return snprintf(err, errlen, "out of memory"), false;
  hb_set_union(hb_subset_input_glyph_set(in), j->used);
  /* No Unicode set: the embedded cmap is ours (pdf/sfnt). Layout tables are useless once
   * shaped; dropping them also keeps GSUB's closure (every positional form of every
   * letter) out of the subset. Hinting is not used by PDF viewers' renderers enough to pay
   * for it; bitmaps and vertical metrics are never read. */
  hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
  static const char *const tags[] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "morx",
                                     "DSIG", "vhea", "vmtx", "VORG", "cmap", "EBDT", "EBLC", "EBSC",
                                     "CBDT", "CBLC", "sbix", "gasp", "hdmx", "LTSH", "VDMX", "PCLT"};
  for (size_t i = 0; i < sizeof tags / sizeof *tags; i++) hb_set_add(drop, hb_tag_from_string(tags[i], 4));
  /* Names: family, style and PostScript name identify the font; the copyright notice
   * travels with the outlines. */
  hb_set_t *names = hb_subset_input_set(in, HB_SUBSET_SETS_NAME_ID);
  hb_set_clear(names);
  static const unsigned ids[] = {0, 1, 2, 6};
  for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) hb_set_add(names, ids[i]);
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
  j->plan = hb_subset_plan_create_or_fail(wp_font_face(j->font), in);
  hb_subset_input_destroy(in);
  if (!j->plan) return snprintf(err, errlen, "cannot subset %s", wp_font_file(j->font)), false;
  j->old2new = hb_subset_plan_old_to_new_glyph_mapping(j->plan);
  j->new2old = hb_subset_plan_new_to_old_glyph_mapping(j->plan);
  j->sub = hb_subset_plan_execute_or_fail(j->plan);
  if (!j->sub) return snprintf(err, errlen, "cannot subset %s", wp_font_file(j->font)), false;
  j->sub_glyphs = hb_face_get_glyph_count(j->sub);
  size_t ng = j->sub_glyphs ? j->sub_glyphs : 1;
  j->width = wp_xcalloc(ng, sizeof *j->width);
  j->amin = wp_xmalloc(ng * sizeof *j->amin);
  j->amax = wp_xmalloc(ng * sizeof *j->amax);
  for (size_t g = 0; g < ng; g++) j->amin[g] = INFINITY, j->amax[g] = -INFINITY;
  return true;
}

unsigned wp_font_job_gid(const wp_font_job *j, uint32_t old) { return hb_map_get(j->old2new, old); }

double wp_font_job_width(const wp_font_job *j, unsigned gid) { return gid < j->sub_glyphs ? j->width[gid] : 0; }

/* ---- widths ---- */

void wp_font_job_note_run(wp_font_job *j, const run *rn, const wp_glyph *gl) {
  /* Per glyph, the distance from where it is drawn to where the next glyph on the baseline
   * is drawn: what an extractor sees as its advance. */
  double pen = 0;
  for (size_t k = 0; k < rn->n; k++, pen += gl[k - 1].advance) {
    if (gl[k].dy != 0) continue;
    double x = pen + gl[k].dx, next = pen + gl[k].advance, p2 = next;
    for (size_t m = k + 1; m < rn->n; p2 += gl[m].advance, m++)
      if (gl[m].dy == 0) {
        next = p2 + gl[m].dx;
        break;
      }
    unsigned ng = wp_font_job_gid(j, gl[k].gid);
    if (ng >= j->sub_glyphs) continue;
    double a = (next - x) / rn->size;
    if (a < j->amin[ng]) j->amin[ng] = a;
    if (a > j->amax[ng]) j->amax[ng] = a;
  }
}

/* /W widths. Rendering never depends on them (every advance is set by TJ adjustments), but
 * text extractors measure characters with them: poppler starts a new word when a character
 * begins more than 0.1 em after, or 0.2 em before, the previous one's /W end. Strong kerning
 * (Amiri tucks letters under ra and waw) then splits words. So each glyph keeps its hmtx
 * advance unless that is outside the window where all its drawn advances read as one word.
 * Widths keep two decimals: the advance as drawn, so a plain run needs no TJ adjustment. */
void wp_font_job_widths(wp_font_job *j) {
  hb_font_t *hb = wp_font_hb(j->font);
  double upem = wp_font_upem(j->font);
  for (unsigned g = 0; g < j->sub_glyphs; g++) {
    hb_codepoint_t old = hb_map_get(j->new2old, g);
    if (old == HB_MAP_VALUE_INVALID) continue;
    double w = hb_font_get_glyph_h_advance(hb, old) / upem;
    if (j->amin[g] <= j->amax[g]) {
      double lo = j->amax[g] - 0.09, hi = j->amin[g] + 0.19;
      if (lo <= hi) w = w < lo ? lo : w > hi ? hi : w;
      if (w < 0) w = 0;
    }
    j->width[g] = round(w * 100000.0) / 100.0;
  }
}

/* ---- the font objects ---- */

static void put_utf16(wp_buf *b, uint32_t c) {
  if (c >= 0x10000) {
    c -= 0x10000;
    wp_pdf_put_hex4(b, 0xD800 + (c >> 10));
    wp_pdf_put_hex4(b, 0xDC00 + (c & 0x3FF));
  } else {
    wp_pdf_put_hex4(b, c);
  }
}

/* The text of a subset glyph as UTF-16 hex (an extra glyph of a cluster: a joiner, not <>,
 * which pdf.js would show as the glyph number). Returns the code point when it is one BMP
 * character, else 0. */
static uint32_t glyph_utf16(const wp_font_job *j, unsigned g, wp_buf *out) {
  unsigned n;
  const uint32_t *t = wp_font_glyph_text(j->font, hb_map_get(j->new2old, g), &n);
  if (n == 0) wp_buf_puts(out, "200D");
  for (unsigned i = 0; i < n; i++) put_utf16(out, t[i]);
  return n == 1 && t[0] < 0x10000 ? t[0] : 0;
}

/* Ends a block of n entries (at most 100, the CMap limit) of kind "bfchar" or "bfrange". */
static void flush_block(wp_buf *b, wp_buf *chunk, unsigned *n, const char *kind) {
  if (!*n) return;
  wp_pdf_put_uint(b, *n);
  wp_buf_printf(b, " begin%s\n", kind);
  wp_buf_put(b, chunk->data, chunk->len);
  wp_buf_printf(b, "end%s\n", kind);
  chunk->len = 0;
  *n = 0;
}

/* A real ToUnicode CMap keyed by (new) glyph ID. Runs of consecutive glyph IDs (within one
 * high byte, as the CMap syntax wants) are one bfrange: "<lo> <hi> <first>" when their
 * characters are consecutive too, else "<lo> <hi> [<text> <text> ...]"; single glyphs are
 * bfchar. Subset glyph IDs follow the font's glyph order, so runs are the rule. */
static char *tounicode(const wp_font_job *j, const hb_set_t *drawn) {
  wp_buf b = {0}, ranges = {0}, chars = {0}, dst = {0};
  wp_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                  "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                  "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  size_t n = hb_set_get_population(drawn), ng = 0;
  unsigned *gid = wp_xmalloc((n + 1) * sizeof *gid), nranges = 0, nchars = 0;
  uint32_t *cp = wp_xmalloc((n + 1) * sizeof *cp);
  size_t *at = wp_xmalloc((n + 2) * sizeof *at); /* each glyph's text in dst */
  hb_codepoint_t g = HB_SET_VALUE_INVALID;
  while (hb_set_next(drawn, &g)) {
    if (g == 0) continue;
    at[ng] = dst.len;
    cp[ng] = glyph_utf16(j, g, &dst);
    gid[ng++] = g;
  }
  at[ng] = dst.len;
  for (size_t i = 0; i < ng;) {
    size_t e = i + 1; /* gid[i..e) consecutive, one high byte */
    while (e < ng && gid[e] == gid[e - 1] + 1 && (gid[e] >> 8) == (gid[i] >> 8)) e++;
    if (e - i == 1) {
      wp_buf_putc(&chars, '<');
      wp_pdf_put_hex4(&chars, gid[i]);
      wp_buf_puts(&chars, "> <");
      wp_buf_put(&chars, dst.data + at[i], at[i + 1] - at[i]);
      wp_buf_puts(&chars, ">\n");
      if (++nchars == 100) flush_block(&b, &chars, &nchars, "bfchar");
      i = e;
      continue;
    }
    bool seq = cp[i] && (cp[i] & 0xFF) + (e - i - 1) <= 0xFF;
    for (size_t k = i + 1; k < e && seq; k++) seq = cp[k] == cp[i] + (k - i);
    wp_buf_putc(&ranges, '<');
    wp_pdf_put_hex4(&ranges, gid[i]);
    wp_buf_puts(&ranges, "> <");
    wp_pdf_put_hex4(&ranges, gid[e - 1]);
    wp_buf_puts(&ranges, seq ? "> <" : "> [");
    for (size_t k = i; k < (seq ? i + 1 : e); k++) {
      if (!seq) wp_buf_puts(&ranges, k > i ? " <" : "<");
      wp_buf_put(&ranges, dst.data + at[k], at[k + 1] - at[k]);
      if (!seq) wp_buf_putc(&ranges, '>');
    }
    wp_buf_puts(&ranges, seq ? ">\n" : "]\n");
    if (++nranges == 100) flush_block(&b, &ranges, &nranges, "bfrange");
    i = e;
  }
  flush_block(&b, &ranges, &nranges, "bfrange");
  flush_block(&b, &chars, &nchars, "bfchar");
  wp_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
  wp_buf_free(&ranges), wp_buf_free(&chars), wp_buf_free(&dst);
  free(gid), free(cp), free(at);
  return wp_buf_take(&b);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The /W array for the glyphs drawn (ascending), leaving out the most common width, which
 * becomes /DW (all ideographs of a CJK font; *dw is a whole number): runs "g [w1 w2 ...]", or "g1 g2 w" for three or
 * more consecutive glyphs of one width. */
static char *w_array(const wp_font_job *j, const hb_set_t *drawn, double *dw) {
  size_t n = hb_set_get_population(drawn), i = 0;
  unsigned *gid = wp_xmalloc((n + 1) * sizeof *gid);
  double *w = wp_xmalloc((n + 1) * sizeof *w), *sorted = wp_xmalloc((n + 1) * sizeof *sorted);
  hb_codepoint_t g = HB_SET_VALUE_INVALID;
  while (hb_set_next(drawn, &g)) gid[i] = g, w[i] = sorted[i] = wp_font_job_width(j, g), i++;
  qsort(sorted, n, sizeof *sorted, cmp_double);
  /* poppler reads an integer /DW only (a real one counts as absent: 1000): the most common
   * whole width, else the most common width rounded, and then every glyph is in /W. */
  double mode = n ? sorted[0] : 0;
  *dw = -1;
  for (size_t a = 0, best = 0, best_int = 0; a < n;) {
    size_t b = a;
    while (b < n && sorted[b] == sorted[a]) b++;
    if (b - a > best) best = b - a, mode = sorted[a];
    if (b - a > best_int && sorted[a] == round(sorted[a])) best_int = b - a, *dw = sorted[a];
    a = b;
  }
  if (*dw < 0) *dw = round(mode);
  wp_buf out = {0};
  for (i = 0; i < n;) {
    size_t e = i; /* gid[i..e]: consecutive glyphs of one width */
    while (e + 1 < n && gid[e + 1] == gid[e] + 1 && w[e + 1] == w[i]) e++;
    if (w[i] == *dw) {
      i = e + 1;
      continue;
    }
    if (out.len) wp_buf_putc(&out, ' ');
    wp_pdf_put_uint(&out, gid[i]);
    if (e - i >= 2) {
      wp_buf_putc(&out, ' ');
      wp_pdf_put_uint(&out, gid[e]);
      wp_buf_putc(&out, ' ');
      wp_pdf_put_fixed(&out, w[i], 2);
      i = e + 1;
      continue;
    }
    wp_buf_puts(&out, " [");
    size_t k = i;
    for (; k < n && (k == i || gid[k] == gid[k - 1] + 1) && w[k] != *dw; k++) {
      /* stop where a run of three equal widths starts: it is shorter as "g1 g2 w" */
      if (k > i && k + 2 < n && gid[k + 2] == gid[k] + 2 && w[k + 1] == w[k] && w[k + 2] == w[k]) break;
      if (k > i) wp_buf_putc(&out, ' ');
      wp_pdf_put_fixed(&out, w[k], 2);
    }
    wp_buf_putc(&out, ']');
    i = k;
  }
  free(gid), free(w), free(sorted);
  return wp_buf_take(&out);
}

bool wp_font_job_embed(HPDF_Doc doc, wp_font_job *j, int index, char *err, size_t errlen) {
  wp_sfnt_metrics m;
  wp_sfnt_metrics_of(wp_font_hb(j->font), &m);
  if (!wp_sfnt_embeddable(&m)) {
    snprintf(err, errlen, "the licence of %s does not allow embedding a subset (OS/2 fsType %04X)",
             wp_font_file(j->font), m.fs_type);
    return false;
  }
  /* FontFile2 holds TrueType outlines; an OpenType font with CFF outlines (no glyf) would be
   * embedded empty and silently not drawn. */
  hb_blob_t *glyf = hb_face_reference_table(wp_font_face(j->font), HB_TAG('g', 'l', 'y', 'f'));
  unsigned glyf_len = hb_blob_get_length(glyf);
  hb_blob_destroy(glyf);
  if (!glyf_len) {
    snprintf(err, errlen, "%s has PostScript (CFF) outlines; PDFs embed TrueType fonts only: choose a "
             "TrueType face for this family in the page design", wp_font_file(j->font));
    return false;
  }
  /* Glyphs drawn, in new IDs. */
  hb_set_t *drawn = hb_set_create();
  hb_codepoint_t g = HB_SET_VALUE_INVALID, space;
  while (hb_set_next(j->used, &g)) hb_set_add(drawn, wp_font_job_gid(j, g));
  unsigned space_gid = 0;
  if (hb_font_get_nominal_glyph(wp_font_hb(j->font), ' ', &space) && hb_map_has(j->old2new, space))
    space_gid = wp_font_job_gid(j, space);
  size_t plen;
  uint8_t *prog = wp_sfnt_program(j->sub, space_gid, &plen);
  if (!plen) {
    free(prog);
    hb_set_destroy(drawn);
    snprintf(err, errlen, "cannot write the font program of %s", wp_font_file(j->font));
    return false;
  }
  /* Subset tags HPDFAA, HPDFAB, ...: six capitals, by order of first use. */
  char name[96] = "HPDFAA+";
  name[4] = (char)('A' + index / 26 % 26), name[5] = (char)('A' + index % 26);
  wp_sfnt_ps_name(wp_font_face(j->font), name + 7, sizeof name - 7);
  double dw;
  char *w = w_array(j, drawn, &dw), *cmap = tounicode(j, drawn);
  wp_buf dws = {0};
  wp_pdf_put_fixed(&dws, dw, 2);
  wp_hpdf_font f = {name, prog, plen, &m, dws.data, w, cmap};
  j->hf = wp_hpdf_add_font(doc, &f, err, errlen);
  wp_buf_free(&dws);
  free(w), free(cmap), free(prog);
  hb_set_destroy(drawn);
  return j->hf != NULL;
}

void wp_font_job_free(wp_font_job *j) {
  hb_set_destroy(j->used);
  hb_face_destroy(j->sub);
  hb_subset_plan_destroy(j->plan);
  free(j->width);
  free(j->amin);
  free(j->amax);
}
