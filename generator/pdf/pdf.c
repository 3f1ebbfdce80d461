/* pdf/pdf — see pdf.h. libharu is reached through public calls plus hpdf_internals only. */
#include "pdf/pdf.h"

#include <hb-subset.h>
#include <hpdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/hpdf_internals.h"
#include "pdf/image.h"
#include "pdf/pdf_impl.h"
#include "util.h"

static const char *const info_keys[5] = {"Title", "Author", "Subject", "Keywords", "Creator"};
static const HPDF_InfoType info_types[5] = {HPDF_INFO_TITLE, HPDF_INFO_AUTHOR, HPDF_INFO_SUBJECT,
                                            HPDF_INFO_KEYWORDS, HPDF_INFO_CREATOR};

wp_pdf *wp_pdf_create(wp_fonts *fonts) {
  wp_pdf *p = wp_xcalloc(1, sizeof *p);
  p->fonts = fonts;
  return p;
}

void wp_pdf_destroy(wp_pdf *pdf) {
  if (!pdf) return;
  for (int i = 0; i < pdf->n; i++) {
    free(pdf->pages[i]->runs);
    free(pdf->pages[i]->g);
    for (size_t k = 0; k < pdf->pages[i]->nmarks; k++) free(pdf->pages[i]->marks[k].data);
    free(pdf->pages[i]->marks);
    free(pdf->pages[i]->shapes.sh);
    free(pdf->pages[i]->shapes.seg);
    free(pdf->pages[i]);
  }
  for (size_t i = 0; i < pdf->noutline; i++) free(pdf->outline[i].title);
  free(pdf->outline);
  for (int i = 0; i < 5; i++) free(pdf->info[i]);
  free(pdf->lang);
  free(pdf->pages);
  free(pdf);
}

wp_pdf_page *wp_pdf_add_page(wp_pdf *pdf, double width, double height) {
  if (pdf->n == pdf->cap) {
    pdf->cap = pdf->cap ? pdf->cap * 2 : 16;
    pdf->pages = wp_xrealloc(pdf->pages, (size_t)pdf->cap * sizeof *pdf->pages);
  }
  wp_pdf_page *pg = wp_xcalloc(1, sizeof *pg);
  pg->w = width;
  pg->h = height;
  pdf->pages[pdf->n++] = pg;
  return pg;
}


void wp_pdf_glyphs(wp_pdf_page *pg, wp_font *font, double size, double x, double y,
                   const wp_glyph *glyphs, size_t n) {
  if (!n) return;
  if (pg->nruns == pg->caprun) {
    pg->caprun = pg->caprun ? pg->caprun * 2 : 64;
    pg->runs = wp_xrealloc(pg->runs, pg->caprun * sizeof *pg->runs);
  }
  if (pg->ng + n > pg->capg) {
    while (pg->ng + n > pg->capg) pg->capg = pg->capg ? pg->capg * 2 : 1024;
    pg->g = wp_xrealloc(pg->g, pg->capg * sizeof *pg->g);
  }
  memcpy(pg->g + pg->ng, glyphs, n * sizeof *glyphs);
  pg->runs[pg->nruns++] = (run){font, size, x, y, pg->ng, n, pg->ink};
  pg->ng += n;
}

mark *wp_pdf_add_mark(wp_pdf_page *pg) {
  pg->marks = wp_xrealloc(pg->marks, (pg->nmarks + 1) * sizeof *pg->marks);
  mark *m = &pg->marks[pg->nmarks++];
  memset(m, 0, sizeof *m);
  return m;
}

void wp_pdf_line(wp_pdf_page *pg, double x0, double y0, double x1, double y1, double width) {
  mark *m = wp_pdf_add_mark(pg);
  *m = (mark){.kind = MARK_LINE, .x0 = x0, .y0 = y0, .x1 = x1, .y1 = y1, .width = width};
}

