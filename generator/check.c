/* check — see check.h. */
#include "check.h"

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/text.h"
#include "pdf_document.h"
#include "site.h"
#include "status.h"

typedef struct {
  const wp_site *site;
  char **paths; /* every site path a link may lead to, sorted */
  size_t npaths;
  int errors, warnings;
} checker;

static void add_path(checker *c, char *path) {
  c->paths = wp_xrealloc(c->paths, (c->npaths + 1) * sizeof *c->paths);
  c->paths[c->npaths++] = path;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool known_path(const checker *c, const char *path) {
  return bsearch(&path, c->paths, c->npaths, sizeof *c->paths, cmp_str) != NULL;
}

/* Adds every file below dir as prefix + relative path. */
static void add_files(checker *c, const char *dir, const char *prefix) {
  DIR *d = opendir(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char *full = wp_printf("%s/%s", dir, e->d_name), *rel = wp_printf("%s%s", prefix, e->d_name);
    if (wp_is_dir(full)) {
      char *sub = wp_printf("%s/", rel);
      add_files(c, full, sub);
      free(sub);
      free(rel);
    } else {
      add_path(c, rel);
    }
    free(full);
  }
  closedir(d);
}

/* Files beside a document's Markdown (images, CSV) are published with each translation. */
static bool is_asset(const char *name) {
  size_t n = strlen(name);
  return name[0] != '.' && strcmp(name, "_document.yaml") && !(n > 3 && !strcmp(name + n - 3, ".md"));
}

static void collect_paths(checker *c) {
  const wp_site *s = c->site;
  add_path(c, wp_xstrdup(""));
  add_path(c, wp_xstrdup("sitemap.xml"));
  add_path(c, wp_xstrdup("robots.txt"));
  add_path(c, wp_xstrdup("404.html"));
  char *static_dir = wp_printf("%s/static", s->theme_dir);
  add_files(c, static_dir, "");
  free(static_dir);
  for (size_t l = 0; l < s->nlangs; l++) {
    const char *code = s->langs[l].code;
    add_path(c, wp_printf("%s/", code));
    add_path(c, wp_printf("%s/status/", code));
    add_path(c, wp_printf("%s/404.html", code));
    add_path(c, wp_printf("%s/feed.xml", code));
    for (size_t d = 0; d < s->ndocs; d++) {
      const wp_page *p = s->docs[d]->pages[l];
      if (!p) continue;
      add_path(c, wp_xstrdup(p->url));
      char *dir = wp_printf("%s/content/%s", s->root, s->docs[d]->slug);
      DIR *dh = opendir(dir);
      struct dirent *e;
      while (dh && (e = readdir(dh)))
        if (is_asset(e->d_name)) add_path(c, wp_printf("%s%s", p->url, e->d_name));
      if (dh) closedir(dh);
      free(dir);
    }
  }
  qsort(c->paths, c->npaths, sizeof *c->paths, cmp_str);
}

/* Resolves href against the page's site path into a normalized site path (no fragment). */
static char *resolve(const char *page_url, const char *href) {
  size_t n = strcspn(href, "?#");
  wp_buf b = {0};
  if (href[0] != '/') wp_buf_puts(&b, page_url);
  wp_buf_put(&b, href, n);
  /* Remove "." and ".." segments. */
  char **seg = wp_xcalloc(b.len + 1, sizeof *seg);
  size_t nseg = 0;
  bool trailing = b.len && b.data[b.len - 1] == '/';
  for (char *tok = strtok(b.data, "/"); tok; tok = strtok(NULL, "/")) {
    if (!strcmp(tok, ".")) continue;
    if (!strcmp(tok, "..")) {
      if (nseg) nseg--;
      continue;
    }
    seg[nseg++] = tok;
  }
  wp_buf out = {0};
  for (size_t i = 0; i < nseg; i++) {
    if (i) wp_buf_putc(&out, '/');
    wp_buf_puts(&out, seg[i]);
  }
  if (trailing && out.len) wp_buf_putc(&out, '/');
  free(seg);
  wp_buf_free(&b);
  char *path = wp_buf_take(&out);
  size_t len = strlen(path);
  if (len >= 10 && !strcmp(path + len - 10, "index.html")) path[len - 10] = 0;
  return path;
}

static const wp_page *page_at(const wp_site *s, const char *path) {
  for (size_t d = 0; d < s->ndocs; d++)
    for (size_t l = 0; l < s->nlangs; l++)
      if (s->docs[d]->pages[l] && !strcmp(s->docs[d]->pages[l]->url, path)) return s->docs[d]->pages[l];
  return NULL;
}

static bool has_anchor(const wp_page *p, const char *id) {
  int n;
  char end;
  if (sscanf(id, "para-%d%c", &n, &end) == 1) return n >= 1 && n <= p->paragraphs;
  for (size_t i = 0; i < p->nheadings; i++)
    if (!strcmp(p->headings[i].id, id)) return true;
  for (int i = 0; i < p->footnotes; i++) {
    const char *label = p->footnote_labels[i];
    if ((!strncmp(id, "fn-", 3) && !strcmp(id + 3, label)) || (!strncmp(id, "fnref-", 6) && !strcmp(id + 6, label)))
      return true;
  }
  return !strcmp(id, "main") || !strcmp(id, "toc-title");
}

static bool is_external(const char *href) {
  size_t n = strcspn(href, ":/?#");
  return href[n] == ':' && n > 0;
}

static void check_links(checker *c, const wp_page *p) {
  for (size_t i = 0; i < p->nlinks; i++) {
    const wp_link *l = &p->links[i];
    if (!l->url[0] || is_external(l->url)) continue;
    char *path = resolve(p->url, l->url);
    const char *hash = strchr(l->url, '#');
    const wp_page *target = page_at(c->site, path);
    if (!target && !known_path(c, path)) {
      printf("%s:%d: %s '%s' leads nowhere (no page or file at /%s)\n", p->source, l->line,
             l->image ? "image" : "link", l->url, path);
      c->errors++;
    } else if (target && hash && hash[1] && !has_anchor(target, hash + 1)) {
      printf("%s:%d: link '%s': %s has no anchor '%s'\n", p->source, l->line, l->url, target->source, hash + 1);
      c->errors++;
    }
    free(path);
  }
}

static const char *type_of(const wp_value *v) {
  switch (v->type) {
  case WP_BOOL: return "bool";
  case WP_NUMBER: return "number";
  case WP_LIST: return "list";
  case WP_MAP: return "map";
  case WP_STRING: {
    int y, m, d;
    char end;
    return sscanf(v->string, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3 ? "date" : "string";
  }
  default: return "null";
  }
}

static size_t edit_distance(const char *a, const char *b) {
  size_t n = strlen(b), prev[64], cur[64];
  if (n >= 63 || strlen(a) >= 63) return 99;
  for (size_t j = 0; j <= n; j++) prev[j] = j;
  for (size_t i = 1; a[i - 1]; i++) {
    cur[0] = i;
    for (size_t j = 1; j <= n; j++) {
      size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
      size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
    memcpy(prev, cur, (n + 1) * sizeof *prev);
  }
  return prev[n];
}

static void check_keys(checker *c, const wp_value *map, const wp_value *schema, const char *file) {
  if (!schema) return;
  for (size_t i = 0; i < map->count; i++) {
    const char *key = map->keys[i];
    const char *want = wp_value_str(schema, key);
    const wp_value *v = map->items[i];
    if (!want) {
      const char *best = NULL;
      size_t best_d = 3;
      for (size_t k = 0; k < schema->count; k++) {
        size_t d = edit_distance(key, schema->keys[k]);
        if (d < best_d) best_d = d, best = schema->keys[k];
      }
      printf("%s:%d: unknown front matter key '%s'%s%s%s\n", file, v->line, key, best ? " (did you mean '" : "",
             best ? best : "", best ? "'?)" : "");
      c->errors++;
    } else if (v->type != WP_NULL && strcmp(want, type_of(v)) && !(!strcmp(want, "string") && !strcmp(type_of(v), "date"))) {
      printf("%s:%d: '%s' should be a %s, not a %s\n", file, v->line, key, want, type_of(v));
      c->errors++;
    }
  }
}

static void check_translations(checker *c, bool strict) {
  const wp_site *s = c->site;
  for (size_t d = 0; d < s->ndocs; d++)
    for (size_t l = 0; l < s->nlangs; l++) {
      const wp_tr_status *st = &s->status[d][l];
      const char *kind = strict ? "error" : "warning";
      if (st->state == WP_TR_STALE)
        printf("%s:1: %s: stale translation: %s\n", s->docs[d]->pages[l]->source, kind, st->reason);
      else if (st->state == WP_TR_MISSING)
        printf("content/%s/%s.md: %s: missing translation\n", s->docs[d]->slug, s->langs[l].code, kind);
      else
        continue;
      if (strict) c->errors++;
      else c->warnings++;
    }
}

/* ---- --external: every http(s) link asked once, with curl (no shell: the URL is an argument) */

/* The HTTP status curl got for url (following redirects), or 0 when it could not connect. */
static int http_status(const char *url) {
  int fds[2];
  if (pipe(fds) != 0) return 0;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    execlp("curl", "curl", "-s", "-o", "/dev/null", "-L", "--max-time", "15", "-A", "wufpress-check",
           "-w", "%{http_code}", "--", url, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  char buf[16] = "";
  ssize_t n = pid > 0 ? read(fds[0], buf, sizeof buf - 1) : -1;
  close(fds[0]);
  if (pid > 0) waitpid(pid, NULL, 0);
  return n > 0 ? atoi(buf) : 0;
}

static void check_external(checker *c) {
  if (system("command -v curl >/dev/null 2>&1") != 0) {
    fprintf(stderr, "wufpress check: --external needs curl (apt-get install curl); external links not checked\n");
    return;
  }
  char **seen = NULL;
  size_t nseen = 0;
  for (size_t d = 0; d < c->site->ndocs; d++)
    for (size_t l = 0; l < c->site->nlangs; l++) {
      const wp_page *p = c->site->docs[d]->pages[l];
      for (size_t i = 0; p && i < p->nlinks; i++) {
        const char *url = p->links[i].url;
        if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)) continue;
        bool known = false;
        for (size_t k = 0; k < nseen && !known; k++) known = !strcmp(seen[k], url);
        if (known) continue; /* each address is asked once; the first place that uses it is named */
        seen = wp_xrealloc(seen, (nseen + 1) * sizeof *seen);
        seen[nseen++] = wp_xstrdup(url);
        int status = http_status(url);
        if (status >= 200 && status < 400) continue;
        if (status) printf("%s:%d: external link '%s' answered HTTP %d\n", p->source, p->links[i].line, url, status);
        else printf("%s:%d: external link '%s' could not be reached\n", p->source, p->links[i].line, url);
        c->errors++;
      }
    }
  for (size_t k = 0; k < nseen; k++) free(seen[k]);
  free(seen);
}

/* Characters no font of the language's stack covers: the PDF renderer's warnings, as errors. */
static void count_warning(void *ud, const char *message) {
  checker *c = ud;
  printf("%s\n", message);
  c->errors++;
}

static void check_fonts(checker *c) {
  wp_pdf_designer *d = wp_pdf_designer_new(c->site);
  for (size_t i = 0; i < c->site->ndocs; i++)
    for (size_t l = 0; l < c->site->nlangs; l++) {
      const wp_page *p = c->site->docs[i]->pages[l];
      if (!p) continue;
      wp_err err = {{0}};
      size_t len;
      free(wp_pdf_render(d, p, &len, count_warning, c, &err));
      if (err.msg[0]) {
        printf("%s\n", err.msg);
        c->errors++;
      }
    }
  wp_pdf_designer_free(d);
  wp_text_prefetch_join(); /* the hyphenation loads wp_pdf_render started */
}

int wp_check_command(const wp_build_options *opt, bool strict, bool external) {
  wp_site *site = wp_load(opt);
  if (!site) return 1;
  checker c = {.site = site};
  collect_paths(&c);
  wp_err err = {{0}};
  char *schema_path = wp_printf("themes/%s/schema.yaml", site->theme);
  char *full = wp_printf("%s/%s", site->root, schema_path);
  size_t len;
  char *text = wp_read_file(full, &len);
  wp_value *schema = text ? wp_yaml_parse(text, len, schema_path, 1, &err) : NULL;
  if (text && !schema) {
    printf("%s\n", err.msg);
    c.errors++;
  }
  for (size_t d = 0; d < site->ndocs; d++) {
    check_keys(&c, site->docs[d]->meta, wp_value_get(schema, "document"), site->docs[d]->meta_path);
    for (size_t l = 0; l < site->nlangs; l++) {
      const wp_page *p = site->docs[d]->pages[l];
      if (!p) continue;
      check_keys(&c, p->front, wp_value_get(schema, "page"), p->source);
      check_links(&c, p);
    }
  }
  if (!wp_check_output_names(site, &err)) {
    printf("%s\n", err.msg);
    c.errors++;
  }
  check_translations(&c, strict);
  if (opt->pdf) check_fonts(&c);
  if (external) check_external(&c);
  fprintf(stderr, "wufpress check: %d error%s, %d warning%s\n", c.errors, c.errors == 1 ? "" : "s", c.warnings,
          c.warnings == 1 ? "" : "s");
  wp_value_free(schema);
  free(text), free(full), free(schema_path);
  for (size_t i = 0; i < c.npaths; i++) free(c.paths[i]);
  free(c.paths);
  wp_status_free(site, site->status);
  wp_site_free(site);
  return c.errors ? 1 : 0;
}
