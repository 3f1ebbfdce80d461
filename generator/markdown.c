/* markdown — see markdown.h. */
#include "markdown.h"

#include "chart.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* A heading or numbered paragraph and the HTML that opens it. */
typedef struct {
  cmark_node *node;
  char *open, *close;
  char *lead;      /* HTML at the start of the block's text (its label), or NULL */
  char *para_label, *para_id; /* owned, for numbered paragraphs */
  const char *label; /* borrowed: the heading's or paragraph's label, NULL if none */
  const char *id;    /* borrowed: its anchor */
} marked_block;

struct wp_markdown {
  marked_block *blocks;
  size_t nblocks;
  wp_chart **charts;      /* ```chart blocks, parsed; HTML replaces each block by its SVG */
  cmark_node **chart_nodes;
  size_t ncharts;
};

static const char *const extensions[] = {"table", "strikethrough", "autolink", "tagfilter"};

void wp_markdown_init(void) { cmark_gfm_core_extensions_ensure_registered(); }

static int file_line(const wp_page *page, cmark_node *node) {
  return page->body_line + cmark_node_get_start_line(node) - 1;
}

/* Raw HTML becomes literal text: the reader sees what the editor typed. */
static void escape_raw_html(cmark_node *root) {
  cmark_node **found = NULL;
  size_t n = 0;
  cmark_iter *it = cmark_iter_new(root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(node);
    if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE)) {
      found = wp_xrealloc(found, (n + 1) * sizeof *found);
      found[n++] = node;
    }
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < n; i++) {
    cmark_node *old = found[i], *text = cmark_node_new(CMARK_NODE_TEXT);
    const char *lit = cmark_node_get_literal(old);
    size_t len = strlen(lit);
    while (len && (lit[len - 1] == '\n' || lit[len - 1] == '\r')) len--;
    char *copy = wp_xstrndup(lit, len);
    cmark_node_set_literal(text, copy);
    free(copy);
    if (cmark_node_get_type(old) == CMARK_NODE_HTML_INLINE) {
      cmark_node_replace(old, text);
    } else {
      cmark_node *para = cmark_node_new(CMARK_NODE_PARAGRAPH);
      cmark_node_append_child(para, text);
      cmark_node_replace(old, para);
    }
    cmark_node_free(old);
  }
  free(found);
}

static void plain_text(cmark_node *node, wp_buf *out) {
  for (cmark_node *c = cmark_node_first_child(node); c; c = cmark_node_next(c)) {
    switch (cmark_node_get_type(c)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE: wp_buf_puts(out, cmark_node_get_literal(c)); break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK: wp_buf_putc(out, ' '); break;
    default: plain_text(c, out);
    }
  }
}

/* Anchor from heading text: letters and digits of any script, lower-cased, joined by '-'. */
static char *slugify(const char *text) {
  wp_buf b = {0};
  bool dash = false;
  int32_t i = 0, n = (int32_t)strlen(text);
  while (i < n) {
    UChar32 c;
    U8_NEXT(text, i, n, c);
    if (c < 0) continue;
    if (u_isalnum(c)) {
      if (dash && b.len) wp_buf_putc(&b, '-');
      dash = false;
      char enc[4];
      int32_t k = 0;
      U8_APPEND_UNSAFE(enc, k, u_tolower(c));
      wp_buf_put(&b, enc, (size_t)k);
    } else if (u_isspace(c) || c == '-' || c == '_' || u_ispunct(c)) {
      dash = true;
    }
  }
  if (!b.len) wp_buf_puts(&b, "section");
  return wp_buf_take(&b);
}

static char *unique_id(wp_page *page, const char *slug) {
  /* para-N and fn-* belong to paragraphs and notes: a heading slug that looks like them
   * is kept apart with a prefix. */
  bool reserved = !strncmp(slug, "para-", 5) || !strncmp(slug, "fn-", 3) || !strncmp(slug, "fnref-", 6);
  char *base = reserved ? wp_printf("h-%s", slug) : wp_xstrdup(slug);
  char *id = wp_xstrdup(base);
  for (int k = 2;; k++) {
    bool taken = false;
    for (size_t i = 0; !taken && i < page->nheadings; i++) taken = !strcmp(page->headings[i].id, id);
    if (!taken) break;
    free(id);
    id = wp_printf("%s-%d", base, k);
  }
  free(base);
  return id;
}

