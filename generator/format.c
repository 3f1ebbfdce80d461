/* format — see format.h. */
#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/udat.h>
#include <unicode/udateintervalformat.h>
#include <unicode/udatpg.h>
#include <unicode/uloc.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

struct wp_format {
  const wp_lang *lang;
  char locale[96];
  const wp_value *overrides; /* the i18n file's `format:` map, or NULL */
  UNumberFormat *decimal, *compact, *percent;
  UDateFormat *dates[4];     /* short, medium, long, full; opened on first use */
  UDateIntervalFormat *range;
};

static const char *const date_styles[] = {"short", "medium", "long", "full"};
static const UDateFormatStyle icu_date_styles[] = {UDAT_SHORT, UDAT_MEDIUM, UDAT_LONG, UDAT_FULL};

static UChar *to_uchars(const char *s, int32_t *len) {
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = 0;
  u_strFromUTF8(NULL, 0, &n, s, -1, &st);
  UChar *u = wp_xcalloc((size_t)n + 1, sizeof *u);
  st = U_ZERO_ERROR;
  u_strFromUTF8(u, n + 1, len, s, -1, &st);
  return u;
}

static char *to_utf8(const UChar *u, int32_t len) {
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = 0;
  u_strToUTF8(NULL, 0, &n, u, len, &st);
  char *s = wp_xmalloc((size_t)n + 1);
  st = U_ZERO_ERROR;
  u_strToUTF8(s, n + 1, NULL, u, len, &st);
  s[n] = 0;
  return s;
}

/* UN style: the theme may replace the digit-group separator (e.g. a no-break space). */
static UNumberFormat *open_number(wp_format *f, UNumberFormatStyle style) {
  UErrorCode st = U_ZERO_ERROR;
  UNumberFormat *nf = unum_open(style, NULL, 0, f->locale, NULL, &st);
  if (U_FAILURE(st)) return NULL;
  unum_setAttribute(nf, UNUM_MIN_FRACTION_DIGITS, 0);
  unum_setAttribute(nf, UNUM_MAX_FRACTION_DIGITS, style == UNUM_DECIMAL_COMPACT_LONG ? 1 : 2);
  const char *grouping = wp_value_str(f->overrides, "grouping");
  if (grouping) {
    int32_t n;
    UChar *u = to_uchars(grouping, &n);
    unum_setSymbol(nf, UNUM_GROUPING_SEPARATOR_SYMBOL, u, n, &st);
    free(u);
  }
  return nf;
}

wp_format *wp_format_new(const wp_lang *lang) {
  wp_format *f = wp_xcalloc(1, sizeof *f);
  f->lang = lang;
  f->overrides = wp_lang_string(lang, "format");
  const char *locale = wp_value_str(f->overrides, "locale");
  snprintf(f->locale, sizeof f->locale, "%s", locale ? locale : lang->locale);
  f->decimal = open_number(f, UNUM_DECIMAL);
  f->compact = open_number(f, UNUM_DECIMAL_COMPACT_LONG);
  f->percent = open_number(f, UNUM_PERCENT);
  return f;
}

void wp_format_free(wp_format *f) {
  if (!f) return;
  if (f->decimal) unum_close(f->decimal);
  if (f->compact) unum_close(f->compact);
  if (f->percent) unum_close(f->percent);
  for (int i = 0; i < 4; i++)
    if (f->dates[i]) udat_close(f->dates[i]);
  if (f->range) udtitvfmt_close(f->range);
  free(f);
}

const char *wp_format_locale(const wp_format *f) { return f->locale; }

/* Milliseconds since 1970 at midnight UTC of an ISO date; false if it is not one. */
static bool parse_iso_date(const char *iso, double *ms) {
  int y, m, d;
  char end;
  if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || m < 1 || m > 12 || d < 1 || d > 31) return false;
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > mdays[m - 1] + (m == 2 && leap)) return false;
  /* Days from civil (proleptic Gregorian). */
  int yy = y - (m <= 2);
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  int yoe = yy - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  double days = (double)era * 146097 + doe - 719468;
  *ms = days * 86400000.0;
  return true;
}

