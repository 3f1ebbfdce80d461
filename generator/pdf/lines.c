/* pdf/lines — a broken line's metrics and its drawing in visual order. See text.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/text_impl.h"
#include "util.h"

/* Characters [c0, c1) of a line, without the discarded glue at its ends. */
static void line_chars(const wp_para *p, const wp_tline *l, size_t *c0, size_t *c1) {
  const wp_item *b = &p->items[l->break_item];
  *c0 = l->first_item < l->break_item ? p->items[l->first_item].c0 : b->c0;
  *c1 = b->c0;
  if (*c1 < *c0) *c1 = *c0;
}

static bool line_hyphenated(const wp_para *p, const wp_tline *l) {
  const wp_item *b = &p->items[l->break_item];
  return b->type == IT_PENALTY && b->flagged;
}

/* Natural width, stretch and shrink of the items of the line (the break item excluded,
 * except a hyphen's width). */
static void line_sums(const wp_para *p, const wp_tline *l, double *w, double *y, double *z) {
  *w = *y = *z = 0;
  for (size_t i = l->first_item; i < l->break_item; i++) {
    const wp_item *it = &p->items[i];
    if (it->type == IT_PENALTY) continue;
    *w += it->width;
    if (it->type == IT_GLUE && it->stretch < 1e5) { /* the last line's fill glue excluded */
      *y += it->stretch;
      *z += it->shrink;
    }
  }
  if (line_hyphenated(p, l)) *w += p->items[l->break_item].width;
}

/* Extra width of each glue in the line as set: ratio × stretch (or shrink). Unjustified
 * lines (ragged, last line) keep natural spaces. */
static double glue_ratio(const wp_para *p, const wp_tline *l) {
  if (!p->opts.justify || l->break_item + 1 >= p->nitems) return 0;
  double r = l->ratio;
  if (r > 0 && !isfinite(r)) return 0;
  return r;
}

void wp_para_line(const wp_para *p, int line, wp_line_info *out) {
  memset(out, 0, sizeof *out);
  if (line < 0 || line >= p->nlines) return;
  const wp_tline *l = &p->lines[line];
  double w, y, z;
  line_sums(p, l, &w, &y, &z);
  double r = glue_ratio(p, l);
  out->natural = w;
  out->width = w + (r > 0 ? r * y : r * z);
  out->measure = l->measure;
  out->justified = r != 0 || (p->opts.justify && l->break_item + 1 < p->nitems);
  out->hyphenated = line_hyphenated(p, l);
  size_t c0, c1;
  line_chars(p, l, &c0, &c1);
  out->byte_start = p->byte_of[c0];
  out->byte_end = p->byte_of[c1];
  for (size_t c = c0; c < c1; c++) {
    const wp_trun *rn = &p->runs[p->run_of[c]];
    if (!rn->font) continue;
    int asc, desc;
    wp_font_extents(rn->font, &asc, &desc);
    double s = rn->size / wp_font_upem(rn->font);
    if (asc * s > out->ascent) out->ascent = asc * s;
    if (-desc * s > out->descent) out->descent = -desc * s;
    c = rn->end - 1; /* one look per run */
  }
}

typedef struct {
  size_t run, a, b;
  int level;
} piece;

static double drawn_in_run(const wp_glyph *g, size_t n) {
  double w = 0;
  for (size_t i = 0; i < n; i++) w += g[i].advance;
  return w;
}

/* UAX 9 rule L2: from the highest level down to the lowest odd level, reverse every
 * maximal sequence of pieces at that level or higher. */
static void reorder(piece *pc, size_t n) {
  int hi = 0, lo_odd = 1000;
  for (size_t i = 0; i < n; i++) {
    if (pc[i].level > hi) hi = pc[i].level;
    if ((pc[i].level & 1) && pc[i].level < lo_odd) lo_odd = pc[i].level;
  }
  for (int lev = hi; lev >= lo_odd; lev--) {
    for (size_t i = 0; i < n;) {
      if (pc[i].level < lev) {
        i++;
        continue;
      }
      size_t j = i;
      while (j < n && pc[j].level >= lev) j++;
      for (size_t a = i, b = j - 1; a < b; a++, b--) {
        piece t = pc[a];
        pc[a] = pc[b];
        pc[b] = t;
      }
      i = j;
    }
  }
}

/* Places a line's glyphs: draws them on page, or (page NULL) only measures where the
 * characters [qa, qb) fall, into *q0..*q1. */
/* The glyphs of a run whose clusters fall in [a, b). A run's clusters are monotonic (rising,
 * or falling when HarfBuzz shaped it right to left), so the range is found by bisection: a
 * run may span a whole paragraph, and scanning it for every line made long paragraphs
 * quadratic. */