/* Pattern with "{n}" replaced by n (without printf: this runs for every paragraph). */
static char *format_n(const char *pattern, int n) {
  const char *at = strstr(pattern, "{n}");
  if (!at) return wp_xstrdup(pattern);
  char digits[16];
  int k = (int)sizeof digits;
  unsigned u = n < 0 ? 0u - (unsigned)n : (unsigned)n;
  do digits[--k] = (char)('0' + u % 10); while ((u /= 10) && k > 1);
  if (n < 0) digits[--k] = '-';
  size_t head = (size_t)(at - pattern), nd = sizeof digits - (size_t)k, tail = strlen(at + 3);
  char *s = wp_xmalloc(head + nd + tail + 1);
  memcpy(s, pattern, head);
  memcpy(s + head, digits + k, nd);
  memcpy(s + head + nd, at + 3, tail + 1);
  return s;
}

static const wp_value *numbering_style(const wp_page *page, const char *style) {
  char key[96];
  snprintf(key, sizeof key, "numbering.%s", style);
  return wp_lang_string(page->lang, key);
}

/* Formats number n with the i18n numbering style v (numbering.<style>): a list of labels, or
 * a "{n}" pattern. */
static char *number_label(const wp_page *page, const wp_value *v, const char *style, int n, int line, wp_err *err) {
  if (v && v->type == WP_LIST) {
    if ((size_t)n <= v->count && v->items[n - 1]->string) return wp_xstrdup(v->items[n - 1]->string);
    wp_err_set(err, page->source, line, "%s lists %zu '%s' labels; item %d needs more",
               page->lang->i18n_path, v->count, style, n);
    return NULL;
  }
  if (v && v->type == WP_STRING) return format_n(v->string, n);
  wp_err_set(err, page->source, line, "numbering style '%s' is not defined in %s (numbering.%s)",
             style, page->lang->i18n_path, style);
  return NULL;
}

/* ` data-pagefind-title="…"`: the search result title of numbered paragraph or note n, from
 * the theme's i18n string `search.paragraph` or `search.note` ("Paragraph {n}"), given as v;
 * "" when the theme has none. Written here, once per page, rather than by the template
 * patching every page's HTML for every output. */
static char *search_title_attr(const wp_value *v, int n) {
  if (!v || v->type != WP_STRING) return wp_xstrdup("");
  char *title = format_n(v->string, n);
  wp_buf b = {0};
  wp_buf_puts(&b, " data-pagefind-title=\"");
  wp_html_escape(&b, title, strlen(title));
  wp_buf_putc(&b, '"');
  free(title);
  return wp_buf_take(&b);
}

static marked_block *mark(struct wp_markdown *md, cmark_node *node, char *open, char *close) {
  md->blocks = wp_xrealloc(md->blocks, (md->nblocks + 1) * sizeof *md->blocks);
  md->blocks[md->nblocks] = (marked_block){node, open, close, NULL, NULL, NULL, NULL, NULL};
  return &md->blocks[md->nblocks++];
}

static bool resolve_heading(const wp_site *site, wp_page *page, cmark_node *node, int counters[7], wp_err *err) {
  (void)site;
  int level = cmark_node_get_heading_level(node);
  counters[level]++;
  for (int l = level + 1; l <= 6; l++) counters[l] = 0;
  const wp_value *styles = wp_page_param(page, "heading_numbering");
  char lkey[4];
  snprintf(lkey, sizeof lkey, "%d", level);
  const char *style = wp_value_str(styles, lkey);
  char *label = NULL;
  if (style && !(label = number_label(page, numbering_style(page, style), style, counters[level], file_line(page, node), err)))
    return false;
  wp_buf text = {0};
  plain_text(node, &text);
  char *slug = slugify(text.data ? text.data : "");
  char *id = unique_id(page, slug);
  free(slug);
  page->headings = wp_xrealloc(page->headings, (page->nheadings + 1) * sizeof *page->headings);
  page->headings[page->nheadings++] = (wp_heading){level, id, label, wp_buf_take(&text)};
  char *lead = NULL;
  if (label) { /* the label, then what follows it in this language: "I. ", but "一、" */
    const char *sep = wp_value_str(wp_lang_string(page->lang, "numbering"), "separator");
    wp_buf b = {0};
    wp_buf_puts(&b, "<span class=\"heading-num\">");
    wp_html_escape(&b, label, strlen(label));
    wp_buf_puts(&b, "</span>");
    wp_buf_puts(&b, sep ? sep : " ");
    lead = wp_buf_take(&b);
  }
  marked_block *m = mark(page->md, node, wp_printf("<h%d id=\"%s\">", level, id), wp_printf("</h%d>", level));
  m->lead = lead;
  m->label = page->headings[page->nheadings - 1].label;
  m->id = page->headings[page->nheadings - 1].id;
  return true;
}