/* Month names the theme gives (e.g. the UN's Arabic "آذار/مارس") replace CLDR's. */
static void apply_month_names(wp_format *f, UDateFormat *df) {
  const wp_value *months = wp_value_get(f->overrides, "months");
  if (!months || months->type != WP_LIST || months->count != 12) return;
  for (int i = 0; i < 12; i++) {
    if (!months->items[i]->string) continue;
    int32_t n;
    UChar *u = to_uchars(months->items[i]->string, &n);
    UErrorCode st = U_ZERO_ERROR;
    udat_setSymbols(df, UDAT_MONTHS, i, u, n, &st);
    free(u);
  }
}

static UDateFormat *date_format(wp_format *f, int which) {
  if (f->dates[which]) return f->dates[which];
  UErrorCode st = U_ZERO_ERROR;
  char key[32];
  snprintf(key, sizeof key, "date_%s", date_styles[which]);
  const char *pattern = wp_value_str(f->overrides, key);
  UDateFormat *df;
  if (pattern) {
    int32_t n;
    UChar *u = to_uchars(pattern, &n);
    df = udat_open(UDAT_PATTERN, UDAT_PATTERN, f->locale, u"UTC", -1, u, n, &st);
    free(u);
  } else {
    df = udat_open(UDAT_NONE, icu_date_styles[which], f->locale, u"UTC", -1, NULL, 0, &st);
  }
  if (U_FAILURE(st)) return NULL;
  apply_month_names(f, df);
  return f->dates[which] = df;
}

char *wp_format_date(wp_format *f, const char *iso, const char *style, wp_err *err) {
  int which = 2;
  for (int i = 0; style && i < 4; i++)
    if (!strcmp(style, date_styles[i])) which = i;
  if (style && strcmp(style, date_styles[which])) {
    wp_err_set(err, NULL, 0, "unknown date style '%s' (short, medium, long, full)", style);
    return NULL;
  }
  double ms;
  if (!parse_iso_date(iso, &ms)) {
    wp_err_set(err, NULL, 0, "'%s' is not a date (expected YYYY-MM-DD)", iso ? iso : "nil");
    return NULL;
  }
  UDateFormat *df = date_format(f, which);
  UChar buf[256];
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = df ? udat_format(df, ms, buf, 256, NULL, &st) : 0;
  if (!df || U_FAILURE(st)) {
    wp_err_set(err, NULL, 0, "ICU cannot format dates for locale '%s'", f->locale);
    return NULL;
  }
  return to_utf8(buf, n);
}

char *wp_format_date_range(wp_format *f, const char *from, const char *to, wp_err *err) {
  double a, b;
  if (!parse_iso_date(from, &a) || !parse_iso_date(to, &b)) {
    wp_err_set(err, NULL, 0, "a date range needs two dates YYYY-MM-DD");
    return NULL;
  }
  UErrorCode st = U_ZERO_ERROR;
  if (!f->range) f->range = udtitvfmt_open(f->locale, u"dMMMMy", -1, u"UTC", -1, &st);
  UChar buf[256];
  int32_t n = f->range ? udtitvfmt_format(f->range, a, b, buf, 256, NULL, &st) : 0;
  if (!f->range || U_FAILURE(st)) {
    wp_err_set(err, NULL, 0, "ICU cannot format date ranges for locale '%s'", f->locale);
    return NULL;
  }
  return to_utf8(buf, n);
}

static char *format_double(UNumberFormat *nf, double n) {
  if (!nf) return wp_printf("%g", n);
  UChar buf[128];
  UErrorCode st = U_ZERO_ERROR;
  int32_t len = unum_formatDouble(nf, n, buf, 128, NULL, &st);
  return U_FAILURE(st) ? wp_printf("%g", n) : to_utf8(buf, len);
}

char *wp_format_number(wp_format *f, double n, const char *style) {
  return format_double(style && !strcmp(style, "long") ? f->compact : f->decimal, n);
}

char *wp_format_percent(wp_format *f, double percent, int text) {
  const char *pattern = text ? wp_value_str(f->overrides, "percent_text") : NULL;
  if (!pattern) return format_double(f->percent, percent / 100.0);
  char *number = format_double(f->decimal, percent);
  const char *at = strstr(pattern, "{n}");
  char *s = at ? wp_printf("%.*s%s%s", (int)(at - pattern), pattern, number, at + 3) : wp_xstrdup(pattern);
  free(number);
  return s;
}

char *wp_format_language(wp_format *f, const char *code) {
  UChar buf[128];
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = uloc_getDisplayLanguage(code, f->locale, buf, 128, &st);
  return U_FAILURE(st) ? wp_xstrdup(code) : to_utf8(buf, n);
}
