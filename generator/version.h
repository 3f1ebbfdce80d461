/* version — the wufpress version; part of every cache key, so a new version rebuilds all. */
#ifndef WP_VERSION_H
#define WP_VERSION_H
#define WUFPRESS_VERSION "0.1.0"
#endif