/* cmark-gfm keeps a definition's label private; read it from the "[^label]:" source line
 * (its start column points past the label). */
static char *footnote_label(const wp_page *page, cmark_node *def) {
  const char *line = page->text;
  for (int l = file_line(page, def); l > 1 && line; l--) {
    line = strchr(line, '\n');
    if (line) line++;
  }
  const char *open = line ? strstr(line, "[^") : NULL, *close = open ? strstr(open, "]:") : NULL;
  const char *eol = line ? strchr(line, '\n') : NULL;
  if (!open || !close || (eol && close > eol)) return wp_xstrdup("");
  return wp_xstrndup(open + 2, (size_t)(close - open - 2));
}

/* Links and images, as written, for `check` and the PDF's link annotations. */
static void collect_links(wp_page *page) {
  cmark_iter *it = cmark_iter_new(page->root);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(node);
    if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE)) continue;
    page->links = wp_xrealloc(page->links, (page->nlinks + 1) * sizeof *page->links);
    /* Inline nodes carry no line of their own in cmark; their block's is close enough. */
    cmark_node *block = node;
    while (block && cmark_node_get_start_line(block) == 0) block = cmark_node_parent(block);
    page->links[page->nlinks++] = (wp_link){wp_xstrdup(cmark_node_get_url(node)),
                                            block ? file_line(page, block) : page->body_line,
                                            t == CMARK_NODE_IMAGE};
  }
  cmark_iter_free(it);
}

/* Every fenced block whose info string is "chart" becomes a chart of the model. */
static bool resolve_charts(const wp_site *site, wp_page *page, wp_err *err) {
  struct wp_markdown *md = page->md;
  cmark_iter *it = cmark_iter_new(page->root);
  cmark_event_type ev;
  bool ok = true;
  while (ok && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *node = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_CODE_BLOCK) continue;
    const char *info = cmark_node_get_fence_info(node);
    if (!info || strncmp(info, "chart", 5) || (info[5] && info[5] != ' ')) continue;
    const char *spec = cmark_node_get_literal(node);
    char *dir = wp_printf("%s/content/%s", site->root, page->doc->slug);
    wp_chart *chart = wp_chart_parse(spec, strlen(spec), dir, page->source, file_line(page, node) + 1, err);
    free(dir);
    if (!chart) {
      ok = false;
      break;
    }
    md->charts = wp_xrealloc(md->charts, (md->ncharts + 1) * sizeof *md->charts);
    md->chart_nodes = wp_xrealloc(md->chart_nodes, (md->ncharts + 1) * sizeof *md->chart_nodes);
    md->charts[md->ncharts] = chart;
    md->chart_nodes[md->ncharts++] = node;
  }
  cmark_iter_free(it);
  return ok;
}

