/* layout/chart_pdf — see chart_pdf.h. Lengths are points; y grows downwards from the top of
 * the plot (the drawing's box), x from the chart's START edge: `px` turns a start offset into
 * the drawing's left-based x (mirrored on right-to-left pages). */
#include "layout/chart_pdf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

/* charts.css: the palette (series-N, slice-N), ink, muted text, gridlines, axis. */
static const wp_rgb palette[8] = {0x00558c, 0xc8541b, 0x0077b3, 0x1f7a4d, 0x7b4f9d, 0xb0283f, 0x5e6b75, 0x8a6a00};
#define INK 0x1d2327u
#define MUTED 0x4f5a63u
#define GRID 0xd5dbe0u
#define AXIS 0x5b6670u
#define WHITE 0xffffffu

typedef enum { A_START, A_MIDDLE, A_END } anchor;

/* A label: a kept paragraph, broken on one line as wide as it is (wrap 0) or wrapped. */
typedef struct {
  int para, nlines;
  double w;    /* natural width (one line), or the widest line when wrapped */
  double wrap; /* the measure it was broken to, or 0 */
} label;

typedef struct {
  fl_ctx *c;
  const wp_chart *ch;
  wp_format *fmt;
  bool rtl;
  double x0, W;    /* the chart's start offset in the text block, its width */
  wp_dstyle title, note, text, tick, value;
  double lh;       /* line height of wrapped labels */
  int strip;       /* index of the chart's strip in c->out */
  double plot_y;   /* top of the plot in the strip */
  wp_drawing *d;
  wp_rgb ink;      /* text colour of the ops added last */
} cx;

/* ---- labels ---- */

static label measure_label(cx *x, const wp_dstyle *st, const char *text, double wrap, anchor a) {
  wp_para *p = wp_flow_para(x->c->in->fonts, st, x->c->in->page->lang->code, text, 0);
  fl_shape(x->c, p);
  label l = {fl_keep_para(x->c, p), 1, fl_natural(p), 0};
  wp_break_opts o = wp_break_defaults(l.w + 0.01);
  o.justify = o.hyphenate = false;
  if (wrap > 0 && l.w > wrap) {
    l.wrap = o.width = wrap;
    o.align = a == A_START ? WP_ALIGN_START : a == A_MIDDLE ? WP_ALIGN_CENTER : WP_ALIGN_END;
    l.nlines = wp_para_break(p, &o);
    l.w = 0;
    for (int i = 0; i < l.nlines; i++) {
      wp_line_info li;
      wp_para_line(p, i, &li);
      if (li.natural > l.w) l.w = li.natural;
    }
  } else {
    l.nlines = wp_para_break(p, &o) > 0;
  }
  return l;
}

static char *fmt_value(const cx *x, double v) {
  return x->ch->percent ? wp_format_percent(x->fmt, v, 0) : wp_format_number(x->fmt, v, NULL);
}

static label measure_value(cx *x, const wp_dstyle *st, double v) {
  char *t = fmt_value(x, v);
  label l = measure_label(x, st, t, 0, A_START);
  free(t);
  return l;
}

static wp_strip *strip(cx *x) { return &x->c->out->s[x->strip]; }

/* An image op carrying a drawing: shapes, or only a text colour for the ops after it. */
static void drawing_op(cx *x, wp_drawing *d, double lx, double y, double w, double h) {
  size_t len;
  char *data = wp_drawing_take(d, &len);
  wp_flow *f = x->c->f;
  f->images = wp_xrealloc(f->images, (size_t)(f->nimages + 1) * sizeof *f->images);
  f->images[f->nimages] = (wp_flow_image){data, len, false};
  fl_op(x->c, strip(x), (wp_op){WP_OP_IMAGE, 0, 0, f->nimages++, lx, y, w, h});
}

static void ink(cx *x, wp_rgb color) {
  if (color == x->ink) return;
  wp_drawing *d = wp_drawing_new(0, 0);
  wp_drawing_text_color(d, color);
  drawing_op(x, d, x->x0, x->plot_y, 0, 0);
  x->ink = color;
}

/* Places label l: anchored at start offset lx of the chart, first baseline at y of the strip,
 * line i at y + i * lh, in a colour. */
