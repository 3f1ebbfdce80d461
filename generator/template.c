/* template — see template.h. One lua_State per wp_templates; never shared between threads. */
#include "template.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "template_data.h"
#include "watchdog.h"

#define INSTRUCTION_BUDGET 200000000L /* per run (on large sites, once it has lasted a second) */
/* From this many pages on, templates run without a count hook under the watchdog (watchdog.h):
 * the hook costs ~2 % of the Lua work, the watchdog's thread ~2 ms a process, so a small site
 * (a one-document PDF build takes ~25 ms) keeps the hook. */
#define WATCHDOG_PAGES 1000
#define HOOK_STEP 10000
#define MEMORY_LIMIT ((size_t)512 << 20)
#define MAX_LAYOUTS 8

struct wp_templates {
  lua_State *L;
  const wp_site *site;
  size_t mem_used;
  long budget;
  wp_watch *watch;           /* installs budget_hook in a run that lasts (watchdog.h), or NULL
                              * when the hook is always on (small sites) */
  wp_buf *out;               /* where _s writes */
  const wp_render_job *job;
  wp_buf up;                 /* url()'s "../../" prefix for job's output file */
  bool up_ready;             /* up is computed for the current job */
  char *layout;              /* set by layout() during a render */
  int env_ref, base_ref, cache_ref;
  int env_meta_ref;          /* {__index = base}: every environment's metatable */
  int site_ref;              /* the read-only `site` table, built on first use */
  int strings_ref;           /* t()'s plain strings, by language index then key */
  int dates_ref;             /* date()'s results by language, style and date: ICU is slow to format */
  wp_render_job design_job;  /* the job of the last wp_templates_design call */
  wp_format **formats;       /* per site language, opened on first use */
};

static wp_templates *self(lua_State *L) { return *(wp_templates **)lua_getextraspace(L); }

/* ---- compiling template text to Lua ---------------------------------------------------- */

static void put_lua_string(wp_buf *out, const char *s, size_t n, int *newlines) {
  wp_buf_putc(out, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') wp_buf_putc(out, '\\'), wp_buf_putc(out, (char)c);
    else if (c == '\n') wp_buf_puts(out, "\\n"), (*newlines)++;
    else if (c < 32 || c == 127) wp_buf_printf(out, "\\%03u", c);
    else wp_buf_putc(out, (char)c);
  }
  wp_buf_putc(out, '"');
}

static void put_newlines(wp_buf *out, int n) {
  while (n-- > 0) wp_buf_putc(out, '\n');
}

/* Consecutive output (text, <%= %> and <%- %>) becomes one call _s(raw, escaped, raw, ...):
 * odd arguments are written as they are, even ones escaped ("" fills a gap). A page is a few
 * dozen calls instead of a few hundred. Each expression is parenthesised so it gives one value
 * (as _e(expr) used only the first). */
typedef struct {
  wp_buf *out;
  int args;  /* arguments in the open _s call; 0 when none is open */
} output_run;

#define MAX_RUN_ARGS 60 /* well under Lua's 255 registers per function */

static void run_close(output_run *r) {
  if (r->args) wp_buf_puts(r->out, ") ");
  r->args = 0;
}

static void run_arg(output_run *r, bool escaped) {
  if (r->args >= MAX_RUN_ARGS - 1) run_close(r); /* leaves room for a filler */
  wp_buf_puts(r->out, r->args ? ", " : "_s(");
  if (r->args % 2 != (int)escaped) { /* position r->args + 1 is escaped when r->args is odd */
    wp_buf_puts(r->out, "\"\", ");
    r->args++;
  }
  r->args++;
}

