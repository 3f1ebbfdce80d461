/* layout/flow — strips, ops and typeset paragraphs; inline content (emphasis, links,
 * footnote calls) and the typesetting of one paragraph into lines. See flow.h; the block
 * walk is in flow_blocks.c, tables in table.c. */
#include <stdlib.h>
#include <string.h>

#include "layout/flow_impl.h"

const wp_font_stack *wp_flow_stack(const wp_flow_fonts *ff, int face, int style) {
  wp_flow_fonts *m = (wp_flow_fonts *)ff; /* found on demand: a cache, not a change of value */
  if (!m->found[face][style]) {
    /* A face without families of its own uses the text families. */
    int fa = ff->design->nfamilies[face] ? face : WP_FACE_TEXT;
    wp_fonts_stack(m->fonts, (const char *const *)ff->design->families[fa], ff->design->nfamilies[fa],
                   (wp_font_style)style, &m->stack[face][style]);
    m->found[face][style] = true;
    if (m->stack[face][style].n == 0) /* (the text face's regular stack is never empty) */
      m->stack[face][style] = *wp_flow_stack(ff, WP_FACE_TEXT, face == WP_FACE_TEXT ? WP_REGULAR : style);
  }
  return &ff->stack[face][style];
}

bool wp_flow_fonts_find(wp_flow_fonts *ff, wp_fonts *fonts, const wp_design *d, wp_err *err) {
  memset(ff, 0, sizeof *ff);
  ff->fonts = fonts;
  ff->design = d;
  if (wp_flow_stack(ff, WP_FACE_TEXT, WP_REGULAR)->n == 0) {
    wp_err_set(err, "templates/pdf", 0, "none of the text fonts of the page design is installed (%s)",
               d->families[WP_FACE_TEXT][0]);
    return false;
  }
  return true;
}

static int font_style(const wp_dstyle *st, bool bold, bool italic) {
  return ((st->bold != bold) ? WP_BOLD : 0) | ((st->italic != italic) ? WP_ITALIC : 0);
}

wp_para *wp_flow_para(const wp_flow_fonts *ff, const wp_dstyle *st, const char *lang,
                      const char *text, double rise) {
  wp_para *p = wp_para_create(lang);
  wp_text_style ts = {*wp_flow_stack(ff, st->face, font_style(st, false, false)), st->size, rise};
  wp_para_add(p, text, strlen(text), &ts);
  return p;
}

/* ---- strips and ops -------------------------------------------------------------------- */

double fl_text_start(const fl_ctx *c) {
  return c->x0 + (c->depth == 0 ? c->in->design->styles[c->role].indent : 0);
}

wp_strip *fl_strip(fl_ctx *c, double height) {
  wp_strips *o = c->out;
  if (o->n == o->cap) {
    o->cap = o->cap ? o->cap * 2 : 64;
    o->s = wp_xrealloc(o->s, (size_t)o->cap * sizeof *o->s);
  }
  wp_strip *s = &o->s[o->n++];
  memset(s, 0, sizeof *s);
  s->height = height;
  s->op0 = c->f->nops;
  s->call0 = c->f->ncalls;
  s->header = -1;
  return s;
}

/* Ops of a strip are contiguous: add them right after creating it. */
void fl_op(fl_ctx *c, wp_strip *s, wp_op op) {
  wp_flow *f = c->f;
  if (f->nops == f->capops) {
    f->capops = f->capops ? f->capops * 2 : 256;
    f->ops = wp_xrealloc(f->ops, (size_t)f->capops * sizeof *f->ops);
  }
  f->ops[f->nops++] = op;
  s->nops++;
}

int fl_keep_para(fl_ctx *c, wp_para *p) {
  wp_flow *f = c->f;
  if (f->nparas == f->capparas) {
    f->capparas = f->capparas ? f->capparas * 2 : 64;
    f->paras = wp_xrealloc(f->paras, (size_t)f->capparas * sizeof *f->paras);
  }
  f->paras[f->nparas] = p;
  return f->nparas++;
}

void fl_gap(fl_ctx *c, double h) {
  if (h <= 0 || c->out->n == 0) return;
  bool keep = c->out->s[c->out->n - 1].keep; /* space after a heading stays with it */
  wp_strip *s = fl_strip(c, h);
  s->gap = true;
  s->keep = keep;
}

void fl_begin_block(fl_ctx *c, const wp_dstyle *st) {
  double g = st->space_before > c->pending ? st->space_before : c->pending;
  fl_gap(c, g);
  c->pending = 0;
}

void fl_end_block(fl_ctx *c, const wp_dstyle *st) { c->pending = st->space_after; }

/* Baseline below the top of a line box: the leading's extra split evenly, 0.8 em above. */
double fl_baseline(const wp_dstyle *st) { return (st->leading - st->size) / 2 + st->size * 0.8; }

