/* template — HTML templates with embedded Lua, compiled once per worker thread.
 *
 * Syntax: text is copied; <%= expr %> writes expr HTML-escaped; <%- expr %> writes it raw;
 * <% code %> runs Lua statements; <%# comment %> is dropped; a tag closed with -%> also drops
 * the newline that follows it. Helpers: t(key [, vars]), url(path), abs_url(path),
 * escape(s), partial(name [, vars]) -> string, layout(name) (the layout then sees `content`).
 * Templates run in a sandbox (no io, os, require, load, debug) under an instruction budget
 * (on large sites counted once a run has lasted a second: watchdog.h) and a memory budget;
 * errors read "templates/NAME:LINE: message". */
#ifndef WP_TEMPLATE_H
#define WP_TEMPLATE_H

#include <lua.h>
#include <stdbool.h>

#include "site.h"

typedef struct wp_templates wp_templates;

/* What is being rendered: one output file. */
typedef struct {
  const char *template_name; /* "document.html" */
  const char *kind;          /* "home", "list", "document", "404" */
  const char *out_path;      /* path inside public/, e.g. "en/cairo-call-to-action/index.html" */
  const char *url;           /* site path of the page, e.g. "en/cairo-call-to-action/" */
  size_t lang_index;
  const wp_page *page;       /* the document page, or NULL */
  const wp_document *doc;    /* its document, or NULL */
} wp_render_job;

/* One Lua state with the sandbox and helpers; templates compile on first use. */
wp_templates *wp_templates_new(const wp_site *site);
void wp_templates_free(wp_templates *t);
/* Renders a job; returns the output (caller frees) or NULL with err set. */
char *wp_templates_render(wp_templates *t, const wp_render_job *job, size_t *len, wp_err *err);
/* Drops what t keeps of document d's data between renders (the Lua strings of its list rows):
 * for `serve`, after the model's document d was replaced; WP_ALL_DOCUMENTS after documents
 * were added or removed (the others' indexes moved). */
#define WP_ALL_DOCUMENTS ((size_t)-1)
void wp_templates_forget_document(wp_templates *t, size_t d);

/* Page designs (the PDF designs in templates/pdf/) are plain Lua run in the same sandbox, with
 * the same helpers and `page` and `site` as HTML templates see for job. wp_templates_design
 * runs templates/<name> and leaves the value it returns (the design table) on the top of the
 * state's stack, for the caller to read and pop; its functions stay callable (wp_templates_pcall)
 * until the next render or design call, in the job's language.
 * Returns false with err set ("templates/pdf/x.lua:12: message") on failure. */
bool wp_templates_design(wp_templates *t, const char *name, const wp_render_job *job, wp_err *err);
/* The Lua state behind t, for reading a design table. */
lua_State *wp_templates_lua(wp_templates *t);
/* lua_pcall (no message handler) as one run under the budget against endless loops
 * (watchdog.h): for every call into a design's functions; renders and designs use it too. */
int wp_templates_pcall(lua_State *L, int nargs, int nresults);

/* Turns template source into Lua source with the same line numbers (exposed for tests). */
char *wp_template_compile(const char *name, const char *src, size_t len, wp_err *err);

#endif
