/* layout/design — see design.h. Reads Lua values with defaults; a value of the wrong type is
 * an error naming the design file, so a typo in a design never silently changes a page. */
#include "layout/design.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

const char *const wp_role_names[WP_ROLE_COUNT] = {
    "body",     "heading1", "heading2", "heading3", "heading4", "heading5",     "heading6",
    "footnote", "list",     "quote",    "code",     "table",    "table_header", "caption"};
const char *const wp_design_info_keys[4] = {"Author", "Subject", "Keywords", "Creator"};
static const char *const face_names[WP_FACE_COUNT] = {"text", "heading", "mono"};

typedef struct {
  lua_State *L;
  const char *name;
  wp_err *err;
  bool ok;
} reader;

static void bad(reader *r, const char *what, const char *want) {
  if (r->ok) snprintf(r->err->msg, sizeof r->err->msg, "templates/%s: '%s' must be %s", r->name, what, want);
  r->ok = false;
}

/* Field `key` of the table at idx: a number (or the default). */
static double num(reader *r, int idx, const char *key, double def) {
  lua_getfield(r->L, idx, key);
  double v = def;
  if (lua_isnumber(r->L, -1)) v = lua_tonumber(r->L, -1);
  else if (!lua_isnil(r->L, -1)) bad(r, key, "a number");
  lua_pop(r->L, 1);
  return v;
}

static bool boolean(reader *r, int idx, const char *key, bool def) {
  lua_getfield(r->L, idx, key);
  bool v = def;
  if (lua_isboolean(r->L, -1)) v = lua_toboolean(r->L, -1);
  else if (!lua_isnil(r->L, -1)) bad(r, key, "true or false");
  lua_pop(r->L, 1);
  return v;
}

/* A string field (copied), or NULL. Numbers are accepted as text. */
static char *str(reader *r, int idx, const char *key) {
  lua_getfield(r->L, idx, key);
  char *v = NULL;
  if (lua_type(r->L, -1) == LUA_TSTRING || lua_type(r->L, -1) == LUA_TNUMBER)
    v = wp_xstrdup(lua_tostring(r->L, -1));
  else if (!lua_isnil(r->L, -1)) bad(r, key, "a string");
  lua_pop(r->L, 1);
  return v;
}

/* Pushes the table field key (or nothing, returning false, when it is nil). */
static bool subtable(reader *r, int idx, const char *key) {
  lua_getfield(r->L, idx, key);
  if (lua_istable(r->L, -1)) return true;
  if (!lua_isnil(r->L, -1)) bad(r, key, "a table");
  lua_pop(r->L, 1);
  return false;
}

/* Style fields over a base style (the table is at the top of the stack). */
static wp_dstyle read_style(reader *r, wp_dstyle s) {
  int t = lua_gettop(r->L);
  s.size = num(r, t, "size", s.size);
  s.leading = num(r, t, "leading", s.size * 1.2);
  s.space_before = num(r, t, "space_before", s.space_before);
  s.space_after = num(r, t, "space_after", s.space_after);
  s.indent = num(r, t, "indent", s.indent);
  s.indent_end = num(r, t, "indent_end", s.indent_end);
  s.label_gap = num(r, t, "label_gap", s.label_gap);
  s.bold = boolean(r, t, "bold", s.bold);
  s.italic = boolean(r, t, "italic", s.italic);
  s.justify = boolean(r, t, "justify", s.justify);
  s.hyphenate = boolean(r, t, "hyphenate", s.hyphenate);
  char *align = str(r, t, "align"), *face = str(r, t, "font");
  if (align) {
    if (!strcmp(align, "start")) s.align = WP_ALIGN_START;
    else if (!strcmp(align, "center")) s.align = WP_ALIGN_CENTER;
    else if (!strcmp(align, "end")) s.align = WP_ALIGN_END;
    else bad(r, "align", "\"start\", \"center\" or \"end\"");
  }
  if (face) {
    int f = -1;
    for (int i = 0; i < WP_FACE_COUNT; i++)
      if (!strcmp(face, face_names[i])) f = i;
    if (f < 0) bad(r, "font", "\"text\", \"heading\" or \"mono\"");
    else s.face = (wp_face)f;
  }
  free(align);
  free(face);
  return s;
}

