/* template — HTML templates with embedded Lua, compiled once per worker thread.
 *
 * Syntax: text is copied; <%= expr %> writes expr HTML-escaped; <%- expr %> writes it raw;
 * <% code %> runs Lua statements; <%# comment %> is dropped; a tag closed with -%> also drops
 * the newline that follows it. Helpers: t(key [, vars]), url(path), abs_url(path),
 * escape(s), partial(name [, vars]) -> string, layout(name) (the layout then sees `content`).
 * Templates run in a sandbox (no io, os, require, load, debug) under an instruction and memory
 * budget; errors read "templates/NAME:LINE: message". */
#ifndef WP_TEMPLATE_H
#define WP_TEMPLATE_H

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

/* Turns template source into Lua source with the same line numbers (exposed for tests). */
char *wp_template_compile(const char *name, const char *src, size_t len, wp_err *err);

#endif
