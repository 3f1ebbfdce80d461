/* layout/flow_blocks — the block walk of the flow: paragraphs (numbered ones with their
 * hanging label), headings, lists, block quotes, code, images, rules, chart blocks and the
 * footnote definitions. See flow.h. */
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "pdf/image.h"
#include "layout/chart_pdf.h"
#include "layout/flow_impl.h"
#include "markdown.h"

static void block(fl_ctx *c, cmark_node *n);

static void blocks(fl_ctx *c, cmark_node *parent) {
  for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) block(c, n);
}

static const char *lang(const fl_ctx *c) { return c->in->page->lang->code; }
static const wp_dstyle *style(const fl_ctx *c, wp_role r) { return &c->in->design->styles[r]; }

static double measure_from(const fl_ctx *c, double x, const wp_dstyle *st) {
  double m = c->in->measure - x - c->x1 - st->indent_end;
  return m > 36 ? m : 36; /* deep nesting never leaves less than half an inch */
}

/* A one-style paragraph of plain text, shaped, kept by the flow; returns its index. */
static int plain(fl_ctx *c, const wp_dstyle *st, const char *text, double rise) {
  wp_para *p = wp_flow_para(c->in->fonts, st, lang(c), text, rise);
  fl_shape(c, p);
  return fl_keep_para(c, p);
}

/* The pending list marker or note number as a label paragraph, or -1. */
static int take_marker(fl_ctx *c, const wp_dstyle *st, bool *tight) {
  *tight = true;
  if (!c->marker) return -1;
  wp_dstyle ms = *st;
  double rise = 0;
  if (c->marker_super) ms.size = st->size * 0.7, rise = st->size * 0.35;
  int l = plain(c, &ms, c->marker, rise);
  c->marker = NULL;
  return l;
}

/* ---- images ------------------------------------------------------------------------------ */

static unsigned be32(const unsigned char *p) {
  return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

/* Pixel size from a PNG's IHDR or a JPEG's SOF marker; false for anything else. */
static bool image_size(const unsigned char *d, size_t n, bool *png, unsigned *w, unsigned *h) {
  if (n > 24 && !memcmp(d, "\x89PNG\r\n\x1a\n", 8) && !memcmp(d + 12, "IHDR", 4)) {
    *png = true, *w = be32(d + 16), *h = be32(d + 20);
    return *w && *h;
  }
  if (n < 4 || d[0] != 0xFF || d[1] != 0xD8) return false;
  *png = false;
  for (size_t i = 2; i + 9 < n;) {
    if (d[i] != 0xFF) return false;
    unsigned m = d[i + 1], len = (unsigned)d[i + 2] << 8 | d[i + 3];
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
      *h = (unsigned)d[i + 5] << 8 | d[i + 6], *w = (unsigned)d[i + 7] << 8 | d[i + 8];
      return *w && *h;
    }
    i += 2 + len;
  }
  return false;
}

/* A picture on its own line: scaled to the measure (96 dpi at most) and to half a page. */
static bool image(fl_ctx *c, cmark_node *img) {
  const char *url = cmark_node_get_url(img);
  if (!url || !*url || strstr(url, "://") || url[0] == '/' || strstr(url, "..")) return false;
  char *path = wp_printf("%s/content/%s/%s", c->in->site->root, c->in->page->doc->slug, url);
  size_t len;
  char *data = wp_read_file(path, &len);
  free(path);
  bool png;
  unsigned pw, ph;
  if (!data) return false; /* a missing file shows its alt text; `wufpress check` reports it */
  char why[256] = "";
  if (!image_size((unsigned char *)data, len, &png, &pw, &ph) || !wp_image_check(data, len, png, why, sizeof why)) {
    free(data);
    if (c->in->err && !c->in->err->msg[0])
      wp_err_set(c->in->err, c->in->page->source, c->line, "image '%s' is not a readable PNG or JPEG file%s%s", url,
                 why[0] ? ": " : "", why);
    return false;
  }
  const wp_dstyle *st = style(c, c->role);
  double x = fl_text_start(c), m = measure_from(c, x, st);
  double w = pw * 0.75, h = ph * 0.75, maxh = c->in->design->height / 2;
  if (w > m) h *= m / w, w = m;
  if (h > maxh) w *= maxh / h, h = maxh;
  wp_flow *f = c->f;
  f->images = wp_xrealloc(f->images, (size_t)(f->nimages + 1) * sizeof *f->images);
  f->images[f->nimages] = (wp_flow_image){data, len, png};
  fl_begin_block(c, st);
  wp_strip *s = fl_strip(c, h + st->leading / 2);
  fl_op(c, s, (wp_op){WP_OP_IMAGE, 0, 0, f->nimages++, x + (m - w) / 2, st->leading / 4, w, h});
  fl_end_block(c, st);
  return true;
}