char *wp_template_compile(const char *name, const char *src, size_t len, wp_err *err) {
  wp_buf out = {0};
  output_run run = {&out, 0};
  /* The writer as a local (on line 1, so line numbers stay the template's): every call is
   * then a register access instead of two table lookups through the environment. */
  wp_buf_puts(&out, "local _s = _s ");
  char *file = wp_printf("templates/%s", name);
  size_t i = 0;
  bool trim_newline = false;
  while (i < len) {
    const char *open = strstr(src + i, "<%");
    size_t text_end = open ? (size_t)(open - src) : len;
    size_t start = i;
    if (trim_newline && start < text_end && src[start] == '\n') start++;
    else if (trim_newline && start + 1 < text_end && src[start] == '\r' && src[start + 1] == '\n') start += 2;
    int newlines = start > i; /* a trimmed newline still counts as a line */
    if (text_end > start) {
      run_arg(&run, false);
      put_lua_string(&out, src + start, text_end - start, &newlines);
    }
    put_newlines(&out, newlines); /* between arguments too: Lua allows it */
    if (!open) break;
    const char *close = strstr(open + 2, "%>");
    if (!close) {
      wp_err_set(err, file, wp_line_of(src, (size_t)(open - src)), "'<%%' is never closed with '%%>'");
      free(file);
      wp_buf_free(&out);
      return NULL;
    }
    char kind = open[2];
    const char *code = open + 2 + (kind == '=' || kind == '-' || kind == '#');
    const char *code_end = close;
    trim_newline = close > code && close[-1] == '-' && kind != '#';
    if (trim_newline) code_end--;
    size_t n = (size_t)(code_end - code);
    if (kind == '#') {
      for (size_t k = 0; k < n; k++)
        if (code[k] == '\n') wp_buf_putc(&out, '\n');
    } else if (kind == '=' || kind == '-') {
      run_arg(&run, kind == '=');
      wp_buf_putc(&out, '(');
      wp_buf_put(&out, code, n);
      wp_buf_putc(&out, ')');
    } else {
      run_close(&run);
      wp_buf_put(&out, code, n);
      wp_buf_puts(&out, " ");
    }
    i = (size_t)(close - src) + 2;
  }
  run_close(&run);
  free(file);
  return wp_buf_take(&out);
}

/* ---- helpers visible to templates ------------------------------------------------------ */

static void tostring_or_empty(lua_State *L, int idx, const char **s, size_t *n) {
  int type = lua_type(L, idx);
  if (type == LUA_TSTRING) { /* most writes: no metatable lookup, no copy */
    *s = lua_tolstring(L, idx, n);
  } else if (type == LUA_TNIL || type == LUA_TNONE) {
    *s = "", *n = 0;
  } else {
    *s = luaL_tolstring(L, idx, n);
  }
}

static wp_buf *output(lua_State *L) {
  wp_buf *out = self(L)->out;
  if (!out) luaL_error(L, "a page design writes no output: return values instead");
  return out;
}

/* _s(raw, escaped, raw, escaped, ...): see output_run. */
static int l_write_run(lua_State *L) {
  wp_buf *out = output(L);
  int n = lua_gettop(L);
  for (int i = 1; i <= n; i++) {
    const char *s;
    size_t len;
    tostring_or_empty(L, i, &s, &len);
    if (i % 2) wp_buf_put(out, s, len);
    else wp_html_escape(out, s, len);
  }
  return 0;
}

static int l_escape(lua_State *L) {
  const char *s;
  size_t n;
  tostring_or_empty(L, 1, &s, &n);
  wp_buf b = {0};
  wp_html_escape(&b, s, n);
  lua_pushlstring(L, b.data ? b.data : "", b.len);
  wp_buf_free(&b);
  return 1;
}

