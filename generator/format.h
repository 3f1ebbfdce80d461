/* format — dates, numbers, percentages and language names for one language, through ICU
 * (CLDR data). UN style differs from CLDR in places (Arabic dual month names, Western digits
 * grouped by no-break spaces, "per cent" in English running text); the theme states those as
 * overrides in the `format:` map of its i18n file, and they are applied through ICU too
 * (symbols and patterns), never by string tables in C.
 *
 * A wp_format holds ICU formatters, which must not be used by two threads at once: keep one
 * per thread (the template engine keeps one per language in its Lua state). */
#ifndef WP_FORMAT_H
#define WP_FORMAT_H

#include "site.h"

typedef struct wp_format wp_format;

wp_format *wp_format_new(const wp_lang *lang);
void wp_format_free(wp_format *f);

/* "2025-03-03" in a style: "short", "medium", "long" (default) or "full"; NULL and err on a
 * malformed date. */
char *wp_format_date(wp_format *f, const char *iso, const char *style, wp_err *err);
/* A range of days, e.g. "26–28 May 2025", with ICU's interval patterns. */
char *wp_format_date_range(wp_format *f, const char *from, const char *to, wp_err *err);
/* style: NULL or "decimal" (37,000 / 37 000 / 50.6), "long" (120 million / 1,2 億). */
char *wp_format_number(wp_format *f, double n, const char *style);
/* percent is in per cent (50.6 → "50.6%", "50,6 %"); text = running-text form if the theme
 * has one ("50.6 per cent" in English UN style). */
char *wp_format_percent(wp_format *f, double percent, int text);
/* The name of language `code` in this language ("anglais" in French). */
char *wp_format_language(wp_format *f, const char *code);
/* The ICU locale actually used (after the theme's override). */
const char *wp_format_locale(const wp_format *f);

#endif
