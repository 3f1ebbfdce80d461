/* libFuzzer target: template text compiled to Lua and loaded (not run) by Lua's parser. */
#include <lauxlib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *src = wp_xstrndup((const char *)data, size);
  wp_err err;
  char *lua = wp_template_compile("fuzz.html", src, size, &err);
  if (lua) {
    lua_State *L = luaL_newstate();
    (void)luaL_loadbufferx(L, lua, strlen(lua), "@templates/fuzz.html", "t");
    lua_close(L);
  }
  free(lua);
  free(src);
  return 0;
}
