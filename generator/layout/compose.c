/* layout/compose — see compose.h. y positions are taken from the page top while laying out
 * and turned into PDF coordinates (origin bottom-left) only when drawn. */
#include "layout/compose.h"

#include <stdlib.h>
#include <string.h>

#include "markdown.h"

wp_page_facts wp_compose_facts(const wp_compose *c, int number, int count) {
  const wp_design *d = c->design;
  /* Odd pages are right-hand pages: their inner margin is on the start side (mirrored for
   * right-to-left documents, which are bound on the right). */
  bool odd = number % 2 == 1;
  return (wp_page_facts){number, count, odd, odd ? d->inner : d->outer, d->width - d->inner - d->outer};
}

/* Left edge on the page of a box that starts x from the start edge and is w wide. */
static double phys(const wp_compose *c, double x, double w) { return c->rtl ? c->design->width - x - w : x; }
static double pdf_y(const wp_compose *c, double top) { return c->design->height - top; }

/* ---- positioned items ------------------------------------------------------------------------ */

/* One paragraph per line of the item's text ("\n" starts a new line), broken at its width. */
typedef struct {
  wp_para **p;
  int *nl; /* lines of each */
  int n, lines;
} item_text;

static void missing_at_design(void *ud, uint32_t cp, size_t off) {
  (void)off;
  const wp_compose *c = ud;
  if (c->missing) c->missing(c->ud, cp, 0);
}

static item_text item_paras(const wp_compose *c, const wp_ditem *it) {
  item_text t = {NULL, NULL, 0, 0};
  const char *lang = it->lang ? it->lang : c->page->lang->code;
  for (const char *s = it->text; s;) {
    const char *e = strchr(s, '\n');
    char *seg = e ? wp_xstrndup(s, (size_t)(e - s)) : wp_xstrdup(s);
    wp_para *p = wp_flow_para(c->fonts, &it->style, lang, seg, 0);
    free(seg);
    wp_para_shape(p, missing_at_design, (void *)c);
    wp_break_opts o = wp_break_defaults(it->width > 1 ? it->width : 1);
    o.justify = it->style.justify;
    o.hyphenate = it->style.hyphenate;
    /* align is in the page's direction: an English line on an Arabic page aligned to the
     * page's start is aligned to its own end. */
    o.align = it->style.align;
    bool item_rtl = !strncmp(lang, "ar", 2);
    if (item_rtl != c->rtl && o.align != WP_ALIGN_CENTER)
      o.align = o.align == WP_ALIGN_START ? WP_ALIGN_END : WP_ALIGN_START;
    int n = wp_para_break(p, &o);
    t.p = wp_xrealloc(t.p, (size_t)(t.n + 1) * sizeof *t.p);
    t.nl = wp_xrealloc(t.nl, (size_t)(t.n + 1) * sizeof *t.nl);
    t.nl[t.n] = n;
    t.p[t.n++] = p;
    t.lines += n ? n : 1;
    s = e ? e + 1 : NULL;
  }
  return t;
}

static void item_text_free(item_text *t) {
  for (int i = 0; i < t->n; i++) wp_para_destroy(t->p[i]);
  free(t->p);
  free(t->nl);
}

static double baseline(const wp_dstyle *st) { return (st->leading - st->size) / 2 + st->size * 0.8; }

/* Lays out (and draws, when pg is set) the items that are not notes; returns the bottom of
 * the lowest one. Items without y flow below the previous item. */
static double place_items(const wp_compose *c, const wp_ditems *items, wp_pdf_page *pg) {
  double flow = c->design->top, lowest = c->design->top;
  for (int i = 0; i < items->n; i++) {
    const wp_ditem *it = &items->items[i];
    if (it->note) continue;
    double top = it->has_y ? it->y : flow + it->gap, bottom = top;
    if (it->text) {
      item_text t = item_paras(c, it);
      int line = 0;
      for (int k = 0; k < t.n; k++) {
        int n = t.nl[k], shown = n ? n : 1;
        for (int l = 0; pg && l < n; l++) {
          double y = top + (line + l) * it->style.leading + baseline(&it->style);
          wp_para_draw_line(t.p[k], l, pg, phys(c, it->x, it->width), pdf_y(c, y));
        }
        line += shown;
      }
      bottom = top + line * it->style.leading;
      item_text_free(&t);
    } else if (it->thickness > 0) {
      if (pg) {
        double x = phys(c, it->x, it->width), y = pdf_y(c, top + it->thickness / 2);
        wp_pdf_line(pg, x, y, x + it->width, y, it->thickness);
      }
      bottom = top + it->thickness;
    }
    if (!it->has_y) flow = bottom;
    else if (bottom > flow) flow = bottom;
    if (bottom > lowest) lowest = bottom;
  }
  return lowest;
}