bool wp_markdown_parse(const wp_site *site, wp_page *page, const char *body, size_t len, wp_err *err) {
  /* No CMARK_OPT_VALIDATE_UTF8: wp_page_load_text has already refused invalid UTF-8 and NUL
   * bytes with the file and line; cmark's second check cost 2 % of a large build. */
  int options = CMARK_OPT_FOOTNOTES;
  cmark_parser *parser = cmark_parser_new(options);
  for (size_t i = 0; i < sizeof extensions / sizeof *extensions; i++) {
    if (!site->allow_html && !strcmp(extensions[i], "tagfilter")) continue;
    cmark_syntax_extension *ext = cmark_find_syntax_extension(extensions[i]);
    if (ext) cmark_parser_attach_syntax_extension(parser, ext);
  }
  cmark_parser_feed(parser, body, len);
  page->root = cmark_parser_finish(parser);
  cmark_parser_free(parser);
  page->md = wp_xcalloc(1, sizeof *page->md);
  if (!site->allow_html) escape_raw_html(page->root);

  if (!resolve_charts(site, page, err)) return false;
  collect_links(page);
  bool numbered = wp_value_true(page->doc->meta, "numbered_paragraphs") ||
                  wp_value_true(page->front, "numbered_paragraphs");
  int counters[7] = {0};
  const wp_value *para_style = numbered ? numbering_style(page, "paragraph") : NULL;
  const wp_value *para_search = numbered ? wp_lang_string(page->lang, "search.paragraph") : NULL;
  for (cmark_node *n = cmark_node_first_child(page->root); n; n = cmark_node_next(n)) {
    switch (cmark_node_get_type(n)) {
    case CMARK_NODE_HEADING:
      if (!resolve_heading(site, page, n, counters, err)) return false;
      break;
    case CMARK_NODE_PARAGRAPH:
      if (numbered) {
        int num = ++page->paragraphs;
        char *label = number_label(page, para_style, "paragraph", num, file_line(page, n), err);
        if (!label) return false;
        wp_buf lead = {0};
        wp_buf_puts(&lead, "<span class=\"para-num\">");
        wp_html_escape(&lead, label, strlen(label));
        wp_buf_puts(&lead, "</span> ");
        char *search = search_title_attr(para_search, num);
        marked_block *m = mark(page->md, n, wp_printf("<p id=\"para-%d\" class=\"numbered\"%s>", num, search), wp_xstrdup("</p>"));
        free(search);
        m->lead = wp_buf_take(&lead);
        m->label = m->para_label = label;
        m->id = m->para_id = wp_printf("para-%d", num);
      }
      break;
    case CMARK_NODE_FOOTNOTE_DEFINITION:
      page->footnote_labels = wp_xrealloc(page->footnote_labels, (page->footnotes + 1) * sizeof(char *));
      page->footnote_labels[page->footnotes++] = footnote_label(page, n);
      break;
    default: break;
    }
  }
  return true;
}

/* Four touches to what cmark-gfm writes, for valid HTML5 in the page's language: table
 * cells get a class instead of the obsolete align attribute (logical: "right" is the end
 * side, so it mirrors in Arabic), the notes section gets its heading, each note its search
 * title, and the notes' back-links their label. */
static char *finish_html(const wp_page *page, const char *html, size_t *len) {
  static const char *const aligns[][2] = {{" align=\"left\"", " class=\"align-start\""},
                                          {" align=\"center\"", " class=\"align-center\""},
                                          {" align=\"right\"", " class=\"align-end\""}};
  static const char notes[] = "<section class=\"footnotes\" data-footnotes>";
  static const char back[] = " aria-label=\"Back to content\"";
  const char *title = wp_value_str(page->lang->i18n, "footnotes"), *back_label = wp_value_str(page->lang->i18n, "footnote_back");
  if (!title) title = "Notes";
  const wp_value *note_search = wp_lang_string(page->lang, "search.note");
  wp_buf b = {0};
  size_t n = strlen(html);
  wp_buf_grow(&b, n + n / 8 + 256);
  int note = 0;
  /* Only a few tags change: the HTML between them is copied in one piece, not tag by tag. */
  const char *copied = html; /* html before this is in b */
  for (const char *tag = html; (tag = strchr(tag, '<'));) {
    if ((tag[1] == 't' && (tag[2] == 'd' || tag[2] == 'h')) && tag[3] == ' ') {
      const char *attr = tag + 3;
      tag = attr;
      for (int k = 0; k < 3; k++)
        if (!strncmp(attr, aligns[k][0], strlen(aligns[k][0]))) {
          wp_buf_put(&b, copied, (size_t)(attr - copied));
          wp_buf_puts(&b, aligns[k][1]);
          tag = copied = attr + strlen(aligns[k][0]);
          break;
        }
    } else if (tag[1] == 'l' && !strncmp(tag, "<li id=\"fn-", 11)) {
      /* notes are an ordered list: the nth item is note n, whatever its label */
      const char *end = strchr(tag, '>');
      if (!end) end = tag + strlen(tag);
      char *search = search_title_attr(note_search, ++note);
      wp_buf_put(&b, copied, (size_t)(end - copied));
      wp_buf_puts(&b, search);
      free(search);
      tag = copied = end;
    } else if (tag[1] == 's' && !strncmp(tag, notes, sizeof notes - 1)) {
      wp_buf_put(&b, copied, (size_t)(tag - copied));
      wp_buf_puts(&b, "<section class=\"footnotes\" data-footnotes aria-labelledby=\"footnotes-title\">\n<h2 id=\"footnotes-title\">");
      wp_html_escape(&b, title, strlen(title));
      wp_buf_puts(&b, "</h2>");
      tag = copied = tag + sizeof notes - 1;
    } else if (back_label && tag[1] == 'a' && !strncmp(tag, "<a href=\"#fnref", 15)) {
      const char *end = strchr(tag, '>'), *label = strstr(tag, back);
      if (label && end && label < end) {
        wp_buf_put(&b, copied, (size_t)(label - copied));
        wp_buf_puts(&b, " aria-label=\"");
        wp_html_escape(&b, back_label, strlen(back_label));
        wp_buf_putc(&b, '"');
        tag = copied = label + sizeof back - 1;
      } else {
        tag++;
      }
    } else {
      tag++;
    }
  }
  wp_buf_put(&b, copied, n - (size_t)(copied - html));
  *len = b.len;
  return wp_buf_take(&b);
}

