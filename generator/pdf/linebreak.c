/* pdf/linebreak — break opportunities (ICU UAX 14, libhyphen) as Knuth–Plass items, and the
 * choice of breaks for the whole paragraph. See text.h. Process-wide and read-only once made:
 * the hyphenation dictionaries (loaded at most once each, possibly ahead on their own thread)
 * and one ICU line-break iterator per locale to clone. */
#include <hyphen.h>
#include <iconv.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>

#include "pdf/text_impl.h"
#include "pool.h"
#include "util.h"

#define INF_PENALTY 10000.0
#define FILL_STRETCH 1e6 /* the last line's glue: any shortfall costs nothing */

bool wp_text_is_space(uint32_t c) {
  return c == ' ' || c == 0x3000 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A && c != 0x2007) ||
         c == 0x205F;
}

/* ---- hyphenation dictionaries: loaded once per process, read-only afterwards ---- */

static const struct {
  const char *lang, *file;
} dicts[] = {{"en", "hyph_en_US.dic"}, {"fr", "hyph_fr.dic"}, {"es", "hyph_es_ES.dic"},
             {"ru", "hyph_ru_RU.dic"}};
#define NDICTS (sizeof dicts / sizeof *dicts)
static HyphenDict *dict_cache[NDICTS];
static bool dict_tried[NDICTS];
static wp_task prefetch_task[NDICTS];
static pthread_mutex_t dict_lock[NDICTS] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
                                             PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};

static int dict_index(const char *lang) {
  for (size_t i = 0; i < NDICTS; i++)
    if (strncmp(lang, dicts[i].lang, 2) == 0) return (int)i;
  return -1;
}

/* Loads under the dictionary's own lock, so a paragraph that needs it while a prefetch is
 * loading it waits for it, and other languages' loads do not. */
static HyphenDict *dict_at(int i) {
  pthread_mutex_lock(&dict_lock[i]);
  if (!dict_tried[i]) {
    dict_tried[i] = true;
    const char *dir = getenv("WUFPRESS_HYPHEN_DIR");
    char *path = wp_printf("%s/%s", dir && *dir ? dir : "/usr/share/hyphen", dicts[i].file);
    dict_cache[i] = hnj_hyphen_load(path);
    free(path);
  }
  pthread_mutex_unlock(&dict_lock[i]);
  return dict_cache[i];
}

static HyphenDict *dict_for(const char *lang) {
  int i = dict_index(lang);
  return i < 0 ? NULL : dict_at(i);
}

static void *prefetch_main(void *arg) {
  dict_at((int)(intptr_t)arg);
  return NULL;
}

/* libhyphen parses a dictionary in ~8 ms (the English one: 37 M instructions), as long as
 * laying out a short document. Started when a PDF in the language begins, the load runs on
 * another core while fonts are found and the first paragraphs are shaped. */
void wp_text_prefetch_hyphenation(const char *lang) {
  int i = dict_index(lang);
  if (i >= 0) wp_task_start(&prefetch_task[i], prefetch_main, (void *)(intptr_t)i);
}

void wp_text_prefetch_join(void) {
  for (size_t i = 0; i < NDICTS; i++) wp_task_join(&prefetch_task[i]);
}

