/* template_data — see template_data.h. */
#include "template_data.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_document.h"
#include "status.h"

/* Pushes a wp_value as a Lua value (nil for null). */
void wp_lua_push_value(lua_State *L, const wp_value *v) {
  if (!v) {
    lua_pushnil(L);
    return;
  }
  switch (v->type) {
  case WP_NULL: lua_pushnil(L); break;
  case WP_BOOL: lua_pushboolean(L, v->boolean); break;
  case WP_NUMBER:
    if (v->number == (double)(lua_Integer)v->number && !strpbrk(v->string, ".eE")) lua_pushinteger(L, (lua_Integer)v->number);
    else lua_pushnumber(L, v->number);
    break;
  case WP_STRING: lua_pushlstring(L, v->string, strlen(v->string)); break;
  case WP_LIST:
    lua_createtable(L, (int)v->count, 0);
    for (size_t i = 0; i < v->count; i++) {
      wp_lua_push_value(L, v->items[i]);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    break;
  case WP_MAP:
    lua_createtable(L, 0, (int)v->count);
    for (size_t i = 0; i < v->count; i++) {
      wp_lua_push_value(L, v->items[i]);
      lua_setfield(L, -2, v->keys[i]);
    }
    break;
  }
}


/* Tables below are created with room for all their fields: growing a Lua table rehashes it,
 * and these are built for every output file. lua_pushlstring skips lua_pushstring's lookup
 * in the API string cache (a strcmp per push). */
static void set_str(lua_State *L, const char *key, const char *value) {
  if (!value) return;
  lua_pushlstring(L, value, strlen(value));
  lua_setfield(L, -2, key);
}

static void push_params(lua_State *L, const wp_page *page) {
  const wp_value *maps[2] = {page->doc->meta, page->front};
  lua_createtable(L, 0, (int)(maps[0]->count + maps[1]->count));
  for (int m = 0; m < 2; m++)
    for (size_t i = 0; i < maps[m]->count; i++) {
      wp_lua_push_value(L, maps[m]->items[i]);
      lua_setfield(L, -2, maps[m]->keys[i]);
    }
}

static void set_lang_fields(lua_State *L, const wp_lang *lang) {
  set_str(L, "code", lang->code);
  set_str(L, "name", lang->name);
  set_str(L, "dir", lang->dir);
  set_str(L, "locale", lang->locale);
}

/* A table with room for `more` fields that reads its language's code, name, dir and locale
 * through __index. A page has six translations and the status page six cells per document:
 * sharing one language table per Lua state (kept in the registry, unreachable from templates:
 * the metatable is hidden) saves copying four strings into each. */
static char lang_meta_key; /* its address keys the registry: no key string to look up */

static void push_lang(lua_State *L, const wp_site *site, size_t l, int more) {
  lua_createtable(L, 0, more);
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &lang_meta_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, (int)site->nlangs, 0);
    for (size_t i = 0; i < site->nlangs; i++) {
      lua_createtable(L, 0, 2);
      lua_createtable(L, 0, 4);
      set_lang_fields(L, &site->langs[i]);
      lua_setfield(L, -2, "__index");
      lua_pushliteral(L, "read-only");
      lua_setfield(L, -2, "__metatable");
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &lang_meta_key);
  }
  lua_rawgeti(L, -1, (lua_Integer)l + 1);
  lua_setmetatable(L, -3);
  lua_pop(L, 1);
}

/* The site path of the page `job` in language l (NULL when it does not exist there): a page's
 * own url for documents; made into `scratch` (caller frees) for the pages of every language. */
static const char *translation_url(const wp_render_job *job, const wp_lang *lang, size_t l, char **scratch) {
  *scratch = NULL;
  if (job->doc) return job->doc->pages[l] ? job->doc->pages[l]->url : NULL;
  if (!strcmp(job->kind, "404")) return *scratch = wp_printf("%s/404.html", lang->code);
  if (!strcmp(job->kind, "status")) return *scratch = wp_printf("%s/status/", lang->code);
  return *scratch = wp_printf("%s/", lang->code);
}

/* hreflang="x-default": the site root for the home page; otherwise the page in the default
 * language, else in the document's original language, else the first translation there is. */
static const char *x_default_url(const wp_site *site, const wp_render_job *job) {
  const wp_document *doc = job->doc;
  if (doc->pages[site->default_lang]) return doc->pages[site->default_lang]->url;
  if (doc->pages[doc->original]) return doc->pages[doc->original]->url;
  for (size_t l = 0; l < site->nlangs; l++)
    if (doc->pages[l]) return doc->pages[l]->url;
  return job->url;
}

/* Lists, feeds and status pages show, for every page of the site, strings of the model: the
 * status page of each language the same cells, a language's list and feed the same rows. Each
 * worker keeps the Lua strings it made for them in a registry array, in page order (document,
 * then language, then field), instead of making and interning tens of thousands of strings
 * again for the next such page. Lua strings are values: no template can tell. */