/* t(key [, vars]): the interface string of the page's language; "{name}" takes vars.name. */
static int l_t(lua_State *L) {
  wp_templates *t = self(L);
  const char *key = luaL_checkstring(L, 1);
  bool plain = lua_isnoneornil(L, 2);
  /* A page asks for the same few strings as every other: look each up once per language. */
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->strings_ref);
  if (lua_rawgeti(L, -1, (lua_Integer)t->job->lang_index + 1) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, (lua_Integer)t->job->lang_index + 1);
  }
  int cache = lua_gettop(L);
  lua_pushvalue(L, 1);
  if (plain && lua_rawget(L, cache) == LUA_TSTRING) return 1;
  lua_settop(L, cache);
  const wp_lang *lang = &t->site->langs[t->job->lang_index];
  const wp_value *v = wp_lang_string(lang, key);
  if (!v || v->type == WP_NULL)
    return luaL_error(L, "no interface string '%s' for language '%s' (add it to %s)", key, lang->code, lang->i18n_path);
  if (v->type != WP_STRING || plain) {
    wp_lua_push_value(L, v); /* a fresh table each time for lists: no page can change another's */
    if (v->type == WP_STRING) {
      lua_pushvalue(L, 1);
      lua_pushvalue(L, -2);
      lua_rawset(L, cache);
    }
    return 1;
  }
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (const char *s = v->string; *s;) {
    const char *open = strchr(s, '{'), *close = open ? strchr(open, '}') : NULL;
    if (!close) {
      luaL_addstring(&b, s);
      break;
    }
    luaL_addlstring(&b, s, (size_t)(open - s));
    lua_pushlstring(L, open + 1, (size_t)(close - open - 1));
    lua_gettable(L, 2);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      luaL_addlstring(&b, open, (size_t)(close - open + 1));
    } else {
      luaL_tolstring(L, -1, NULL);
      lua_remove(L, -2);
      luaL_addvalue(&b);
    }
    s = close + 1;
  }
  luaL_pushresult(&b);
  return 1;
}

/* prefix + path as one Lua string, without luaL_Buffer's or pushfstring's machinery: url()
 * and abs_url() run some forty times per page. */
static void push_joined(lua_State *L, const char *prefix, size_t plen, const char *path) {
  size_t n = strlen(path);
  char small[512];
  char *buf = plen + n <= sizeof small ? small : wp_xmalloc(plen + n);
  if (plen) memcpy(buf, prefix, plen);
  memcpy(buf + plen, path, n);
  lua_pushlstring(L, buf, plen + n);
  if (buf != small) free(buf);
}

/* url(path): a URL relative to the file being written, so the site works from any folder. */
static int l_url(lua_State *L) {
  wp_templates *t = self(L);
  const char *path = luaL_optstring(L, 1, "");
  while (*path == '/') path++;
  if (!t->up_ready) { /* "../" for each folder of the file being written */
    t->up_ready = true;
    t->up.len = 0;
    for (const char *s = t->job->out_path; *s; s++)
      if (*s == '/') wp_buf_puts(&t->up, "../");
  }
  if (!t->up.len && !*path) lua_pushliteral(L, "./");
  else push_joined(L, t->up.data, t->up.len, path);
  return 1;
}

static int l_abs_url(lua_State *L) {
  wp_templates *t = self(L);
  const char *path = luaL_optstring(L, 1, "");
  while (*path == '/') path++;
  push_joined(L, t->site->base_url, strlen(t->site->base_url), path);
  return 1;
}

/* ---- formatting through ICU, in the page's language ---------------------------------------- */

static wp_format *page_format(lua_State *L) {
  wp_templates *t = self(L);
  size_t l = t->job->lang_index;
  if (!t->formats[l]) t->formats[l] = wp_format_new(&t->site->langs[l]);
  return t->formats[l];
}

static int push_formatted(lua_State *L, char *s, const wp_err *err) {
  if (!s) return luaL_error(L, "%s", err->msg);
  lua_pushstring(L, s);
  free(s);
  return 1;
}

/* [t, k] -> [t[k]], made an empty table first if it is not one. */
static void sub_table(lua_State *L) {
  lua_pushvalue(L, -1);
  if (lua_rawget(L, -3) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -2);
    lua_pushvalue(L, -2);
    lua_rawset(L, -5);
  }
  lua_replace(L, -3);
  lua_pop(L, 1);
}

/* date("2025-03-03" [, "long" [, "en"]]): in the page's language, or in another one (UN
 * distribution blocks of some versions stay in English). */
