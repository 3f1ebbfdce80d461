/* chart_svg — draws a wp_chart (chart.h) as an accessible inline SVG figure for one language:
 *
 *   <figure class="chart chart-bar" id="chart-L">       L = the spec's file line: page-unique
 *     <figcaption> title, units, caption </figcaption>
 *     <div class="chart-plot" tabindex="0"><svg role="img" aria-labelledby="chart-L-title chart-L-desc"
 *          viewBox lang direction>
 *       <title/> <desc/> legend, gridlines, axis labels, one mark (.chart-value) per value
 *     </svg></div>                                        (scrolls on phones: focusable)
 *     <p class="chart-source"> source </p>
 *     <table class="chart-table"> the same data, for screen readers (visually hidden) </table>
 *   </figure>
 *
 * The layout is computed once, left to right; for a right-to-left language every x is
 * mirrored (x → W − x) and the SVG gets direction="rtl", which makes text-anchor "start" mean
 * the right edge, so the anchors mirror with it: categories read right to left, the value axis
 * sits on the right, and the browser shapes the Arabic text. Every number goes through
 * format.h in the page's language. Colours come from classes styled by charts.css
 * (series-N, slice-N). Output depends only on the chart and the language. */
#include "chart.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ulistformatter.h>
#include <unicode/ustring.h>

#include "format.h"

#define W 640.0      /* viewBox width */
#define PAD 12.0     /* outer margin */
#define FONT 13.0    /* label size in viewBox units (charts.css uses the same) */
#define SMALL 12.0   /* tick and value label size */
#define LINE_H 15.0  /* line height of wrapped labels */
#define PLOT_H 240.0 /* height of the plot area of vertical charts */

typedef struct {
  const wp_chart *c;
  wp_format *fmt;
  bool rtl;
  wp_buf *b;
  char id[32];
} ctx;

/* ---- numbers and text ---- */

/* A coordinate with at most one decimal, no "-0" (deterministic, locale-free digits). */
static void coord(wp_buf *b, double v) {
  long tenths = lround(v * 10);
  if (tenths < 0) wp_buf_putc(b, '-'), tenths = -tenths;
  wp_buf_printf(b, "%ld", tenths / 10);
  if (tenths % 10) wp_buf_printf(b, ".%ld", tenths % 10);
}

static double X(const ctx *x, double v) { return x->rtl ? W - v : v; }

static void esc(wp_buf *b, const char *s) { wp_html_escape(b, s, strlen(s)); }

static char *fmt_value(const ctx *x, double v) {
  return x->c->percent ? wp_format_percent(x->fmt, v, 0) : wp_format_number(x->fmt, v, NULL);
}

static uint32_t next_cp(const char **s) {
  const unsigned char *p = (const unsigned char *)*s;
  uint32_t cp = *p;
  int n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
  if (n > 1) cp &= 0x3F >> (n - 1);
  for (int i = 1; i < n && p[i]; i++) cp = (cp << 6) | (p[i] & 0x3F);
  for (int i = 0; i < n && **s; i++) (*s)++;
  return cp;
}

static bool is_wide(uint32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFF00 && cp <= 0xFF60) || cp >= 0x20000;
}

/* Estimated advance of text at a font size (no font metrics at build time: averages per
 * script, a little generous so labels do not collide). */
static double text_width(const char *s, double size) {
  double w = 0;
  while (*s) {
    uint32_t cp = next_cp(&s);
    if (cp == ' ' || cp == 0xA0 || cp == 0x202F) w += 0.3;
    else if (is_wide(cp)) w += 1.0;
    else if ((cp >= 0x600 && cp <= 0x6FF) || (cp >= 0xFB50 && cp <= 0xFEFF)) w += 0.48;
    else if (cp >= 0x200B && cp <= 0x200F) w += 0;
    else if ((cp >= 'A' && cp <= 'Z') || (cp >= 0x400 && cp <= 0x42F)) w += 0.66;
    else w += 0.56;
  }
  return w * size;
}

typedef struct {
  char **line;
  size_t n;
} lines;

static void lines_free(lines *l) {
  for (size_t i = 0; i < l->n; i++) free(l->line[i]);
  free(l->line);
}

