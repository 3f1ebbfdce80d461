/* chart — see chart.h. This file reads a chart spec (YAML, or a CSV file it names) into a
 * wp_chart and checks it; chart_svg.c draws it. Every error names the file and line where
 * the editor can fix it: the Markdown file for the spec, the CSV file for its rows. */
#include "chart.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const type_names[] = {"bar", "hbar", "stacked", "line", "donut"};
static const char *const known_keys[] = {"type", "title", "units", "percent", "categories", "series",
                                         "csv", "caption", "source", "category_label", NULL};

const char *wp_chart_type_name(wp_chart_type type) {
  return (unsigned)type < sizeof type_names / sizeof *type_names ? type_names[type] : "?";
}

void wp_chart_free(wp_chart *c) {
  if (!c) return;
  free(c->title), free(c->units), free(c->caption), free(c->source), free(c->category_label);
  for (size_t i = 0; i < c->ncategories; i++) free(c->categories[i]);
  free(c->categories);
  for (size_t i = 0; i < c->nseries; i++) free(c->series[i].name), free(c->series[i].values);
  free(c->series);
  free(c);
}

/* Text of a scalar (string or number as written); NULL for anything else. */
static const char *scalar_text(const wp_value *v) {
  return v && (v->type == WP_STRING || v->type == WP_NUMBER) ? v->string : NULL;
}

/* An optional text key; false (with err) when present but not text. */
static bool opt_text(const wp_value *spec, const char *key, char **out, const char *file, wp_err *err) {
  const wp_value *v = wp_value_get(spec, key);
  if (!v || v->type == WP_NULL) return true;
  const char *s = scalar_text(v);
  if (!s) {
    wp_err_set(err, file, v->line, "chart '%s' must be text", key);
    return false;
  }
  *out = wp_xstrdup(s);
  return true;
}

static void add_series(wp_chart *c, const char *name) {
  c->series = wp_xrealloc(c->series, (c->nseries + 1) * sizeof *c->series);
  c->series[c->nseries++] = (wp_chart_series){wp_xstrdup(name ? name : ""), NULL};
}

/* ---- inline categories and series ---- */

static bool parse_inline(wp_chart *c, const wp_value *spec, const char *file, wp_err *err) {
  const wp_value *cats = wp_value_get(spec, "categories"), *series = wp_value_get(spec, "series");
  if (!cats || !series) {
    const wp_value *at = cats ? cats : series;
    wp_err_set(err, file, at ? at->line : c->line,
               "empty chart: give 'categories' and 'series' (or 'csv: file.csv')");
    return false;
  }
  if (cats->type != WP_LIST) {
    wp_err_set(err, file, cats->line, "chart 'categories' must be a list of labels");
    return false;
  }
  c->categories = wp_xcalloc(cats->count ? cats->count : 1, sizeof *c->categories);
  for (size_t i = 0; i < cats->count; i++) {
    const char *s = scalar_text(cats->items[i]);
    if (!s) {
      wp_err_set(err, file, cats->items[i]->line, "chart category %zu must be a label", i + 1);
      return false;
    }
    c->categories[c->ncategories++] = wp_xstrdup(s);
  }
  if (series->type != WP_LIST) {
    wp_err_set(err, file, series->line, "chart 'series' must be a list of {name, values}");
    return false;
  }
  for (size_t s = 0; s < series->count; s++) {
    const wp_value *item = series->items[s];
    const wp_value *values = wp_value_get(item, "values");
    if (item->type != WP_MAP || !values || values->type != WP_LIST) {
      wp_err_set(err, file, item->line, "chart series %zu needs 'values', a list of numbers", s + 1);
      return false;
    }
    for (size_t k = 0; k < item->count; k++)
      if (strcmp(item->keys[k], "name") && strcmp(item->keys[k], "values")) {
        wp_err_set(err, file, item->items[k]->line, "unknown key '%s' in chart series (name, values)", item->keys[k]);
        return false;
      }
    const wp_value *name = wp_value_get(item, "name");
    if (name && name->type != WP_NULL && !scalar_text(name)) {
      wp_err_set(err, file, name->line, "chart series name must be text");
      return false;
    }
    add_series(c, scalar_text(name));
    wp_chart_series *ser = &c->series[c->nseries - 1];
    if (values->count != c->ncategories) {
      wp_err_set(err, file, values->line, "chart series '%s' has %zu values for %zu categories", ser->name,
                 values->count, c->ncategories);
      return false;
    }
    ser->values = wp_xcalloc(values->count ? values->count : 1, sizeof *ser->values);
    for (size_t i = 0; i < values->count; i++) {
      const wp_value *v = values->items[i];
      if (v->type != WP_NUMBER || !isfinite(v->number)) {
        wp_err_set(err, file, v->line, "chart value '%s' is not a number", v->string ? v->string : "");
        return false;
      }
      ser->values[i] = v->number;
    }
  }
  return true;
}