static size_t first_glyph(const wp_para *p, const wp_trun *rn, uint32_t c, bool rising) {
  size_t lo = rn->g0, hi = rn->g0 + rn->ng;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    bool before = rising ? p->g[mid].cluster < c : p->g[mid].cluster >= c;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static void glyphs_between(const wp_para *p, const wp_trun *rn, size_t a, size_t b, size_t *lo, size_t *hi) {
  bool rising = rn->ng < 2 || p->g[rn->g0].cluster <= p->g[rn->g0 + rn->ng - 1].cluster;
  if (rising) {
    *lo = first_glyph(p, rn, (uint32_t)a, true);
    *hi = first_glyph(p, rn, (uint32_t)b, true);
  } else {
    *lo = first_glyph(p, rn, (uint32_t)b, false);
    *hi = first_glyph(p, rn, (uint32_t)a, false);
  }
}

static double place_line(wp_para *p, int line, wp_pdf_page *page, double x, double y, size_t qa,
                         size_t qb, double *q0, double *q1) {
  if (line < 0 || line >= p->nlines) return 0;
  const wp_tline *l = &p->lines[line];
  size_t c0, c1;
  line_chars(p, l, &c0, &c1);
  if (c1 <= c0) return 0;
  double r = glue_ratio(p, l);
  /* Justification space, attached to the first character of the cluster it follows. */
  double *extra = wp_xcalloc(c1 - c0 + 1, sizeof *extra);
  for (size_t i = l->first_item; i < l->break_item; i++) {
    const wp_item *it = &p->items[i];
    if (it->type != IT_GLUE || r == 0) continue;
    double e = r > 0 ? r * it->stretch : r * it->shrink;
    size_t c = it->c1 > it->c0 ? it->c1 - 1 : it->c0 - 1; /* CJK glue: the char before */
    if (c < c0 || c >= c1) continue;
    while (c > c0 && !p->cluster_start[c]) c--;
    extra[c - c0] += e;
  }
  /* Pieces: runs clipped to the line, in visual order. */
  piece *pc = wp_xmalloc((p->nruns + 1) * sizeof *pc);
  size_t np = 0;
  for (size_t c = c0; c < c1;) {
    size_t ri = p->run_of[c];
    const wp_trun *rn = &p->runs[ri];
    size_t e = rn->end < c1 ? rn->end : c1;
    pc[np++] = (piece){ri, c, e, rn->level};
    c = e;
  }
  reorder(pc, np);
  wp_line_info li;
  wp_para_line(p, line, &li);
  double pen = x, drawn = 0;
  if (!li.justified || r == 0) {
    double slack = l->measure - li.width;
    wp_align al = p->opts.align;
    if (al == WP_ALIGN_CENTER) pen += slack / 2;
    else if ((al == WP_ALIGN_START) == p->rtl) pen += slack;
  }
  bool hyph = line_hyphenated(p, l);
  wp_glyph *out = NULL;
  size_t cap = 0;
  for (size_t k = 0; k < np; k++) {
    const wp_trun *rn = &p->runs[pc[k].run];
    if (!rn->font) continue;
    double s = rn->size / wp_font_upem(rn->font);
    size_t n = 0;
    size_t g_lo, g_hi;
    glyphs_between(p, rn, pc[k].a, pc[k].b, &g_lo, &g_hi);
    if (cap < g_hi - g_lo + 1) { /* the line's glyphs of this run, not the whole run's */
      cap = g_hi - g_lo + 1;
      out = wp_xrealloc(out, cap * sizeof *out);
    }
    for (size_t gi = g_lo; gi < g_hi; gi++) {
      wp_tglyph *g = &p->g[gi];
      if (g->cluster < pc[k].a || g->cluster >= pc[k].b) continue;
      double adv = g->adv * s;
      if (extra[g->cluster - c0] != 0) { /* once per cluster */
        adv += extra[g->cluster - c0];
        extra[g->cluster - c0] = 0;
      }
      if (!page && g->cluster >= qa && g->cluster < qb) {
        double at = pen + drawn_in_run(out, n);
        if (at < *q0) *q0 = at;
        if (at + adv > *q1) *q1 = at + adv;
      }
      out[n++] = (wp_glyph){g->gid, adv, g->dx * s, g->dy * s};
      if (page) wp_font_note_glyph(rn->font, g->gid, p->cp + g->text_c, g->text_n);
    }
    /* The hyphen goes after the last character of the line, in its run's font. */
    hb_codepoint_t hg;
    if (hyph && pc[k].b == c1 && hb_font_get_nominal_glyph(wp_font_hb(rn->font), '-', &hg)) {
      wp_glyph h = {hg, hb_font_get_glyph_h_advance(wp_font_hb(rn->font), hg) * s, 0, 0};
      if (rn->level & 1) {
        memmove(out + 1, out, n * sizeof *out);
        out[0] = h;
      } else {
        out[n] = h;
      }
      n++;
      static const uint32_t minus = '-';
      if (page) wp_font_note_glyph(rn->font, hg, &minus, 1);
    }
    /* A raised span (footnote call) keeps its advances; only its baseline moves. */
    if (page) wp_pdf_glyphs(page, rn->font, rn->size, pen, y + p->styles[p->style_of[rn->start]].rise, out, n);
    for (size_t i = 0; i < n; i++) pen += out[i].advance, drawn += out[i].advance;
  }
  free(out);
  free(pc);
  free(extra);
  return drawn;
}

double wp_para_draw_line(wp_para *p, int line, wp_pdf_page *page, double x, double y) {
  return page ? place_line(p, line, page, x, y, 0, 0, NULL, NULL) : 0;
}

static size_t char_at_byte(const wp_para *p, size_t byte) {
  size_t lo = 0, hi = p->n; /* first character whose byte offset is >= byte */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (p->byte_of[mid] < byte) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

bool wp_para_line_range(wp_para *p, int line, double x, size_t byte_a, size_t byte_b,
                        double *x0, double *x1) {
  *x0 = INFINITY;
  *x1 = -INFINITY;
  place_line(p, line, NULL, x, 0, char_at_byte(p, byte_a), char_at_byte(p, byte_b), x0, x1);
  return *x0 <= *x1;
}
