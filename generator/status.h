/* status — which translations exist, which are missing, and which are stale. A translation is
 * stale when its `source_hash:` differs from the hash of its original's file, or when its
 * numbered paragraphs, headings or footnotes do not match the original's in count. Computed
 * once from the loaded model; read by `wufpress status` and the status pages. */
#ifndef WP_STATUS_H
#define WP_STATUS_H

#include "site.h"

typedef enum { WP_TR_MISSING, WP_TR_ORIGINAL, WP_TR_CURRENT, WP_TR_STALE } wp_tr_state;

typedef struct wp_tr_status {
  wp_tr_state state;
  char *reason; /* for stale: why, in English; NULL otherwise */
} wp_tr_status;

/* One row per document, one cell per site language; free with wp_status_free. */
wp_tr_status **wp_status_compute(const wp_site *site);
void wp_status_free(const wp_site *site, wp_tr_status **rows);
const char *wp_status_name(wp_tr_state s);

typedef struct wp_build_options wp_build_options;
/* `wufpress status`: the document × language matrix on stdout, then one line per stale
 * translation with its reason, and the hash to record in translations of each original.
 * Exit 0 even when translations are missing or stale; 1 when the site does not load. */
int wp_status_command(const wp_build_options *opt);

#endif
