/* status — see status.h. */
#include "status.h"

#include "build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *wp_status_name(wp_tr_state s) {
  static const char *const names[] = {"missing", "original", "current", "stale"};
  return names[s];
}

static int headings_at(const wp_page *p, int level) {
  int n = 0;
  for (size_t i = 0; i < p->nheadings; i++) n += p->headings[i].level == level;
  return n;
}

/* Why `tr` is stale against `orig`, or NULL when it is current. */
static char *stale_reason(const wp_page *orig, const wp_page *tr, const char *orig_hash) {
  const char *recorded = wp_value_str(tr->front, "source_hash");
  if (recorded && strcmp(recorded, orig_hash))
    return wp_printf("%s changed since this translation (source_hash %s, now %s)", orig->source, recorded, orig_hash);
  if (tr->paragraphs != orig->paragraphs)
    return wp_printf("%d numbered paragraphs, the original has %d", tr->paragraphs, orig->paragraphs);
  for (int level = 1; level <= 6; level++) {
    int a = headings_at(tr, level), b = headings_at(orig, level);
    if (a != b) return wp_printf("%d level-%d headings, the original has %d", a, level, b);
  }
  if (tr->footnotes != orig->footnotes)
    return wp_printf("%d footnotes, the original has %d", tr->footnotes, orig->footnotes);
  return NULL;
}

wp_tr_status **wp_status_compute(const wp_site *site) {
  wp_tr_status **rows = wp_xcalloc(site->ndocs ? site->ndocs : 1, sizeof *rows);
  for (size_t d = 0; d < site->ndocs; d++) {
    const wp_document *doc = site->docs[d];
    rows[d] = wp_xcalloc(site->nlangs, sizeof **rows);
    size_t o = doc->original;
    const wp_page *orig = doc->pages[o];
    const char *hash = orig ? orig->hash : "";
    for (size_t l = 0; l < site->nlangs; l++) {
      const wp_page *p = doc->pages[l];
      wp_tr_status *cell = &rows[d][l];
      if (!p) cell->state = WP_TR_MISSING;
      else if (l == o) cell->state = WP_TR_ORIGINAL;
      else if (orig && (cell->reason = stale_reason(orig, p, hash))) cell->state = WP_TR_STALE;
      else cell->state = WP_TR_CURRENT;
    }
  }
  return rows;
}

void wp_status_free(const wp_site *site, wp_tr_status **rows) {
  if (!rows) return;
  for (size_t d = 0; d < site->ndocs; d++) {
    for (size_t l = 0; rows[d] && l < site->nlangs; l++) free(rows[d][l].reason);
    free(rows[d]);
  }
  free(rows);
}

int wp_status_command(const wp_build_options *opt) {
  wp_site *site = wp_load(opt);
  if (!site) return 1;
  size_t width = 8;
  for (size_t d = 0; d < site->ndocs; d++)
    if (strlen(site->docs[d]->slug) > width) width = strlen(site->docs[d]->slug);
  printf("%-*s", (int)width, "document");
  for (size_t l = 0; l < site->nlangs; l++) printf("  %-8s", site->langs[l].code);
  putchar('\n');
  int stale = 0, missing = 0;
  for (size_t d = 0; d < site->ndocs; d++) {
    printf("%-*s", (int)width, site->docs[d]->slug);
    for (size_t l = 0; l < site->nlangs; l++) {
      wp_tr_state s = site->status[d][l].state;
      stale += s == WP_TR_STALE;
      missing += s == WP_TR_MISSING;
      printf("  %-8s", wp_status_name(s));
    }
    putchar('\n');
  }
  for (size_t d = 0; d < site->ndocs; d++)
    for (size_t l = 0; l < site->nlangs; l++)
      if (site->status[d][l].state == WP_TR_STALE)
        printf("%s: stale: %s\n", site->docs[d]->pages[l]->source, site->status[d][l].reason);
  for (size_t d = 0; d < site->ndocs; d++) {
    const wp_page *orig = site->docs[d]->pages[site->docs[d]->original];
    if (!orig) continue;
    printf("%s: source_hash: %s\n", orig->source, orig->hash);
  }
  printf("%zu documents, %d missing, %d stale translations\n", site->ndocs, missing, stale);
  wp_status_free(site, site->status);
  wp_site_free(site);
  return 0;
}
