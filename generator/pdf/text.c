/* pdf/text — paragraph text, itemization and shaping. See text.h. */
#include <fribidi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/utf8.h>

#include "pdf/text_impl.h"
#include "util.h"

wp_para *wp_para_create(const char *lang) {
  wp_para *p = wp_xcalloc(1, sizeof *p);
  snprintf(p->lang, sizeof p->lang, "%s", lang ? lang : "en");
  p->rtl = strncmp(p->lang, "ar", 2) == 0 || strncmp(p->lang, "he", 2) == 0 ||
           strncmp(p->lang, "fa", 2) == 0 || strncmp(p->lang, "ur", 2) == 0;
  p->byte_of = wp_xcalloc(1, sizeof *p->byte_of);
  return p;
}

static void clear_shaping(wp_para *p) {
  free(p->runs);
  free(p->g);
  free(p->cadv);
  free(p->cluster_start);
  free(p->run_of);
  free(p->items);
  free(p->lines);
  p->runs = NULL;
  p->g = NULL;
  p->cadv = NULL;
  p->cluster_start = NULL;
  p->run_of = NULL;
  p->items = NULL;
  p->lines = NULL;
  p->nruns = p->ng = p->nitems = 0;
  p->nlines = 0;
}

void wp_para_destroy(wp_para *p) {
  if (!p) return;
  clear_shaping(p);
  free(p->cp);
  free(p->byte_of);
  free(p->style_of);
  free(p->styles);
  free(p);
}

void wp_para_add(wp_para *p, const char *utf8, size_t len, const wp_text_style *style) {
  clear_shaping(p);
  p->styles = wp_xrealloc(p->styles, (size_t)(p->nstyles + 1) * sizeof *p->styles);
  p->styles[p->nstyles] = *style;
  uint16_t si = (uint16_t)p->nstyles++;
  for (int32_t i = 0, next = 0; i < (int32_t)len; i = next) {
    UChar32 uc; /* invalid UTF-8 reads as U+FFFD */
    U8_NEXT_OR_FFFD(utf8, next, (int32_t)len, uc);
    uint32_t c = (uint32_t)uc;
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (p->n + 1 >= p->cap) {
      p->cap = p->cap ? p->cap * 2 : 256;
      p->cp = wp_xrealloc(p->cp, p->cap * sizeof *p->cp);
      p->style_of = wp_xrealloc(p->style_of, p->cap * sizeof *p->style_of);
      p->byte_of = wp_xrealloc(p->byte_of, (p->cap + 1) * sizeof *p->byte_of);
    }
    p->cp[p->n] = c;
    p->style_of[p->n] = si;
    p->byte_of[p->n] = p->nbytes + (size_t)i;
    p->n++;
  }
  p->nbytes += len;
  p->byte_of[p->n] = p->nbytes;
}

static bool is_mark(hb_unicode_funcs_t *uf, uint32_t c) {
  hb_unicode_general_category_t gc = hb_unicode_general_category(uf, c);
  return gc == HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK ||
         gc == HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK ||
         gc == HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK;
}

/* Characters HarfBuzz hides or that need no glyph of their own: never "missing". */
static bool is_invisible(uint32_t c) {
  return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x200E || c == 0x200F ||
         c == 0x00AD || c == 0xFEFF || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2060 && c <= 0x2069) || (c >= 0xFE00 && c <= 0xFE0F);
}

/* Script per character; Common/Inherited take the script of what precedes them (or of the
 * first real script after, at the start), so digits and spaces do not split runs. */
static void resolve_scripts(const wp_para *p, hb_script_t *sc) {
  hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
  hb_script_t last = HB_SCRIPT_INVALID;
  for (size_t i = 0; i < p->n; i++) {
    hb_script_t s = hb_unicode_script(uf, p->cp[i]);
    if (s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED || s == HB_SCRIPT_UNKNOWN) s = last;
    sc[i] = s;
    if (s != HB_SCRIPT_INVALID) last = s;
  }
  hb_script_t next = HB_SCRIPT_LATIN;
  for (size_t i = p->n; i-- > 0;) {
    if (sc[i] == HB_SCRIPT_INVALID) sc[i] = next;
    else next = sc[i];
  }
}