void wp_pdf_image(wp_pdf_page *pg, const void *data, size_t len, bool png, double x, double y,
                  double w, double h) {
  if (wp_pdf_is_drawing(data, len)) {
    wp_pdf_place_drawing(pg, data, x, y, w, h);
    return;
  }
  mark *m = wp_pdf_add_mark(pg);
  *m = (mark){.kind = MARK_IMAGE, .x0 = x, .y0 = y, .x1 = x + w, .y1 = y + h, .png = png, .len = len};
  m->data = wp_xmalloc(len ? len : 1);
  memcpy(m->data, data, len);
}

void wp_pdf_link_uri(wp_pdf_page *pg, double x0, double y0, double x1, double y1, const char *uri) {
  mark *m = wp_pdf_add_mark(pg);
  *m = (mark){.kind = MARK_URI, .x0 = x0, .y0 = y0, .x1 = x1, .y1 = y1, .data = wp_xstrdup(uri)};
}

void wp_pdf_link_goto(wp_pdf_page *pg, double x0, double y0, double x1, double y1, int to_page,
                      double to_y) {
  mark *m = wp_pdf_add_mark(pg);
  *m = (mark){.kind = MARK_GOTO, .x0 = x0, .y0 = y0, .x1 = x1, .y1 = y1, .to_page = to_page, .to_y = to_y};
}

void wp_pdf_outline(wp_pdf *pdf, int level, const char *title, int page, double y) {
  pdf->outline = wp_xrealloc(pdf->outline, (pdf->noutline + 1) * sizeof *pdf->outline);
  /* libharu refuses strings past 65,535 bytes (and readers show a line at most): a bookmark
   * keeps the first 400 bytes, cut at a character boundary. */
  size_t n = strlen(title);
  if (n > 400) {
    n = 400;
    while (n > 0 && ((unsigned char)title[n] & 0xC0) == 0x80) n--;
  }
  pdf->outline[pdf->noutline++] = (outline_entry){level, page, y, wp_xstrndup(title, n)};
}

void wp_pdf_set_info(wp_pdf *pdf, const char *key, const char *value) {
  for (int i = 0; i < 5; i++)
    if (!strcmp(key, info_keys[i])) {
      free(pdf->info[i]);
      pdf->info[i] = value && *value ? wp_xstrdup(value) : NULL;
    }
}

void wp_pdf_set_lang(wp_pdf *pdf, const char *lang) {
  free(pdf->lang);
  pdf->lang = lang ? wp_xstrdup(lang) : NULL;
}

/* ---- save ---- */

/* Locale-independent number with at most 3 decimals (printf's %f follows LC_NUMERIC). */
static void put_num(wp_buf *b, double v) {
  long long m = llround(v * 1000.0);
  if (m < 0) {
    wp_buf_putc(b, '-');
    m = -m;
  }
  wp_buf_printf(b, "%lld", m / 1000);
  int frac = (int)(m % 1000);
  if (frac) {
    char d[8];
    snprintf(d, sizeof d, ".%03d", frac);
    size_t len = strlen(d);
    while (d[len - 1] == '0') d[--len] = 0;
    wp_buf_puts(b, d);
  }
}

typedef struct {
  wp_font *font;
  hb_set_t *used;          /* original glyph IDs drawn */
  hb_subset_plan_t *plan;
  const hb_map_t *old2new, *new2old;
  hb_face_t *sub;          /* the subset face */
  unsigned sub_glyphs;
  int *width;              /* by new glyph ID, 1/1000 em as written in /W */
  double *amin, *amax;     /* by new glyph ID: smallest/largest advance drawn, em */
  HPDF_Font hf;
} font_job;

static font_job *job_of(font_job *jobs, int n, const wp_font *f) {
  for (int i = 0; i < n; i++)
    if (jobs[i].font == f) return &jobs[i];
  return NULL;
}