enum { F_TITLE, F_URL, F_SLUG, F_SUMMARY, F_SUBTITLE, F_SYMBOL, F_DATE, F_SOURCE, NFIELDS };
static char page_strings_key;

static int push_page_strings(lua_State *L, const wp_site *site) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &page_strings_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, (int)(site->ndocs * site->nlangs * NFIELDS), 0);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &page_strings_key);
  }
  return lua_gettop(L);
}

void wp_lua_forget_page_strings(lua_State *L, const wp_site *site, size_t d) {
  if (d == WP_ALL_DOCUMENTS) {
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &page_strings_key);
    return;
  }
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &page_strings_key) == LUA_TTABLE)
    for (size_t slot = d * site->nlangs * NFIELDS; slot < (d + 1) * site->nlangs * NFIELDS; slot++) {
      lua_pushnil(L);
      lua_rawseti(L, -2, (lua_Integer)slot + 1);
    }
  lua_pop(L, 1);
}

/* t[key] = value (a string of document d's page in language l), through the cache at `cache`. */
static void set_page_str(lua_State *L, int cache, const wp_site *site, size_t d, size_t l, int field, const char *key,
                         const char *value) {
  if (!value) return;
  lua_Integer slot = (lua_Integer)((d * site->nlangs + l) * NFIELDS + (size_t)field) + 1;
  if (lua_rawgeti(L, cache, slot) != LUA_TSTRING) {
    lua_pop(L, 1);
    lua_pushlstring(L, value, strlen(value));
    lua_pushvalue(L, -1);
    lua_rawseti(L, cache, slot);
  }
  lua_setfield(L, -2, key);
}

/* `serve` renders lists, feeds and status pages again after an edit only when a field they
 * show changed (build.c mark_listed): a field added here or in push_status must be compared
 * there too. */
static void push_document_summary(lua_State *L, int cache, const wp_site *site, size_t d, const wp_page *p) {
  size_t l = p->lang_index;
  lua_createtable(L, 0, 7);
  set_page_str(L, cache, site, d, l, F_TITLE, "title", p->title);
  set_page_str(L, cache, site, d, l, F_URL, "url", p->url);
  set_page_str(L, cache, site, d, l, F_SLUG, "slug", p->doc->slug);
  set_page_str(L, cache, site, d, l, F_SUMMARY, "summary", p->summary);
  set_page_str(L, cache, site, d, l, F_SUBTITLE, "subtitle", p->subtitle);
  set_page_str(L, cache, site, d, l, F_SYMBOL, "symbol", p->doc->symbol);
  set_page_str(L, cache, site, d, l, F_DATE, "date", p->doc->date);
}

/* page.status: one row per document, one cell per language (see status.h). */
static void push_status(lua_State *L, const wp_site *site, size_t lang) {
  int cache = push_page_strings(L, site);
  lua_createtable(L, (int)site->ndocs, 0);
  for (size_t d = 0; site->status && d < site->ndocs; d++) {
    const wp_document *doc = site->docs[d];
    size_t o = doc->original;
    const wp_page *shown = doc->pages[lang] ? doc->pages[lang] : doc->pages[o];
    lua_createtable(L, 0, 4);
    set_str(L, "document", doc->slug); /* + title, original, cells */
    if (shown) set_page_str(L, cache, site, d, shown->lang_index, F_TITLE, "title", shown->title);
    else set_str(L, "title", doc->slug);
    set_str(L, "original", site->langs[o].code);
    lua_createtable(L, (int)site->nlangs, 0);
    for (size_t l = 0; l < site->nlangs; l++) {
      const wp_tr_status *cell = &site->status[d][l];
      push_lang(L, site, l, 4);
      set_str(L, "state", wp_status_name(cell->state));
      set_str(L, "reason", cell->reason);
      set_page_str(L, cache, site, d, l, F_SOURCE, "source", doc->pages[l] ? doc->pages[l]->source : NULL);
      set_page_str(L, cache, site, d, l, F_URL, "url", doc->pages[l] ? doc->pages[l]->url : NULL);
      lua_rawseti(L, -2, (lua_Integer)l + 1);
    }
    lua_setfield(L, -2, "cells");
    lua_rawseti(L, -2, (lua_Integer)d + 1);
  }
  lua_setfield(L, -3, "status");
  lua_pop(L, 1);
}

/* page.groups: every page of the site with its translations, for sitemap.xml. */
static void push_group_entry(lua_State *L, const wp_site *site, size_t l, const char *url, lua_Integer i) {
  push_lang(L, site, l, 1);
  set_str(L, "url", url);
  lua_rawseti(L, -2, i);
}

static void push_sitemap(lua_State *L, const wp_site *site) {
  lua_createtable(L, (int)site->ndocs + 1, 1);
  lua_Integer g = 0;
  lua_createtable(L, (int)site->nlangs, 0); /* the language indexes are one group */
  for (size_t l = 0; l < site->nlangs; l++) {
    char *url = wp_printf("%s/", site->langs[l].code);
    push_group_entry(L, site, l, url, (lua_Integer)l + 1);
    free(url);
  }
  lua_rawseti(L, -2, ++g);
  for (size_t d = 0; d < site->ndocs; d++) {
    lua_createtable(L, (int)site->nlangs, 0);
    lua_Integer i = 0;
    for (size_t l = 0; l < site->nlangs; l++)
      if (site->docs[d]->pages[l]) push_group_entry(L, site, l, site->docs[d]->pages[l]->url, ++i);
    lua_rawseti(L, -2, ++g);
  }
  lua_setfield(L, -2, "groups");
}