/* ---- inline content ----------------------------------------------------------------------- */

typedef struct {
  fl_ctx *c;
  wp_para *p;
  int para;
  const wp_dstyle *st;
  size_t bytes;
  bool bold, italic, mono;
  uint32_t last; /* last character added (Chinese line joins) */
} inl;

static uint32_t first_char(const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  if (u[0] < 0x80) return u[0];
  if ((u[0] >> 5) == 6) return (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
  if ((u[0] >> 4) == 14) return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
  return 0x10000;
}

static uint32_t last_char(const char *s, size_t n) {
  if (!n) return 0;
  size_t i = n - 1;
  while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
  return first_char(s + i);
}

static void add_text(inl *x, const char *s, double size_scale, double rise) {
  size_t n = strlen(s);
  if (!n) return;
  const wp_dstyle *st = x->st;
  wp_face face = x->mono ? WP_FACE_MONO : st->face;
  wp_text_style ts = {*wp_flow_stack(x->c->in->fonts, face, font_style(st, x->bold, x->italic)),
                      st->size * size_scale * (x->mono ? 0.9 : 1), rise};
  wp_para_add(x->p, s, n, &ts);
  x->bytes += n;
  x->last = last_char(s, n);
}

static bool is_wide(uint32_t c) { return c >= 0x2E80 && !(c >= 0xFF61 && c <= 0xFFDC); }

/* The first character of the text that follows node (for joining lines of Chinese). */
static uint32_t next_char(cmark_node *node) {
  for (cmark_node *n = cmark_node_next(node); n; n = cmark_node_first_child(n) ? cmark_node_first_child(n) : cmark_node_next(n)) {
    const char *lit = cmark_node_get_literal(n);
    if (lit && *lit) return first_char(lit);
  }
  return 0;
}

static void add_link(fl_ctx *c, wp_flow_link l) {
  wp_flow *f = c->f;
  f->links = wp_xrealloc(f->links, (size_t)(f->nlinks + 1) * sizeof *f->links);
  f->links[f->nlinks++] = l;
}

static void walk(inl *x, cmark_node *parent) {
  for (cmark_node *n = cmark_node_first_child(parent); n; n = cmark_node_next(n)) {
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_HTML_INLINE: add_text(x, cmark_node_get_literal(n), 1, 0); break;
    case CMARK_NODE_CODE: {
      bool m = x->mono;
      x->mono = true;
      add_text(x, cmark_node_get_literal(n), 1, 0);
      x->mono = m;
      break;
    }
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
      /* Chinese is written without spaces: a source line end between ideographs is none. */
      if (!(is_wide(x->last) || is_wide(next_char(n)))) add_text(x, " ", 1, 0);
      break;
    case CMARK_NODE_EMPH:
      x->italic = !x->italic;
      walk(x, n);
      x->italic = !x->italic;
      break;
    case CMARK_NODE_STRONG: {
      bool b = x->bold;
      x->bold = true;
      walk(x, n);
      x->bold = b;
      break;
    }
    case CMARK_NODE_LINK: {
      size_t b0 = x->bytes;
      walk(x, n);
      const char *url = cmark_node_get_url(n);
      if (!url || !*url || x->bytes == b0) break;
      wp_flow_link l = {x->para, b0, x->bytes, NULL, NULL, 0};
      if (url[0] == '#') l.anchor = wp_xstrdup(url + 1);
      else l.uri = wp_uri_encode(url);
      add_link(x->c, l);
      break;
    }
    case CMARK_NODE_IMAGE: walk(x, n); break; /* inline images read as their alt text */
    case CMARK_NODE_FOOTNOTE_REFERENCE: {
      /* cmark-gfm has replaced the label by the note's number (order of first call). */
      const char *num = cmark_node_get_literal(n);
      int note = num ? atoi(num) : 0;
      /* A word joiner keeps the call on the line of the word it follows. */
      add_text(x, "\u2060", 0.65, x->st->size * 0.35);
      size_t b0 = x->bytes;
      add_text(x, num ? num : "?", 0.65, x->st->size * 0.35);
      if (note > 0) {
        fl_ctx *c = x->c;
        c->refs = wp_xrealloc(c->refs, (size_t)(c->nrefs + 1) * sizeof *c->refs);
        c->refs[c->nrefs++] = (fl_ref){x->para, b0, note - 1};
        add_link(c, (wp_flow_link){x->para, b0, x->bytes, NULL, NULL, note});
      }
      break;
    }
    default: /* strikethrough and other extensions: their text */
      walk(x, n);
    }
  }
}

void fl_inlines(fl_ctx *c, wp_para *p, int para, cmark_node *node, const wp_dstyle *st) {
  inl x = {c, p, para, st, 0, false, false, false, 0};
  walk(&x, node);
}