/* Greedy wrapping at spaces and between CJK characters, to an estimated width. */
static lines wrap(const char *s, double maxw, double size) {
  lines out = {NULL, 0};
  wp_buf cur = {0};
  wp_buf_puts(&cur, "");
  double curw = 0;
  while (*s) {
    bool space = false;
    while (*s == ' ') s++, space = true;
    if (!*s) break;
    const char *start = s, *p = s;
    uint32_t cp = next_cp(&p);
    if (is_wide(cp)) s = p;
    else {
      const char *q = s;
      while (*q && *q != ' ') {
        const char *r = q;
        if (is_wide(next_cp(&r))) break;
        q = r;
      }
      s = q;
    }
    space = space && cur.len;
    char *word = wp_xstrndup(start, (size_t)(s - start));
    double ww = text_width(word, size), sw = space ? 0.3 * size : 0;
    if (cur.len && curw + sw + ww > maxw) {
      out.line = wp_xrealloc(out.line, (out.n + 1) * sizeof *out.line);
      out.line[out.n++] = wp_buf_take(&cur);
      wp_buf_puts(&cur, "");
      curw = 0, sw = 0, space = false;
    }
    if (space) wp_buf_putc(&cur, ' ');
    wp_buf_puts(&cur, word);
    curw += sw + ww;
    free(word);
  }
  out.line = wp_xrealloc(out.line, (out.n + 1) * sizeof *out.line);
  out.line[out.n++] = wp_buf_take(&cur);
  return out;
}

/* <text> at logical (lx, y); anchor is logical too (start = the reading start). Several lines
 * stack downwards from y, or centred on y when middle_v. */
static void text_lines(ctx *x, double lx, double y, const char *anchor, const char *cls, const lines *l,
                       bool middle_v) {
  wp_buf *b = x->b;
  if (middle_v) y -= (double)(l->n - 1) * LINE_H / 2;
  wp_buf_printf(b, "<text class=\"%s\" text-anchor=\"%s\"", cls, anchor);
  if (l->n == 1) {
    wp_buf_puts(b, " x=\""), coord(b, X(x, lx)), wp_buf_puts(b, "\" y=\""), coord(b, y), wp_buf_puts(b, "\">");
    esc(b, l->line[0]);
  } else {
    wp_buf_puts(b, ">");
    for (size_t i = 0; i < l->n; i++) {
      wp_buf_puts(b, "<tspan x=\""), coord(b, X(x, lx)), wp_buf_puts(b, "\" y=\"");
      coord(b, y + (double)i * LINE_H), wp_buf_puts(b, "\">");
      esc(b, l->line[i]);
      wp_buf_puts(b, "</tspan>");
    }
  }
  wp_buf_puts(b, "</text>\n");
}

static void text1(ctx *x, double lx, double y, const char *anchor, const char *cls, const char *s) {
  char *one[] = {(char *)s};
  lines l = {one, 1};
  text_lines(x, lx, y, anchor, cls, &l, false);
}

/* A rectangle given in logical coordinates. */
static void rect(ctx *x, double lx, double y, double w, double h, const char *cls) {
  wp_buf *b = x->b;
  if (w < 0) lx += w, w = -w;
  if (h < 0) y += h, h = -h;
  wp_buf_printf(b, "<rect class=\"%s\" x=\"", cls), coord(b, x->rtl ? W - lx - w : lx);
  wp_buf_puts(b, "\" y=\""), coord(b, y), wp_buf_puts(b, "\" width=\""), coord(b, w);
  wp_buf_puts(b, "\" height=\""), coord(b, h), wp_buf_puts(b, "\"/>\n");
}

static void line(ctx *x, double x1, double y1, double x2, double y2, const char *cls) {
  wp_buf *b = x->b;
  wp_buf_printf(b, "<line class=\"%s\" x1=\"", cls), coord(b, X(x, x1)), wp_buf_puts(b, "\" y1=\""), coord(b, y1);
  wp_buf_puts(b, "\" x2=\""), coord(b, X(x, x2)), wp_buf_puts(b, "\" y2=\""), coord(b, y2), wp_buf_puts(b, "\"/>\n");
}


