/* check — `wufpress check`: what a build would not catch by itself. Internal links and
 * #anchors that lead nowhere, missing images, front matter keys the theme's schema does not
 * know (or of the wrong type), characters no PDF font covers, and missing or stale
 * translations (warnings unless --strict).
 * One line per problem, `file:line: message`; exit 1 when there is an error. */
#ifndef WP_CHECK_H
#define WP_CHECK_H

#include <stdbool.h>

#include "build.h"

/* external: also ask every http(s) link (with curl), which needs the network. */
int wp_check_command(const wp_build_options *opt, bool strict, bool external);

#endif
