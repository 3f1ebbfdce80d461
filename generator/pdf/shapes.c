/* pdf/shapes — vector shapes under a page's text (filled rectangles, paths, marked-content
 * groups, text colour) and drawings: shape lists recorded apart from any page, carried as
 * bytes (e.g. a chart inside a layout op) and replayed into a box. See pdf.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/hpdf_internals.h"
#include "pdf/pdf_impl.h"
#include "util.h"

/* ---- shapes and drawings ---- */

static shape *add_shape(shape_list *l) {
  l->sh = wp_xrealloc(l->sh, (l->n + 1) * sizeof *l->sh);
  shape *s = &l->sh[l->n++];
  memset(s, 0, sizeof *s);
  return s;
}

static void list_rect(shape_list *l, double x, double y, double w, double h, wp_paint paint) {
  shape *s = add_shape(l);
  s->kind = SH_RECT, s->paint = paint, s->x = x, s->y = y, s->w = w, s->h = h;
}

static void list_path(shape_list *l, const wp_path_seg *segs, size_t n, wp_paint paint) {
  if (!n) return;
  l->seg = wp_xrealloc(l->seg, (l->nseg + n) * sizeof *l->seg);
  memcpy(l->seg + l->nseg, segs, n * sizeof *segs);
  shape *s = add_shape(l);
  s->kind = SH_PATH, s->paint = paint, s->seg0 = l->nseg, s->nseg = n;
  l->nseg += n;
}

/* tag NULL: the end of a group. A tag is a PDF name: letters and digits, else "Group". */
static void list_group(shape_list *l, const char *tag) {
  static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  shape *s = add_shape(l);
  s->kind = tag ? SH_BEGIN : SH_END;
  if (tag) snprintf(s->tag, sizeof s->tag, "%s", *tag && !tag[strspn(tag, alnum)] ? tag : "Group");
}

void wp_pdf_rect(wp_pdf_page *pg, double x, double y, double w, double h, wp_paint p) {
  list_rect(&pg->shapes, x, y, w, h, p);
}
void wp_pdf_path(wp_pdf_page *pg, const wp_path_seg *segs, size_t n, wp_paint p) { list_path(&pg->shapes, segs, n, p); }
void wp_pdf_text_color(wp_pdf_page *pg, wp_rgb rgb) { pg->ink = rgb == WP_RGB_NONE ? 0 : rgb; }

wp_drawing *wp_drawing_new(double w, double h) {
  wp_drawing *d = wp_xcalloc(1, sizeof *d);
  d->w = w, d->h = h;
  return d;
}
void wp_drawing_rect(wp_drawing *d, double x, double y, double w, double h, wp_paint p) {
  list_rect(&d->shapes, x, y, w, h, p);
}
void wp_drawing_path(wp_drawing *d, const wp_path_seg *segs, size_t n, wp_paint p) {
  list_path(&d->shapes, segs, n, p);
}
void wp_drawing_group_begin(wp_drawing *d, const char *tag) { list_group(&d->shapes, tag ? tag : ""); }
void wp_drawing_group_end(wp_drawing *d) { list_group(&d->shapes, NULL); }
void wp_drawing_text_color(wp_drawing *d, wp_rgb rgb) {
  shape *s = add_shape(&d->shapes);
  s->kind = SH_INK, s->ink = rgb;
}

void wp_drawing_destroy(wp_drawing *d) {
  if (!d) return;
  free(d->shapes.sh);
  free(d->shapes.seg);
  free(d);
}

/* The bytes: a header, then the shapes and the segments as they are in memory (they never
 * leave the process: a drawing is made and drawn by the same build). */
static const char drawing_magic[8] = {'\0', 'W', 'P', 'D', 'R', 'A', 'W', '1'};
typedef struct {
  char magic[8];
  double w, h;
  size_t n, nseg;
} drawing_header;

char *wp_drawing_take(wp_drawing *d, size_t *len) {
  drawing_header hd = {{0}, d->w, d->h, d->shapes.n, d->shapes.nseg};
  memcpy(hd.magic, drawing_magic, 8);
  size_t a = hd.n * sizeof(shape), b = hd.nseg * sizeof(wp_path_seg);
  *len = sizeof hd + a + b;
  char *out = wp_xmalloc(*len);
  memcpy(out, &hd, sizeof hd);
  if (a) memcpy(out + sizeof hd, d->shapes.sh, a);
  if (b) memcpy(out + sizeof hd + a, d->shapes.seg, b);
  wp_drawing_destroy(d);
  return out;
}

bool wp_pdf_is_drawing(const void *data, size_t len) {
  drawing_header hd;
  if (len < sizeof hd) return false;
  memcpy(&hd, data, sizeof hd);
  return !memcmp(hd.magic, drawing_magic, 8) && hd.n <= len / sizeof(shape) && hd.nseg <= len / sizeof(wp_path_seg) &&
         len == sizeof hd + hd.n * sizeof(shape) + hd.nseg * sizeof(wp_path_seg);
}