static double ticks_width(ctx *x, const wp_chart_scale *s) {
  double w = 0;
  for (int i = 0; i < s->nticks; i++) {
    char *t = fmt_value(x, wp_chart_tick(s, i));
    double tw = text_width(t, SMALL);
    if (tw > w) w = tw;
    free(t);
  }
  return w;
}

/* ---- legend: one swatch and name per series (or per slice for a donut) ---- */

/* Lays the names out in rows from the start side; draws when draw is set. Returns the height. */
static double legend(ctx *x, double y0, double from, double to, bool draw) {
  const wp_chart *c = x->c;
  double lx = from, y = y0;
  if (draw) wp_buf_puts(x->b, "<g class=\"chart-legend\">\n");
  for (size_t s = 0; s < c->nseries; s++) {
    double w = 12 + 6 + text_width(c->series[s].name, FONT);
    if (lx > from && lx + w > to) lx = from, y += 20;
    if (draw) {
      char cls[48];
      snprintf(cls, sizeof cls, "chart-swatch series-%zu", s % 8);
      rect(x, lx, y, 12, 12, cls);
      text1(x, lx + 18, y + 10.5, "start", "chart-legend-label", c->series[s].name);
    }
    lx += w + 18;
  }
  if (draw) wp_buf_puts(x->b, "</g>\n");
  return y - y0 + 20;
}

/* ---- vertical charts: bar, stacked, line ---- */

static double draw_vertical(ctx *x) {
  const wp_chart *c = x->c;
  double top = PAD + (c->nseries > 1 ? legend(x, PAD, PAD, W - PAD, false) + 8 : 0) + 14;
  wp_chart_scale s = wp_chart_value_scale(c);
  double left = PAD + ticks_width(x, &s) + 8, right = W - PAD;
  double band = (right - left) / (double)c->ncategories;
  /* Category labels wrap to their band. */
  lines *labels = wp_xcalloc(c->ncategories, sizeof *labels);
  size_t maxlines = 1;
  for (size_t i = 0; i < c->ncategories; i++) {
    labels[i] = wrap(c->categories[i], band - 8, FONT);
    if (labels[i].n > maxlines) maxlines = labels[i].n;
  }
  double bottom = top + PLOT_H, height = bottom + 10 + (double)maxlines * LINE_H + PAD;
  if (c->nseries > 1) legend(x, PAD, PAD, W - PAD, true);
#define Y(v) (bottom - ((v) - s.lo) / (s.hi - s.lo) * PLOT_H)
  wp_buf_puts(x->b, "<g class=\"chart-grid\">\n");
  for (int i = 0; i < s.nticks; i++) line(x, left, Y(wp_chart_tick(&s, i)), right, Y(wp_chart_tick(&s, i)), "chart-gridline");
  wp_buf_puts(x->b, "</g>\n<g class=\"chart-ticks\">\n");
  for (int i = 0; i < s.nticks; i++) {
    char *t = fmt_value(x, wp_chart_tick(&s, i));
    text1(x, left - 8, Y(wp_chart_tick(&s, i)) + 4, "end", "chart-tick", t);
    free(t);
  }
  wp_buf_puts(x->b, "</g>\n<g class=\"chart-categories\">\n");
  for (size_t i = 0; i < c->ncategories; i++)
    text_lines(x, left + band * ((double)i + 0.5), bottom + 10 + SMALL, "middle", "chart-category", &labels[i], false);
  wp_buf_puts(x->b, "</g>\n");
  double group = band * (c->type == WP_CHART_STACKED || c->nseries == 1 ? 0.6 : 0.8);
  double barw = c->type == WP_CHART_STACKED ? group : group / (double)c->nseries;
  if (barw > 96) barw = 96;
  for (size_t sr = 0; sr < c->nseries; sr++) {
    char cls[48];
    snprintf(cls, sizeof cls, "chart-value series-%zu", sr % 8);
    wp_buf_printf(x->b, "<g class=\"chart-series\" data-series=\"%zu\">\n", sr);
    if (c->type == WP_CHART_LINE) {
      wp_buf_printf(x->b, "<path class=\"chart-line series-%zu\" d=\"", sr % 8);
      for (size_t i = 0; i < c->ncategories; i++) {
        wp_buf_puts(x->b, i ? " L" : "M"), coord(x->b, X(x, left + band * ((double)i + 0.5)));
        wp_buf_putc(x->b, ' '), coord(x->b, Y(c->series[sr].values[i]));
      }
      wp_buf_puts(x->b, "\"/>\n");
    }
    for (size_t i = 0; i < c->ncategories; i++) {
      double v = c->series[sr].values[i], mid = left + band * ((double)i + 0.5);
      char *label = fmt_value(x, v);
      double lw = text_width(label, SMALL);
      if (c->type == WP_CHART_LINE) {
        wp_buf_printf(x->b, "<circle class=\"%s\" cx=\"", cls), coord(x->b, X(x, mid));
        wp_buf_puts(x->b, "\" cy=\""), coord(x->b, Y(v)), wp_buf_puts(x->b, "\" r=\"4\"/>\n");
        if (c->nseries == 1) text1(x, mid, Y(v) - 9, "middle", "chart-value-label", label);
      } else if (c->type == WP_CHART_STACKED) {
        double base = 0;
        for (size_t k = 0; k < sr; k++) base += c->series[k].values[i];
        double y0 = Y(base), y1 = Y(base + v);
        rect(x, mid - barw / 2, y1, barw, y0 - y1, cls);
        if (y0 - y1 >= 16 && lw <= barw - 4)
          text1(x, mid, (y0 + y1) / 2 + 4, "middle", "chart-value-label chart-value-inside", label);
      } else {
        double bx = mid - group / 2 + (group - barw * (double)c->nseries) / 2 + barw * (double)sr;
        rect(x, bx, Y(v > 0 ? v : 0), barw, fabs(Y(v) - Y(0)), cls);
        if (lw <= band / (double)c->nseries + 2)
          text1(x, bx + barw / 2, v >= 0 ? Y(v) - 6 : Y(v) + SMALL + 2, "middle", "chart-value-label", label);
      }
      free(label);
    }
    wp_buf_puts(x->b, "</g>\n");
  }
  line(x, left, Y(0), right, Y(0), "chart-axis");
#undef Y
  for (size_t i = 0; i < c->ncategories; i++) lines_free(&labels[i]);
  free(labels);
  return height;
}