/* ---- CSV (RFC 4180: commas, "quoted ""fields""", CRLF or LF) ---- */

typedef struct {
  char **cells;
  size_t n;
  int line;
} csv_row;

/* Splits text into rows; blank lines are skipped. false with *bad_line on an unterminated quote. */
static bool csv_split(const char *s, size_t len, csv_row **rows_out, size_t *nrows, int *bad_line) {
  csv_row *rows = NULL;
  size_t n = 0;
  size_t i = 0;
  int line = 1;
  if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) i = 3; /* byte order mark */
  while (i < len) {
    csv_row row = {NULL, 0, line};
    bool blank = true;
    for (;;) { /* one field */
      wp_buf cell = {0};
      wp_buf_puts(&cell, "");
      if (i < len && s[i] == '"') {
        int start = line;
        i++;
        for (;;) {
          if (i >= len) {
            free(cell.data);
            for (size_t k = 0; k < row.n; k++) free(row.cells[k]);
            free(row.cells);
            *rows_out = rows, *nrows = n, *bad_line = start;
            return false;
          }
          if (s[i] == '"' && i + 1 < len && s[i + 1] == '"') wp_buf_putc(&cell, '"'), i += 2;
          else if (s[i] == '"') { i++; break; }
          else {
            if (s[i] == '\n') line++;
            wp_buf_putc(&cell, s[i++]);
          }
        }
        blank = false;
      }
      while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r') wp_buf_putc(&cell, s[i++]);
      if (cell.len) blank = false;
      row.cells = wp_xrealloc(row.cells, (row.n + 1) * sizeof *row.cells);
      row.cells[row.n++] = wp_buf_take(&cell);
      if (i < len && s[i] == ',') { i++; blank = false; continue; }
      if (i < len && s[i] == '\r') i++;
      if (i < len && s[i] == '\n') i++;
      line++;
      break;
    }
    if (blank) {
      for (size_t k = 0; k < row.n; k++) free(row.cells[k]);
      free(row.cells);
      continue;
    }
    rows = wp_xrealloc(rows, (n + 1) * sizeof *rows);
    rows[n++] = row;
  }
  *rows_out = rows, *nrows = n;
  return true;
}

/* A plain decimal number ("-12", "50.6", "1e6"), surrounding spaces allowed; independent of
 * the C locale. */
static bool parse_number(const char *s, double *out) {
  while (*s == ' ' || *s == '\t') s++;
  const char *p = s;
  if (*p == '-' || *p == '+') p++;
  size_t digits = 0;
  while (*p >= '0' && *p <= '9') p++, digits++;
  if (*p == '.') {
    p++;
    while (*p >= '0' && *p <= '9') p++, digits++;
  }
  if (!digits) return false;
  if (*p == 'e' || *p == 'E') {
    p++;
    if (*p == '-' || *p == '+') p++;
    if (*p < '0' || *p > '9') return false;
    while (*p >= '0' && *p <= '9') p++;
  }
  const char *end = p;
  while (*p == ' ' || *p == '\t') p++;
  if (*p) return false;
  /* Convert by hand so a process locale with a decimal comma cannot change the result. */
  double mant = 0, scale = 1;
  bool neg = *s == '-', frac = false;
  int exp10 = 0;
  for (const char *q = (*s == '-' || *s == '+') ? s + 1 : s; q < end; q++) {
    if (*q == '.') frac = true;
    else if (*q == 'e' || *q == 'E') { exp10 = atoi(q + 1); break; }
    else if (frac) scale /= 10, mant += (*q - '0') * scale;
    else mant = mant * 10 + (*q - '0');
  }
  double v = mant * pow(10, exp10);
  *out = neg ? -v : v;
  return isfinite(*out);
}