static bool subset_font(font_job *j, char *err, size_t errlen) {
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  if (!in) return snprintf(err, errlen, "out of memory"), false;
  hb_set_union(hb_subset_input_glyph_set(in), j->used);
  /* Codes are glyph IDs, so the embedded cmap is never read; libharu only insists that a
   * (3,1) cmap exists. The space keeps one (and costs a few bytes, not the text's cmap). */
  hb_set_add(hb_subset_input_unicode_set(in), ' ');
  /* Layout tables are useless once shaped; dropping them also keeps GSUB's closure (every
   * positional form of every letter) out of the subset. Hinting is not used by PDF viewers'
   * renderers enough to pay for it. */
  hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
  static const char *const tags[] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH",
                                     "kern", "morx", "DSIG", "vhea", "vmtx", "VORG"};
  for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
    hb_set_add(drop, hb_tag_from_string(tags[i], 4));
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

/* /W widths. Rendering never depends on them (every advance is set by TJ adjustments), but
 * text extractors measure characters with them: poppler starts a new word when a character
 * begins more than 0.1 em after, or 0.2 em before, the previous one's /W end. Strong kerning
 * (Amiri tucks letters under ra and waw) then splits words. So each glyph keeps its hmtx
 * advance unless that is outside the window where all its drawn advances read as one word. */
static void choose_widths(font_job *j) {
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
    j->width[g] = (int)lround(w * 1000.0);
  }
}

static unsigned be16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }

/* Adds gid and, recursively, the components of composite glyphs (libharu 2.3.0 embeds only
 * the first level: bug 1). The subset's glyf has already been renumbered by hb-subset. */
static void add_with_components(hb_set_t *out, unsigned gid, const uint8_t *loca, size_t loca_len,
                                int long_loca, const uint8_t *glyf, size_t glyf_len, int depth) {
  if (hb_set_has(out, gid) || depth > 16) return;
  hb_set_add(out, gid);
  size_t a, b;
  if (long_loca) {
    if ((gid + 2) * 4 > loca_len) return;
    const uint8_t *p = loca + gid * 4;
    a = (size_t)be16(p) << 16 | be16(p + 2);
    b = (size_t)be16(p + 4) << 16 | be16(p + 6);
  } else {
    if ((gid + 2) * 2 > loca_len) return;
    a = be16(loca + gid * 2) * 2u;
    b = be16(loca + gid * 2 + 2) * 2u;
  }
  if (b <= a || b > glyf_len || b - a < 10) return;
  if (!(glyf[a] & 0x80)) return; /* numberOfContours >= 0: simple glyph */
  size_t p = a + 10;
  for (;;) {
    if (p + 4 > b) return;
    unsigned flags = be16(glyf + p), comp = be16(glyf + p + 2);
    add_with_components(out, comp, loca, loca_len, long_loca, glyf, glyf_len, depth + 1);
    p += 4 + ((flags & 0x1) ? 4 : 2);
    if (flags & 0x8) p += 2;
    else if (flags & 0x40) p += 4;
    else if (flags & 0x80) p += 8;
    if (!(flags & 0x20)) return;
  }
}

static void put_utf16(wp_buf *b, uint32_t c) {
  if (c >= 0x10000) {
    c -= 0x10000;
    wp_buf_printf(b, "%04X%04X", 0xD800 + (c >> 10), 0xDC00 + (c & 0x3FF));
  } else {
    wp_buf_printf(b, "%04X", c);
  }
}

/* A real ToUnicode CMap keyed by (new) glyph ID. */
static char *tounicode(const font_job *j, const hb_set_t *drawn) {
  wp_buf b = {0};
  wp_buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                  "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                  "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                  "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  hb_codepoint_t g = HB_SET_VALUE_INVALID;
  unsigned pending = 0;
  wp_buf chunk = {0};
  while (hb_set_next(drawn, &g)) {
    if (g == 0) continue;
    unsigned n;
    const uint32_t *t = wp_font_glyph_text(j->font, hb_map_get(j->new2old, g), &n);
    wp_buf_printf(&chunk, "<%04X> <", g);
    if (n == 0) wp_buf_puts(&chunk, "200D"); /* an extra glyph of a cluster: joiner, not <> */
    for (unsigned i = 0; i < n; i++) put_utf16(&chunk, t[i]);
    wp_buf_puts(&chunk, ">\n");
    if (++pending == 100) { /* at most 100 entries per block */
      wp_buf_printf(&b, "100 beginbfchar\n%sendbfchar\n", chunk.data);
      chunk.len = 0;
      pending = 0;
    }
  }
  if (pending) wp_buf_printf(&b, "%u beginbfchar\n%sendbfchar\n", pending, chunk.data);
  wp_buf_free(&chunk);
  wp_buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
  return wp_buf_take(&b);
}