/* ---- horizontal bars ---- */

static double draw_hbar(ctx *x) {
  const wp_chart *c = x->c;
  double top = PAD + (c->nseries > 1 ? legend(x, PAD, PAD, W - PAD, false) + 8 : 0);
  wp_chart_scale s = wp_chart_value_scale(c);
  /* The label column takes what the longest label needs, at most a third of the width. */
  double labelw = 0;
  for (size_t i = 0; i < c->ncategories; i++) {
    double w = text_width(c->categories[i], FONT);
    if (w > labelw) labelw = w;
  }
  if (labelw > W / 3) labelw = W / 3;
  double valuew = 0;
  for (size_t sr = 0; sr < c->nseries; sr++)
    for (size_t i = 0; i < c->ncategories; i++) {
      char *t = fmt_value(x, c->series[sr].values[i]);
      double w = text_width(t, SMALL);
      if (w > valuew) valuew = w;
      free(t);
    }
  double left = PAD + labelw + 10, right = W - PAD - valuew - 8;
  double barh = c->nseries == 1 ? 22 : 16;
  lines *labels = wp_xcalloc(c->ncategories, sizeof *labels);
  double *rowy = wp_xcalloc(c->ncategories + 1, sizeof *rowy);
  rowy[0] = top;
  for (size_t i = 0; i < c->ncategories; i++) {
    labels[i] = wrap(c->categories[i], labelw, FONT);
    double need = (double)labels[i].n * LINE_H, bars = barh * (double)c->nseries;
    rowy[i + 1] = rowy[i] + (need > bars ? need : bars) + 14;
  }
  double bottom = rowy[c->ncategories], height = bottom + 8 + SMALL + PAD;
  if (c->nseries > 1) legend(x, PAD, PAD, W - PAD, true);
#define XV(v) (left + ((v) - s.lo) / (s.hi - s.lo) * (right - left))
  wp_buf_puts(x->b, "<g class=\"chart-grid\">\n");
  for (int i = 0; i < s.nticks; i++) line(x, XV(wp_chart_tick(&s, i)), top, XV(wp_chart_tick(&s, i)), bottom, "chart-gridline");
  wp_buf_puts(x->b, "</g>\n<g class=\"chart-ticks\">\n");
  for (int i = 0; i < s.nticks; i++) {
    char *t = fmt_value(x, wp_chart_tick(&s, i));
    text1(x, XV(wp_chart_tick(&s, i)), bottom + 6 + SMALL, "middle", "chart-tick", t);
    free(t);
  }
  wp_buf_puts(x->b, "</g>\n<g class=\"chart-categories\">\n");
  for (size_t i = 0; i < c->ncategories; i++)
    text_lines(x, left - 10, (rowy[i] + rowy[i + 1] - 14) / 2 + 4.5, "end", "chart-category", &labels[i], true);
  wp_buf_puts(x->b, "</g>\n");
  for (size_t sr = 0; sr < c->nseries; sr++) {
    char cls[48];
    snprintf(cls, sizeof cls, "chart-value series-%zu", sr % 8);
    wp_buf_printf(x->b, "<g class=\"chart-series\" data-series=\"%zu\">\n", sr);
    for (size_t i = 0; i < c->ncategories; i++) {
      double v = c->series[sr].values[i];
      double mid = (rowy[i] + rowy[i + 1] - 14) / 2;
      double y = mid - barh * (double)c->nseries / 2 + barh * (double)sr;
      rect(x, XV(v > 0 ? 0 : v), y + 1, fabs(XV(v) - XV(0)), barh - 2, cls);
      char *label = fmt_value(x, v);
      if (v >= 0) text1(x, XV(v) + 5, y + barh / 2 + 4, "start", "chart-value-label", label);
      else text1(x, XV(v) - 5, y + barh / 2 + 4, "end", "chart-value-label", label);
      free(label);
    }
    wp_buf_puts(x->b, "</g>\n");
  }
  line(x, XV(0), top, XV(0), bottom, "chart-axis");
#undef XV
  for (size_t i = 0; i < c->ncategories; i++) lines_free(&labels[i]);
  free(labels);
  free(rowy);
  return height;
}