static void put_at(cx *x, const label *l, double lx, double y, double lh, anchor a, wp_rgb color) {
  ink(x, color);
  double w = l->wrap > 0 ? l->wrap : l->w + 0.01;
  double bx = a == A_START ? lx : a == A_MIDDLE ? lx - w / 2 : lx - w;
  for (int i = 0; i < l->nlines; i++)
    fl_op(x->c, strip(x), (wp_op){WP_OP_TEXT, l->para, i, 0, x->x0 + bx, y + i * lh, w, 0});
}

/* The same with y in the plot. */
static void put(cx *x, const label *l, double lx, double y, anchor a, wp_rgb color) {
  put_at(x, l, lx, x->plot_y + y, x->lh, a, color);
}

/* ---- shapes, in plot coordinates from the start edge ---- */

static double px(const cx *x, double lx) { return x->rtl ? x->W - lx : lx; }

static void rect(cx *x, double lx, double y, double w, double h, wp_paint p) {
  if (w < 0) lx += w, w = -w;
  if (h < 0) y += h, h = -h;
  wp_drawing_rect(x->d, x->rtl ? x->W - lx - w : lx, y, w, h, p);
}

static void line(cx *x, double x1, double y1, double x2, double y2, wp_rgb color, double width) {
  wp_path_seg s[2] = {{WP_PATH_MOVE, {px(x, x1)}, {y1}}, {WP_PATH_LINE, {px(x, x2)}, {y2}}};
  wp_drawing_path(x->d, s, 2, (wp_paint){WP_RGB_NONE, color, width});
}

/* A point at angle a (radians clockwise from 12 o'clock) on a circle, and the cubic Bézier
 * pieces (at most 90° each) of the arc from a0 to a1, appended to segs. */
static void arc(cx *x, wp_path_seg *segs, size_t *n, double cx0, double cy0, double r, double a0, double a1) {
  int pieces = (int)ceil(fabs(a1 - a0) / (M_PI / 2) - 1e-9);
  if (pieces < 1) pieces = 1;
  double step = (a1 - a0) / pieces, k = 4.0 / 3.0 * tan(step / 4);
  for (int i = 0; i < pieces; i++) {
    double b0 = a0 + step * i, b1 = b0 + step;
    double x0 = cx0 + r * sin(b0), y0 = cy0 - r * cos(b0), x3 = cx0 + r * sin(b1), y3 = cy0 - r * cos(b1);
    wp_path_seg s = {WP_PATH_CURVE,
                     {px(x, x0 + k * r * cos(b0)), px(x, x3 - k * r * cos(b1)), px(x, x3)},
                     {y0 + k * r * sin(b0), y3 - k * r * sin(b1), y3}};
    segs[(*n)++] = s;
  }
}

static void circle(cx *x, double cx0, double cy0, double r, wp_paint p) {
  wp_path_seg segs[6];
  size_t n = 0;
  segs[n++] = (wp_path_seg){WP_PATH_MOVE, {px(x, cx0)}, {cy0 - r}};
  arc(x, segs, &n, cx0, cy0, r, 0, 2 * M_PI);
  segs[n++] = (wp_path_seg){WP_PATH_CLOSE, {0}, {0}};
  wp_drawing_path(x->d, segs, n, p);
}

static wp_paint fill(wp_rgb c, double stroke) { return (wp_paint){c, stroke > 0 ? WHITE : WP_RGB_NONE, stroke}; }


/* Tick labels of a scale, measured. */
static label *tick_labels(cx *x, const wp_chart_scale *s, double *maxw) {
  label *l = wp_xcalloc((size_t)s->nticks, sizeof *l);
  *maxw = 0;
  for (int i = 0; i < s->nticks; i++) {
    l[i] = measure_value(x, &x->tick, wp_chart_tick(s, i));
    if (l[i].w > *maxw) *maxw = l[i].w;
  }
  return l;
}

/* Room below the last baseline of labels (Amiri's descenders are deep: its line height says). */
static double descent(const cx *x) {
  double d = x->lh - x->text.size * 0.85;
  return d > x->text.size * 0.3 ? d : x->text.size * 0.3;
}

/* ---- legend: a swatch and the name of each series, in rows from the start side ---- */

typedef struct {
  label *names;
  double *lx, *ly; /* per series: start offset and row top */
  double height;
} legend_t;