/* The design's notes (the masthead's starred agenda note): mark right before the text. */
static double place_notes(const wp_compose *c, const wp_ditems *items, wp_pdf_page *pg, double top) {
  const wp_dstyle *st = &c->design->styles[WP_ROLE_FOOTNOTE];
  wp_page_facts f = wp_compose_facts(c, 1, 1);
  double x = f.start + st->indent, w = f.measure - st->indent - st->indent_end, y = top;
  for (int i = 0; i < items->n; i++) {
    const wp_ditem *it = &items->items[i];
    if (!it->note) continue;
    wp_para *p = wp_flow_para(c->fonts, st, c->page->lang->code, it->note, 0);
    wp_para_shape(p, missing_at_design, (void *)c);
    wp_break_opts o = wp_break_defaults(w);
    o.justify = st->justify;
    o.hyphenate = st->hyphenate;
    int n = wp_para_break(p, &o);
    if (pg && it->mark) {
      wp_para *m = wp_flow_para(c->fonts, st, c->page->lang->code, it->mark, 0);
      wp_para_shape(m, NULL, NULL);
      wp_break_opts mo = wp_break_defaults(1e5);
      mo.justify = mo.hyphenate = false;
      wp_para_break(m, &mo);
      wp_line_info li;
      wp_para_line(m, 0, &li);
      mo.width = li.natural + 0.01;
      wp_para_break(m, &mo);
      double mx = x - st->label_gap - mo.width;
      wp_para_draw_line(m, 0, pg, phys(c, mx, mo.width), pdf_y(c, y + baseline(st)));
      wp_para_destroy(m);
    }
    for (int l = 0; pg && l < n; l++)
      wp_para_draw_line(p, l, pg, phys(c, x, w), pdf_y(c, y + l * st->leading + baseline(st)));
    y += (n ? n : 1) * st->leading + st->space_after;
    wp_para_destroy(p);
  }
  return y - top;
}

void wp_compose_measure(const wp_compose *c, const wp_ditems *items, double *bottom, double *notes) {
  *bottom = place_items(c, items, NULL);
  *notes = place_notes(c, items, NULL, 0);
}

/* ---- the body ---------------------------------------------------------------------------------- */

typedef struct {
  const char *anchor;
  int page;
  double y;
} anchor_pos;

typedef struct {
  const wp_compose *c;
  const wp_flow *f;
  wp_pdf *pdf;
  anchor_pos *anchors;
  int nanchors;
  int *note_page;
  double *note_y;
} body_ctx;

static void link_annots(body_ctx *b, wp_pdf_page *pg, const wp_op *op, double left, double base) {
  wp_para *p = b->f->paras[op->para];
  wp_line_info li;
  wp_para_line(p, op->line, &li);
  for (int k = 0; k < b->f->nlinks; k++) {
    const wp_flow_link *l = &b->f->links[k];
    if (l->para != op->para || l->b1 <= li.byte_start || l->b0 >= li.byte_end) continue;
    double x0, x1;
    if (!wp_para_line_range(p, op->line, left, l->b0, l->b1, &x0, &x1)) continue;
    double y0 = base - li.descent, y1 = base + li.ascent;
    if (l->uri) {
      wp_pdf_link_uri(pg, x0, y0, x1, y1, l->uri);
    } else if (l->note > 0 && l->note <= b->f->nnotes && b->note_page[l->note - 1] >= 0) {
      wp_pdf_link_goto(pg, x0, y0, x1, y1, b->note_page[l->note - 1], pdf_y(b->c, b->note_y[l->note - 1]));
    } else if (l->anchor) {
      for (int a = 0; a < b->nanchors; a++)
        if (!strcmp(b->anchors[a].anchor, l->anchor)) {
          wp_pdf_link_goto(pg, x0, y0, x1, y1, b->anchors[a].page, pdf_y(b->c, b->anchors[a].y));
          break;
        }
    }
  }
}