static bool finish_font(font_job *j, char *err, size_t errlen) {
  /* Glyphs drawn, in new IDs (for ToUnicode), then with their components (for embedding). */
  hb_set_t *drawn = hb_set_create(), *embed = hb_set_create();
  hb_codepoint_t g = HB_SET_VALUE_INVALID;
  while (hb_set_next(j->used, &g)) hb_set_add(drawn, hb_map_get(j->old2new, g));
  hb_blob_t *loca = hb_face_reference_table(j->sub, HB_TAG('l', 'o', 'c', 'a'));
  hb_blob_t *glyf = hb_face_reference_table(j->sub, HB_TAG('g', 'l', 'y', 'f'));
  hb_blob_t *head = hb_face_reference_table(j->sub, HB_TAG('h', 'e', 'a', 'd'));
  unsigned hl, ll, gl;
  const uint8_t *hd = (const uint8_t *)hb_blob_get_data(head, &hl);
  const uint8_t *ld = (const uint8_t *)hb_blob_get_data(loca, &ll);
  const uint8_t *gd = (const uint8_t *)hb_blob_get_data(glyf, &gl);
  int long_loca = hl >= 54 && be16(hd + 50) == 1;
  add_with_components(embed, 0, ld, ll, long_loca, gd, gl, 0);
  g = HB_SET_VALUE_INVALID;
  while (hb_set_next(drawn, &g)) add_with_components(embed, g, ld, ll, long_loca, gd, gl, 0);
  hb_blob_destroy(loca);
  hb_blob_destroy(glyf);
  hb_blob_destroy(head);

  size_t n = hb_set_get_population(embed), i = 0;
  uint16_t *gids = wp_xmalloc((n + 1) * sizeof *gids);
  int *widths = wp_xmalloc((n + 1) * sizeof *widths);
  g = HB_SET_VALUE_INVALID;
  while (hb_set_next(embed, &g)) {
    gids[i] = (uint16_t)g;
    widths[i++] = g < j->sub_glyphs ? j->width[g] : 0;
  }
  char *cmap = tounicode(j, drawn);
  bool ok = wp_hpdf_finish_font(j->hf, gids, widths, n, cmap, err, errlen);
  free(cmap);
  free(gids);
  free(widths);
  hb_set_destroy(drawn);
  hb_set_destroy(embed);
  return ok;
}

/* The content of one glyph run: TJ arrays of glyph IDs. A TJ number before a glyph moves the
 * text position to where the shaped glyph goes (advance and x offset), so extractors see each
 * character where it is drawn. Glyphs raised or lowered (marks) get their own text matrix. */
