/* layout/table — GFM tables in the flow: column widths from the cells' natural widths, one
 * strip per row (rows are not split), a simple ruled style (rules above and below the
 * header row and below the last row), the header row marked so pagination repeats it on
 * every page the table continues on. Column order follows the page's direction: the first
 * column is at the start edge (right in Arabic). */
#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

#include "layout/flow_impl.h"

typedef struct {
  int para;
  double natural;
} cell;

/* Markdown's "left" and "right" are read logically, as the HTML theme reads them: a table
 * copied from the English original keeps its label column at the start in Arabic. */
static wp_align cell_align(uint8_t a) {
  if (a == 'c') return WP_ALIGN_CENTER;
  if (a == 'r') return WP_ALIGN_END;
  return WP_ALIGN_START;
}

/* Widths: natural widths when they fit, the rest shared out in proportion; otherwise in
 * proportion to natural width, never squeezing a short column below its natural width. */
static void column_widths(const double *nat, int n, double avail, double *w) {
  double sum = 0;
  for (int i = 0; i < n; i++) sum += nat[i];
  if (sum <= 0) {
    for (int i = 0; i < n; i++) w[i] = avail / n;
    return;
  }
  if (sum <= avail) {
    for (int i = 0; i < n; i++) w[i] = nat[i] + (avail - sum) * nat[i] / sum;
    return;
  }
  double fixed = 0, rest = 0, fair = avail / n;
  for (int i = 0; i < n; i++) {
    if (nat[i] <= fair) fixed += nat[i];
    else rest += nat[i];
  }
  for (int i = 0; i < n; i++) w[i] = nat[i] <= fair ? nat[i] : (avail - fixed) * nat[i] / rest;
}

void fl_table(fl_ctx *c, cmark_node *t) {
  const wp_design *d = c->in->design;
  const wp_dstyle *bs = &d->styles[WP_ROLE_TABLE], *hs = &d->styles[WP_ROLE_TABLE_HEADER];
  int ncols = cmark_gfm_extensions_get_table_columns(t);
  uint8_t *aligns = cmark_gfm_extensions_get_table_alignments(t);
  if (ncols <= 0) return;
  int nrows = 0;
  for (cmark_node *r = cmark_node_first_child(t); r; r = cmark_node_next(r)) nrows++;
  cell *cells = wp_xcalloc((size_t)(nrows * ncols), sizeof *cells);
  bool *header = wp_xcalloc((size_t)nrows + 1, sizeof *header);
  double *nat = wp_xcalloc((size_t)ncols, sizeof *nat), *w = wp_xcalloc((size_t)ncols, sizeof *w);
  int row = 0;
  for (cmark_node *r = cmark_node_first_child(t); r; r = cmark_node_next(r), row++) {
    header[row] = cmark_gfm_extensions_get_table_row_is_header(r);
    int col = 0;
    for (cmark_node *cl = cmark_node_first_child(r); cl && col < ncols; cl = cmark_node_next(cl), col++) {
      wp_para *p = wp_para_create(c->in->page->lang->code);
      int pi = fl_keep_para(c, p);
      fl_inlines(c, p, pi, cl, header[row] ? hs : bs);
      fl_shape(c, p);
      cells[row * ncols + col] = (cell){pi, fl_natural(p)};
      if (cells[row * ncols + col].natural > nat[col]) nat[col] = cells[row * ncols + col].natural;
    }
    for (; col < ncols; col++) cells[row * ncols + col] = (cell){-1, 0};
  }
  double x = fl_text_start(c), m = c->in->measure - x - c->x1, pad = d->table_cell_pad;
  double rule = d->table_rule_width;
  column_widths(nat, ncols, m - 2 * pad * ncols, w);
  int table = ++c->f->ntables, header_strip = -1;
  fl_begin_block(c, bs);
  for (row = 0; row < nrows; row++) {
    const wp_dstyle *st = header[row] ? hs : bs;
    int lines = 1;
    for (int col = 0; col < ncols; col++) {
      const cell *ce = &cells[row * ncols + col];
      if (ce->para < 0) continue;
      wp_break_opts o = wp_break_defaults(w[col] > 1 ? w[col] : 1);
      o.justify = false;
      o.hyphenate = st->hyphenate;
      o.align = cell_align(aligns ? aligns[col] : 0);
      int n = wp_para_break(c->f->paras[ce->para], &o);
      if (n > lines) lines = n;
    }
    wp_strip *s = fl_strip(c, lines * st->leading + 2 * pad);
    s->table = table;
    s->header_row = header[row];
    s->keep = header[row]; /* a header row never ends a page */
    if (header[row]) header_strip = c->out->n - 1;
    else s->header = header_strip;
    double cx = x;
    for (int col = 0; col < ncols; col++) {
      const cell *ce = &cells[row * ncols + col];
      wp_para *p = ce->para < 0 ? NULL : c->f->paras[ce->para];
      for (int i = 0; p && i < lines; i++) {
        wp_line_info li;
        wp_para_line(p, i, &li);
        if (li.measure <= 0) break; /* past the cell's last line */
        fl_op(c, s, (wp_op){WP_OP_TEXT, ce->para, i, 0, cx + pad, pad + i * st->leading + fl_baseline(st), li.measure, 0});
      }
      cx += w[col] + 2 * pad;
    }
    if (header[row] && (row == 0 || !header[row - 1]))
      fl_op(c, s, (wp_op){WP_OP_RULE, 0, 0, 0, x, 0, m, rule});
    if (header[row] || row == nrows - 1)
      fl_op(c, s, (wp_op){WP_OP_RULE, 0, 0, 0, x, s->height, m, rule});
  }
  fl_end_block(c, bs);
  free(cells), free(header), free(nat), free(w);
}