static int l_date(lua_State *L) {
  wp_err err = {{0}};
  const char *iso = luaL_checkstring(L, 1), *style = luaL_optstring(L, 2, NULL), *code = luaL_optstring(L, 3, NULL);
  wp_templates *t = self(L);
  if (!code) { /* dates[language][style][iso]: keyed by the arguments, no key string to make */
    lua_rawgeti(L, LUA_REGISTRYINDEX, t->dates_ref);
    lua_pushinteger(L, (lua_Integer)t->job->lang_index + 1);
    sub_table(L);
    if (style) lua_pushvalue(L, 2);
    else lua_pushliteral(L, "");
    sub_table(L);
    lua_pushvalue(L, 1);
    if (lua_rawget(L, -2) == LUA_TSTRING) return 1;
    lua_pop(L, 1);
    push_formatted(L, wp_format_date(page_format(L), iso, style, &err), &err);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4);
    return 1;
  }
  for (size_t l = 0; l < t->site->nlangs; l++) /* a language of the build, with its overrides */
    if (!strcmp(t->site->langs[l].code, code)) {
      if (!t->formats[l]) t->formats[l] = wp_format_new(&t->site->langs[l]);
      return push_formatted(L, wp_format_date(t->formats[l], iso, style, &err), &err);
    }
  /* Otherwise the locale site.yaml gives that language, or the code itself, with CLDR's forms. */
  const wp_value *langs = wp_value_get(t->site->config, "languages");
  const char *locale = code;
  for (size_t i = 0; langs && i < langs->count; i++) {
    const char *c = wp_value_str(langs->items[i], "code"), *loc = wp_value_str(langs->items[i], "locale");
    if (c && loc && !strcmp(c, code)) locale = loc;
  }
  wp_lang other = {.code = (char *)code, .locale = (char *)locale};
  wp_format *f = wp_format_new(&other);
  char *s = wp_format_date(f, iso, style, &err);
  wp_format_free(f);
  return push_formatted(L, s, &err);
}

/* date_range("2025-05-26", "2025-05-28") */
static int l_date_range(lua_State *L) {
  wp_err err = {{0}};
  return push_formatted(L, wp_format_date_range(page_format(L), luaL_checkstring(L, 1), luaL_checkstring(L, 2), &err), &err);
}

/* number(37000 [, "long"]) */
static int l_number(lua_State *L) {
  return push_formatted(L, wp_format_number(page_format(L), luaL_checknumber(L, 1), luaL_optstring(L, 2, NULL)), NULL);
}

/* percent(50.6 [, "text"]) */
static int l_percent(lua_State *L) {
  const char *style = luaL_optstring(L, 2, "");
  return push_formatted(L, wp_format_percent(page_format(L), luaL_checknumber(L, 1), !strcmp(style, "text")), NULL);
}

/* language_name("en"): the language's name in the page's language. */
static int l_language_name(lua_State *L) {
  return push_formatted(L, wp_format_language(page_format(L), luaL_checkstring(L, 1)), NULL);
}

static int l_layout(lua_State *L) {
  wp_templates *t = self(L);
  free(t->layout);
  t->layout = wp_xstrdup(luaL_checkstring(L, 1));
  return 0;
}

/* Pushes the compiled template `name`, compiling it on first use. */
static void push_template(lua_State *L, const char *name) {
  wp_templates *t = self(L);
  if (!*name || name[0] == '/' || strstr(name, ".."))
    luaL_error(L, "bad template name '%s'", name);
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->cache_ref);
  if (lua_getfield(L, -1, name) == LUA_TFUNCTION) {
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  char *path = wp_printf("%s/templates/%s", t->site->root, name);
  size_t len;
  char *src = wp_read_file(path, &len);
  free(path);
  if (!src) luaL_error(L, "template 'templates/%s' not found", name);
  wp_err err = {{0}};
  char *lua = wp_template_compile(name, src, len, &err);
  free(src);
  if (!lua) {
    lua_pushstring(L, err.msg);
    lua_error(L);
  }
  char *chunk = wp_printf("@templates/%s", name);
  int rc = luaL_loadbufferx(L, lua, strlen(lua), chunk, "t");
  free(chunk);
  free(lua);
  if (rc != LUA_OK) lua_error(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, name);
  lua_remove(L, -2);
}

/* Runs the template function on the stack top with the current environment. */
static void run_template(lua_State *L) {
  wp_templates *t = self(L);
  lua_pushvalue(L, -1);
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->env_ref);
  if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  lua_call(L, 0, 0);
  /* The cached function must not keep this file's environment alive: a sitemap's or status
   * page's tables would otherwise stay live for the rest of the build, and every collection
   * would walk them again (at 10,000 pages that was half the render time). */
  lua_pushnil(L);
  if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  lua_pop(L, 1);
}

