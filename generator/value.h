/* value — a YAML document as a tree of plain values (null, bool, number, string, list, map),
 * each remembering its source line. Used for site.yaml, _document.yaml, front matter and
 * i18n files; templates see these trees as Lua tables. */
#ifndef WP_VALUE_H
#define WP_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

typedef enum { WP_NULL, WP_BOOL, WP_NUMBER, WP_STRING, WP_LIST, WP_MAP } wp_value_type;

typedef struct wp_value {
  wp_value_type type;
  int line;            /* 1-based line in the source file */
  bool boolean;
  double number;
  char *string;        /* WP_STRING: the text; WP_NUMBER: the text as written */
  size_t count;        /* WP_LIST, WP_MAP: number of items */
  char **keys;         /* WP_MAP: keys, in document order */
  struct wp_value **items;
} wp_value;

/* Parses YAML text. first_line is the file line of text[0] (for front matter). Unquoted
 * scalars become booleans, numbers or null as in YAML 1.2's core schema; everything else is a
 * string. An empty document gives an empty map. Returns NULL and fills err on error. */
wp_value *wp_yaml_parse(const char *text, size_t len, const char *file, int first_line,
                        wp_err *err);
void wp_value_free(wp_value *v);

/* Map lookup; NULL when v is not a map or has no such key. */
const wp_value *wp_value_get(const wp_value *v, const char *key);
/* Dotted-path lookup ("masthead.original"). */
const wp_value *wp_value_path(const wp_value *v, const char *path);
/* The text of a string or number value at key, or NULL. */
const char *wp_value_str(const wp_value *map, const char *key);
/* True only for the boolean true. */
bool wp_value_true(const wp_value *map, const char *key);

#endif
