/* pdf/pdf — see pdf.h. libharu is reached through public calls plus hpdf_internals only. */
#include "pdf/pdf.h"

#include <hpdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

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

/* TJ numbers are whole thousandths of an em, and a difference under half of one is carried
 * to the next glyph instead of written: a glyph is at most 0.005 pt (at 10 pt) from where it
 * was shaped, far below any device pixel. /W holds each glyph's advance to 1/100000 em, so a
 * plain run of text needs no number between its glyphs. */
#define MIN_ADJ 0.5

/* Sets the text matrix to a translation to (x, y), in thousandths of a point. Returns the x
 * as written. (Not Td relative to the last one: poppler's text extraction then groups raised
 * footnote labels with the wrong lines.) */
static double move_to(wp_buf *b, double x, double y) {
  long long X = llround(x * 1000), Y = llround(y * 1000);
  wp_buf_puts(b, "1 0 0 1 ");
  wp_pdf_put_fixed(b, X / 1000.0, 3);
  wp_buf_putc(b, ' ');
  wp_pdf_put_fixed(b, Y / 1000.0, 3);
  wp_buf_puts(b, " Tm");
  return X / 1000.0;
}

/* A glyph ID as the two bytes of its code in a literal string (half the size of hex, and
 * deflated twice as fast); the bytes that literal strings give a meaning are escaped. */
static void put_code(wp_buf *b, unsigned gid) {
  unsigned char c[2] = {(unsigned char)(gid >> 8), (unsigned char)gid};
  for (int i = 0; i < 2; i++) {
    if (c[i] == '(' || c[i] == ')' || c[i] == '\\') wp_buf_putc(b, '\\'), wp_buf_putc(b, (char)c[i]);
    else if (c[i] == '\r') wp_buf_puts(b, "\\r"); /* a bare CR would be read as LF */
    else if (c[i] == '\n') wp_buf_puts(b, "\\n");
    else wp_buf_putc(b, (char)c[i]);
  }
}

/* The content of one glyph run: TJ arrays of glyph IDs, consecutive glyphs in one string. A
 * TJ number before a glyph moves the text position to where the shaped glyph goes (advance
 * and x offset), so extractors see each character where it is drawn. Glyphs raised or
 * lowered (marks) get a text matrix of their own. */
static void run_ops(wp_buf *b, const run *r, const wp_glyph *gl, const wp_font_job *j) {
  double pen = r->x, tp = 0, k = 1000.0 / r->size; /* tp: text position in the open TJ array */
  bool open = false, str = false;                  /* a TJ array, a string in it */
  for (size_t i = 0; i < r->n; i++) {
    const wp_glyph *g = &gl[i];
    unsigned ng = wp_font_job_gid(j, g->gid);
    double target = pen + g->dx;
    if (g->dy != 0) {
      if (open) wp_buf_puts(b, str ? ")]TJ\n" : "]TJ\n");
      open = str = false;
      move_to(b, target, r->y + g->dy);
      wp_buf_puts(b, "[(");
      put_code(b, ng);
      wp_buf_puts(b, ")]TJ\n");
    } else {
      if (!open) {
        tp = move_to(b, target, r->y);
        wp_buf_putc(b, '[');
        open = true;
      }
      double adj = (tp - target) * k;
      if (fabs(adj) >= MIN_ADJ) {
        adj = round(adj);
        if (str) wp_buf_putc(b, ')');
        wp_pdf_put_fixed(b, adj, 0);
        tp -= adj / k;
        str = false;
      }
      if (!str) wp_buf_putc(b, '(');
      put_code(b, ng);
      str = true;
      tp += wp_font_job_width(j, ng) / k;
    }
    pen += g->advance;
  }
  if (open) wp_buf_puts(b, str ? ")]TJ\n" : "]TJ\n");
}

/* ---- numbers, without printf (the content stream has tens of thousands) ---- */

void wp_pdf_put_uint(wp_buf *b, unsigned long long v) {
  char d[24];
  int n = 0;
  do d[n++] = (char)('0' + v % 10), v /= 10;
  while (v);
  wp_buf_grow(b, (size_t)n);
  while (n) b->data[b->len++] = d[--n];
  b->data[b->len] = 0;
}

void wp_pdf_put_fixed(wp_buf *b, double v, int decimals) {
  static const double scale[] = {1, 10, 100, 1000};
  long long m = llround(v * scale[decimals]);
  if (m < 0) wp_buf_putc(b, '-'), m = -m;
  long long unit = (long long)scale[decimals];
  wp_pdf_put_uint(b, (unsigned long long)(m / unit));
  long long frac = m % unit;
  if (!frac) return;
  wp_buf_putc(b, '.');
  for (unit /= 10; frac; unit /= 10) { /* digits up to the last non-zero one */
    wp_buf_putc(b, (char)('0' + frac / unit));
    frac %= unit;
  }
}

void wp_pdf_put_hex4(wp_buf *b, unsigned v) {
  static const char hex[] = "0123456789ABCDEF";
  char d[4] = {hex[v >> 12 & 15], hex[v >> 8 & 15], hex[v >> 4 & 15], hex[v & 15]};
  wp_buf_put(b, d, 4);
}

/* ---- strings: PDFDocEncoding where it can, UTF-16 otherwise ---- */

/* The text in PDFDocEncoding (caller frees), or NULL when a character has no byte there.
 * Bytes 0x80-0xA0 are PDFDocEncoding's own (PDF 32000 annex D.2); A1-FF are Latin-1 but AD. */
