/* chart — see chart.h. (Placeholder until the chart module lands: every chart is an error.) */
#include "chart.h"

wp_chart *wp_chart_parse(const char *spec, size_t len, const char *doc_dir, const char *file, int line,
                         wp_err *err) {
  (void)spec, (void)len, (void)doc_dir;
  wp_err_set(err, file, line, "charts are not supported yet");
  return NULL;
}

char *wp_chart_svg(const wp_chart *chart, const wp_lang *lang) {
  (void)chart, (void)lang;
  return wp_xstrdup("");
}

void wp_chart_free(wp_chart *chart) { (void)chart; }
