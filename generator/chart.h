/* chart — data figures written in Markdown as a fenced ```chart block holding a small YAML
 * spec (type, title, units, series with labels; values inline or from a CSV file beside the
 * document). Parsed once into the model; drawn as accessible SVG for the site and (later) as
 * vectors in the PDF from the same wp_chart. */
#ifndef WP_CHART_H
#define WP_CHART_H

#include "site.h"

typedef struct wp_chart wp_chart;

/* Parses a chart spec. doc_dir is the document's content folder (for CSV files); file and line
 * locate the block for error messages ("content/x/en.md:12: unknown chart type 'pie'"). */
wp_chart *wp_chart_parse(const char *spec, size_t len, const char *doc_dir, const char *file, int line,
                         wp_err *err);
/* Inline SVG (with title, desc and a data table alternative) in the page's language. */
char *wp_chart_svg(const wp_chart *chart, const wp_lang *lang);
void wp_chart_free(wp_chart *chart);

#endif