/* Font per character: the first font of the stack that covers it, except that marks and
 * spaces/punctuation stay in the previous character's font when it covers them. */
static size_t choose_fonts(wp_para *p, wp_font **fo, wp_missing_fn missing, void *ud) {
  hb_unicode_funcs_t *uf = hb_unicode_funcs_get_default();
  size_t nmissing = 0;
  for (size_t i = 0; i < p->n; i++) {
    const wp_font_stack *st = &p->styles[p->style_of[i]].fonts;
    uint32_t c = p->cp[i];
    wp_font *prev = i > 0 && p->style_of[i - 1] == p->style_of[i] ? fo[i - 1] : NULL;
    hb_script_t s = hb_unicode_script(uf, c);
    bool neutral = s == HB_SCRIPT_COMMON || s == HB_SCRIPT_INHERITED || is_mark(uf, c);
    fo[i] = NULL;
    if (prev && (neutral || is_invisible(c)) && (is_invisible(c) || wp_font_covers(prev, c)))
      fo[i] = prev;
    for (int k = 0; k < st->n && !fo[i]; k++)
      if (wp_font_covers(st->font[k], c)) fo[i] = st->font[k];
    if (!fo[i]) {
      fo[i] = prev ? prev : st->n ? st->font[0] : NULL;
      if (!is_invisible(c)) {
        nmissing++;
        if (missing) missing(ud, c, p->byte_of[i]);
      }
    }
  }
  return nmissing;
}