/* ---- donut: a ring of slices from 12 o'clock, clockwise (counter-clockwise mirrored), and a
 * legend beside it with each slice's value ---- */

static void arc_point(ctx *x, double cx, double cy, double r, double a) {
  coord(x->b, X(x, cx + r * sin(a))), wp_buf_putc(x->b, ' '), coord(x->b, cy - r * cos(a));
}

static double draw_donut(ctx *x) {
  const wp_chart *c = x->c;
  const double R = 110, r = 64, cx = PAD + R + 8, from = cx + R + 36, to = W - PAD;
  const double *v = c->series[0].values;
  double total = 0, valuew = 0;
  for (size_t i = 0; i < c->ncategories; i++) {
    total += v[i];
    char *t = fmt_value(x, v[i]);
    if (text_width(t, FONT) > valuew) valuew = text_width(t, FONT);
    free(t);
  }
  /* Legend rows first: they may be taller than the ring. */
  lines *labels = wp_xcalloc(c->ncategories, sizeof *labels);
  double rows = 0;
  for (size_t i = 0; i < c->ncategories; i++) {
    labels[i] = wrap(c->categories[i], to - (from + 20) - valuew - 12, FONT);
    rows += (double)labels[i].n * LINE_H + 10;
  }
  double height = 2 * R + 2 * PAD + 8;
  if (rows + 2 * PAD > height) height = rows + 2 * PAD;
  double cy = height / 2, y = (height - rows) / 2 + 12;
  wp_buf_puts(x->b, "<g class=\"chart-series\" data-series=\"0\">\n");
  double a0 = 0;
  const char *sweep = x->rtl ? "0" : "1", *back = x->rtl ? "1" : "0";
  for (size_t i = 0; i < c->ncategories; i++) {
    double a1 = a0 + 2 * M_PI * v[i] / total, am = (a0 + a1) / 2;
    if (i == c->ncategories - 1) a1 = 2 * M_PI;
    wp_buf_printf(x->b, "<path class=\"chart-value series-0 slice-%zu\" d=\"M", i % 8);
    /* Each edge is drawn as two arcs, so a slice of more than half (or all) of the ring works. */
    arc_point(x, cx, cy, R, a0), wp_buf_printf(x->b, " A%g %g 0 0 %s ", R, R, sweep), arc_point(x, cx, cy, R, am);
    wp_buf_printf(x->b, " A%g %g 0 0 %s ", R, R, sweep), arc_point(x, cx, cy, R, a1);
    wp_buf_puts(x->b, " L"), arc_point(x, cx, cy, r, a1);
    wp_buf_printf(x->b, " A%g %g 0 0 %s ", r, r, back), arc_point(x, cx, cy, r, am);
    wp_buf_printf(x->b, " A%g %g 0 0 %s ", r, r, back), arc_point(x, cx, cy, r, a0);
    wp_buf_puts(x->b, "Z\"/>\n");
    a0 = a1;
  }
  wp_buf_puts(x->b, "</g>\n<g class=\"chart-legend\">\n");
  for (size_t i = 0; i < c->ncategories; i++) {
    char cls[48];
    snprintf(cls, sizeof cls, "chart-swatch series-0 slice-%zu", i % 8);
    rect(x, from, y - 10.5, 12, 12, cls);
    text_lines(x, from + 20, y, "start", "chart-legend-label", &labels[i], false);
    char *t = fmt_value(x, v[i]);
    text1(x, to, y, "end", "chart-legend-value", t);
    free(t);
    y += (double)labels[i].n * LINE_H + 10;
    lines_free(&labels[i]);
  }
  wp_buf_puts(x->b, "</g>\n");
  free(labels);
  return height;
}

