/* serve — `wufpress serve`: build, serve the output on 127.0.0.1 with libmicrohttpd, watch
 * content/, templates/, themes/ and site.yaml with inotify, rebuild on change and make open
 * pages reload. The reload script is added to HTML responses only, never to the files. */
#ifndef WP_SERVE_H
#define WP_SERVE_H

#include "build.h"

/* port 0 picks a free port; the URL is printed on stdout ("Serving http://127.0.0.1:N/"). */
int wp_serve_command(const wp_build_options *opt, int port);

#endif