static void put_utf8(char *out, size_t *len, uint32_t c) {
  if (c < 0x80) {
    out[(*len)++] = (char)c;
  } else if (c < 0x800) {
    out[(*len)++] = (char)(0xC0 | c >> 6);
    out[(*len)++] = (char)(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out[(*len)++] = (char)(0xE0 | c >> 12);
    out[(*len)++] = (char)(0x80 | (c >> 6 & 0x3F));
    out[(*len)++] = (char)(0x80 | (c & 0x3F));
  } else {
    out[(*len)++] = (char)(0xF0 | c >> 18);
    out[(*len)++] = (char)(0x80 | (c >> 12 & 0x3F));
    out[(*len)++] = (char)(0x80 | (c >> 6 & 0x3F));
    out[(*len)++] = (char)(0x80 | (c & 0x3F));
  }
}

/* Sets ok[k] (1 <= k < n) when the word may be hyphenated before its k-th character. */
static void hyphenate_word(HyphenDict *d, const uint32_t *w, size_t n, bool *ok) {
  enum { MAXW = 64 };
  if (n < 5 || n > MAXW) return;
  char word[MAXW * 4 + 1];
  size_t len = 0, char_end[MAXW]; /* byte index of each character's last byte */
  for (size_t i = 0; i < n; i++) {
    put_utf8(word, &len, (uint32_t)u_tolower((UChar32)w[i]));
    char_end[i] = len - 1;
  }
  word[len] = 0;
  /* For UTF-8 dictionaries libhyphen reports positions per character, not per byte. */
  if (d->utf8) {
    for (size_t i = 0; i < n; i++) char_end[i] = i;
  } else {
    /* hyph_ru_RU.dic is KOI8-R: one byte per character after conversion. */
    char conv[MAXW + 1];
    iconv_t cd = iconv_open(d->cset, "UTF-8");
    if (cd == (iconv_t)-1) return;
    char *in = word, *out = conv;
    size_t inl = len, outl = MAXW;
    size_t r = iconv(cd, &in, &inl, &out, &outl);
    iconv_close(cd);
    if (r == (size_t)-1 || (size_t)(out - conv) != n) return;
    memcpy(word, conv, n);
    len = n;
    word[len] = 0;
    for (size_t i = 0; i < n; i++) char_end[i] = i;
  }
  char hyph[MAXW * 4 + 5];
  char **rep = NULL;
  int *pos = NULL, *cut = NULL;
  if (hnj_hyphen_hyphenate3(d, word, (int)len, hyph, NULL, &rep, &pos, &cut, 2, 3, 2, 2) == 0) {
    for (size_t i = 0; i + 1 < n; i++)
      if ((hyph[char_end[i]] & 1) && !(rep && rep[char_end[i]])) ok[i + 1] = true;
  }
  if (rep) {
    for (size_t i = 0; i < len; i++) free(rep[i]);
    free(rep);
  }
  free(pos);
  free(cut);
}

/* ---- items ---- */

static void add_item(wp_para *p, size_t *cap, wp_item it) {
  if (p->nitems == *cap) {
    *cap = *cap ? *cap * 2 : 256;
    p->items = wp_xrealloc(p->items, *cap * sizeof *p->items);
  }
  p->items[p->nitems++] = it;
}

static double width_of(const wp_para *p, size_t a, size_t b) {
  double w = 0;
  for (size_t i = a; i < b; i++) w += p->cadv[i];
  return w;
}

static double hyphen_width(const wp_para *p, size_t c) {
  const wp_trun *r = &p->runs[p->run_of[c]];
  hb_codepoint_t g;
  if (!r->font || !hb_font_get_nominal_glyph(wp_font_hb(r->font), '-', &g)) return 0;
  return hb_font_get_glyph_h_advance(wp_font_hb(r->font), g) * r->size / wp_font_upem(r->font);
}

/* Boxes for [a, b), split at legal hyphenation points of its words. */
static void add_boxes(wp_para *p, size_t *cap, size_t a, size_t b, HyphenDict *d, double hpen) {
  size_t start = a;
  for (size_t i = a; d && i < b;) {
    if (!u_isalpha((UChar32)p->cp[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < b && u_isalpha((UChar32)p->cp[j])) j++;
    /* A word glued to other letters by punctuation (l'homme, e-mail) is hyphenated only
     * in its letter part. */
    bool ok[64 + 1] = {false};
    if (j - i <= 64) hyphenate_word(d, p->cp + i, j - i, ok);
    for (size_t k = 1; k < j - i && k <= 64; k++) {
      size_t c = i + k;
      /* Not inside a ligature, not across fonts/runs. */
      if (!ok[k] || !p->cluster_start[c] || p->run_of[c] != p->run_of[c - 1]) continue;
      add_item(p, cap, (wp_item){IT_BOX, width_of(p, start, c), 0, 0, 0, false, start, c});
      add_item(p, cap, (wp_item){IT_PENALTY, hyphen_width(p, c - 1), 0, 0, hpen, true, c, c});
      start = c;
    }
    i = j;
  }
  if (b > start) add_item(p, cap, (wp_item){IT_BOX, width_of(p, start, b), 0, 0, 0, false, start, b});
}

/* A line break iterator for the locale over u. Opening one builds its rule tables (~50,000
 * instructions); a clone of a kept prototype shares them. Prototypes live for the process. */
static UBreakIterator *line_breaker(const char *locale, const UChar *u, int32_t n, UErrorCode *err) {
  static struct {
    char locale[16];
    UBreakIterator *bi;
  } protos[8];
  static int nprotos;
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  UBreakIterator *proto = NULL;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < nprotos && !proto; i++)
    if (!strcmp(protos[i].locale, locale)) proto = protos[i].bi;
  if (!proto && nprotos < 8) {
    UErrorCode e = U_ZERO_ERROR;
    proto = ubrk_open(UBRK_LINE, locale, NULL, 0, &e);
    if (U_SUCCESS(e)) {
      snprintf(protos[nprotos].locale, sizeof protos[nprotos].locale, "%s", locale);
      protos[nprotos++].bi = proto;
    } else {
      proto = NULL;
    }
  }
  UBreakIterator *bi = proto ? ubrk_clone(proto, err) : ubrk_open(UBRK_LINE, locale, NULL, 0, err);
  pthread_mutex_unlock(&lock);
  if (bi && U_SUCCESS(*err)) ubrk_setText(bi, u, n, err);
  return bi;
}

static bool is_cjk_lang(const char *lang) {
  return strncmp(lang, "zh", 2) == 0 || strncmp(lang, "ja", 2) == 0;
}

void wp_text_build_items(wp_para *p, bool hyphenate) {
  free(p->items);
  p->items = NULL;
  p->nitems = 0;
  size_t cap = 0, n = p->n;
  if (!n) return;
  HyphenDict *d = hyphenate ? dict_for(p->lang) : NULL;
  double hpen = p->opts.hyphen_penalty;
  /* UTF-16 copy for ICU, with the character index of each code unit. */
  UChar *u = wp_xmalloc((2 * n + 1) * sizeof *u);
  size_t *u2c = wp_xmalloc((2 * n + 1) * sizeof *u2c);
  int32_t un = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = p->cp[i];
    u2c[un] = i;
    if (c >= 0x10000) {
      u[un++] = (UChar)(0xD800 + ((c - 0x10000) >> 10));
      u2c[un] = i;
      u[un++] = (UChar)(0xDC00 + ((c - 0x10000) & 0x3FF));
    } else {
      u[un++] = (UChar)c;
    }
  }
  u2c[un] = n;
  char locale[16];
  snprintf(locale, sizeof locale, "%s", p->lang);
  for (char *s = locale; *s; s++)
    if (*s == '-') *s = '_';
  UErrorCode err = U_ZERO_ERROR;
  UBreakIterator *bi = line_breaker(locale, u, un, &err);
  bool cjk = is_cjk_lang(p->lang);
  double em = p->styles[0].size;
  size_t prev = 0;
  for (int32_t b = U_SUCCESS(err) ? ubrk_following(bi, 0) : UBRK_DONE;; b = ubrk_next(bi)) {
    size_t c = b == UBRK_DONE ? n : u2c[b];
    if (c > n) c = n;
    if (c <= prev && c < n) continue;
    if (c < n && !p->cluster_start[c]) continue; /* never inside a cluster */
    size_t t = c; /* trailing spaces before the opportunity become glue */
    while (t > prev && wp_text_is_space(p->cp[t - 1])) t--;
    add_boxes(p, &cap, prev, t, d, hpen);
    if (t < c) {
      double w = width_of(p, t, c);
      add_item(p, &cap, (wp_item){IT_GLUE, w, w / 2, w / 3, 0, false, t, c});
    } else if (c < n) {
      /* Between ideographs: a little stretch so CJK lines can be justified. */
      if (cjk)
        add_item(p, &cap, (wp_item){IT_GLUE, 0, em * 0.1, 0, 0, false, c, c});
      else
        add_item(p, &cap, (wp_item){IT_PENALTY, 0, 0, 0, 0, false, c, c});
    }
    prev = c;
    if (c >= n) break;
  }
  if (bi) ubrk_close(bi);
  free(u);
  free(u2c);
  /* The last line: glue that absorbs any shortfall, then a forced break. */
  add_item(p, &cap, (wp_item){IT_PENALTY, 0, 0, 0, INF_PENALTY, false, n, n});
  add_item(p, &cap, (wp_item){IT_GLUE, 0, FILL_STRETCH, 0, 0, false, n, n});
  add_item(p, &cap, (wp_item){IT_PENALTY, 0, 0, 0, -INF_PENALTY, false, n, n});
}

/* ---- choosing breaks ---- */

typedef struct {
  size_t item;          /* break item (or 0 with line 0 for the start) */
  int line, fitness, prev;
  double tw, ty, tz;    /* totals after the break */
  double demerits, ratio;
} node;

static double measure_of(const wp_break_opts *o, int line) {
  if (o->nwidths > 0 && o->widths) return o->widths[line < o->nwidths ? line : o->nwidths - 1];
  return o->width;
}

static bool is_break(const wp_para *p, size_t i) {
  const wp_item *it = &p->items[i];
  if (it->type == IT_PENALTY) return it->penalty < INF_PENALTY;
  return it->type == IT_GLUE && i > 0 && p->items[i - 1].type == IT_BOX;
}

/* Totals after breaking at b: following glue and penalties are discarded. */
static void after_break(const wp_para *p, const double *W, const double *Y, const double *Z,
                        size_t b, double *tw, double *ty, double *tz) {
  *tw = W[b];
  *ty = Y[b];
  *tz = Z[b];
  for (size_t i = b; i < p->nitems; i++) {
    const wp_item *it = &p->items[i];
    if (it->type == IT_BOX) break;
    if (it->type == IT_GLUE) {
      *tw += it->width;
      *ty += it->stretch;
      *tz += it->shrink;
    } else if (it->penalty <= -INF_PENALTY && i > b) {
      break;
    }
  }
}

static size_t first_item_after(const wp_para *p, size_t b) {
  size_t i = b + 1;
  while (i < p->nitems && p->items[i].type != IT_BOX &&
         !(p->items[i].type == IT_PENALTY && p->items[i].penalty <= -INF_PENALTY))
    i++;
  return i;
}

/* Knuth–Plass with fitness classes. Returns false when no feasible set of breaks exists
 * at this tolerance. */
static bool knuth_plass(wp_para *p, double tolerance, bool allow_hyphens) {
  size_t m = p->nitems;
  double *W = wp_xmalloc((m + 1) * sizeof *W), *Y = wp_xmalloc((m + 1) * sizeof *Y),
         *Z = wp_xmalloc((m + 1) * sizeof *Z);
  W[0] = Y[0] = Z[0] = 0;
  for (size_t i = 0; i < m; i++) {
    const wp_item *it = &p->items[i];
    bool g = it->type != IT_PENALTY;
    W[i + 1] = W[i] + (g ? it->width : 0);
    Y[i + 1] = Y[i] + (it->type == IT_GLUE ? it->stretch : 0);
    Z[i + 1] = Z[i] + (it->type == IT_GLUE ? it->shrink : 0);
  }
  size_t nn = 0, capn = 64, na = 0, capa = 16;
  node *nodes = wp_xmalloc(capn * sizeof *nodes);
  int *active = wp_xmalloc(capa * sizeof *active);
  nodes[nn++] = (node){0, 0, 1, -1, 0, 0, 0, 0, 0};
  active[na++] = 0;
  int best_end = -1;
  for (size_t b = 0; b < m && na > 0; b++) {
    if (!is_break(p, b)) continue;
    const wp_item *it = &p->items[b];
    if (it->type == IT_PENALTY && it->flagged && !allow_hyphens) continue;
    bool forced = it->type == IT_PENALTY && it->penalty <= -INF_PENALTY;
    double best_d[4] = {INFINITY, INFINITY, INFINITY, INFINITY}, best_r[4] = {0};
    int best_a[4] = {-1, -1, -1, -1};
    for (size_t k = 0; k < na;) {
      node *a = &nodes[active[k]];
      double L = measure_of(&p->opts, a->line);
      double nat = W[b] - a->tw + (it->type == IT_PENALTY ? it->width : 0);
      double r;
      if (nat < L) r = Y[b] - a->ty > 0 ? (L - nat) / (Y[b] - a->ty) : INFINITY;
      else if (nat > L) r = Z[b] - a->tz > 0 ? (L - nat) / (Z[b] - a->tz) : -INFINITY;
      else r = 0;
      if (r >= -1 && r <= tolerance) {
        double bad = fmin(100 * pow(fabs(r), 3), 10000);
        double d = pow(10 + bad, 2);
        if (it->type == IT_PENALTY) {
          if (it->penalty >= 0) d += it->penalty * it->penalty;
          else if (!forced) d -= it->penalty * it->penalty;
        }
        if (it->type == IT_PENALTY && it->flagged && a->item > 0 &&
            p->items[a->item].type == IT_PENALTY && p->items[a->item].flagged)
          d += 3000; /* two hyphenated lines in a row */
        int fit = r < -0.5 ? 0 : r <= 0.5 ? 1 : r <= 1 ? 2 : 3;
        if (abs(fit - a->fitness) > 1) d += 3000;
        d += a->demerits;
        if (d < best_d[fit]) {
          best_d[fit] = d;
          best_a[fit] = active[k];
          best_r[fit] = r;
        }
      }
      if (r < -1 || forced) {
        active[k] = active[--na]; /* deactivate; order of actives is irrelevant */
        continue;
      }
      k++;
    }
    double tw, ty, tz;
    after_break(p, W, Y, Z, b, &tw, &ty, &tz);
    for (int f = 0; f < 4; f++) {
      if (best_a[f] < 0) continue;
      if (nn == capn) nodes = wp_xrealloc(nodes, (capn *= 2) * sizeof *nodes);
      nodes[nn] = (node){b, nodes[best_a[f]].line + 1, f, best_a[f], tw, ty, tz, best_d[f],
                         best_r[f]};
      if (forced) {
        if (best_end < 0 || nodes[nn].demerits < nodes[best_end].demerits) best_end = (int)nn;
      } else {
        if (na == capa) active = wp_xrealloc(active, (capa *= 2) * sizeof *active);
        active[na++] = (int)nn;
      }
      nn++;
    }
  }
  bool ok = best_end >= 0;
  if (ok) {
    int count = 0;
    for (int k = best_end; nodes[k].prev >= 0; k = nodes[k].prev) count++;
    p->lines = wp_xrealloc(p->lines, (size_t)count * sizeof *p->lines);
    p->nlines = count;
    for (int k = best_end, i = count - 1; nodes[k].prev >= 0; k = nodes[k].prev, i--) {
      const node *prevn = &nodes[nodes[k].prev];
      p->lines[i].first_item = prevn->prev < 0 ? 0 : first_item_after(p, prevn->item);
      p->lines[i].break_item = nodes[k].item;
      p->lines[i].ratio = nodes[k].ratio;
      p->lines[i].measure = measure_of(&p->opts, i);
    }
  }
  free(nodes);
  free(active);
  free(W);
  free(Y);
  free(Z);
  return ok;
}

/* First fit: for ragged text, and the last resort (overfull lines) for justified text. */
static void greedy(wp_para *p) {
  size_t m = p->nitems, start = 0, capl = 0;
  p->nlines = 0;
  while (start < m) {
    double L = measure_of(&p->opts, p->nlines), w = 0;
    size_t last = (size_t)-1, b = start;
    for (; b < m; b++) {
      const wp_item *it = &p->items[b];
      if (is_break(p, b) && !(it->type == IT_PENALTY && it->flagged && !p->opts.hyphenate)) {
        double nat = w + (it->type == IT_PENALTY ? it->width : 0);
        if (nat > L && last != (size_t)-1) {
          b = last;
          break;
        }
        last = b;
        if (it->type == IT_PENALTY && it->penalty <= -INF_PENALTY) break;
        if (nat > L) break; /* overfull: nothing fits, break as soon as possible */
      }
      if (it->type != IT_PENALTY) w += it->width;
    }
    if (b >= m) b = last == (size_t)-1 ? m - 1 : last;
    if ((size_t)p->nlines == capl) {
      capl = capl ? capl * 2 : 16;
      p->lines = wp_xrealloc(p->lines, capl * sizeof *p->lines);
    }
    p->lines[p->nlines++] = (wp_tline){start, b, 0, L};
    if (p->items[b].type == IT_PENALTY && p->items[b].penalty <= -INF_PENALTY) break;
    start = first_item_after(p, b);
  }
}

wp_break_opts wp_break_defaults(double width) {
  return (wp_break_opts){width, NULL, 0, true, true, 50, WP_ALIGN_START};
}

int wp_para_break(wp_para *p, const wp_break_opts *opts) {
  p->opts = *opts;
  free(p->lines);
  p->lines = NULL;
  p->nlines = 0;
  if (p->n == 0 || !p->cadv) return 0;
  if (opts->justify) {
    /* As TeX: first without hyphenation (its words are not even looked up: most paragraphs
     * set well without), then with, then looser, then give up on beauty. */
    wp_text_build_items(p, false);
    if (knuth_plass(p, 1.0, false)) return p->nlines;
    if (opts->hyphenate) wp_text_build_items(p, true);
    if (knuth_plass(p, 2.0, opts->hyphenate) || knuth_plass(p, 10.0, opts->hyphenate)) return p->nlines;
  } else {
    wp_text_build_items(p, opts->hyphenate);
  }
  greedy(p);
  return p->nlines;
}