static legend_t legend_layout(cx *x, double y0) {
  const wp_chart *c = x->ch;
  legend_t g = {wp_xcalloc(c->nseries, sizeof(label)), wp_xcalloc(c->nseries, sizeof(double)),
                wp_xcalloc(c->nseries, sizeof(double)), 0};
  double sw = x->text.size * 0.9, lx = 0, y = y0, rowh = x->lh > sw ? x->lh : sw;
  for (size_t s = 0; s < c->nseries; s++) {
    g.names[s] = measure_label(x, &x->text, c->series[s].name, x->W - sw - 4, A_START);
    double w = sw + 4 + g.names[s].w;
    if (lx > 0 && lx + w > x->W) lx = 0, y += rowh + 2;
    g.lx[s] = lx, g.ly[s] = y;
    lx += w + sw * 1.5;
  }
  g.height = y - y0 + rowh * (double)g.names[c->nseries - 1].nlines;
  return g;
}

static void legend_draw(cx *x, const legend_t *g) {
  double sw = x->text.size * 0.9;
  for (size_t s = 0; s < x->ch->nseries; s++) {
    double top = g->ly[s] + (x->lh - sw) / 2;
    rect(x, g->lx[s], top, sw, sw, fill(palette[s % 8], 0));
    put(x, &g->names[s], g->lx[s] + sw + 4, top + sw * 0.85, A_START, INK);
  }
}

static void legend_free(legend_t *g) { free(g->names), free(g->lx), free(g->ly); }

/* ---- vertical charts: bar, stacked, line ---- */

static double vertical(cx *x) {
  const wp_chart *c = x->ch;
  const double T = x->tick.size, L = x->text.size, W = x->W;
  bool multi = c->nseries > 1;
  legend_t g = {0};
  double top = 0;
  if (multi) g = legend_layout(x, 0), top = g.height + L * 0.6;
  top += T * 1.6; /* room for the value labels above the tallest bar */
  wp_chart_scale s = wp_chart_value_scale(c);
  double tw;
  label *ticks = tick_labels(x, &s, &tw);
  double left = tw + T * 0.6, right = W, band = (right - left) / (double)c->ncategories;
  label *cats = wp_xcalloc(c->ncategories, sizeof *cats);
  int maxlines = 1;
  for (size_t i = 0; i < c->ncategories; i++) {
    cats[i] = measure_label(x, &x->text, c->categories[i], band - L * 0.5, A_MIDDLE);
    if (cats[i].nlines > maxlines) maxlines = cats[i].nlines;
  }
  double plot_h = W * 0.36 < 110 ? 110 : W * 0.36 > 200 ? 200 : W * 0.36;
  /* Labels of bars below zero hang under them: room for them above the categories. */
  double under = s.lo < 0 && c->type != WP_CHART_LINE ? T * 1.6 : 0;
  double bottom = top + plot_h, height = bottom + under + L * 0.45 + L * 0.85 + (maxlines - 1) * x->lh + descent(x);
#define Y(v) (bottom - ((v) - s.lo) / (s.hi - s.lo) * plot_h)
  wp_drawing_group_begin(x->d, "WPChart");
  for (int i = 0; i < s.nticks; i++) line(x, left, Y(wp_chart_tick(&s, i)), right, Y(wp_chart_tick(&s, i)), GRID, 0.5);
  if (multi) legend_draw(x, &g);
  for (int i = 0; i < s.nticks; i++) put(x, &ticks[i], left - T * 0.6, Y(wp_chart_tick(&s, i)) + T * 0.33, A_END, MUTED);
  for (size_t i = 0; i < c->ncategories; i++)
    put(x, &cats[i], left + band * ((double)i + 0.5), bottom + under + L * 0.45 + L * 0.85, A_MIDDLE, INK);
  double group = band * (c->type == WP_CHART_STACKED || !multi ? 0.6 : 0.8);
  double barw = c->type == WP_CHART_STACKED ? group : group / (double)c->nseries;
  if (barw > W * 0.15) barw = W * 0.15;
  /* Lines first, so the markers of every series sit on top of them. */
  for (size_t sr = 0; c->type == WP_CHART_LINE && sr < c->nseries; sr++) {
    wp_path_seg *segs = wp_xcalloc(c->ncategories, sizeof *segs);
    for (size_t i = 0; i < c->ncategories; i++)
      segs[i] = (wp_path_seg){i ? WP_PATH_LINE : WP_PATH_MOVE, {px(x, left + band * ((double)i + 0.5))},
                              {Y(c->series[sr].values[i])}};
    wp_drawing_path(x->d, segs, c->ncategories, (wp_paint){WP_RGB_NONE, palette[sr % 8], 1.75});
    free(segs);
  }
  wp_drawing_group_begin(x->d, "WPValues");
  for (size_t sr = 0; sr < c->nseries; sr++) {
    wp_rgb col = palette[sr % 8];
    for (size_t i = 0; i < c->ncategories; i++) {
      double v = c->series[sr].values[i], mid = left + band * ((double)i + 0.5);
      label vl = measure_value(x, &x->value, v);
      if (c->type == WP_CHART_LINE) {
        circle(x, mid, Y(v), 3, fill(col, 1));
        if (!multi) put(x, &vl, mid, Y(v) - T * 0.75, A_MIDDLE, INK);
      } else if (c->type == WP_CHART_STACKED) {
        double base = 0;
        for (size_t k = 0; k < sr; k++) base += c->series[k].values[i];
        double y0 = Y(base), y1 = Y(base + v);
        rect(x, mid - barw / 2, y1, barw, y0 - y1, fill(col, 0.75));
        if (fabs(y0 - y1) >= T * 1.4 && vl.w <= barw - 4)
          put(x, &vl, mid, (y0 + y1) / 2 + T * 0.33, A_MIDDLE, WHITE);
      } else {
        double bx = mid - group / 2 + (group - barw * (double)c->nseries) / 2 + barw * (double)sr;
        rect(x, bx, Y(v > 0 ? v : 0), barw, fabs(Y(v) - Y(0)), fill(col, 0.75));
        if (vl.w <= band / (double)c->nseries + 2)
          put(x, &vl, bx + barw / 2, v >= 0 ? Y(v) - T * 0.45 : Y(v) + T * 1.1, A_MIDDLE, INK);
      }
    }
  }
  wp_drawing_group_end(x->d);
  line(x, left, Y(0), right, Y(0), AXIS, 0.75);
  wp_drawing_group_end(x->d);
#undef Y
  if (multi) legend_free(&g);
  free(ticks);
  free(cats);
  return height;
}