static void on_missing(void *ud, uint32_t cp, size_t off) {
  (void)off;
  fl_ctx *c = ud;
  if (c->in->missing) c->in->missing(c->in->ud, cp, c->line);
}

void fl_shape(fl_ctx *c, wp_para *p) { wp_para_shape(p, on_missing, c); }

double fl_natural(wp_para *p) {
  wp_break_opts o = wp_break_defaults(1e6);
  o.justify = o.hyphenate = false;
  if (wp_para_break(p, &o) < 1) return 0;
  wp_line_info li;
  wp_para_line(p, 0, &li);
  return li.natural;
}

/* Sets a label on one line exactly as wide as it is, so it draws where it is put. */
static double set_label(wp_para *p) {
  double w = fl_natural(p);
  wp_break_opts o = wp_break_defaults(w + 0.01);
  o.justify = o.hyphenate = false;
  wp_para_break(p, &o);
  return w + 0.01;
}

int fl_emit(fl_ctx *c, int para, const wp_dstyle *st, double x, double measure, int label,
            double label_x, bool tight, bool keep_all) {
  wp_para *p = c->f->paras[para];
  double lw = 0, shift = 0;
  if (label >= 0) {
    lw = set_label(c->f->paras[label]);
    if (tight) label_x = x - st->label_gap - lw;
    else if (label_x + lw + st->label_gap > x) shift = label_x + lw + st->label_gap - x;
  }
  double widths[2] = {measure - shift, measure};
  wp_break_opts o = wp_break_defaults(measure);
  o.justify = st->justify;
  o.hyphenate = st->hyphenate;
  o.align = st->align;
  if (shift > 0) o.widths = widths, o.nwidths = 2;
  int n = wp_para_break(p, &o), first = c->out->n;
  if (n == 0 && label >= 0) n = 0; /* an empty item still shows its marker below */
  for (int i = 0; i < (n ? n : (label >= 0)); i++) {
    wp_strip *s = fl_strip(c, st->leading);
    /* Orphans and widows: the first two and the last two lines stay together. */
    s->keep = keep_all || (i == 0 && n >= 2) || (i == n - 2 && n >= 3);
    if (i < n) {
      wp_line_info li;
      wp_para_line(p, i, &li);
      double sh = i == 0 ? shift : 0;
      fl_op(c, s, (wp_op){WP_OP_TEXT, para, i, 0, x + sh, fl_baseline(st), li.measure, 0});
      for (int r = 0; r < c->nrefs; r++) {
        const fl_ref *ref = &c->refs[r];
        if (ref->para != para || ref->byte < li.byte_start || (ref->byte >= li.byte_end && i < n - 1)) continue;
        wp_flow *f = c->f;
        if (f->ncalls == f->capcalls) {
          f->capcalls = f->capcalls ? f->capcalls * 2 : 32;
          f->calls = wp_xrealloc(f->calls, (size_t)f->capcalls * sizeof *f->calls);
        }
        f->calls[f->ncalls++] = ref->note;
        s->ncalls++;
      }
    }
    if (i == 0 && label >= 0)
      fl_op(c, s, (wp_op){WP_OP_TEXT, label, 0, 0, label_x, fl_baseline(st), lw, 0});
  }
  return first;
}

/* ---- URIs ------------------------------------------------------------------------------------ */

static bool isxdigit_ascii(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char *wp_uri_encode(const char *url) {
  wp_buf b = {0};
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *s = (const unsigned char *)url; *s; s++) {
    bool keep = *s > 0x20 && *s < 0x7F && !strchr("\"<>\\^`{|}", *s);
    if (*s == '%' && !(isxdigit_ascii(s[1]) && isxdigit_ascii(s[2]))) keep = false;
    if (keep) {
      wp_buf_putc(&b, (char)*s);
    } else {
      wp_buf_putc(&b, '%');
      wp_buf_putc(&b, hex[*s >> 4]);
      wp_buf_putc(&b, hex[*s & 15]);
    }
  }
  return b.data ? wp_buf_take(&b) : wp_xstrdup("");
}

void wp_flow_free(wp_flow *f) {
  free(f->body.s);
  for (int i = 0; i < f->nnotes; i++) free(f->notes[i].s);
  free(f->notes);
  free(f->ops);
  free(f->calls);
  for (int i = 0; i < f->nparas; i++) wp_para_destroy(f->paras[i]);
  free(f->paras);
  for (int i = 0; i < f->nlinks; i++) free(f->links[i].uri), free(f->links[i].anchor);
  free(f->links);
  for (int i = 0; i < f->nimages; i++) free(f->images[i].data);
  free(f->images);
  memset(f, 0, sizeof *f);
}
