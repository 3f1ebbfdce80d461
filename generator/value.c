/* value — YAML parsing with libyaml's event API into wp_value trees. */
#include "value.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct {
  yaml_parser_t parser;
  const char *file;
  int first_line;
  wp_err *err;
} yaml_reader;

static wp_value *new_value(wp_value_type type, int line) {
  wp_value *v = wp_xcalloc(1, sizeof *v);
  v->type = type;
  v->line = line;
  return v;
}

static int line_of(yaml_reader *r, const yaml_mark_t *m) { return r->first_line + (int)m->line; }

/* YAML 1.2 core schema for plain scalars. */
static wp_value *scalar_value(const yaml_event_t *ev, int line) {
  const char *s = (const char *)ev->data.scalar.value;
  size_t n = ev->data.scalar.length;
  wp_value *v;
  if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || ev->data.scalar.tag) {
    v = new_value(WP_STRING, line);
  } else if (n == 0 || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
             !strcmp(s, "NULL")) {
    return new_value(WP_NULL, line);
  } else if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE") ||
             !strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
    v = new_value(WP_BOOL, line);
    v->boolean = s[0] == 't' || s[0] == 'T';
  } else {
    char *end;
    double d = strtod(s, &end);
    bool numeric = *end == 0 && (s[0] == '-' || s[0] == '+' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9'));
    /* strtod also takes hex, inf and nan; YAML core numbers are decimal. */
    for (const char *p = s; numeric && *p; p++)
      if (!strchr("0123456789+-.eE", *p)) numeric = false;
    v = new_value(numeric ? WP_NUMBER : WP_STRING, line);
    v->number = d;
  }
  v->string = wp_xstrndup(s, n);
  return v;
}

static wp_value *read_node(yaml_reader *r, yaml_event_t *ev);

static bool next_event(yaml_reader *r, yaml_event_t *ev) {
  if (yaml_parser_parse(&r->parser, ev)) return true;
  /* An unclosed structure fails where the input ends: point at where it was opened instead. */
  const yaml_mark_t *mark = r->parser.context ? &r->parser.context_mark : &r->parser.problem_mark;
  int line = r->first_line + (int)mark->line;
  wp_err_set(r->err, r->file, line, "invalid YAML: %s%s%s", r->parser.problem ? r->parser.problem : "syntax error",
             r->parser.context ? " " : "", r->parser.context ? r->parser.context : "");
  return false;
}

static void append(wp_value *coll, char *key, wp_value *item) {
  coll->items = wp_xrealloc(coll->items, (coll->count + 1) * sizeof *coll->items);
  if (coll->type == WP_MAP) coll->keys = wp_xrealloc(coll->keys, (coll->count + 1) * sizeof *coll->keys);
  if (key) coll->keys[coll->count] = key;
  coll->items[coll->count++] = item;
}

static wp_value *read_collection(yaml_reader *r, wp_value_type type, int line) {
  wp_value *coll = new_value(type, line);
  for (;;) {
    yaml_event_t ev;
    if (!next_event(r, &ev)) goto fail;
    if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
      yaml_event_delete(&ev);
      return coll;
    }
    char *key = NULL;
    if (type == WP_MAP) {
      if (ev.type != YAML_SCALAR_EVENT) {
        wp_err_set(r->err, r->file, line_of(r, &ev.start_mark), "a map key must be plain text");
        yaml_event_delete(&ev);
        goto fail;
      }
      key = wp_xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
      for (size_t i = 0; i < coll->count; i++)
        if (!strcmp(coll->keys[i], key)) {
          wp_err_set(r->err, r->file, line_of(r, &ev.start_mark), "duplicate key '%s'", key);
          free(key);
          yaml_event_delete(&ev);
          goto fail;
        }
      yaml_event_delete(&ev);
      if (!next_event(r, &ev)) {
        free(key);
        goto fail;
      }
    }
    wp_value *item = read_node(r, &ev);
    yaml_event_delete(&ev);
    if (!item) {
      free(key);
      goto fail;
    }
    append(coll, key, item);
  }
fail:
  wp_value_free(coll);
  return NULL;
}

static wp_value *read_node(yaml_reader *r, yaml_event_t *ev) {
  int line = line_of(r, &ev->start_mark);
  switch (ev->type) {
  case YAML_SCALAR_EVENT: return scalar_value(ev, line);
  case YAML_SEQUENCE_START_EVENT: return read_collection(r, WP_LIST, line);
  case YAML_MAPPING_START_EVENT: return read_collection(r, WP_MAP, line);
  case YAML_ALIAS_EVENT:
    wp_err_set(r->err, r->file, line, "YAML aliases (*name) are not supported");
    return NULL;
  default:
    wp_err_set(r->err, r->file, line, "unexpected YAML structure");
    return NULL;
  }
}

wp_value *wp_yaml_parse(const char *text, size_t len, const char *file, int first_line, wp_err *err) {
  yaml_reader r = {.file = file, .first_line = first_line, .err = err};
  yaml_parser_initialize(&r.parser);
  yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);
  wp_value *root = NULL;
  bool failed = false;
  for (bool done = false; !done && !failed;) {
    yaml_event_t ev;
    if (!next_event(&r, &ev)) {
      failed = true;
      break;
    }
    switch (ev.type) {
    case YAML_STREAM_END_EVENT: done = true; break;
    case YAML_STREAM_START_EVENT:
    case YAML_DOCUMENT_START_EVENT:
    case YAML_DOCUMENT_END_EVENT: break;
    default:
      if (root) {
        wp_err_set(err, file, line_of(&r, &ev.start_mark), "more than one YAML document");
        failed = true;
      } else if (!(root = read_node(&r, &ev))) {
        failed = true;
      }
    }
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&r.parser);
  if (failed) {
    wp_value_free(root);
    return NULL;
  }
  if (!root || root->type == WP_NULL) {
    wp_value_free(root);
    return new_value(WP_MAP, first_line);
  }
  return root;
}

void wp_value_free(wp_value *v) {
  if (!v) return;
  for (size_t i = 0; i < v->count; i++) {
    if (v->keys) free(v->keys[i]);
    wp_value_free(v->items[i]);
  }
  free(v->keys);
  free(v->items);
  free(v->string);
  free(v);
}

const wp_value *wp_value_get(const wp_value *v, const char *key) {
  if (!v || v->type != WP_MAP) return NULL;
  for (size_t i = 0; i < v->count; i++)
    if (!strcmp(v->keys[i], key)) return v->items[i];
  return NULL;
}

const wp_value *wp_value_path(const wp_value *v, const char *path) {
  char part[128];
  while (v && *path) {
    size_t n = strcspn(path, ".");
    if (n >= sizeof part) return NULL;
    memcpy(part, path, n);
    part[n] = 0;
    v = wp_value_get(v, part);
    path += n + (path[n] == '.');
  }
  return v;
}

const char *wp_value_str(const wp_value *map, const char *key) {
  const wp_value *v = wp_value_get(map, key);
  return v && (v->type == WP_STRING || v->type == WP_NUMBER) ? v->string : NULL;
}

bool wp_value_true(const wp_value *map, const char *key) {
  const wp_value *v = wp_value_get(map, key);
  return v && v->type == WP_BOOL && v->boolean;
}