/* ---- horizontal bars ---- */

static double horizontal(cx *x) {
  const wp_chart *c = x->ch;
  const double T = x->tick.size, L = x->text.size, W = x->W;
  bool multi = c->nseries > 1;
  legend_t g = {0};
  double top = 0;
  if (multi) g = legend_layout(x, 0), top = g.height + L * 0.6;
  wp_chart_scale s = wp_chart_value_scale(c);
  double tw;
  label *ticks = tick_labels(x, &s, &tw);
  /* The label column takes what the longest label needs, at most a third of the width. */
  label *cats = wp_xcalloc(c->ncategories, sizeof *cats);
  double labelw = 0;
  for (size_t i = 0; i < c->ncategories; i++) {
    cats[i] = measure_label(x, &x->text, c->categories[i], W / 3, A_END);
    if (cats[i].w > labelw) labelw = cats[i].w;
  }
  double valuew = 0;
  label *vals = wp_xcalloc(c->ncategories * c->nseries, sizeof *vals);
  for (size_t sr = 0; sr < c->nseries; sr++)
    for (size_t i = 0; i < c->ncategories; i++) {
      label *l = &vals[sr * c->ncategories + i];
      *l = measure_value(x, &x->value, c->series[sr].values[i]);
      if (l->w > valuew) valuew = l->w;
    }
  /* Labels of bars below zero stand left of them: room for them after the categories. */
  double left = labelw + L * 0.8 + (s.lo < 0 ? valuew + T * 0.6 : 0), right = W - (s.hi > 0 ? valuew + T * 0.6 : 0);
  if (right - left < W / 3) right = left + W / 3;
  double barh = L * (multi ? 1.25 : 1.7), gap = L * 0.7;
  double *rowy = wp_xcalloc(c->ncategories + 1, sizeof *rowy);
  rowy[0] = top;
  for (size_t i = 0; i < c->ncategories; i++) {
    double need = (double)cats[i].nlines * x->lh, bars = barh * (double)c->nseries;
    rowy[i + 1] = rowy[i] + (need > bars ? need : bars) + gap;
  }
  double bottom = rowy[c->ncategories], height = bottom + T * 0.4 + T * 0.85 + descent(x);
#define XV(v) (left + ((v) - s.lo) / (s.hi - s.lo) * (right - left))
  wp_drawing_group_begin(x->d, "WPChart");
  for (int i = 0; i < s.nticks; i++) line(x, XV(wp_chart_tick(&s, i)), top, XV(wp_chart_tick(&s, i)), bottom, GRID, 0.5);
  if (multi) legend_draw(x, &g);
  for (int i = 0; i < s.nticks; i++) put(x, &ticks[i], XV(wp_chart_tick(&s, i)), bottom + T * 0.4 + T * 0.85, A_MIDDLE, MUTED);
  for (size_t i = 0; i < c->ncategories; i++) {
    double mid = (rowy[i] + rowy[i + 1] - gap) / 2;
    put(x, &cats[i], labelw + L * 0.2, mid - (cats[i].nlines - 1) * x->lh / 2 + L * 0.33, A_END, INK);
  }
  wp_drawing_group_begin(x->d, "WPValues");
  for (size_t sr = 0; sr < c->nseries; sr++)
    for (size_t i = 0; i < c->ncategories; i++) {
      double v = c->series[sr].values[i], mid = (rowy[i] + rowy[i + 1] - gap) / 2;
      double y = mid - barh * (double)c->nseries / 2 + barh * (double)sr;
      rect(x, XV(v > 0 ? 0 : v), y + 0.5, fabs(XV(v) - XV(0)), barh - 1, fill(palette[sr % 8], 0.75));
      const label *vl = &vals[sr * c->ncategories + i];
      if (v >= 0) put(x, vl, XV(v) + T * 0.4, y + barh / 2 + T * 0.33, A_START, INK);
      else put(x, vl, XV(v) - T * 0.4, y + barh / 2 + T * 0.33, A_END, INK);
    }
  wp_drawing_group_end(x->d);
  line(x, XV(0), top, XV(0), bottom, AXIS, 0.75);
  wp_drawing_group_end(x->d);
#undef XV
  if (multi) legend_free(&g);
  free(ticks);
  free(cats);
  free(vals);
  free(rowy);
  return height;
}

