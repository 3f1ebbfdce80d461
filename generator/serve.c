/* serve — see serve.h. The server threads read shared state (build generation, last error)
 * under a mutex; the main thread watches files and rebuilds. */
#include "serve.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "session.h"
#include "util.h"

#define DEBOUNCE_MS 60
/* What a watch reports: files written, made, removed and moved (an editor's save is one of them). */
#define WATCHED_EVENTS (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)
#define MAX_CHANGED 500 /* files changed in one burst applied as an update; more build everything */

/* The page asks for the build's version every 100 ms (an update takes a few ms, so the poll is
 * most of the wait) and reloads when it changes. Not a request held until the next build: a
 * browser opens at most six connections to one server, and six open tabs would stall a
 * seventh. */
static const char reload_script[] =
    "<script>/* wufpress serve: reload when the site is rebuilt */\n"
    "(function(){var v=null;function poll(){fetch('/__wufpress/version',{cache:'no-store'})"
    ".then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v)location.reload();v=t;})"
    ".catch(function(){}).finally(function(){setTimeout(poll,100)})}poll()})();</script>\n";

typedef struct {
  pthread_mutex_t lock;
  unsigned long generation; /* bumped after every build, good or bad */
  char *error;              /* the last build's errors, or NULL when it succeeded */
  char root_real[PATH_MAX]; /* the output folder, symlinks resolved */
  const char *out;
} server_state;

static volatile sig_atomic_t stopping;
static void on_signal(int sig) { (void)sig, stopping = 1; }

static const char *content_type(const char *path) {
  static const char *const types[][2] = {
      {".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"}, {".xml", "application/xml; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
      {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".pdf", "application/pdf"},
      {".json", "application/json"}, {".csv", "text/csv; charset=utf-8"}};
  const char *dot = strrchr(path, '.');
  for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
    if (!strcmp(dot, types[i][0])) return types[i][1];
  return "application/octet-stream";
}

/* libmicrohttpd (and the GnuTLS it links) is needed by `serve` alone: loading it here rather
 * than linking it saves every other command ~1.6 ms of dynamic linking and library set-up. */
#define MHD_SONAME "libmicrohttpd.so.12"
static struct {
  __typeof__(MHD_start_daemon) *start_daemon;
  __typeof__(MHD_stop_daemon) *stop_daemon;
  __typeof__(MHD_get_daemon_info) *get_daemon_info;
  __typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
  __typeof__(MHD_add_response_header) *add_response_header;
  __typeof__(MHD_queue_response) *queue_response;
  __typeof__(MHD_destroy_response) *destroy_response;
} mhd;

static bool load_mhd(void) {
  void *lib = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "wufpress: serve needs %s (Debian package libmicrohttpd12): %s\n", MHD_SONAME, dlerror());
    return false;
  }