static void draw_strip(body_ctx *b, wp_pdf_page *pg, const wp_page_facts *f, const wp_strip *s, double top) {
  const wp_compose *c = b->c;
  for (int k = 0; k < s->nops; k++) {
    const wp_op *op = &b->f->ops[s->op0 + k];
    double left = phys(c, f->start + op->x, op->width);
    if (op->kind == WP_OP_TEXT) {
      double base = pdf_y(c, top + op->y);
      wp_para_draw_line(b->f->paras[op->para], op->line, pg, left, base);
      link_annots(b, pg, op, left, base);
    } else if (op->kind == WP_OP_RULE) {
      double y = pdf_y(c, top + op->y);
      wp_pdf_line(pg, left, y, left + op->width, y, op->height);
    } else if (op->kind == WP_OP_IMAGE) {
      const wp_flow_image *im = &b->f->images[op->image];
      wp_pdf_image(pg, im->data, im->len, im->png, left, pdf_y(c, top + op->y + op->height), op->width, op->height);
    }
  }
}

/* Bookmark title: the heading's label and text as the HTML shows them. */
static char *outline_title(const wp_page *page, const wp_heading *h) {
  if (!h->label) return wp_xstrdup(h->text);
  const char *sep = wp_value_str(wp_lang_string(page->lang, "numbering"), "separator");
  return wp_printf("%s%s%s", h->label, sep ? sep : " ", h->text);
}

bool wp_compose_pages(const wp_compose *c, const wp_ditems *first, const wp_flow *flow,
                      const wp_layout *layout, wp_pdf *pdf, wp_err *err) {
  const wp_design *d = c->design;
  body_ctx b = {c, flow, pdf, NULL, 0, NULL, NULL};
  b.note_page = wp_xmalloc(((size_t)flow->nnotes + 1) * sizeof *b.note_page);
  b.note_y = wp_xcalloc((size_t)flow->nnotes + 1, sizeof *b.note_y);
  for (int i = 0; i < flow->nnotes; i++) b.note_page[i] = -1;
  /* Where anchors and notes landed, before anything links to them. */
  for (int p = 0; p < layout->n; p++) {
    const wp_laid_page *lp = &layout->pages[p];
    for (int k = 0; k < lp->nbody; k++) {
      const wp_strip *s = &flow->body.s[lp->body[k].strip];
      if (!s->anchor) continue;
      b.anchors = wp_xrealloc(b.anchors, (size_t)(b.nanchors + 1) * sizeof *b.anchors);
      b.anchors[b.nanchors++] = (anchor_pos){s->anchor, p, lp->body[k].top};
    }
    for (int k = 0; k < lp->nfoot; k++)
      if (lp->foot[k].strip == 0 && b.note_page[lp->foot[k].note] < 0)
        b.note_page[lp->foot[k].note] = p, b.note_y[lp->foot[k].note] = lp->foot[k].top;
  }
  bool ok = true;
  for (int p = 0; p < layout->n && ok; p++) {
    const wp_laid_page *lp = &layout->pages[p];
    wp_pdf_page *pg = wp_pdf_add_page(pdf, d->width, d->height);
    wp_page_facts f = wp_compose_facts(c, p + 1, layout->n);
    const char *fns[2] = {"header", "footer"};
    for (int k = 0; k < 2 && ok; k++) {
      wp_ditems items;
      ok = wp_design_items(c->design, fns[k], &f, c->design_name, &items, err);
      if (ok) place_items(c, &items, pg);
      wp_ditems_free(&items);
    }
    if (p == 0) {
      place_items(c, first, pg);
      if (lp->foot_top > 0) place_notes(c, first, pg, lp->foot_top + d->note_gap);
    }
    for (int k = 0; k < lp->nbody; k++) {
      const wp_strip *s = &flow->body.s[lp->body[k].strip];
      draw_strip(&b, pg, &f, s, lp->body[k].top);
      if (s->heading > 0 && (size_t)s->heading <= c->page->nheadings) {
        const wp_heading *h = &c->page->headings[s->heading - 1];
        char *title = outline_title(c->page, h);
        wp_pdf_outline(pdf, h->level, title, p, pdf_y(c, lp->body[k].top));
        free(title);
      }
    }
    if (lp->foot_top > 0) { /* the short rule above the notes, on the start side */
      double y = pdf_y(c, lp->foot_top + d->note_gap / 2), x = phys(c, f.start, d->note_rule_length);
      wp_pdf_line(pg, x, y, x + d->note_rule_length, y, d->note_rule_width);
    }
    for (int k = 0; k < lp->nfoot; k++)
      draw_strip(&b, pg, &f, &flow->notes[lp->foot[k].note].s[lp->foot[k].strip], lp->foot[k].top);
  }
  free(b.anchors);
  free(b.note_page);
  free(b.note_y);
  return ok;
}
