/* main — the wufpress command line: parses arguments and hands over to the commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "check.h"
#include "serve.h"
#include "status.h"
#include "version.h"



static const char usage[] =
    "Usage: wufpress build [--root DIR] [--out DIR] [--lang CODES] [--jobs N] [--no-pdf]\n"
    "                      [--drafts] [--strict] [--quiet]\n"
    "       wufpress serve [--root DIR] [--port N] [build options]\n"
    "       wufpress check [--root DIR] [--strict] [--external]\n"
    "       wufpress status [--root DIR] [--lang CODES]\n"
    "       wufpress --help | --version\n"
    "\n"
    "Builds the multilingual site in DIR (default: the current folder), which holds site.yaml,\n"
    "content/<document>/<lang>.md, templates/ and themes/, into --out (default DIR/public).\n"
    "The output folder is replaced only when the whole build succeeded.\n"
    "'serve' builds, serves the site on 127.0.0.1 (default port 8000; 0 picks a free one),\n"
    "rebuilds when content, templates, themes or site.yaml change, and reloads open pages.\n"
    "'check' reports links and anchors that lead nowhere, missing images, unknown front\n"
    "matter keys, characters no PDF font covers (not with --no-pdf), and missing or stale\n"
    "translations (errors with --strict); --external also asks every http(s) link (curl).\n"
    "Exit 1 on errors.\n"
    "'status' prints which translations are missing or stale (exit 0 either way).\n"
    "\n"
    "  --root DIR    site root (default .)\n"
    "  --out DIR     output folder (default ROOT/public)\n"
    "  --lang CODES  build only these languages, comma-separated (e.g. en,ar)\n"
    "  --jobs N      worker threads (default: one per core)\n"
    "  --no-pdf      skip PDF documents\n"
    "  --drafts      include pages marked 'draft: true'\n"
    "  --strict      treat warnings (e.g. characters no PDF font covers) as errors\n"
    "  --quiet       print nothing but errors\n"
    "\n"
    "Exit status: 0 success, 1 content or template error, 2 usage error.\n";

static int usage_error(const char *fmt, const char *arg) {
  fputs("wufpress: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\nTry 'wufpress --help'.\n", stderr);
  return 2;
}

/* Options shared by build and status; returns 0, or 2 after a usage message. */
static int parse_options(int argc, char **argv, wp_build_options *opt) {
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const char **value = !strcmp(a, "--root") ? &opt->root : !strcmp(a, "--out") ? &opt->out
                       : !strcmp(a, "--lang") ? &opt->langs : NULL;
    if (value || !strcmp(a, "--jobs")) {
      if (i + 1 >= argc) return usage_error("%s needs a value", a);
      const char *v = argv[++i];
      if (value) {
        *value = v;
      } else {
        char *end;
        long n = strtol(v, &end, 10);
        if (*end || n < 0 || n > 1024) return usage_error("--jobs takes a number from 0 to 1024, not '%s'", v);
        opt->jobs = (int)n;
      }
    } else if (!strcmp(a, "--quiet")) {
      opt->quiet = true;
    } else if (!strcmp(a, "--drafts")) {
      opt->drafts = true;
    } else if (!strcmp(a, "--no-pdf")) {
      opt->pdf = false;
    } else if (!strcmp(a, "--strict")) {
      opt->strict = true;
    } else {
      return usage_error("unknown option '%s'", a);
    }
  }
  return 0;
}

static int cmd_build(int argc, char **argv) {
  wp_build_options opt = {.root = ".", .pdf = true, .exiting = true};
  int rc = parse_options(argc, argv, &opt);
  return rc ? rc : wp_build(&opt);
}

static int cmd_check(int argc, char **argv) {
  wp_build_options opt = {.root = ".", .quiet = true, .pdf = true};
  bool strict = false, external = false;
  int n = 0;
  for (int i = 0; i < argc; i++) /* check's own flags, then the shared ones */
    if (!strcmp(argv[i], "--strict")) strict = true;
    else if (!strcmp(argv[i], "--external")) external = true;
    else argv[n++] = argv[i];
  int rc = parse_options(n, argv, &opt);
  return rc ? rc : wp_check_command(&opt, strict, external);
}

static int cmd_serve(int argc, char **argv) {
  wp_build_options opt = {.root = ".", .pdf = true};
  long port = 8000;
  int n = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--port")) {
      char *end = "";
      port = i + 1 < argc ? strtol(argv[++i], &end, 10) : -1;
      if (port < 0 || port > 65535 || *end) return usage_error("--port takes a number from 0 to 65535%s", "");
    } else {
      argv[n++] = argv[i];
    }
  }
  int rc = parse_options(n, argv, &opt);
  return rc ? rc : wp_serve_command(&opt, (int)port);
}

static int cmd_status(int argc, char **argv) {
  wp_build_options opt = {.root = ".", .quiet = true};
  int rc = parse_options(argc, argv, &opt);
  return rc ? rc : wp_status_command(&opt);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(usage, stdout);
    return 0;
  }
  if (!strcmp(cmd, "--version")) {
    puts("wufpress " WUFPRESS_VERSION);
    return 0;
  }
  if (!strcmp(cmd, "build")) return cmd_build(argc - 2, argv + 2);
  if (!strcmp(cmd, "status")) return cmd_status(argc - 2, argv + 2);
  if (!strcmp(cmd, "check")) return cmd_check(argc - 2, argv + 2);
  if (!strcmp(cmd, "serve")) return cmd_serve(argc - 2, argv + 2);
  return usage_error("unknown command '%s'", cmd);
}