void wp_lua_push_page(lua_State *L, const wp_site *site, const wp_render_job *job) {
  const wp_lang *lang = &site->langs[job->lang_index];
  const wp_page *p = job->page;
  lua_createtable(L, 0, 24);
  set_str(L, "kind", job->kind);
  set_str(L, "url", job->url);
  set_str(L, "lang", lang->code);
  set_str(L, "dir", lang->dir);
  set_str(L, "locale", lang->locale);
  set_str(L, "lang_name", lang->name);
  if (p) {
    set_str(L, "title", p->title);
    if (p->body_html) { /* the largest string of the page: its length is known */
      lua_pushlstring(L, p->body_html, p->body_html_len);
      lua_setfield(L, -2, "content");
    }
    set_str(L, "source", p->source);
    set_str(L, "document", p->doc->slug);
    set_str(L, "summary", p->summary);
    set_str(L, "subtitle", p->subtitle);
    push_params(L, p);
    lua_setfield(L, -2, "params");
    lua_createtable(L, (int)p->nheadings, 0);
    for (size_t i = 0; i < p->nheadings; i++) {
      lua_createtable(L, 0, 4);
      lua_pushinteger(L, p->headings[i].level);
      lua_setfield(L, -2, "level");
      set_str(L, "id", p->headings[i].id);
      set_str(L, "label", p->headings[i].label);
      set_str(L, "text", p->headings[i].text);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "headings");
    lua_pushinteger(L, p->paragraphs);
    lua_setfield(L, -2, "paragraphs");
    lua_pushinteger(L, p->footnotes);
    lua_setfield(L, -2, "footnotes");
    if (p->pdf_size) { /* page.pdf = {url, size}: the PDF of this page, when one was written */
      lua_createtable(L, 0, 2);
      char *url = wp_pdf_url(p);
      set_str(L, "url", url);
      free(url);
      lua_pushinteger(L, (lua_Integer)p->pdf_size);
      lua_setfield(L, -2, "size");
      lua_setfield(L, -2, "pdf");
    }
  }
  /* Every language in site order: available or not, never silently another language. */
  lua_createtable(L, (int)site->nlangs, 0);
  for (size_t l = 0; l < site->nlangs; l++) {
    push_lang(L, site, l, 3);
    char *scratch;
    const char *url = translation_url(job, &site->langs[l], l, &scratch);
    set_str(L, "url", url);
    free(scratch);
    lua_pushboolean(L, url != NULL);
    lua_setfield(L, -2, "available");
    lua_pushboolean(L, l == job->lang_index);
    lua_setfield(L, -2, "current");
    lua_rawseti(L, -2, (lua_Integer)l + 1);
  }
  lua_setfield(L, -2, "translations");
  if (job->doc) {
    lua_pushstring(L, x_default_url(site, job));
  } else { /* home, lists and 404 pages exist in every language */
    char *scratch;
    const char *url = translation_url(job, &site->langs[site->default_lang], site->default_lang, &scratch);
    lua_pushstring(L, strcmp(job->kind, "home") ? url : "");
    free(scratch);
  }
  lua_setfield(L, -2, "x_default");
  if (!strcmp(job->kind, "status")) push_status(L, site, job->lang_index);
  if (!strcmp(job->kind, "sitemap")) push_sitemap(L, site);
  if (!strcmp(job->kind, "list") || !strcmp(job->kind, "home") || !strcmp(job->kind, "feed")) {
    int cache = push_page_strings(L, site);
    lua_createtable(L, (int)site->ndocs, 0);
    lua_Integer n = 0;
    for (size_t d = 0; d < site->ndocs; d++)
      if (site->docs[d]->pages[job->lang_index]) {
        push_document_summary(L, cache, site, d, site->docs[d]->pages[job->lang_index]);
        lua_rawseti(L, -2, ++n);
      }
    lua_setfield(L, -3, "documents");
    lua_pop(L, 1);
  }
}

void wp_lua_push_site(lua_State *L, const wp_site *site) {
  lua_createtable(L, 0, 6);
  set_str(L, "title", wp_value_str(site->config, "title"));
  set_str(L, "base_url", site->base_url);
  set_str(L, "theme", site->theme);
  set_str(L, "default_language", site->langs[site->default_lang].code);
  lua_createtable(L, (int)site->nlangs, 0);
  for (size_t l = 0; l < site->nlangs; l++) {
    lua_createtable(L, 0, 4);
    set_lang_fields(L, &site->langs[l]);
    lua_rawseti(L, -2, (lua_Integer)l + 1);
  }
  lua_setfield(L, -2, "languages");
}