static void run_ops(wp_buf *b, const run *r, const wp_glyph *gl, const font_job *j) {
  double pen = r->x, tp = 0; /* tp: text position inside the open TJ array */
  bool open = false;
  for (size_t i = 0; i < r->n; i++) {
    const wp_glyph *g = &gl[i];
    hb_codepoint_t ng = hb_map_get(j->old2new, g->gid);
    int w = ng < j->sub_glyphs ? j->width[ng] : 0;
    if (g->dy != 0) {
      if (open) wp_buf_puts(b, "] TJ\n");
      open = false;
      wp_buf_puts(b, "1 0 0 1 ");
      put_num(b, pen + g->dx);
      wp_buf_putc(b, ' ');
      put_num(b, r->y + g->dy);
      wp_buf_printf(b, " Tm [<%04X>] TJ\n", ng);
    } else {
      if (!open) {
        wp_buf_puts(b, "1 0 0 1 ");
        put_num(b, pen + g->dx);
        wp_buf_putc(b, ' ');
        put_num(b, r->y);
        wp_buf_puts(b, " Tm [");
        tp = pen + g->dx;
        open = true;
      }
      double adj = (tp - (pen + g->dx)) * 1000.0 / r->size;
      if (fabs(adj) >= 0.0005) {
        put_num(b, adj);
        wp_buf_putc(b, ' ');
      }
      wp_buf_printf(b, "<%04X>", ng);
      tp = pen + g->dx + w * r->size / 1000.0;
    }
    pen += g->advance;
  }
  if (open) wp_buf_puts(b, "] TJ\n");
}

/* Records, per glyph, the distance from where it is drawn to where the next glyph on the
 * baseline is drawn (what an extractor sees as its advance). */
static void note_advances(font_job *j, const run *rn, const wp_glyph *gl) {
  double pen = 0;
  for (size_t k = 0; k < rn->n; k++, pen += gl[k - 1].advance) {
    if (gl[k].dy != 0) continue;
    double x = pen + gl[k].dx, next = pen + gl[k].advance, p2 = next;
    for (size_t m = k + 1; m < rn->n; p2 += gl[m].advance, m++)
      if (gl[m].dy == 0) {
        next = p2 + gl[m].dx;
        break;
      }
    hb_codepoint_t ng = hb_map_get(j->old2new, gl[k].gid);
    if (ng >= j->sub_glyphs) continue;
    double a = (next - x) / rn->size;
    if (a < j->amin[ng]) j->amin[ng] = a;
    if (a > j->amax[ng]) j->amax[ng] = a;
  }
}

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *ud) {
  (void)detail;
  if (!*(HPDF_STATUS *)ud) *(HPDF_STATUS *)ud = e; /* keep the first: errors are sticky */
}

/* Lines and images of a page, after its text. */
static void draw_marks(HPDF_Doc doc, HPDF_Page page, const wp_pdf_page *pg) {
  for (size_t k = 0; k < pg->nmarks; k++) {
    const mark *m = &pg->marks[k];
    if (m->kind == MARK_LINE) {
      HPDF_Page_SetLineWidth(page, (HPDF_REAL)m->width);
      HPDF_Page_MoveTo(page, (HPDF_REAL)m->x0, (HPDF_REAL)m->y0);
      HPDF_Page_LineTo(page, (HPDF_REAL)m->x1, (HPDF_REAL)m->y1);
      HPDF_Page_Stroke(page);
    } else if (m->kind == MARK_IMAGE) {
      HPDF_Image img = wp_image_load(doc, m->data, m->len, m->png);
      if (img)
        HPDF_Page_DrawImage(page, img, (HPDF_REAL)m->x0, (HPDF_REAL)m->y0, (HPDF_REAL)(m->x1 - m->x0),
                            (HPDF_REAL)(m->y1 - m->y0));
    }
  }
}