static char **families(reader *r, int idx, int *n) {
  *n = 0;
  if (!lua_istable(r->L, idx)) return NULL;
  int len = (int)luaL_len(r->L, idx);
  char **out = wp_xcalloc((size_t)len + 1, sizeof *out);
  for (int i = 1; i <= len; i++) {
    lua_rawgeti(r->L, idx, i);
    if (lua_type(r->L, -1) == LUA_TSTRING) out[(*n)++] = wp_xstrdup(lua_tostring(r->L, -1));
    else bad(r, "fonts", "lists of family names");
    lua_pop(r->L, 1);
  }
  return out;
}

bool wp_design_read(wp_design *d, lua_State *L, int table, const char *name, wp_err *err) {
  memset(d, 0, sizeof *d);
  reader r = {L, name, err, true};
  d->L = L;
  d->table = lua_absindex(L, table);
  if (!lua_istable(L, d->table)) {
    snprintf(err->msg, sizeof err->msg, "templates/%s: a page design must return a table", name);
    return false;
  }
  int t = d->table;
  /* A4 and UN-like margins unless the design says otherwise. */
  d->width = 595.276, d->height = 841.89;
  d->top = d->bottom = 72, d->inner = 72, d->outer = 56;
  if (subtable(&r, t, "page")) {
    int pg = lua_gettop(L);
    d->width = num(&r, pg, "width", d->width);
    d->height = num(&r, pg, "height", d->height);
    lua_pop(L, 1);
  }
  if (subtable(&r, t, "margins")) {
    int m = lua_gettop(L);
    d->top = num(&r, m, "top", d->top);
    d->bottom = num(&r, m, "bottom", d->bottom);
    d->inner = num(&r, m, "inner", d->inner);
    d->outer = num(&r, m, "outer", d->outer);
    lua_pop(L, 1);
  }
  if (subtable(&r, t, "fonts")) {
    int f = lua_gettop(L);
    for (int i = 0; i < WP_FACE_COUNT; i++) {
      lua_getfield(L, f, face_names[i]);
      d->families[i] = families(&r, lua_gettop(L), &d->nfamilies[i]);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  if (!d->nfamilies[WP_FACE_TEXT]) {
    snprintf(err->msg, sizeof err->msg, "templates/%s: fonts.text must list font families", name);
    return false;
  }
  wp_dstyle base = {.size = 10, .leading = 12, .justify = true, .hyphenate = true, .label_gap = 6};
  bool have_styles = subtable(&r, t, "styles");
  int st = lua_gettop(L);
  for (int i = 0; i < WP_ROLE_COUNT; i++) {
    wp_dstyle s = i == WP_ROLE_BODY ? base : d->styles[WP_ROLE_BODY];
    if (i != WP_ROLE_BODY) s.space_before = s.space_after = 0;
    if (have_styles) {
      lua_getfield(L, st, wp_role_names[i]);
      if (lua_istable(L, -1)) s = read_style(&r, s);
      else if (!lua_isnil(L, -1)) bad(&r, wp_role_names[i], "a table");
      lua_pop(L, 1);
    }
    d->styles[i] = s;
  }
  if (have_styles) lua_pop(L, 1);
  d->note_rule_length = 72, d->note_rule_width = 0.5, d->note_gap = 6;
  if (subtable(&r, t, "footnote_rule")) {
    int m = lua_gettop(L);
    d->note_rule_length = num(&r, m, "length", d->note_rule_length);
    d->note_rule_width = num(&r, m, "width", d->note_rule_width);
    d->note_gap = num(&r, m, "gap", d->note_gap);
    lua_pop(L, 1);
  }
  d->table_rule_width = 0.5, d->table_cell_pad = 4;
  if (subtable(&r, t, "table_rules")) {
    int m = lua_gettop(L);
    d->table_rule_width = num(&r, m, "width", d->table_rule_width);
    d->table_cell_pad = num(&r, m, "padding", d->table_cell_pad);
    lua_pop(L, 1);
  }
  if (subtable(&r, t, "info")) {
    int m = lua_gettop(L);
    for (int i = 0; i < 4; i++) {
      char key[16];
      snprintf(key, sizeof key, "%s", wp_design_info_keys[i]);
      key[0] = (char)(key[0] - 'A' + 'a'); /* author, subject, keywords, creator */
      d->info[i] = str(&r, m, key);
    }
    lua_pop(L, 1);
  }
  return r.ok;
}

void wp_design_free(wp_design *d) {
  for (int i = 0; i < WP_FACE_COUNT; i++) {
    for (int k = 0; k < d->nfamilies[i]; k++) free(d->families[i][k]);
    free(d->families[i]);
  }
  for (int i = 0; i < 4; i++) free(d->info[i]);
}

static void push_facts(lua_State *L, const wp_page_facts *p) {
  lua_createtable(L, 0, 6);
  lua_pushinteger(L, p->number);
  lua_setfield(L, -2, "number");
  lua_pushinteger(L, p->count);
  lua_setfield(L, -2, "count");
  lua_pushboolean(L, p->odd);
  lua_setfield(L, -2, "odd");
  lua_pushnumber(L, p->start);
  lua_setfield(L, -2, "start");
  lua_pushnumber(L, p->measure);
  lua_setfield(L, -2, "measure");
}

static void read_item(reader *r, wp_design *d, const wp_page_facts *p, wp_ditem *it) {
  int t = lua_gettop(r->L);
  memset(it, 0, sizeof *it);
  it->text = str(r, t, "text");
  it->note = str(r, t, "note");
  it->mark = str(r, t, "mark");
  it->lang = str(r, t, "lang");
  wp_dstyle s = d->styles[WP_ROLE_BODY];
  s.justify = s.hyphenate = false;
  s.indent = s.indent_end = s.space_before = s.space_after = 0;
  it->style = read_style(r, s);
  it->x = num(r, t, "x", p->start);
  it->width = num(r, t, "width", 0);
  if (it->width <= 0) it->width = p->start + p->measure - it->x;
  lua_getfield(r->L, t, "y");
  it->has_y = lua_isnumber(r->L, -1);
  lua_pop(r->L, 1);
  it->y = num(r, t, "y", 0);
  it->gap = num(r, t, "gap", 0);
  it->thickness = num(r, t, "rule", 0);
}

bool wp_design_items(wp_design *d, const char *fn, const wp_page_facts *p, const char *name,
                     wp_ditems *out, wp_err *err) {
  lua_State *L = d->L;
  out->items = NULL;
  out->n = 0;
  lua_getfield(L, d->table, fn);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return true;
  }
  push_facts(L, p);
  if (wp_templates_pcall(L, 1, 1) != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    if (msg && !strncmp(msg, "templates/", 10)) snprintf(err->msg, sizeof err->msg, "%s", msg);
    else snprintf(err->msg, sizeof err->msg, "templates/%s: %s: %s", name, fn, msg ? msg : "error");
    lua_pop(L, 1);
    return false;
  }
  reader r = {L, name, err, true};
  if (!lua_istable(L, -1)) {
    bool nil = lua_isnil(L, -1);
    lua_pop(L, 1);
    if (nil) return true;
    snprintf(err->msg, sizeof err->msg, "templates/%s: %s must return a list of items", name, fn);
    return false;
  }
  int list = lua_gettop(L), n = (int)luaL_len(L, list);
  out->items = wp_xcalloc((size_t)n + 1, sizeof *out->items);
  for (int i = 1; i <= n && r.ok; i++) {
    lua_rawgeti(L, list, i);
    if (lua_istable(L, -1)) read_item(&r, d, p, &out->items[out->n++]);
    else if (!lua_isnil(L, -1) && !lua_isboolean(L, -1)) bad(&r, fn, "a list of tables");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return r.ok;
}

void wp_ditems_free(wp_ditems *items) {
  for (int i = 0; i < items->n; i++) {
    free(items->items[i].text);
    free(items->items[i].note);
    free(items->items[i].mark);
    free(items->items[i].lang);
  }
  free(items->items);
  items->items = NULL;
  items->n = 0;
}