static bool parse_csv(wp_chart *c, const wp_value *csv, const char *doc_dir, const char *file, wp_err *err) {
  const char *name = scalar_text(csv);
  if (!name || !*name) {
    wp_err_set(err, file, csv->line, "chart 'csv' must name a CSV file beside the document");
    return false;
  }
  if (name[0] == '/' || !strncmp(name, "../", 3) || strstr(name, "/../") || !strcmp(name, "..")) {
    wp_err_set(err, file, csv->line, "chart CSV '%s' must be a file beside the document", name);
    return false;
  }
  char *path = wp_printf("%s/%s", doc_dir, name);
  size_t len;
  char *text = wp_read_file(path, &len);
  int e = errno;
  free(path);
  if (!text) {
    wp_err_set(err, file, csv->line, "cannot read chart CSV '%s': %s", name, strerror(e));
    return false;
  }
  /* Rows are reported in the CSV file itself, named like the Markdown file. */
  const char *slash = strrchr(file, '/');
  char *csv_file = slash ? wp_printf("%.*s/%s", (int)(slash - file), file, name) : wp_xstrdup(name);
  csv_row *rows = NULL;
  size_t nrows = 0;
  int bad = 0;
  bool ok = false;
  long invalid = wp_utf8_invalid_at(text, len);
  if (invalid >= 0) {
    wp_err_set(err, csv_file, wp_line_of(text, (size_t)invalid), "malformed chart CSV: invalid UTF-8");
  } else if (!csv_split(text, len, &rows, &nrows, &bad)) {
    wp_err_set(err, csv_file, bad, "malformed chart CSV: a quoted field is not closed");
  } else if (nrows < 2 || rows[0].n < 2) {
    wp_err_set(err, csv_file, nrows ? rows[0].line : 1,
               "empty chart: the CSV needs a header row (label column, series names) and a row per category");
  } else {
    ok = true;
    size_t ncols = rows[0].n;
    c->category_label = *rows[0].cells[0] ? wp_xstrdup(rows[0].cells[0]) : NULL;
    for (size_t s = 1; s < ncols; s++) {
      add_series(c, rows[0].cells[s]);
      c->series[s - 1].values = wp_xcalloc(nrows - 1, sizeof(double));
    }
    c->categories = wp_xcalloc(nrows - 1, sizeof *c->categories);
    for (size_t r = 1; ok && r < nrows; r++) {
      if (rows[r].n != ncols) {
        wp_err_set(err, csv_file, rows[r].line, "malformed chart CSV: %zu fields where the header has %zu",
                   rows[r].n, ncols);
        ok = false;
        break;
      }
      c->categories[c->ncategories++] = wp_xstrdup(rows[r].cells[0]);
      for (size_t s = 1; s < ncols; s++)
        if (!parse_number(rows[r].cells[s], &c->series[s - 1].values[r - 1])) {
          wp_err_set(err, csv_file, rows[r].line, "chart value '%s' is not a number", rows[r].cells[s]);
          ok = false;
          break;
        }
    }
  }
  for (size_t r = 0; r < nrows; r++) {
    for (size_t k = 0; k < rows[r].n; k++) free(rows[r].cells[k]);
    free(rows[r].cells);
  }
  free(rows);
  free(csv_file);
  free(text);
  return ok;
}

/* ---- the spec ---- */

static bool check_chart(const wp_chart *c, const wp_value *spec, const char *file, wp_err *err) {
  const wp_value *csv = wp_value_get(spec, "csv"), *series = wp_value_get(spec, "series");
  const wp_value *at = csv ? csv : c->ncategories ? series : wp_value_get(spec, "categories");
  int line = at ? at->line : c->line;
  if (!c->ncategories || !c->nseries) {
    wp_err_set(err, file, line, "empty chart: it has no %s", c->ncategories ? "series" : "categories");
    return false;
  }
  if (c->type == WP_CHART_DONUT) {
    if (c->nseries > 1) {
      if (!csv && series->count > 1) line = series->items[1]->line; /* the first one too many */
      wp_err_set(err, file, line, "a donut chart shows one series, not %zu", c->nseries);
      return false;
    }
    double sum = 0;
    for (size_t i = 0; i < c->ncategories; i++) {
      if (c->series[0].values[i] < 0) {
        wp_err_set(err, file, line, "a donut chart cannot show the negative value of '%s'", c->categories[i]);
        return false;
      }
      sum += c->series[0].values[i];
    }
    if (sum <= 0) {
      wp_err_set(err, file, line, "empty chart: the donut's values add up to zero");
      return false;
    }
  }
  if (c->type == WP_CHART_STACKED)
    for (size_t s = 0; s < c->nseries; s++)
      for (size_t i = 0; i < c->ncategories; i++)
        if (c->series[s].values[i] < 0) {
          wp_err_set(err, file, line, "a stacked chart cannot show the negative value of '%s'", c->categories[i]);
          return false;
        }
  return true;
}