/* Annotations, bookmarks and metadata: once every page exists (links point forward). */
static void add_navigation(HPDF_Doc doc, const wp_pdf *pdf, HPDF_Page *pages) {
  for (int p = 0; p < pdf->n; p++)
    for (size_t k = 0; k < pdf->pages[p]->nmarks; k++) {
      const mark *m = &pdf->pages[p]->marks[k];
      HPDF_Rect r = {(HPDF_REAL)m->x0, (HPDF_REAL)m->y0, (HPDF_REAL)m->x1, (HPDF_REAL)m->y1};
      HPDF_Annotation a = NULL;
      if (m->kind == MARK_URI) {
        a = HPDF_Page_CreateURILinkAnnot(pages[p], r, m->data);
      } else if (m->kind == MARK_GOTO && m->to_page >= 0 && m->to_page < pdf->n) {
        HPDF_Destination d = HPDF_Page_CreateDestination(pages[m->to_page]);
        HPDF_Destination_SetFitH(d, (HPDF_REAL)m->to_y); /* XYZ with zoom 0 is refused */
        a = HPDF_Page_CreateLinkAnnot(pages[p], r, d);
      }
      if (a) HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    }
  HPDF_Encoder utf8 = HPDF_GetEncoder(doc, "UTF-8");
  HPDF_Outline parents[8] = {NULL};
  int levels[8] = {0}, depth = 0;
  for (size_t i = 0; i < pdf->noutline; i++) {
    const outline_entry *e = &pdf->outline[i];
    if (e->page < 0 || e->page >= pdf->n) continue;
    while (depth > 0 && levels[depth - 1] >= e->level) depth--;
    HPDF_Outline o = HPDF_CreateOutline(doc, depth ? parents[depth - 1] : NULL, e->title, utf8);
    if (!o) continue;
    HPDF_Destination d = HPDF_Page_CreateDestination(pages[e->page]);
    HPDF_Destination_SetFitH(d, (HPDF_REAL)e->y);
    HPDF_Outline_SetDestination(o, d);
    HPDF_Outline_SetOpened(o, depth == 0);
    if (depth < 8) parents[depth] = o, levels[depth++] = e->level;
  }
  /* Info strings are encoded with the current encoder: UTF-8 for every language. */
  HPDF_SetCurrentEncoder(doc, "UTF-8");
  for (int i = 0; i < 5; i++)
    if (pdf->info[i]) HPDF_SetInfoAttr(doc, info_types[i], pdf->info[i]);
  if (pdf->lang) wp_hpdf_set_lang(doc, pdf->lang);
}