/* ---- text blocks ----------------------------------------------------------------------------- */

static cmark_node *only_image(cmark_node *para) {
  cmark_node *img = NULL;
  for (cmark_node *n = cmark_node_first_child(para); n; n = cmark_node_next(n)) {
    if (cmark_node_get_type(n) == CMARK_NODE_IMAGE && !img) img = n;
    else if (cmark_node_get_type(n) == CMARK_NODE_TEXT) {
      const char *t = cmark_node_get_literal(n); /* only blank text may stand beside the picture */
      if (t[strspn(t, " \t")]) return NULL;
    }
    else return NULL;
  }
  return img;
}

/* A paragraph's or heading's inlines typeset in style st (returns the flow's paragraph index),
 * with the label and anchor the model gave the node (never numbered here). */
static int typeset_text(fl_ctx *c, cmark_node *n, const wp_dstyle *st, const char **label, const char **id) {
  *id = NULL;
  *label = wp_markdown_label(c->in->page, n, id);
  wp_para *p = wp_para_create(lang(c));
  int pi = fl_keep_para(c, p);
  fl_inlines(c, p, pi, n, st);
  fl_shape(c, p);
  return pi;
}

static void paragraph(fl_ctx *c, cmark_node *n) {
  cmark_node *img = only_image(n);
  if (img && !c->marker && image(c, img)) return;
  const wp_dstyle *st = style(c, c->role);
  const char *label, *id;
  int pi = typeset_text(c, n, st, &label, &id);
  bool tight;
  int li = take_marker(c, st, &tight);
  if (label && li < 0) li = plain(c, st, label, 0), tight = false;
  fl_begin_block(c, st);
  double x = fl_text_start(c);
  int first = fl_emit(c, pi, st, x, measure_from(c, x, st), li, c->x0, tight, false);
  if (id && first < c->out->n) c->out->s[first].anchor = id;
  fl_end_block(c, st);
}

static void heading(fl_ctx *c, cmark_node *n) {
  int level = cmark_node_get_heading_level(n);
  const wp_dstyle *st = style(c, (wp_role)(WP_ROLE_H1 + (level < 1 ? 0 : level > 6 ? 5 : level - 1)));
  const char *label, *id;
  int pi = typeset_text(c, n, st, &label, &id);
  int li = label ? plain(c, st, label, 0) : -1;
  fl_begin_block(c, st);
  double x = c->x0 + st->indent;
  int first = fl_emit(c, pi, st, x, measure_from(c, x, st), li, c->x0, false, true);
  if (first < c->out->n) {
    c->out->s[first].anchor = id;
    if (cmark_node_parent(n) == c->in->page->root && c->out == &c->f->body)
      c->out->s[first].heading = ++c->heading_index;
  }
  fl_end_block(c, st);
}

static void list(fl_ctx *c, cmark_node *n) {
  const wp_dstyle *ls = style(c, WP_ROLE_LIST);
  double x0 = c->x0;
  int depth = c->depth;
  wp_role role = c->role;
  bool tight = c->tight;
  bool ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
  int number = cmark_node_get_list_start(n);
  c->x0 = fl_text_start(c) + ls->indent;
  if (role == WP_ROLE_BODY) c->role = WP_ROLE_LIST;
  c->depth++;
  c->lists++;
  c->tight = cmark_node_get_list_tight(n);
  /* Item numbers follow the language's decimal pattern ("{n}." / "{n} -"). */
  const char *pattern = wp_value_str(wp_lang_string(c->in->page->lang, "numbering"), "decimal");
  for (cmark_node *item = cmark_node_first_child(n); item; item = cmark_node_next(item), number++) {
    char buf[64];
    if (ordered) {
      const char *at = pattern ? strstr(pattern, "{n}") : NULL;
      if (at) snprintf(buf, sizeof buf, "%.*s%d%s", (int)(at - pattern), pattern, number, at + 3);
      else snprintf(buf, sizeof buf, cmark_node_get_list_delim(n) == CMARK_PAREN_DELIM ? "%d)" : "%d.", number);
    } else {
      snprintf(buf, sizeof buf, "%s", c->lists % 2 ? "\xE2\x80\xA2" : "\xE2\x80\x93"); /* bullet, en dash */
    }
    c->marker = buf;
    c->marker_super = false;
    blocks(c, item);
    c->marker = NULL;
    if (c->tight) c->pending = ls->space_after;
  }
  c->x0 = x0, c->depth = depth, c->role = role, c->tight = tight;
  c->lists--;
}