static int partial_body(lua_State *L) {
  push_template(L, lua_tostring(L, 1));
  run_template(L);
  return 0;
}

/* partial(name [, vars]) -> the partial's output; vars are visible to it as globals. */
static int l_partial(lua_State *L) {
  wp_templates *t = self(L);
  luaL_checkstring(L, 1);
  int saved_env = t->env_ref;
  if (lua_istable(L, 2)) { /* a child environment: vars first, then the caller's globals */
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_settable(L, -4);
    }
    lua_newtable(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, saved_env);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    t->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  wp_buf *saved_out = t->out, buf = {0};
  wp_buf_grow(&buf, 2048); /* a partial's output is a few hundred bytes to a few KB */
  t->out = &buf;
  lua_pushcfunction(L, partial_body);
  lua_pushvalue(L, 1);
  int rc = lua_pcall(L, 1, 0, 0); /* inside the page's run: not wp_templates_pcall, whose budget is per run */
  t->out = saved_out;
  if (t->env_ref != saved_env) luaL_unref(L, LUA_REGISTRYINDEX, t->env_ref);
  t->env_ref = saved_env;
  if (rc != LUA_OK) {
    wp_buf_free(&buf);
    return lua_error(L);
  }
  lua_pushlstring(L, buf.data ? buf.data : "", buf.len);
  wp_buf_free(&buf);
  return 1;
}

/* ---- the sandbox ------------------------------------------------------------------------ */

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  wp_templates *t = ud;
  size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    free(ptr);
    t->mem_used -= old;
    return NULL;
  }
  if (nsize > old && t->mem_used - old + nsize > MEMORY_LIMIT) return NULL; /* Lua raises "not enough memory" */
  void *p = realloc(ptr, nsize);
  if (p) t->mem_used = t->mem_used - old + nsize;
  return p;
}

/* Stops endless loops: every HOOK_STEP instructions count against the run's budget. On a large
 * site the watchdog installs it only in a run that has lasted WP_WATCH_AFTER_MS. */
static void budget_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  wp_templates *t = self(L);
  t->budget -= HOOK_STEP;
  if (t->budget >= 0) return;
  lua_Debug d;
  if (lua_getstack(L, 0, &d) && lua_getinfo(L, "Sl", &d) && d.currentline > 0)
    luaL_error(L, "%s:%d: template ran too long (endless loop?)", d.short_src, d.currentline);
  luaL_error(L, "template ran too long (endless loop?)");
}

static int ro_newindex(lua_State *L) { return luaL_error(L, "this table is read-only"); }

static void push_ro_target(lua_State *L, int proxy) { /* the table behind a read-only proxy */
  lua_getmetatable(L, proxy);
  lua_getfield(L, -1, "__index");
  lua_remove(L, -2);
}

static int ro_len(lua_State *L) {
  push_ro_target(L, 1);
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
  return 1;
}

static int ro_next(lua_State *L) {
  lua_settop(L, 2);
  if (lua_next(L, 1)) return 2;
  lua_pushnil(L);
  return 1;
}

static int ro_pairs(lua_State *L) {
  lua_pushcfunction(L, ro_next);
  push_ro_target(L, 1);
  lua_pushnil(L);
  return 3;
}

/* A read-only view of the table on the stack top, so no page can change what the next sees:
 * reads, #, ipairs and pairs see the table; writes raise an error. With deep, the tables in it
 * are replaced by read-only views first (for data built once and shared by all pages). */
static void make_read_only(lua_State *L, bool deep) {
  if (deep) {
    int tbl = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, tbl)) {
      if (lua_type(L, -1) == LUA_TTABLE) {
        make_read_only(L, true);
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, tbl); /* replacing an existing key's value keeps lua_next valid */
      } else {
        lua_pop(L, 1);
      }
    }
  }
  lua_newtable(L);                 /* proxy */
  lua_createtable(L, 0, 5);        /* its metatable */
  lua_pushvalue(L, -3);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "read-only");
  lua_setfield(L, -2, "__metatable");
  lua_pushcfunction(L, ro_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushcfunction(L, ro_len);
  lua_setfield(L, -2, "__len");
  lua_pushcfunction(L, ro_pairs);
  lua_setfield(L, -2, "__pairs");
  lua_setmetatable(L, -2);
  lua_remove(L, -2);
}