/* ---- donut: slices from 12 o'clock, clockwise (counter-clockwise mirrored), and a legend
 * beside the ring with each slice's value ---- */

static double donut(cx *x) {
  const wp_chart *c = x->ch;
  const double L = x->text.size, W = x->W, sw = L * 0.9;
  double R = W * 0.17 < 50 ? 50 : W * 0.17 > 90 ? 90 : W * 0.17, r = R * 0.58;
  double cx0 = R + 4, from = cx0 + R + L * 2, to = W;
  const double *v = c->series[0].values;
  double total = 0, valuew = 0;
  label *vals = wp_xcalloc(c->ncategories, sizeof *vals), *cats = wp_xcalloc(c->ncategories, sizeof *cats);
  for (size_t i = 0; i < c->ncategories; i++) {
    total += v[i] > 0 ? v[i] : 0;
    vals[i] = measure_value(x, &x->value, v[i]);
    if (vals[i].w > valuew) valuew = vals[i].w;
  }
  double rows = 0, textw = to - (from + sw + 5) - valuew - L;
  for (size_t i = 0; i < c->ncategories; i++) {
    cats[i] = measure_label(x, &x->text, c->categories[i], textw > 40 ? textw : 40, A_START);
    rows += (double)cats[i].nlines * x->lh + L * 0.6;
  }
  double height = 2 * R + 8 > rows + 4 ? 2 * R + 8 : rows + 4, cy = height / 2, y = (height - rows) / 2;
  wp_drawing_group_begin(x->d, "WPChart");
  wp_drawing_group_begin(x->d, "WPValues");
  double a0 = 0;
  for (size_t i = 0; i < c->ncategories; i++) {
    double share = total > 0 ? (v[i] > 0 ? v[i] : 0) / total : 1.0 / (double)c->ncategories;
    double a1 = i == c->ncategories - 1 ? 2 * M_PI : a0 + 2 * M_PI * share;
    wp_path_seg segs[16];
    size_t n = 0;
    segs[n++] = (wp_path_seg){WP_PATH_MOVE, {px(x, cx0 + R * sin(a0))}, {cy - R * cos(a0)}};
    arc(x, segs, &n, cx0, cy, R, a0, a1);
    segs[n++] = (wp_path_seg){WP_PATH_LINE, {px(x, cx0 + r * sin(a1))}, {cy - r * cos(a1)}};
    arc(x, segs, &n, cx0, cy, r, a1, a0);
    segs[n++] = (wp_path_seg){WP_PATH_CLOSE, {0}, {0}};
    if (a1 > a0) wp_drawing_path(x->d, segs, n, fill(palette[i % 8], 0.75));
    a0 = a1;
  }
  wp_drawing_group_end(x->d);
  for (size_t i = 0; i < c->ncategories; i++) {
    rect(x, from, y + (x->lh - sw) / 2, sw, sw, fill(palette[i % 8], 0));
    put(x, &cats[i], from + sw + 5, y + (x->lh - sw) / 2 + sw * 0.85, A_START, INK);
    put(x, &vals[i], to, y + (x->lh - sw) / 2 + sw * 0.85, A_END, INK);
    y += (double)cats[i].nlines * x->lh + L * 0.6;
  }
  wp_drawing_group_end(x->d);
  free(vals);
  free(cats);
  return height;
}