static void quote(fl_ctx *c, cmark_node *n) {
  const wp_dstyle *qs = style(c, WP_ROLE_QUOTE);
  double x0 = c->x0, x1 = c->x1;
  int depth = c->depth;
  wp_role role = c->role;
  c->x0 = fl_text_start(c) + qs->indent;
  c->x1 += qs->indent_end;
  c->depth++;
  if (role == WP_ROLE_BODY) c->role = WP_ROLE_QUOTE;
  blocks(c, n);
  c->x0 = x0, c->x1 = x1, c->depth = depth, c->role = role;
}

/* A chart: drawn with vectors and labelled through the text engine in one strip, title,
 * caption and source included (layout/chart_pdf.c). */
static void chart(fl_ctx *c, const wp_chart *ch) {
  const wp_dstyle *st = style(c, WP_ROLE_CAPTION);
  double x = fl_text_start(c);
  fl_chart(c, ch, st, x, measure_from(c, x, st));
}

static void code(fl_ctx *c, cmark_node *n) {
  const wp_chart *ch = wp_markdown_chart(c->in->page, n);
  if (ch) {
    chart(c, ch);
    return;
  }
  const wp_dstyle *st = style(c, WP_ROLE_CODE);
  double x = fl_text_start(c);
  const char *lit = cmark_node_get_literal(n);
  fl_begin_block(c, st);
  for (const char *s = lit ? lit : ""; *s;) {
    const char *e = strchr(s, '\n');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    char *line = wp_xstrndup(s, len);
    if (!len) {
      fl_strip(c, st->leading);
    } else {
      int pi = plain(c, st, line, 0);
      fl_emit(c, pi, st, x, measure_from(c, x, st), -1, 0, false, false);
    }
    free(line);
    s += len + (e != NULL);
  }
  fl_end_block(c, st);
}

static void rule(fl_ctx *c) {
  const wp_dstyle *st = style(c, WP_ROLE_BODY);
  double x = fl_text_start(c), m = measure_from(c, x, st);
  fl_begin_block(c, st);
  wp_strip *s = fl_strip(c, st->leading);
  fl_op(c, s, (wp_op){WP_OP_RULE, 0, 0, 0, x + m * 3 / 8, st->leading / 2, m / 4, 0.5});
  fl_end_block(c, st);
}

static void block(fl_ctx *c, cmark_node *n) {
  int l = cmark_node_get_start_line(n);
  if (l > 0) c->line = c->in->page->body_line + l - 1;
  const char *type = cmark_node_get_type_string(n);
  switch (cmark_node_get_type(n)) {
  case CMARK_NODE_PARAGRAPH: paragraph(c, n); break;
  case CMARK_NODE_HEADING: heading(c, n); break;
  case CMARK_NODE_LIST: list(c, n); break;
  case CMARK_NODE_BLOCK_QUOTE: quote(c, n); break;
  case CMARK_NODE_CODE_BLOCK: code(c, n); break;
  case CMARK_NODE_THEMATIC_BREAK: rule(c); break;
  case CMARK_NODE_FOOTNOTE_DEFINITION: break; /* typeset as notes */
  case CMARK_NODE_HTML_BLOCK: break;           /* only with allow_html: markup, not text */
  default:
    if (!strcmp(type, "table")) fl_table(c, n);
    else blocks(c, n);
  }
}

void wp_flow_build(wp_flow *f, const wp_flow_input *in) {
  memset(f, 0, sizeof *f);
  fl_ctx c = {.f = f, .in = in, .out = &f->body, .role = WP_ROLE_BODY, .line = in->page->body_line};
  cmark_node *root = in->page->root;
  blocks(&c, root);
  for (cmark_node *n = cmark_node_first_child(root); n; n = cmark_node_next(n))
    if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION) f->nnotes++;
  f->notes = wp_xcalloc((size_t)f->nnotes + 1, sizeof *f->notes);
  int i = 0;
  /* cmark-gfm orders the definitions by first call: definition i is note i + 1. */
  for (cmark_node *n = cmark_node_first_child(root); n; n = cmark_node_next(n)) {
    if (cmark_node_get_type(n) != CMARK_NODE_FOOTNOTE_DEFINITION) continue;
    char num[16];
    snprintf(num, sizeof num, "%d", i + 1);
    c.out = &f->notes[i++];
    c.role = WP_ROLE_FOOTNOTE;
    c.x0 = c.x1 = 0;
    c.depth = 0;
    c.pending = 0;
    c.marker = num;
    c.marker_super = true;
    int l = cmark_node_get_start_line(n);
    if (l > 0) c.line = in->page->body_line + l - 1;
    blocks(&c, n);
    c.marker = NULL;
  }
  free(c.refs);
}