/* ---- text alternatives ---- */

/* "Registered 37,000 and Attended in person 24,000": the language's list pattern (ICU). */
static void describe(ctx *x, wp_buf *out) {
  const wp_chart *c = x->c;
  size_t n = c->ncategories * c->nseries, k = 0;
  UChar **items = wp_xcalloc(n, sizeof *items);
  int32_t *lens = wp_xcalloc(n, sizeof *lens);
  for (size_t i = 0; i < c->ncategories; i++)
    for (size_t s = 0; s < c->nseries; s++, k++) {
      char *v = fmt_value(x, c->series[s].values[i]);
      char *item = c->nseries > 1 ? wp_printf("%s %s %s", c->categories[i], c->series[s].name, v)
                                  : wp_printf("%s %s", c->categories[i], v);
      UErrorCode st = U_ZERO_ERROR;
      int32_t len = 0;
      u_strFromUTF8(NULL, 0, &len, item, -1, &st);
      items[k] = wp_xcalloc((size_t)len + 1, sizeof(UChar));
      st = U_ZERO_ERROR;
      u_strFromUTF8(items[k], len + 1, &lens[k], item, -1, &st);
      free(item), free(v);
    }
  UErrorCode st = U_ZERO_ERROR;
  UListFormatter *lf = ulistfmt_openForType(wp_format_locale(x->fmt), ULISTFMT_TYPE_AND, ULISTFMT_WIDTH_WIDE, &st);
  int32_t len = U_SUCCESS(st) ? ulistfmt_format(lf, (const UChar *const *)items, lens, (int32_t)n, NULL, 0, &st) : 0;
  if (st == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(st)) {
    UChar *u = wp_xcalloc((size_t)len + 1, sizeof *u);
    st = U_ZERO_ERROR;
    ulistfmt_format(lf, (const UChar *const *)items, lens, (int32_t)n, u, len + 1, &st);
    int32_t n8 = 0;
    UErrorCode st8 = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &n8, u, len, &st8);
    char *s = wp_xcalloc((size_t)n8 + 1, 1);
    st8 = U_ZERO_ERROR;
    u_strToUTF8(s, n8 + 1, NULL, u, len, &st8);
    esc(out, s);
    free(s), free(u);
  }
  if (lf) ulistfmt_close(lf);
  for (k = 0; k < n; k++) free(items[k]);
  free(items), free(lens);
}

