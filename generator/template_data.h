/* template_data — what templates see: the page being rendered, the site, and YAML values,
 * built as plain Lua tables for each output file (small, so no page can change another's). */
#ifndef WP_TEMPLATE_DATA_H
#define WP_TEMPLATE_DATA_H

#include <lua.h>

#include "template.h"

void wp_lua_push_value(lua_State *L, const wp_value *v);
void wp_lua_push_page(lua_State *L, const wp_site *site, const wp_render_job *job);
void wp_lua_push_site(lua_State *L, const wp_site *site);
/* Drops the strings of document d's list rows kept between renders (push_page_strings); all of
 * them for WP_ALL_DOCUMENTS. */
void wp_lua_forget_page_strings(lua_State *L, const wp_site *site, size_t d);

#endif