static const char *const safe_globals[] = {"assert", "error",    "ipairs", "next",     "pairs",
                                           "pcall",  "select",   "tonumber", "tostring", "type",
                                           "xpcall", "rawequal", "rawlen", "rawget", "setmetatable",
                                           "getmetatable", NULL};
static const char *const safe_libs[] = {"string", "table", "math", "utf8", NULL};

static void build_sandbox(wp_templates *t) {
  lua_State *L = t->L;
  luaL_openlibs(L);
  /* Strings share one metatable; lock it so a template cannot change string methods. */
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushliteral(L, "read-only");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);

  lua_newtable(L); /* base */
  for (const char *const *g = safe_globals; *g; g++) {
    lua_getglobal(L, *g);
    lua_setfield(L, -2, *g);
  }
  for (const char *const *lib = safe_libs; *lib; lib++) {
    lua_getglobal(L, *lib);
    make_read_only(L, false);
    lua_setfield(L, -2, *lib);
  }
  static const luaL_Reg helpers[] = {{"_s", l_write_run},
                                     {"escape", l_escape}, {"t", l_t},         {"url", l_url},
                                     {"abs_url", l_abs_url}, {"partial", l_partial}, {"layout", l_layout},
                                     {"date", l_date}, {"date_range", l_date_range}, {"number", l_number},
                                     {"percent", l_percent}, {"language_name", l_language_name}, {NULL, NULL}};
  luaL_setfuncs(L, helpers, 0);
  t->base_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  t->cache_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->base_ref);
  lua_setfield(L, -2, "__index");
  t->env_meta_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  t->strings_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  t->dates_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  t->site_ref = LUA_NOREF;
}

wp_templates *wp_templates_new(const wp_site *site) {
  wp_templates *t = wp_xcalloc(1, sizeof *t);
  t->site = site;
  t->budget = INSTRUCTION_BUDGET; /* wp_templates_pcall renews it; Lua run outside one counts too */
  t->formats = wp_xcalloc(site->nlangs, sizeof *t->formats);
  t->L = lua_newstate(limited_alloc, t);
  if (!t->L) abort();
  *(wp_templates **)lua_getextraspace(t->L) = t;
  build_sandbox(t);
  if (site->sources >= WATCHDOG_PAGES) t->watch = wp_watch_new(t->L, budget_hook, HOOK_STEP);
  else lua_sethook(t->L, budget_hook, LUA_MASKCOUNT, HOOK_STEP);
  /* Collect when the heap has grown 2.5x, not 2x: each page leaves its tables as garbage, and
   * collecting less often saves ~5 % of a large build for a few MiB per worker. */
  lua_gc(t->L, LUA_GCINC, 250, 0, 0);
  t->env_ref = LUA_NOREF;
  return t;
}

void wp_templates_free(wp_templates *t) {
  if (!t) return;
  wp_watch_free(t->watch);
  lua_close(t->L);
  for (size_t l = 0; l < t->site->nlangs; l++) wp_format_free(t->formats[l]);
  free(t->formats);
  free(t->layout);
  wp_buf_free(&t->up);
  free(t);
}

/* ---- rendering --------------------------------------------------------------------------- */

static int render_main(lua_State *L) {
  wp_templates *t = self(L);
  const char *name = t->job->template_name;
  for (int depth = 0;; depth++) {
    push_template(L, name);
    run_template(L);
    if (!t->layout) return 0;
    if (depth == MAX_LAYOUTS) return luaL_error(L, "layouts nest deeper than %d (a layout loop?)", MAX_LAYOUTS);
    /* The layout sees what was rendered so far as `content`. */
    lua_rawgeti(L, LUA_REGISTRYINDEX, t->env_ref);
    lua_pushlstring(L, t->out->data ? t->out->data : "", t->out->len);
    lua_setfield(L, -2, "content");
    lua_pop(L, 1);
    t->out->len = 0;
    lua_pushstring(L, t->layout);
    name = lua_tostring(L, -1);
    free(t->layout);
    t->layout = NULL;
  }
}