static void data_table(ctx *x) {
  const wp_chart *c = x->c;
  wp_buf *b = x->b;
  wp_buf_puts(b, "<table class=\"chart-table\"><caption>"), esc(b, c->title);
  if (c->units) wp_buf_puts(b, " <span class=\"chart-units\">"), esc(b, c->units), wp_buf_puts(b, "</span>");
  wp_buf_puts(b, "</caption>\n<thead><tr>");
  if (c->category_label) wp_buf_puts(b, "<th scope=\"col\">"), esc(b, c->category_label), wp_buf_puts(b, "</th>");
  else wp_buf_puts(b, "<td></td>");
  for (size_t s = 0; s < c->nseries; s++) {
    const char *name = *c->series[s].name ? c->series[s].name : c->units ? c->units : c->title;
    wp_buf_puts(b, "<th scope=\"col\">"), esc(b, name), wp_buf_puts(b, "</th>");
  }
  wp_buf_puts(b, "</tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < c->ncategories; i++) {
    wp_buf_puts(b, "<tr><th scope=\"row\">"), esc(b, c->categories[i]), wp_buf_puts(b, "</th>");
    for (size_t s = 0; s < c->nseries; s++) {
      char *v = fmt_value(x, c->series[s].values[i]);
      wp_buf_puts(b, "<td>"), esc(b, v), wp_buf_puts(b, "</td>");
      free(v);
    }
    wp_buf_puts(b, "</tr>\n");
  }
  wp_buf_puts(b, "</tbody></table>\n");
}

char *wp_chart_svg(const wp_chart *c, const wp_lang *lang) {
  wp_buf body = {0}, out = {0};
  wp_buf_puts(&body, "");
  ctx x = {c, wp_format_new(lang), lang->dir && !strcmp(lang->dir, "rtl"), &body, {0}};
  snprintf(x.id, sizeof x.id, "chart-%d", c->line);
  double height = c->type == WP_CHART_HBAR    ? draw_hbar(&x)
                  : c->type == WP_CHART_DONUT ? draw_donut(&x)
                                              : draw_vertical(&x);
  x.b = &out;
  wp_buf_printf(&out, "<figure class=\"chart chart-%s\" id=\"%s\">\n<figcaption>", wp_chart_type_name(c->type), x.id);
  wp_buf_puts(&out, "<span class=\"chart-title\">"), esc(&out, c->title), wp_buf_puts(&out, "</span>");
  if (c->units) wp_buf_puts(&out, "<span class=\"chart-units\">"), esc(&out, c->units), wp_buf_puts(&out, "</span>");
  if (c->caption)
    wp_buf_puts(&out, "<span class=\"chart-caption\">"), esc(&out, c->caption), wp_buf_puts(&out, "</span>");
  wp_buf_puts(&out, "</figcaption>\n<div class=\"chart-plot\" tabindex=\"0\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" viewBox=\"0 0 ");
  coord(&out, W), wp_buf_putc(&out, ' '), coord(&out, height);
  wp_buf_printf(&out, "\" width=\"100%%\" role=\"img\" aria-labelledby=\"%s-title %s-desc\" lang=\"", x.id, x.id);
  esc(&out, lang->code);
  wp_buf_printf(&out, "\" direction=\"%s\">\n<title id=\"%s-title\">", x.rtl ? "rtl" : "ltr", x.id);
  esc(&out, c->title);
  wp_buf_printf(&out, "</title>\n<desc id=\"%s-desc\">", x.id);
  if (c->caption) esc(&out, c->caption), wp_buf_putc(&out, ' ');
  describe(&x, &out);
  wp_buf_puts(&out, "</desc>\n");
  wp_buf_put(&out, body.data, body.len);
  wp_buf_puts(&out, "</svg></div>\n");
  if (c->source) wp_buf_puts(&out, "<p class=\"chart-source\">"), esc(&out, c->source), wp_buf_puts(&out, "</p>\n");
  data_table(&x);
  wp_buf_puts(&out, "</figure>\n");
  wp_buf_free(&body);
  wp_format_free(x.fmt);
  return wp_buf_take(&out);
}
