/* typeset — test tool for the PDF text engine: typesets the paragraphs of a text file
 * (separated by blank lines) on A4 pages.
 *
 *   typeset --lang LANG [--width PT] [--size PT] [--ragged] [--no-hyphens] [--report-lines]
 *           IN.txt OUT.pdf
 *   typeset --check-hpdf [VERSION]   checks the libharu guard (exit 1 when it refuses)
 *
 * Uncovered characters are reported on stderr as IN.txt:LINE: ...; --report-lines prints
 * one line per typeset line: paragraph, line, natural/set/drawn width, measure, flags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/fonts.h"
#include "pdf/hpdf_internals.h"
#include "pdf/pdf.h"
#include "pdf/text.h"
#include "util.h"

#define A4_W 595.276
#define A4_H 841.89
#define MARGIN 72.0

typedef struct {
  const char *file;
  const char *text;    /* whole input */
  const size_t *map;   /* paragraph byte -> input byte */
  int missing;
} warn_ctx;

static void on_missing(void *ud, uint32_t cp, size_t off) {
  warn_ctx *w = ud;
  fprintf(stderr, "%s:%d: no font covers U+%04X\n", w->file, wp_line_of(w->text, w->map[off]),
          (unsigned)cp);
  w->missing++;
}

static int usage(void) {
  fprintf(stderr, "usage: typeset --lang LANG [--width PT] [--size PT] [--ragged] "
                  "[--no-hyphens] [--report-lines] IN.txt OUT.pdf\n"
                  "       typeset --check-hpdf [VERSION]\n");
  return 2;
}

int main(int argc, char **argv) {
  const char *lang = NULL, *in = NULL, *out = NULL;
  double width = A4_W - 2 * MARGIN, size = 11;
  bool ragged = false, report = false, hyphens = true;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--check-hpdf")) {
      char err[512];
      const char *v = i + 1 < argc ? argv[i + 1] : NULL;
      if (!wp_hpdf_check(v, err, sizeof err)) {
        fprintf(stderr, "typeset: %s\n", err);
        return 1;
      }
      printf("libharu %s: ok\n", HPDF_GetVersion());
      return 0;
    } else if (!strcmp(argv[i], "--lang") && i + 1 < argc) lang = argv[++i];
    else if (!strcmp(argv[i], "--width") && i + 1 < argc) width = atof(argv[++i]);
    else if (!strcmp(argv[i], "--size") && i + 1 < argc) size = atof(argv[++i]);
    else if (!strcmp(argv[i], "--ragged")) ragged = true;
    else if (!strcmp(argv[i], "--no-hyphens")) hyphens = false;
    else if (!strcmp(argv[i], "--report-lines")) report = true;
    else if (argv[i][0] == '-' && argv[i][1]) return usage();
    else if (!in) in = argv[i];
    else if (!out) out = argv[i];
    else return usage();
  }
  if (!lang || !in || !out || width <= 0 || size <= 0) return usage();
  size_t len;
  char *text = wp_read_file(in, &len);
  if (!text) {
    perror(in);
    return 1;
  }
  wp_fonts *fonts = wp_fonts_create();
  int nfam;
  const char *const *fam = wp_fonts_default_families(lang, &nfam);
  wp_text_style style = {.size = size};
  if (!wp_fonts_stack(fonts, fam, nfam, WP_REGULAR, &style.fonts)) {
    fprintf(stderr, "typeset: no font installed for %s (wants %s)\n", lang, fam[0]);
    return 1;
  }
  bool cjk = !strncmp(lang, "zh", 2);
  wp_pdf *pdf = wp_pdf_create(fonts);
  wp_pdf_page *page = NULL;
  double lead = size * (cjk ? 1.6 : 1.4), y = 0, x = (A4_W - width) / 2;
  warn_ctx wc = {in, text, NULL, 0};
  wp_break_opts bo = wp_break_defaults(width);
  bo.justify = !ragged;
  bo.hyphenate = hyphens && !ragged;
  char *para = wp_xmalloc(len + 1);
  size_t *map = wp_xmalloc((len + 1) * sizeof *map);
  wc.map = map;
  int pno = 0;
  for (size_t i = 0; i < len;) {
    /* One paragraph: up to a blank line. Line ends join with a space, except between
     * Chinese characters, which are written without spaces. */
    size_t n = 0;
    while (i < len && (text[i] == '\n' || text[i] == ' ' || text[i] == '\t' || text[i] == '\r'))
      i++;
    while (i < len) {
      if (text[i] == '\n') {
        size_t j = i + 1;
        while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r')) j++;
        if (j >= len || text[j] == '\n') {
          i = j;
          break;
        }
        if (!cjk) para[n] = ' ', map[n++] = i;
        i++;
        continue;
      }
      para[n] = text[i];
      map[n++] = i++;
    }
    while (n && (para[n - 1] == ' ' || para[n - 1] == '\r')) n--;
    if (!n) continue;
    map[n] = i;
    pno++;
    wp_para *p = wp_para_create(lang);
    wp_para_add(p, para, n, &style);
    wp_para_shape(p, on_missing, &wc);
    int nl = wp_para_break(p, &bo);
    for (int l = 0; l < nl; l++) {
      wp_line_info li;
      wp_para_line(p, l, &li);
      if (!page || y - li.descent < MARGIN) {
        page = wp_pdf_add_page(pdf, A4_W, A4_H);
        y = A4_H - MARGIN - li.ascent;
      }
      double drawn = wp_para_draw_line(p, l, page, x, y);
      if (report)
        printf("line %d.%d natural=%.3f set=%.3f drawn=%.3f measure=%.3f justified=%d "
               "hyphenated=%d text=%.*s\n",
               pno, l + 1, li.natural, li.width, drawn, li.measure, li.justified,
               li.hyphenated, (int)(li.byte_end - li.byte_start), para + li.byte_start);
      y -= lead;
    }
    y -= lead / 2;
    wp_para_destroy(p);
  }
  if (!page) wp_pdf_add_page(pdf, A4_W, A4_H);
  char err[512];
  int rc = 0;
  if (!wp_pdf_save(pdf, out, err, sizeof err)) {
    fprintf(stderr, "typeset: %s\n", err);
    rc = 1;
  }
  wp_pdf_destroy(pdf);
  wp_fonts_destroy(fonts);
  free(para);
  free(map);
  free(text);
  return rc;
}