static bool save(wp_pdf *pdf, const char *path, wp_buf *mem, char *err, size_t errlen) {
  if (!wp_hpdf_check(NULL, err, errlen)) return false;
  bool ok = false;
  HPDF_Page *hpages = wp_xcalloc((size_t)pdf->n + 1, sizeof *hpages);
  HPDF_STATUS herr = 0;
  font_job *jobs = NULL;
  int nj = 0;
  /* Fonts in order of first use: tags and object numbers do not depend on hash order. */
  for (int p = 0; p < pdf->n; p++)
    for (size_t r = 0; r < pdf->pages[p]->nruns; r++) {
      const run *rn = &pdf->pages[p]->runs[r];
      font_job *j = job_of(jobs, nj, rn->font);
      if (!j) {
        jobs = wp_xrealloc(jobs, (size_t)(nj + 1) * sizeof *jobs);
        j = &jobs[nj++];
        memset(j, 0, sizeof *j);
        j->font = rn->font;
        j->used = hb_set_create();
        hb_set_add(j->used, 0);
      }
      for (size_t k = 0; k < rn->n; k++) hb_set_add(j->used, pdf->pages[p]->g[rn->off + k].gid);
    }
  HPDF_Doc doc = HPDF_New(on_error, &herr);
  wp_buf ops = {0};
  if (!doc) {
    snprintf(err, errlen, "libharu: cannot create document");
    goto out;
  }
  HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(doc);
  for (int i = 0; i < nj; i++) {
    if (!subset_font(&jobs[i], err, errlen)) goto out;
    hb_blob_t *blob = hb_face_reference_blob(jobs[i].sub);
    unsigned len;
    const char *data = hb_blob_get_data(blob, &len);
    jobs[i].hf = wp_hpdf_load_gid_font(doc, data, len, jobs[i].sub_glyphs,
                                       wp_font_upem(jobs[i].font), err, errlen);
    hb_blob_destroy(blob);
    if (!jobs[i].hf) goto out;
  }
  for (int p = 0; p < pdf->n; p++)
    for (size_t r = 0; r < pdf->pages[p]->nruns; r++) {
      const run *rn = &pdf->pages[p]->runs[r];
      note_advances(job_of(jobs, nj, rn->font), rn, pdf->pages[p]->g + rn->off);
    }
  for (int i = 0; i < nj; i++) choose_widths(&jobs[i]);
  for (int p = 0; p < pdf->n; p++) {
    const wp_pdf_page *pg = pdf->pages[p];
    HPDF_Page page = hpages[p] = HPDF_AddPage(doc);
    if (!page) break;
    HPDF_Page_SetWidth(page, (HPDF_REAL)pg->w);
    HPDF_Page_SetHeight(page, (HPDF_REAL)pg->h);
    wp_pdf_draw_shapes(page, pg);
    if (!pg->nruns) {
      draw_marks(doc, page, pg);
      continue;
    }
    HPDF_Page_BeginText(page);
    const font_job *cur = NULL;
    double cur_size = -1;
    wp_rgb cur_color = 0;
    for (size_t r = 0; r < pg->nruns; r++) {
      const run *rn = &pg->runs[r];
      const font_job *j = job_of(jobs, nj, rn->font);
      if (rn->color != cur_color) wp_pdf_set_rgb(page, rn->color, true), cur_color = rn->color;
      if (j != cur || rn->size != cur_size) {
        /* The public call: it also registers the font in the page's resources. */
        HPDF_Page_SetFontAndSize(page, j->hf, (HPDF_REAL)rn->size);
        cur = j;
        cur_size = rn->size;
      }
      ops.len = 0;
      run_ops(&ops, rn, pg->g + rn->off, j);
      if (wp_hpdf_page_write(page, ops.data) != HPDF_OK) {
        snprintf(err, errlen, "libharu: cannot write page content");
        goto out;
      }
    }
    if (cur_color) wp_pdf_set_rgb(page, 0, true);
    HPDF_Page_EndText(page);
    draw_marks(doc, page, pg);
  }
  if (!herr) add_navigation(doc, pdf, hpages);
  for (int i = 0; i < nj && !herr; i++)
    if (!finish_font(&jobs[i], err, errlen)) goto out;
  if (!herr && path && HPDF_SaveToFile(doc, path) == HPDF_OK && !herr) ok = true;
  if (!herr && mem && HPDF_SaveToStream(doc) == HPDF_OK && !herr) {
    HPDF_UINT32 size = HPDF_GetStreamSize(doc);
    wp_buf_grow(mem, size + 1);
    HPDF_UINT32 got = size;
    /* A read that reaches the end reports HPDF_STREAM_EOF (also to the error handler):
     * the byte count decides. */
    HPDF_ReadFromStream(doc, (HPDF_BYTE *)mem->data, &got);
    herr = 0;
    if (size && got == size) {
      mem->len = size;
      mem->data[size] = 0;
      ok = true;
    }
  }
  if (!ok && herr) snprintf(err, errlen, "libharu error 0x%04X writing %s", (unsigned)herr, path ? path : "PDF");
  else if (!ok && !err[0]) snprintf(err, errlen, "libharu could not write the PDF");
out:
  free(hpages);
  wp_buf_free(&ops);
  if (doc) HPDF_Free(doc);
  for (int i = 0; i < nj; i++) {
    hb_set_destroy(jobs[i].used);
    hb_face_destroy(jobs[i].sub);
    hb_subset_plan_destroy(jobs[i].plan);
    free(jobs[i].width);
    free(jobs[i].amin);
    free(jobs[i].amax);
  }
  free(jobs);
  return ok;
}

bool wp_pdf_save(wp_pdf *pdf, const char *path, char *err, size_t errlen) {
  if (errlen) err[0] = 0;
  return save(pdf, path, NULL, err, errlen);
}

char *wp_pdf_save_mem(wp_pdf *pdf, size_t *len, char *err, size_t errlen) {
  wp_buf b = {0};
  if (errlen) err[0] = 0;
  if (!save(pdf, NULL, &b, err, errlen)) {
    wp_buf_free(&b);
    return NULL;
  }
  *len = b.len;
  return wp_buf_take(&b);
}