#define SYMBOL(f)                                                                  \
  if (!(*(void **)&mhd.f = dlsym(lib, "MHD_" #f))) {                               \
    fprintf(stderr, "wufpress: %s has no MHD_%s\n", MHD_SONAME, #f);              \
    return false;                                                                  \
  }
  SYMBOL(start_daemon) SYMBOL(stop_daemon) SYMBOL(get_daemon_info) SYMBOL(create_response_from_buffer)
  SYMBOL(add_response_header) SYMBOL(queue_response) SYMBOL(destroy_response)
#undef SYMBOL
  return true;
}

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *type, char *body, size_t len) {
  struct MHD_Response *r = mhd.create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
  mhd.add_response_header(r, "Content-Type", type);
  mhd.add_response_header(r, "Cache-Control", "no-store");
  enum MHD_Result ret = mhd.queue_response(c, status, r);
  mhd.destroy_response(r);
  return ret;
}

static enum MHD_Result not_found(struct MHD_Connection *c) {
  char *body = wp_xstrdup("<!DOCTYPE html><title>404</title><h1>404 Not Found</h1>\n");
  return respond(c, MHD_HTTP_NOT_FOUND, "text/html; charset=utf-8", body, strlen(body));
}

/* The file for a URL path, only if it lies inside the output folder after every "..",
 * encoded character and symlink is resolved; NULL otherwise. */
static char *file_for(const server_state *s, const char *url) {
  if (url[0] != '/' || strstr(url, "..") || strchr(url, '\\')) return NULL; /* MHD has decoded %2e%2e */
  char *path = wp_printf("%s%s", s->out, url);
  if (wp_is_dir(path)) {
    char *index = wp_printf("%s%sindex.html", path, path[strlen(path) - 1] == '/' ? "" : "/");
    free(path);
    path = index;
  }
  char real[PATH_MAX];
  bool inside = realpath(path, real) && !strncmp(real, s->root_real, strlen(s->root_real)) &&
                (real[strlen(s->root_real)] == '/' || real[strlen(s->root_real)] == 0) && wp_is_file(real);
  free(path);
  return inside ? wp_xstrdup(real) : NULL;
}

static char *error_page(const char *error) {
  wp_buf b = {0};
  wp_buf_puts(&b, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title>"
                  "<style>body{font:16px/1.5 sans-serif;margin:2rem}pre{background:#fff1f0;border-left:4px solid "
                  "#c00;padding:1rem;white-space:pre-wrap}</style></head><body><h1>The build failed</h1>"
                  "<p>Fix the file named below; this page reloads by itself when the build succeeds.</p><pre>");
  wp_html_escape(&b, error, strlen(error));
  wp_buf_puts(&b, "</pre>");
  wp_buf_puts(&b, reload_script);
  wp_buf_puts(&b, "</body></html>\n");
  return wp_buf_take(&b);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **req) {
  (void)version, (void)upload, (void)upload_size, (void)req;
  server_state *s = cls;
  if (strcmp(method, "GET") && strcmp(method, "HEAD")) return not_found(c);
  pthread_mutex_lock(&s->lock);
  unsigned long generation = s->generation;
  char *error = s->error ? wp_xstrdup(s->error) : NULL;
  pthread_mutex_unlock(&s->lock);
  if (!strcmp(url, "/__wufpress/version")) {
    free(error);
    char *body = wp_printf("%lu", generation);
    return respond(c, MHD_HTTP_OK, "text/plain", body, strlen(body));
  }
  char *file = file_for(s, url);
  const char *type = file ? content_type(file) : "text/html";
  bool html = !strncmp(type, "text/html", 9);
  if (error && (html || !file)) { /* a failed build shows itself in place of pages */
    char *body = error_page(error);
    free(error), free(file);
    return respond(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", body, strlen(body));
  }
  free(error);
  if (!file) return not_found(c);
  size_t len;
  char *data = wp_read_file(file, &len);
  free(file);
  if (!data) return not_found(c);
  if (html) { /* the reload script goes before </body>, in the response only */
    char *end = strstr(data, "</body>");
    wp_buf b = {0};
    wp_buf_put(&b, data, end ? (size_t)(end - data) : len);
    wp_buf_puts(&b, reload_script);
    if (end) wp_buf_puts(&b, end);
    free(data);
    len = b.len;
    data = wp_buf_take(&b);
  }
  return respond(c, MHD_HTTP_OK, type, data, len);
}

/* ---- watching ----------------------------------------------------------------------------- */

/* The folders watched, by watch descriptor, relative to the site root ("" for the root). */
typedef struct {
  char **dirs;
  size_t n;
} watch_map;

static void watch_map_clear(watch_map *m) {
  for (size_t i = 0; i < m->n; i++) free(m->dirs[i]);
  free(m->dirs);
  *m = (watch_map){0};
}

static void watch_add(int fd, watch_map *m, const char *root, const char *rel) {
  char *dir = *rel ? wp_printf("%s/%s", root, rel) : wp_xstrdup(root);
  int wd = inotify_add_watch(fd, dir, WATCHED_EVENTS);
  free(dir);
  if (wd < 0) return;
  if ((size_t)wd >= m->n) {
    m->dirs = wp_xrealloc(m->dirs, ((size_t)wd + 1) * sizeof *m->dirs);
    for (size_t i = m->n; i <= (size_t)wd; i++) m->dirs[i] = NULL;
    m->n = (size_t)wd + 1;
  }
  free(m->dirs[wd]);
  m->dirs[wd] = wp_xstrdup(rel);
}

static void watch_tree(int fd, watch_map *m, const char *root, const char *rel) {
  watch_add(fd, m, root, rel);
  char *dir = wp_printf("%s/%s", root, rel);
  DIR *d = opendir(dir);
  free(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char *sub = wp_printf("%s/%s", rel, e->d_name), *full = wp_printf("%s/%s", root, sub);
    if (wp_is_dir(full)) watch_tree(fd, m, root, sub);
    free(sub), free(full);
  }
  closedir(d);
}

/* A folder that no longer is where it was watched (moved away or removed): its watch goes, and
 * its subfolders' watches, so that edits in it elsewhere are not taken for the site's. */
static void watch_forget(int fd, watch_map *m, const char *rel) {
  size_t n = strlen(rel);
  for (size_t wd = 0; wd < m->n; wd++)
    if (m->dirs[wd] && !strncmp(m->dirs[wd], rel, n) && (!m->dirs[wd][n] || m->dirs[wd][n] == '/')) {
      inotify_rm_watch(fd, (int)wd); /* EINVAL when the kernel removed it already: fine */
      free(m->dirs[wd]);
      m->dirs[wd] = NULL;
    }
}

/* The changed files of a burst (paths relative to the root, each once); past MAX_CHANGED, a
 * checkout or a copy rather than an edit, *everything is set instead. Takes path. */
static void add_changed(char ***changed, size_t *n, char *path, bool *everything) {
  bool seen = *everything;
  for (size_t i = 0; i < *n && !seen; i++) seen = !strcmp((*changed)[i], path);
  if (!seen && *n == MAX_CHANGED) *everything = seen = true;
  if (seen) {
    free(path);
    return;
  }
  *changed = wp_xrealloc(*changed, (*n + 1) * sizeof **changed);
  (*changed)[(*n)++] = path;
}

/* A document folder made or moved into content/: watched from now on, and the files it
 * already has (made before the watch was) are changed files of the burst. False when it holds
 * a folder (build everything: such files are not applied as an update). */
static bool watch_document(int fd, watch_map *m, const char *root, const char *rel, char ***changed, size_t *n,
                           bool *everything) {
  watch_add(fd, m, root, rel);
  char *dir = wp_printf("%s/%s", root, rel);
  DIR *d = opendir(dir);
  free(dir);
  if (!d) return true; /* gone again: the burst's other events say so */
  bool files_only = true;
  struct dirent *e;
  while ((e = readdir(d)) && files_only) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char *path = wp_printf("%s/%s", rel, e->d_name), *full = wp_printf("%s/%s", root, path);
    files_only = !wp_is_dir(full);
    free(full);
    if (files_only) add_changed(changed, n, path, everything);
    else free(path);
  }
  closedir(d);
  return files_only;
}

static void watch_all(int fd, watch_map *m, const char *root) {
  static const char *const dirs[] = {"content", "templates", "themes"};
  for (size_t i = 0; i < 3; i++) watch_tree(fd, m, root, dirs[i]);
  watch_add(fd, m, root, ""); /* site.yaml, folders */
}

/* Builds (everything, or the changed files' documents: build.h wp_session_build) and
 * publishes the result to the server's state. */
static void rebuild(server_state *s, wp_session *session, char *const *changed, size_t n) {
  char *log_text = NULL;
  size_t log_len = 0;
  FILE *log = open_memstream(&log_text, &log_len);
  int rc = wp_session_build(session, changed, n, log);
  fclose(log);
  if (rc == WP_SESSION_UNCHANGED) { /* nothing to show: open pages stay as they are */
    free(log_text);
    return;
  }
  fputs(log_text, stderr);
  pthread_mutex_lock(&s->lock);
  free(s->error);
  s->error = rc == 0 ? NULL : log_text;
  s->generation++;
  pthread_mutex_unlock(&s->lock);
  if (rc == 0) free(log_text);
}

static bool relevant(const struct inotify_event *ev) {
  /* A watch removed (its folder gone, or watch_forget): the folder's parent reported that. */
  if (ev->mask & IN_IGNORED) return false;
  if (!ev->len) return true;
  if (ev->name[0] == '.' || ev->name[strlen(ev->name) - 1] == '~') return false; /* editor swap files */
  return true;
}

int wp_serve_command(const wp_build_options *opt, int port) {
  if (!load_mhd()) return 1;
  server_state s = {.lock = PTHREAD_MUTEX_INITIALIZER};
  char *out = opt->out ? wp_xstrdup(opt->out) : wp_printf("%s/public", opt->root);
  s.out = out;
  wp_build_options o = *opt;
  o.quiet = false;
  wp_session *session = wp_session_new(&o);
  /* Watching starts before the first build: an edit made while it runs is built after it. */
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  watch_map watched = {0};
  watch_all(fd, &watched, opt->root);
  rebuild(&s, session, NULL, 0);
  if (!wp_mkdir_p(out) || !realpath(out, s.root_real)) {
    fprintf(stderr, "%s: cannot serve: %s\n", out, strerror(errno));
    close(fd);
    watch_map_clear(&watched);
    wp_session_free(session);
    free(out);
    return 1;
  }
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct MHD_Daemon *d = mhd.start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL,
                                          NULL, handle, &s, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "wufpress: cannot listen on 127.0.0.1:%d\n", port);
    close(fd);
    watch_map_clear(&watched);
    wp_session_free(session);
    free(out);
    return 1;
  }
  const union MHD_DaemonInfo *info = mhd.get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  printf("Serving http://127.0.0.1:%u/ (Ctrl-C stops)\n", info ? info->port : (unsigned)port);
  fflush(stdout);

  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
  char **changed = NULL;
  size_t nchanged = 0;
  while (!stopping) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 500) <= 0) continue;
    bool any = false, everything = false;
    /* Collect the burst of events an editor's save makes, then build once. */
    for (int quiet_rounds = 0; quiet_rounds < 1;) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) {
        quiet_rounds++;
        if (poll(&p, 1, DEBOUNCE_MS) > 0) quiet_rounds = 0;
        continue;
      }
      for (char *e = buf; e < buf + n;) {
        const struct inotify_event *ev = (const struct inotify_event *)e;
        e += sizeof *ev + ev->len;
        if (ev->mask & IN_Q_OVERFLOW) everything = any = true; /* events were lost */
        if (!relevant(ev)) continue;
        /* In the root only site.yaml and the watched folders (replaced or moved away: all is
         * built and watched again); the build's own staging and output folders appear there. */
        if (ev->wd >= 0 && (size_t)ev->wd < watched.n && watched.dirs[ev->wd] && !*watched.dirs[ev->wd] &&
            strcmp(ev->name, "site.yaml") && strcmp(ev->name, "content") && strcmp(ev->name, "templates") &&
            strcmp(ev->name, "themes"))
          continue;
        any = true;
        bool known = ev->wd >= 0 && (size_t)ev->wd < watched.n && watched.dirs[ev->wd] && ev->len;
        const char *dir = known ? watched.dirs[ev->wd] : NULL;
        if (known && (ev->mask & IN_ISDIR) && !strcmp(dir, "content") && !everything) {
          /* A document folder made, moved in, removed or moved away: "content/<slug>/" and
           * the files it has are the burst's changes (session.c applies them as an update). */
          char *rel = wp_printf("content/%s", ev->name);
          if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) watch_forget(fd, &watched, rel);
          else if (!watch_document(fd, &watched, opt->root, rel, &changed, &nchanged, &everything)) everything = true;
          add_changed(&changed, &nchanged, wp_printf("%s/", rel), &everything);
          free(rel);
          continue;
        }
        /* Any other folder made, moved or removed: folders to watch again. */
        if ((ev->mask & IN_ISDIR) || !known) {
          everything = true;
          continue;
        }
        if (everything) continue;
        add_changed(&changed, &nchanged, *dir ? wp_printf("%s/%s", dir, ev->name) : wp_xstrdup(ev->name), &everything);
      }
    }
    if (!any) continue;
    if (everything) { /* re-watch: new folders may have appeared */
      close(fd);
      watch_map_clear(&watched);
      fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
      watch_all(fd, &watched, opt->root);
    }
    rebuild(&s, session, everything ? NULL : changed, nchanged);
    for (size_t i = 0; i < nchanged; i++) free(changed[i]);
    free(changed);
    changed = NULL, nchanged = 0;
  }
  close(fd);
  watch_map_clear(&watched);
  mhd.stop_daemon(d);
  wp_session_free(session);
  free(s.error);
  free(out);
  return 0;
}