/* ---- the block ---- */

void fl_chart(fl_ctx *c, const wp_chart *ch, const wp_dstyle *st, double x0, double measure) {
  const wp_page *page = c->in->page;
  cx x = {.c = c, .ch = ch, .x0 = x0, .W = measure, .ink = 0};
  x.fmt = wp_format_new(page->lang);
  x.rtl = page->lang->dir && !strcmp(page->lang->dir, "rtl");
  x.title = *st;
  x.note = *st, x.note.bold = false, x.note.italic = false, x.note.size = st->size * 0.9;
  x.text = x.note, x.text.size = st->size * 0.85;
  x.tick = x.text, x.tick.size = st->size * 0.78;
  x.value = x.tick, x.value.bold = true;
  double spacing = st->leading / st->size;
  x.lh = x.text.size * (spacing < 1.15 ? 1.15 : spacing > 1.45 ? 1.45 : spacing);
  double note_lh = x.note.size * (spacing < 1.15 ? 1.15 : spacing);

  fl_begin_block(c, st);
  /* Title, units and caption above the drawing (the figcaption), the source below it. */
  label heads[3], src = {-1, 0, 0, 0};
  const char *htext[3] = {ch->title, ch->units, ch->caption};
  for (int i = 0; i < 3; i++)
    heads[i] = htext[i] && *htext[i] ? measure_label(&x, i ? &x.note : &x.title, htext[i], measure, A_START)
                                     : (label){-1, 0, 0, 0};
  if (ch->source && *ch->source) src = measure_label(&x, &x.note, ch->source, measure, A_START);
  /* One strip holds it all: pagination never separates the parts. */
  x.strip = c->out->n;
  fl_strip(c, 0);
  double y = 0;
  for (int i = 0; i < 3; i++) {
    if (heads[i].para < 0) continue;
    double lh = i ? note_lh : st->leading, size = i ? x.note.size : st->size;
    put_at(&x, &heads[i], 0, y + (lh - size) / 2 + size * 0.8, lh, A_START, i ? MUTED : 0);
    y += heads[i].nlines * lh;
  }
  x.plot_y = y + st->size * 0.5;
  /* The drawing's height is not scaled (0): its box gets the plot's height. */
  x.d = wp_drawing_new(measure, 0);
  double h = ch->type == WP_CHART_HBAR ? horizontal(&x) : ch->type == WP_CHART_DONUT ? donut(&x) : vertical(&x);
  drawing_op(&x, x.d, x0, x.plot_y, measure, h);
  y = x.plot_y + h;
  if (src.para >= 0) {
    y += x.note.size * 0.4;
    put_at(&x, &src, 0, y + (note_lh - x.note.size) / 2 + x.note.size * 0.8, note_lh, A_START, MUTED);
    y += src.nlines * note_lh;
  }
  ink(&x, 0);
  strip(&x)->height = y + st->size * 0.2;
  wp_format_free(x.fmt);
  fl_end_block(c, st);
}