/* Each marked block is wrapped for the HTML renderer in a custom block carrying its opening
 * and closing tags, rendered, then restored: the model stays as parsed for other outputs. */
char *wp_markdown_html(const wp_site *site, wp_page *page) {
  struct wp_markdown *md = page->md;
  size_t before = md->nblocks;
  for (size_t i = 0; i < md->ncharts; i++) /* a chart's block shows its SVG instead of the spec */
    mark(md, md->chart_nodes[i], wp_chart_svg(md->charts[i], page->lang), wp_xstrdup(""));
  cmark_node **wrappers = wp_xcalloc(md->nblocks, sizeof *wrappers);
  for (size_t i = 0; i < md->nblocks; i++) {
    cmark_node *w = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK), *c;
    cmark_node_set_on_enter(w, md->blocks[i].open);
    cmark_node_set_on_exit(w, md->blocks[i].close);
    while ((c = cmark_node_first_child(md->blocks[i].node))) cmark_node_append_child(w, c);
    if (md->blocks[i].lead) { /* inline, so no line break separates it from the text */
      cmark_node *lead = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
      cmark_node_set_on_enter(lead, md->blocks[i].lead);
      cmark_node_prepend_child(w, lead);
    }
    cmark_node_replace(md->blocks[i].node, w);
    wrappers[i] = w;
  }
  char *html = cmark_render_html(page->root, site->allow_html ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT, NULL);
  for (size_t i = 0; i < md->nblocks; i++) {
    cmark_node *c;
    if (md->blocks[i].lead) cmark_node_free(cmark_node_first_child(wrappers[i]));
    while ((c = cmark_node_first_child(wrappers[i]))) cmark_node_append_child(md->blocks[i].node, c);
    cmark_node_replace(wrappers[i], md->blocks[i].node);
    cmark_node_free(wrappers[i]);
  }
  free(wrappers);
  char *fixed = finish_html(page, html, &page->body_html_len);
  free(html);
  html = fixed;
  for (size_t i = before; i < md->nblocks; i++) free(md->blocks[i].open), free(md->blocks[i].close), free(md->blocks[i].lead);
  /* (charts carry no labels) */
  md->nblocks = before;
  return html; /* cmark allocates with malloc */
}

const char *wp_markdown_label(const wp_page *page, const cmark_node *node, const char **id) {
  /* Headings and numbered paragraphs are marked in document order; a page has few enough
   * that a scan is cheaper than an index. */
  for (size_t i = 0; page->md && i < page->md->nblocks; i++)
    if (page->md->blocks[i].node == node) {
      if (id) *id = page->md->blocks[i].id;
      return page->md->blocks[i].label;
    }
  if (id) *id = NULL;
  return NULL;
}

const wp_chart *wp_markdown_chart(const wp_page *page, const cmark_node *node) {
  for (size_t i = 0; page->md && i < page->md->ncharts; i++)
    if (page->md->chart_nodes[i] == node) return page->md->charts[i];
  return NULL;
}

void wp_markdown_free(wp_page *page) {
  if (page->root) cmark_node_free(page->root);
  page->root = NULL;
  if (!page->md) return;
  for (size_t i = 0; i < page->md->nblocks; i++) {
    free(page->md->blocks[i].open);
    free(page->md->blocks[i].close);
    free(page->md->blocks[i].lead);
    free(page->md->blocks[i].para_label);
    free(page->md->blocks[i].para_id);
  }
  free(page->md->blocks);
  for (size_t i = 0; i < page->md->ncharts; i++) wp_chart_free(page->md->charts[i]);
  free(page->md->charts);
  free(page->md->chart_nodes);
  free(page->md);
  page->md = NULL;
}
