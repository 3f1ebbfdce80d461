/* chart — data figures written in Markdown as a fenced ```chart block holding a small YAML
 * spec (type, title, units, series with labels; values inline or from a CSV file beside the
 * document). Parsed once into the model (chart.c); drawn as accessible SVG for the site
 * (chart_svg.c) and (later) as vectors in the PDF from the same wp_chart, whose fields are
 * public for that purpose and read-only after parsing.
 *
 *   ```chart
 *   type: bar                 # bar, hbar, stacked, line or donut
 *   title: Participation
 *   units: people             # optional; shown under the title
 *   percent: false            # optional; true formats values as percentages (50.6 → 50.6%)
 *   categories: [Registered, Attended in person]
 *   series:
 *     - { name: Participants, values: [37000, 24000] }
 *   caption: Optional sentence under the title.
 *   source: Optional source line.
 *   ```
 *
 * or, instead of categories and series, `csv: figures.csv` (beside the document: a header row
 * "<category column>,<series 1>,<series 2>..." then one row per category). */
#ifndef WP_CHART_H
#define WP_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "site.h"

typedef enum {
  WP_CHART_BAR,     /* vertical bars, one group per category */
  WP_CHART_HBAR,    /* horizontal bars */
  WP_CHART_STACKED, /* vertical bars, series stacked */
  WP_CHART_LINE,    /* one line per series, a point per category */
  WP_CHART_DONUT    /* one series; a segment per category */
} wp_chart_type;

typedef struct {
  char *name;       /* may be "" for a single series */
  double *values;   /* one per category, finite */
} wp_chart_series;

typedef struct wp_chart {
  wp_chart_type type;
  char *title;          /* required */
  char *units;          /* or NULL */
  char *caption;        /* or NULL */
  char *source;         /* or NULL */
  char *category_label; /* header of the category column (CSV header cell, `category_label`), or NULL */
  bool percent;         /* values are per cent: format with wp_format_percent */
  char **categories;
  size_t ncategories;   /* >= 1 */
  wp_chart_series *series;
  size_t nseries;       /* >= 1; exactly 1 for a donut */
  int line;             /* file line of the spec's first line; also makes page-unique ids */
} wp_chart;

/* Parses a chart spec. doc_dir is the document's content folder (for CSV files); file and line
 * locate the block for error messages ("content/x/en.md:12: unknown chart type 'pie'"). */
wp_chart *wp_chart_parse(const char *spec, size_t len, const char *doc_dir, const char *file, int line,
                         wp_err *err);
/* Inline SVG (with title, desc and a data table alternative) in the page's language. */
char *wp_chart_svg(const wp_chart *chart, const wp_lang *lang);
void wp_chart_free(wp_chart *chart);

/* The name of a chart type ("bar", ...). */
const char *wp_chart_type_name(wp_chart_type type);

/* The value axis both drawings share (so web and print ticks agree): 0 included, about five
 * steps of 1, 2, 2.5 or 5 x 10^n, over the values (a stacked chart's sums). */
typedef struct {
  double lo, hi, step;
  int nticks;
} wp_chart_scale;
wp_chart_scale wp_chart_value_scale(const wp_chart *chart);
double wp_chart_tick(const wp_chart_scale *s, int i);

#endif