/* Replays drawing bytes into the box with bottom-left (x, y), size w x h. */
void wp_pdf_place_drawing(wp_pdf_page *pg, const char *data, double x, double y, double w, double h) {
  drawing_header hd;
  memcpy(&hd, data, sizeof hd);
  double sx = hd.w > 0 ? w / hd.w : 1, sy = hd.h > 0 ? h / hd.h : 1;
  const char *shp = data + sizeof hd, *sgp = shp + hd.n * sizeof(shape);
  for (size_t i = 0; i < hd.n; i++) {
    shape s;
    memcpy(&s, shp + i * sizeof s, sizeof s);
    wp_paint p = s.paint;
    p.width *= sx;
    if (s.kind == SH_RECT) {
      wp_pdf_rect(pg, x + s.x * sx, y + h - (s.y + s.h) * sy, s.w * sx, s.h * sy, p);
    } else if (s.kind == SH_PATH && s.seg0 + s.nseg <= hd.nseg) {
      wp_path_seg *segs = wp_xmalloc(s.nseg * sizeof *segs);
      memcpy(segs, sgp + s.seg0 * sizeof *segs, s.nseg * sizeof *segs);
      for (size_t k = 0; k < s.nseg; k++)
        for (int j = 0; j < 3; j++) segs[k].x[j] = x + segs[k].x[j] * sx, segs[k].y[j] = y + h - segs[k].y[j] * sy;
      wp_pdf_path(pg, segs, s.nseg, p);
      free(segs);
    } else if (s.kind == SH_BEGIN || s.kind == SH_END) {
      s.tag[sizeof s.tag - 1] = 0;
      list_group(&pg->shapes, s.kind == SH_BEGIN ? s.tag : NULL);
    } else if (s.kind == SH_INK) {
      wp_pdf_text_color(pg, s.ink);
    }
  }
}

void wp_pdf_set_rgb(HPDF_Page page, wp_rgb c, bool fill) {
  HPDF_REAL r = (HPDF_REAL)((c >> 16) & 255) / 255, g = (HPDF_REAL)((c >> 8) & 255) / 255,
            b = (HPDF_REAL)(c & 255) / 255;
  if (fill) HPDF_Page_SetRGBFill(page, r, g, b);
  else HPDF_Page_SetRGBStroke(page, r, g, b);
}

/* The page's shapes, before its text, in one q ... Q (colours and widths do not leak). */
void wp_pdf_draw_shapes(HPDF_Page page, const wp_pdf_page *pg) {
  const shape_list *l = &pg->shapes;
  if (!l->n) return;
  HPDF_Page_GSave(page);
  HPDF_Page_SetLineJoin(page, HPDF_ROUND_JOIN);
  int depth = 0;
  for (size_t i = 0; i < l->n; i++) {
    const shape *s = &l->sh[i];
    if (s->kind == SH_BEGIN) {
      char op[64];
      snprintf(op, sizeof op, "/%s BMC\n", s->tag);
      wp_hpdf_page_write(page, op, strlen(op)), depth++;
      continue;
    }
    if (s->kind == SH_END) {
      if (depth > 0) wp_hpdf_page_write(page, "EMC\n", 4), depth--;
      continue;
    }
    if (s->kind != SH_RECT && s->kind != SH_PATH) continue;
    bool fill = s->paint.fill != WP_RGB_NONE, stroke = s->paint.stroke != WP_RGB_NONE && s->paint.width > 0;
    if (!fill && !stroke) continue;
    if (fill) wp_pdf_set_rgb(page, s->paint.fill, true);
    if (stroke) wp_pdf_set_rgb(page, s->paint.stroke, false), HPDF_Page_SetLineWidth(page, (HPDF_REAL)s->paint.width);
    if (s->kind == SH_RECT) {
      HPDF_Page_Rectangle(page, (HPDF_REAL)s->x, (HPDF_REAL)s->y, (HPDF_REAL)s->w, (HPDF_REAL)s->h);
    } else {
      for (size_t k = 0; k < s->nseg; k++) {
        const wp_path_seg *g = &l->seg[s->seg0 + k];
        if (g->verb == WP_PATH_MOVE) HPDF_Page_MoveTo(page, (HPDF_REAL)g->x[0], (HPDF_REAL)g->y[0]);
        else if (g->verb == WP_PATH_LINE) HPDF_Page_LineTo(page, (HPDF_REAL)g->x[0], (HPDF_REAL)g->y[0]);
        else if (g->verb == WP_PATH_CURVE)
          HPDF_Page_CurveTo(page, (HPDF_REAL)g->x[0], (HPDF_REAL)g->y[0], (HPDF_REAL)g->x[1], (HPDF_REAL)g->y[1],
                            (HPDF_REAL)g->x[2], (HPDF_REAL)g->y[2]);
        else HPDF_Page_ClosePath(page);
      }
    }
    if (fill && stroke) HPDF_Page_FillStroke(page);
    else if (fill) HPDF_Page_Fill(page);
    else HPDF_Page_Stroke(page);
  }
  while (depth-- > 0) wp_hpdf_page_write(page, "EMC\n", 4);
  HPDF_Page_GRestore(page);
}