static char *pdfdoc(const char *utf8) {
  static const uint16_t high[] = {0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
                                  0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
                                  0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
                                  0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E};
  int32_t n = (int32_t)strlen(utf8), i = 0;
  size_t k = 0;
  char *out = wp_xmalloc((size_t)n + 1);
  while (i < n) {
    UChar32 c;
    U8_NEXT(utf8, i, n, c);
    int byte = -1;
    if ((c >= 0x20 && c < 0x7F) || (c >= 0xA1 && c <= 0xFF && c != 0xAD)) byte = (int)c;
    else if (c == 0x20AC) byte = 0xA0;
    for (int h = 0; byte < 0 && h < (int)(sizeof high / sizeof *high); h++)
      if (high[h] == (uint32_t)c) byte = 0x80 + h;
    if (byte < 0) {
      free(out);
      return NULL;
    }
    out[k++] = (char)byte;
  }
  out[k] = 0;
  return out;
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
  /* Strings in PDFDocEncoding when they can be (a literal, a byte a character), else UTF-16
   * through libharu's UTF-8 encoder (four hex digits a character). */
  HPDF_Encoder utf8 = NULL;
  HPDF_Outline parents[8] = {NULL};
  int levels[8] = {0}, depth = 0;
  for (size_t i = 0; i < pdf->noutline; i++) {
    const outline_entry *e = &pdf->outline[i];
    if (e->page < 0 || e->page >= pdf->n) continue;
    while (depth > 0 && levels[depth - 1] >= e->level) depth--;
    char *lit = pdfdoc(e->title);
    if (!lit && !utf8) utf8 = HPDF_GetEncoder(doc, "UTF-8");
    HPDF_Outline o = HPDF_CreateOutline(doc, depth ? parents[depth - 1] : NULL, lit ? lit : e->title, lit ? NULL : utf8);
    free(lit);
    if (!o) continue;
    HPDF_Destination d = HPDF_Page_CreateDestination(pages[e->page]);
    HPDF_Destination_SetFitH(d, (HPDF_REAL)e->y);
    HPDF_Outline_SetDestination(o, d);
    HPDF_Outline_SetOpened(o, depth == 0);
    if (depth < 8) parents[depth] = o, levels[depth++] = e->level;
  }
  /* Info strings go through the document's current encoder: none at first (the bytes are
   * written as a literal string), so the PDFDocEncoding ones come first, then UTF-8 for the
   * rest (written as UTF-16). */
  bool utf16[5] = {false};
  for (int i = 0; i < 5; i++) {
    if (!pdf->info[i]) continue;
    char *lit = pdfdoc(pdf->info[i]);
    if (lit) HPDF_SetInfoAttr(doc, info_types[i], lit);
    else utf16[i] = true;
    free(lit);
  }
  for (int i = 0; i < 5; i++)
    if (utf16[i]) {
      HPDF_SetCurrentEncoder(doc, "UTF-8");
      HPDF_SetInfoAttr(doc, info_types[i], pdf->info[i]);
    }
  if (pdf->lang) wp_hpdf_set_lang(doc, pdf->lang);
}

static bool save(wp_pdf *pdf, const char *path, wp_buf *mem, char *err, size_t errlen) {
  if (!wp_hpdf_check(NULL, err, errlen)) return false;
  bool ok = false;
  HPDF_Page *hpages = wp_xcalloc((size_t)pdf->n + 1, sizeof *hpages);
  HPDF_STATUS herr = 0;
  wp_font_job *jobs = NULL;
  int nj = 0;
  /* Fonts in order of first use: tags and object numbers do not depend on hash order. */
  for (int p = 0; p < pdf->n; p++)
    for (size_t r = 0; r < pdf->pages[p]->nruns; r++) {
      const run *rn = &pdf->pages[p]->runs[r];
      wp_font_job *j = wp_font_job_of(jobs, nj, rn->font);
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
  for (int i = 0; i < nj; i++)
    if (!wp_font_job_subset(&jobs[i], err, errlen)) goto out;
  for (int p = 0; p < pdf->n; p++)
    for (size_t r = 0; r < pdf->pages[p]->nruns; r++) {
      const run *rn = &pdf->pages[p]->runs[r];
      wp_font_job_note_run(wp_font_job_of(jobs, nj, rn->font), rn, pdf->pages[p]->g + rn->off);
    }
  for (int i = 0; i < nj; i++) {
    wp_font_job_widths(&jobs[i]);
    if (!wp_font_job_embed(doc, &jobs[i], i, err, errlen)) goto out;
  }
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
    const wp_font_job *cur = NULL;
    double cur_size = -1;
    wp_rgb cur_color = 0;
    for (size_t r = 0; r < pg->nruns; r++) {
      const run *rn = &pg->runs[r];
      const wp_font_job *j = wp_font_job_of(jobs, nj, rn->font);
      if (rn->color != cur_color) wp_pdf_set_rgb(page, rn->color, true), cur_color = rn->color;
      if (j != cur || rn->size != cur_size) {
        /* The public call: it also registers the font in the page's resources. */
        HPDF_Page_SetFontAndSize(page, j->hf, (HPDF_REAL)rn->size);
        cur = j;
        cur_size = rn->size;
      }
      ops.len = 0;
      run_ops(&ops, rn, pg->g + rn->off, j);
      if (wp_hpdf_page_write(page, ops.data, ops.len) != HPDF_OK) {
        snprintf(err, errlen, "libharu: cannot write page content");
        goto out;
      }
    }
    if (cur_color) wp_pdf_set_rgb(page, 0, true);
    HPDF_Page_EndText(page);
    draw_marks(doc, page, pg);
  }
  if (!herr) add_navigation(doc, pdf, hpages);
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
  for (int i = 0; i < nj; i++) wp_font_job_free(&jobs[i]);
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