/* A fresh environment for one output file: page and site, falling back to the sandbox. */
static void new_environment(wp_templates *t, const wp_render_job *job) {
  lua_State *L = t->L;
  if (t->env_ref != LUA_NOREF) luaL_unref(L, LUA_REGISTRYINDEX, t->env_ref);
  t->job = job;
  t->up_ready = false;
  lua_createtable(L, 0, 4);
  wp_lua_push_page(L, t->site, job);
  lua_setfield(L, -2, "page");
  if (t->site_ref == LUA_NOREF) { /* the same for every file of the build */
    wp_lua_push_site(L, t->site);
    make_read_only(L, true);
    t->site_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->site_ref);
  lua_setfield(L, -2, "site");
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->env_meta_ref);
  lua_setmetatable(L, -2);
  t->env_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

static void set_error(wp_err *err, const wp_render_job *job, int rc, const char *msg) {
  if (rc == LUA_ERRMEM) msg = "template used more than its memory limit (512 MiB)";
  if (!msg) msg = "template error (a non-text error value)";
  if (!strncmp(msg, "templates/", 10))
    snprintf(err->msg, sizeof err->msg, "%s", msg);
  else
    snprintf(err->msg, sizeof err->msg, "templates/%s: %s", job->template_name, msg);
}

static int design_main(lua_State *L) {
  wp_templates *t = self(L);
  const char *name = t->job->template_name;
  if (!*name || name[0] == '/' || strstr(name, "..")) return luaL_error(L, "bad page design name '%s'", name);
  char *path = wp_printf("%s/templates/%s", t->site->root, name);
  size_t len;
  char *src = wp_read_file(path, &len);
  free(path);
  if (!src) return luaL_error(L, "page design 'templates/%s' not found", name);
  char *chunk = wp_printf("@templates/%s", name);
  int rc = luaL_loadbufferx(L, src, len, chunk, "t");
  free(chunk);
  free(src);
  if (rc != LUA_OK) return lua_error(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, t->env_ref);
  lua_setupvalue(L, -2, 1);
  lua_call(L, 0, 1);
  return 1;
}

bool wp_templates_design(wp_templates *t, const char *name, const wp_render_job *job, wp_err *err) {
  lua_State *L = t->L;
  wp_render_job j = *job;
  j.template_name = name;
  t->design_job = j;
  t->out = NULL;
  new_environment(t, &t->design_job);
  lua_pushcfunction(L, design_main);
  int rc = wp_templates_pcall(L, 0, 1);
  if (rc != LUA_OK) {
    set_error(err, &t->design_job, rc, lua_tostring(L, -1));
    lua_pop(L, 1);
    return false;
  }
  return true;
}

lua_State *wp_templates_lua(wp_templates *t) { return t->L; }

void wp_templates_forget_document(wp_templates *t, size_t d) { wp_lua_forget_page_strings(t->L, t->site, d); }

int wp_templates_pcall(lua_State *L, int nargs, int nresults) {
  wp_templates *t = self(L);
  t->budget = INSTRUCTION_BUDGET;
  if (t->watch) wp_watch_begin(t->watch);
  int rc = lua_pcall(L, nargs, nresults, 0);
  if (t->watch) wp_watch_end(t->watch);
  return rc;
}

char *wp_templates_render(wp_templates *t, const wp_render_job *job, size_t *len, wp_err *err) {
  lua_State *L = t->L;
  wp_buf out = {0};
  wp_buf_grow(&out, 16384); /* a typical page in one allocation, not seven doublings */
  t->out = &out;
  free(t->layout);
  t->layout = NULL;
  new_environment(t, job);

  lua_pushcfunction(L, render_main);
  int rc = wp_templates_pcall(L, 0, 0);
  luaL_unref(L, LUA_REGISTRYINDEX, t->env_ref);
  t->env_ref = LUA_NOREF;
  t->out = NULL;
  if (rc != LUA_OK) {
    set_error(err, job, rc, lua_tostring(L, -1));
    lua_pop(L, 1);
    wp_buf_free(&out);
    lua_gc(L, LUA_GCCOLLECT);
    return NULL;
  }
  if (len) *len = out.len;
  return wp_buf_take(&out);
}
