/* bench/md_floor — what cmark-gfm alone costs for a site's Markdown (issue 10).
 *
 * md_floor CONTENT THREADS: reads every .md file under CONTENT into memory (not timed), then
 * THREADS threads parse each one's body (after its front matter) with cmark-gfm and render it
 * to HTML, with the options and extensions wufpress uses for a site without allow_html
 * (generator/markdown.c: footnotes; table, strikethrough, autolink). Prints one line:
 *   files N markdown_bytes B html_bytes H threads T wall_ms W cpu_ms C
 * counting the files it parsed and rendered, where wall_ms and cpu_ms (user + system, all
 * threads) cover only the parsing and rendering (the Markdown bytes are the bodies alone).
 * Every build of these pages parses them with cmark-gfm (the stack's Markdown library) and
 * renders them to HTML: no such build can take less. bench.py adds it to the file system's
 * floor (fs_floor.c) to show what is left of 10x Hugo's time for everything else. */
#define _GNU_SOURCE
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "floor_clock.h"

typedef struct {
  char *text;
  size_t len;
} source;

static source *files;
static size_t nfiles, capfiles, markdown_bytes;
static atomic_size_t next_file, parsed, html_bytes;

/* The body after a leading "---" front matter block, as wufpress splits it. */
static void skip_front_matter(source *s) {
  if (strncmp(s->text, "---\n", 4)) return;
  char *end = strstr(s->text + 4, "\n---\n");
  if (!end) return;
  size_t skip = (size_t)(end + 5 - s->text);
  s->text += skip, s->len -= skip;
}

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)ftw;
  size_t n = strlen(path);
  if (type != FTW_F || n < 3 || strcmp(path + n - 3, ".md")) return 0;
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  char *text = malloc((size_t)st->st_size + 1);
  if (!text || fread(text, 1, (size_t)st->st_size, f) != (size_t)st->st_size) { perror(path); exit(1); }
  fclose(f);
  text[st->st_size] = 0;
  if (nfiles == capfiles) {
    capfiles = capfiles ? capfiles * 2 : 4096;
    if (!(files = realloc(files, capfiles * sizeof *files))) abort();
  }
  files[nfiles] = (source){text, (size_t)st->st_size};
  skip_front_matter(&files[nfiles]);
  markdown_bytes += files[nfiles++].len;
  return 0;
}

static void *worker(void *arg) {
  (void)arg;
  static const char *const extensions[] = {"table", "strikethrough", "autolink"};
  for (size_t i; (i = atomic_fetch_add(&next_file, 1)) < nfiles;) {
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_FOOTNOTES);
    for (size_t e = 0; e < sizeof extensions / sizeof *extensions; e++)
      cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(extensions[e]));
    cmark_parser_feed(parser, files[i].text, files[i].len);
    cmark_node *root = cmark_parser_finish(parser);
    char *html = cmark_render_html(root, CMARK_OPT_DEFAULT, NULL);
    html_bytes += strlen(html);
    parsed++;
    free(html);
    cmark_node_free(root);
    cmark_parser_free(parser);
  }
  return NULL;
}

int main(int argc, char **argv) {
  int nthreads;
  if (argc != 3 || (nthreads = atoi(argv[2])) < 1) {
    fprintf(stderr, "usage: md_floor CONTENT THREADS\n");
    return 2;
  }
  if (nftw(argv[1], collect, 64, FTW_PHYS)) { perror(argv[1]); return 1; }
  if (!nfiles) {
    fprintf(stderr, "md_floor: no .md file under %s\n", argv[1]);
    return 1;
  }
  cmark_gfm_core_extensions_ensure_registered();
  double w0 = wall_ms(), c0 = cpu_ms();
  pthread_t *t = calloc((size_t)nthreads, sizeof *t);
  for (int i = 0; i < nthreads; i++) pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < nthreads; i++) pthread_join(t[i], NULL);
  double wall = wall_ms() - w0, cpu = cpu_ms() - c0;
  printf("files %zu markdown_bytes %zu html_bytes %zu threads %d wall_ms %.1f cpu_ms %.1f\n", (size_t)parsed, markdown_bytes,
         (size_t)html_bytes, nthreads, wall, cpu);
  return 0;
}