static void shape_run(wp_para *p, wp_trun *r, hb_buffer_t *buf, hb_language_t lang) {
  hb_buffer_clear_contents(buf);
  /* The whole paragraph is given as context so joining across run edges is right. */
  hb_buffer_add_utf32(buf, p->cp, (int)p->n, (unsigned)r->start, (int)(r->end - r->start));
  hb_buffer_set_direction(buf, (r->level & 1) ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
  hb_buffer_set_script(buf, r->script);
  hb_buffer_set_language(buf, lang);
  /* Monotone clusters: a line cut between clusters takes a contiguous slice of glyphs. */
  hb_buffer_set_cluster_level(buf, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
  /* Direction marks and joiners draw nothing; left in, HarfBuzz would draw them as the
   * space glyph, whose ToUnicode entry is a space, so "38.5%" + U+200E extracted as "38.5% ". */
  hb_buffer_set_flags(buf, hb_buffer_get_flags(buf) | HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES);
  hb_shape(wp_font_hb(r->font), buf, NULL, 0);
  unsigned ng;
  hb_glyph_info_t *info = hb_buffer_get_glyph_infos(buf, &ng);
  hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(buf, &ng);
  p->g = wp_xrealloc(p->g, (p->ng + ng) * sizeof *p->g);
  r->g0 = p->ng;
  r->ng = ng;
  double scale = r->size / wp_font_upem(r->font);
  for (unsigned i = 0; i < ng; i++) {
    wp_tglyph *g = &p->g[p->ng + i];
    *g = (wp_tglyph){info[i].codepoint, info[i].cluster, pos[i].x_advance, pos[i].x_offset,
                     pos[i].y_offset, 0, 0};
    p->cadv[g->cluster] += pos[i].x_advance * scale;
    p->cluster_start[g->cluster] = true;
  }
  /* Text of each glyph, for ToUnicode: the first glyph of a cluster in logical order gets
   * all the cluster's characters (a ligature maps to all its letters), the others none. */
  bool rtl = r->level & 1;
  for (unsigned k = 0; k < ng; k++) {
    unsigned i = rtl ? ng - 1 - k : k;
    wp_tglyph *g = &p->g[p->ng + i];
    unsigned prev = rtl ? i + 1 : i - 1;
    if (k > 0 && p->g[p->ng + prev].cluster == g->cluster) continue;
    size_t end = r->end;
    for (unsigned k2 = k + 1; k2 < ng; k2++) {
      unsigned j = rtl ? ng - 1 - k2 : k2;
      if (p->g[p->ng + j].cluster != g->cluster) {
        end = p->g[p->ng + j].cluster;
        break;
      }
    }
    g->text_c = g->cluster;
    g->text_n = (uint32_t)(end - g->cluster);
  }
  p->ng += ng;
}

size_t wp_para_shape(wp_para *p, wp_missing_fn missing, void *ud) {
  clear_shaping(p);
  if (p->n == 0) return 0;
  size_t n = p->n;
  FriBidiCharType *types = wp_xmalloc(n * sizeof *types);
  FriBidiBracketType *brackets = wp_xmalloc(n * sizeof *brackets);
  FriBidiLevel *levels = wp_xmalloc(n * sizeof *levels);
  hb_script_t *scripts = wp_xmalloc(n * sizeof *scripts);
  wp_font **fonts = wp_xmalloc(n * sizeof *fonts);
  fribidi_get_bidi_types(p->cp, (FriBidiStrIndex)n, types);
  /* A left-to-right paragraph without right-to-left letters, Arabic numbers or directional
   * controls is all level 0 (UAX 9 W7: numbers after L become L; N1: neutrals between L are
   * L): the algorithm need not run (most paragraphs of a Latin, Cyrillic or Chinese page). */
  bool plain = !p->rtl;
  for (size_t i = 0; i < n && plain; i++) {
    FriBidiCharType t = types[i];
    plain = t != FRIBIDI_TYPE_RTL && t != FRIBIDI_TYPE_AL && t != FRIBIDI_TYPE_AN && t != FRIBIDI_TYPE_LRE &&
            t != FRIBIDI_TYPE_RLE && t != FRIBIDI_TYPE_LRO && t != FRIBIDI_TYPE_RLO && t != FRIBIDI_TYPE_PDF &&
            t != FRIBIDI_TYPE_LRI && t != FRIBIDI_TYPE_RLI && t != FRIBIDI_TYPE_FSI && t != FRIBIDI_TYPE_PDI;
  }
  if (plain) {
    memset(levels, 0, n * sizeof *levels);
  } else {
    fribidi_get_bracket_types(p->cp, (FriBidiStrIndex)n, types, brackets);
    FriBidiParType dir = p->rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
    if (!fribidi_get_par_embedding_levels_ex(types, brackets, (FriBidiStrIndex)n, &dir, levels))
      memset(levels, p->rtl ? 1 : 0, n * sizeof *levels);
  }
  resolve_scripts(p, scripts);
  size_t nmissing = choose_fonts(p, fonts, missing, ud);

  p->cadv = wp_xcalloc(n + 1, sizeof *p->cadv);
  p->cluster_start = wp_xcalloc(n + 1, sizeof *p->cluster_start);
  p->cluster_start[n] = true;
  p->run_of = wp_xmalloc(n * sizeof *p->run_of);
  hb_buffer_t *buf = hb_buffer_create();
  hb_language_t lang = hb_language_from_string(p->lang, -1);
  size_t cap = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && levels[j] == levels[i] && scripts[j] == scripts[i] && fonts[j] == fonts[i] &&
           p->style_of[j] == p->style_of[i])
      j++;
    if (p->nruns == cap) {
      cap = cap ? cap * 2 : 16;
      p->runs = wp_xrealloc(p->runs, cap * sizeof *p->runs);
    }
    wp_trun *r = &p->runs[p->nruns];
    *r = (wp_trun){i, j, levels[i], scripts[i], fonts[i], p->styles[p->style_of[i]].size, 0, 0};
    for (size_t k = i; k < j; k++) p->run_of[k] = p->nruns;
    if (r->font) shape_run(p, r, buf, lang);
    p->nruns++;
    i = j;
  }
  hb_buffer_destroy(buf);
  free(types);
  free(brackets);
  free(levels);
  free(scripts);
  free(fonts);
  return nmissing;
}