static bool parse_spec(wp_chart *c, const wp_value *spec, const char *doc_dir, const char *file, wp_err *err) {
  if (spec->type != WP_MAP || !spec->count) {
    wp_err_set(err, file, c->line, "empty chart: the block needs a YAML map (type, title, categories, series)");
    return false;
  }
  for (size_t k = 0; k < spec->count; k++) {
    const char *const *known = known_keys;
    while (*known && strcmp(*known, spec->keys[k])) known++;
    if (!*known) {
      wp_err_set(err, file, spec->items[k]->line,
                 "unknown chart key '%s' (type, title, units, percent, categories, series, csv, caption, "
                 "source, category_label)", spec->keys[k]);
      return false;
    }
  }
  const wp_value *type = wp_value_get(spec, "type");
  const char *t = scalar_text(type);
  if (!t) {
    wp_err_set(err, file, type ? type->line : c->line, "chart needs a type: bar, hbar, stacked, line or donut");
    return false;
  }
  size_t ti = 0;
  while (ti < sizeof type_names / sizeof *type_names && strcmp(type_names[ti], t)) ti++;
  if (ti == sizeof type_names / sizeof *type_names) {
    wp_err_set(err, file, type->line, "unknown chart type '%s' (bar, hbar, stacked, line, donut)", t);
    return false;
  }
  c->type = (wp_chart_type)ti;
  if (!opt_text(spec, "title", &c->title, file, err) || !opt_text(spec, "units", &c->units, file, err) ||
      !opt_text(spec, "caption", &c->caption, file, err) || !opt_text(spec, "source", &c->source, file, err) ||
      !opt_text(spec, "category_label", &c->category_label, file, err))
    return false;
  if (!c->title || !*c->title) {
    wp_err_set(err, file, c->line, "chart needs a title (it names the figure for every reader)");
    return false;
  }
  const wp_value *percent = wp_value_get(spec, "percent");
  if (percent && percent->type != WP_BOOL) {
    wp_err_set(err, file, percent->line, "chart 'percent' must be true or false");
    return false;
  }
  c->percent = percent && percent->boolean;
  const wp_value *csv = wp_value_get(spec, "csv");
  if (csv) {
    const wp_value *other = wp_value_get(spec, "categories");
    if (!other) other = wp_value_get(spec, "series");
    if (other) {
      wp_err_set(err, file, other->line, "a chart takes its data either from 'csv' or from 'categories' and 'series'");
      return false;
    }
    if (c->category_label) {
      wp_err_set(err, file, wp_value_get(spec, "category_label")->line,
                 "'category_label' comes from the CSV's header row");
      return false;
    }
    if (!parse_csv(c, csv, doc_dir, file, err)) return false;
  } else if (!parse_inline(c, spec, file, err)) {
    return false;
  }
  return check_chart(c, spec, file, err);
}

wp_chart *wp_chart_parse(const char *spec, size_t len, const char *doc_dir, const char *file, int line,
                         wp_err *err) {
  wp_value *v = wp_yaml_parse(spec, len, file, line, err);
  if (!v) return NULL;
  wp_chart *c = wp_xcalloc(1, sizeof *c);
  c->line = line;
  bool ok = parse_spec(c, v, doc_dir, file, err);
  wp_value_free(v);
  if (!ok) {
    wp_chart_free(c);
    return NULL;
  }
  return c;
}

wp_chart_scale wp_chart_value_scale(const wp_chart *c) {
  double lo = 0, hi = 0;
  for (size_t i = 0; i < c->ncategories; i++) {
    double sum = 0;
    for (size_t s = 0; s < c->nseries; s++) {
      double v = c->series[s].values[i];
      sum += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (c->type == WP_CHART_STACKED && sum > hi) hi = sum;
  }
  double range = hi - lo > 0 ? hi - lo : 1;
  double raw = range / 5, mag = pow(10, floor(log10(raw))), norm = raw / mag;
  double step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  wp_chart_scale s = {floor(lo / step + 1e-9) * step, ceil(hi / step - 1e-9) * step, step, 0};
  if (s.hi <= s.lo) s.hi = s.lo + step;
  s.nticks = (int)lround((s.hi - s.lo) / step) + 1;
  return s;
}

double wp_chart_tick(const wp_chart_scale *s, int i) { return s->lo + s->step * i; }
