/* watchdog — lets Lua code run without a count hook until it has run for a while. A count hook
 * makes the interpreter stop at every instruction of every template (~2 % of a large build);
 * the endless loops it is there to stop are rare. So on large sites (template.c decides) one
 * thread watches every Lua state for the whole process: when a run (a template render, a page
 * design call) has gone on for WP_WATCH_AFTER_MS, that thread signals the running thread,
 * whose handler installs the state's hook (as lua.c does for Ctrl-C: lua_sethook is safe in a
 * signal handler). From then on the hook can count instructions and stop the run. */
#ifndef WP_WATCHDOG_H
#define WP_WATCHDOG_H

#include <lua.h>

#define WP_WATCH_AFTER_MS 1000

typedef struct wp_watch wp_watch;

/* Watches L; `hook` with `count` is installed in a run that lasts too long. */
wp_watch *wp_watch_new(lua_State *L, lua_Hook hook, int count);
void wp_watch_free(wp_watch *w);
/* Around every run, on the thread that runs it (which may differ between runs). Both clear the
 * hook, so a run never inherits one. */
void wp_watch_begin(wp_watch *w);
void wp_watch_end(wp_watch *w);

#endif
