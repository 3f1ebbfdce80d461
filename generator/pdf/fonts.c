/* pdf/fonts — see fonts.h. */
#include "pdf/fonts.h"

#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "pool.h"
#include "util.h"

struct wp_font {
  char *file, *family;
  unsigned index, upem;
  hb_blob_t *blob;
  hb_face_t *face;
  hb_font_t *hb;
  /* ToUnicode record: gid -> slot in spans; spans index into text. */
  hb_map_t *gid_text;
  struct { uint32_t off, n; } *spans;
  size_t nspans, capspans;
  uint32_t *text;
  size_t ntext, captext;
  /* wp_font_covers asks for every character of every paragraph, mostly the same few dozen:
   * recent answers, direct-mapped by code point (entry: code point + 1, 0 empty). */
  uint32_t cover_cp[512];
  bool cover[512];
};

struct wp_fonts {
  wp_font **fonts;
  int n, cap;
};

/* Every fontconfig call of ours holds this lock: its default configuration is started lazily
 * and keeps lazily made state, which threads racing to it would see half made. The calls are
 * few (answers are kept, see find). */
static pthread_mutex_t fc_lock = PTHREAD_MUTEX_INITIALIZER;

/* fontconfig's full start (FcInit) parses its ~90 rule files in /etc/fonts/conf.d: 3.3 ms, the
 * longest wait of a one-PDF build. Our lookups ask for exact family names and need none of
 * those rules, so they go first to a lean configuration: fontconfig's standard font folders
 * and caches (the <dir> and <cachedir> lines of Debian's fonts.conf) and no rules, ready in
 * 0.4 ms. A family the lean one lacks (a font in a folder only a configuration file adds) is
 * looked up in the full configuration, which is also the only one used when FONTCONFIG_FILE or
 * FONTCONFIG_PATH names a configuration of the user's. Both are made on first use, under
 * fc_lock, and kept for the process.
 * fontconfig reads a folder's newest valid cache from all cache folders and writes a missing
 * or stale one into the first writable: ours comes first, so a cache made without the rules'
 * <match target="scan"> edits never lands where other programs read theirs. */
static const char lean_xml[] =
    "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\"><fontconfig>"
    "<dir>/usr/share/fonts</dir><dir>/usr/local/share/fonts</dir><dir prefix=\"xdg\">fonts</dir>"
    "<dir>~/.fonts</dir><cachedir prefix=\"xdg\">wufpress/fontconfig</cachedir>"
    "<cachedir>/var/cache/fontconfig</cachedir><cachedir prefix=\"xdg\">fontconfig</cachedir>"
    "<cachedir>~/.fontconfig</cachedir></fontconfig>";
static FcConfig *lean, *full;
static bool lean_tried, full_tried;

static FcConfig *lean_config(void) {
  if (lean_tried) return lean;
  lean_tried = true;
  if (getenv("FONTCONFIG_FILE") || getenv("FONTCONFIG_PATH")) return NULL;
  lean = FcConfigCreate();
  if (lean && (!FcConfigParseAndLoadFromMemory(lean, (const FcChar8 *)lean_xml, FcFalse) || !FcConfigBuildFonts(lean))) {
    FcConfigDestroy(lean);
    lean = NULL;
  }
  return lean;
}

static FcConfig *full_config(void) {
  if (!full_tried) full_tried = true, full = FcInitLoadConfigAndFonts();
  return full;
}

/* A build that makes PDFs starts the lean configuration on another thread at once. */
static wp_task init_task;

static void *init_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&fc_lock);
  if (!lean_config()) full_config();
  pthread_mutex_unlock(&fc_lock);
  return NULL;
}

void wp_fonts_prefetch(void) { wp_task_start(&init_task, init_main, NULL); }
void wp_fonts_prefetch_join(void) { wp_task_join(&init_task); }

wp_fonts *wp_fonts_create(void) {
  return wp_xcalloc(1, sizeof(wp_fonts));
}

static void font_free(wp_font *f) {
  hb_font_destroy(f->hb);
  hb_face_destroy(f->face);
  hb_blob_destroy(f->blob);
  hb_map_destroy(f->gid_text);
  free(f->spans);
  free(f->text);
  free(f->file);
  free(f->family);
  free(f);
}

void wp_fonts_destroy(wp_fonts *fs) {
  if (!fs) return;
  for (int i = 0; i < fs->n; i++) font_free(fs->fonts[i]);
  free(fs->fonts);
  free(fs);
}

/* fontconfig always returns its best match; accept it only if one of its family names is the
 * one asked for, so a missing font is reported instead of quietly replaced. */
static bool family_matches(FcPattern *p, const char *family) {
  FcChar8 *name;
  for (int i = 0; FcPatternGetString(p, FC_FAMILY, i, &name) == FcResultMatch; i++)
    if (strcasecmp((const char *)name, family) == 0) return true;
  return false;
}

static wp_font *font_open(const char *file, unsigned index, const char *family) {
  hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
  if (!blob) return NULL;
  hb_face_t *face = hb_face_create(blob, index);
  if (hb_face_get_glyph_count(face) == 0) {
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return NULL;
  }
  wp_font *f = wp_xcalloc(1, sizeof *f);
  f->file = wp_xstrdup(file);
  f->family = wp_xstrdup(family);
  f->index = index;
  f->blob = blob;
  f->face = face;
  f->upem = hb_face_get_upem(face);
  f->hb = hb_font_create(face);
  /* Scale = upem: all positions are exact design units, independent of the point size. */
  hb_font_set_scale(f->hb, (int)f->upem, (int)f->upem);
  f->gid_text = hb_map_create();
  return f;
}

/* What fontconfig answered for a family and style: the face file and index, or not found.
 * Kept for the process: fontconfig loads its configuration and font list once per process
 * anyway, and one match costs about two million instructions (substitution rules, scoring
 * every installed font), which a PDF process asks some thirty times. */
typedef struct {
  char *family, *file; /* file NULL: no installed font has the family */
  int style, index;
} lookup;
static lookup *lookups;
static size_t nlookups;
static pthread_mutex_t lookups_lock = PTHREAD_MUTEX_INITIALIZER;

static lookup match_in(FcConfig *config, const char *family, wp_font_style style) {
  lookup r = {NULL, NULL, (int)style, 0};
  if (!config) return r;
  FcPattern *pat = FcPatternCreate();
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
  FcPatternAddInteger(pat, FC_WEIGHT, (style & WP_BOLD) ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcPatternAddInteger(pat, FC_SLANT, (style & WP_ITALIC) ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
  FcConfigSubstitute(config, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult res;
  FcPattern *m = FcFontMatch(config, pat, &res);
  FcPatternDestroy(pat);
  FcChar8 *file;
  if (m && family_matches(m, family) && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch) {
    r.file = wp_xstrdup((const char *)file);
    FcPatternGetInteger(m, FC_INDEX, 0, &r.index);
  }
  if (m) FcPatternDestroy(m);
  return r;
}

static lookup match(const char *family, wp_font_style style) {
  pthread_mutex_lock(&fc_lock);
  lookup r = match_in(lean_config(), family, style);
  if (!r.file) r = match_in(full_config(), family, style);
  pthread_mutex_unlock(&fc_lock);
  return r;
}

/* The cached answer (looked up on first use); its strings live for the process. */
static lookup find(const char *family, wp_font_style style) {
  pthread_mutex_lock(&lookups_lock);
  for (size_t i = 0; i < nlookups; i++)
    if (lookups[i].style == (int)style && !strcmp(lookups[i].family, family)) {
      lookup r = lookups[i];
      pthread_mutex_unlock(&lookups_lock);
      return r;
    }
  pthread_mutex_unlock(&lookups_lock);
  lookup r = match(family, style); /* (two threads may both match: the answers are equal) */
  r.family = wp_xstrdup(family);
  pthread_mutex_lock(&lookups_lock);
  lookups = wp_xrealloc(lookups, (nlookups + 1) * sizeof *lookups);
  lookups[nlookups++] = r;
  pthread_mutex_unlock(&lookups_lock);
  return r;
}

wp_font *wp_fonts_get(wp_fonts *fs, const char *family, wp_font_style style) {
  lookup l = find(family, style);
  if (!l.file) return NULL;
  /* One wp_font per face file: a style the family lacks maps to the same face. */
  for (int i = 0; i < fs->n; i++)
    if (strcmp(fs->fonts[i]->file, l.file) == 0 && fs->fonts[i]->index == (unsigned)l.index) return fs->fonts[i];
  wp_font *out = font_open(l.file, (unsigned)l.index, family);
  if (out) {
    if (fs->n == fs->cap) {
      fs->cap = fs->cap ? fs->cap * 2 : 8;
      fs->fonts = wp_xrealloc(fs->fonts, (size_t)fs->cap * sizeof *fs->fonts);
    }
    fs->fonts[fs->n++] = out;
  }
  return out;
}

int wp_fonts_stack(wp_fonts *fs, const char *const *families, int n, wp_font_style style,
                   wp_font_stack *out) {
  out->n = 0;
  for (int i = 0; i < n && out->n < WP_STACK_MAX; i++) {
    wp_font *f = wp_fonts_get(fs, families[i], style);
    if (f) out->font[out->n++] = f;
  }
  return out->n;
}

static unsigned long long hash_file(unsigned long long h, const char *path) {
  struct stat st;
  long long id[4] = {-1, -1, -1, -1};
  if (stat(path, &st) == 0)
    id[0] = (long long)st.st_size, id[1] = (long long)st.st_mtim.tv_sec, id[2] = (long long)st.st_mtim.tv_nsec,
    id[3] = (long long)st.st_ino;
  h = wp_hash(h, path, strlen(path) + 1);
  return wp_hash(h, id, sizeof id);
}

/* h continued with every installed face of the family in config (NULL: none); returns
 * whether there was one. */
static bool hash_faces(unsigned long long *h, FcConfig *config, const char *family) {
  bool any = false;
  const FcSetName sets[] = {FcSetSystem, FcSetApplication};
  for (int k = 0; config && k < 2; k++) {
    FcFontSet *fs = FcConfigGetFonts(config, sets[k]);
    for (int i = 0; fs && i < fs->nfont; i++) {
      FcChar8 *file;
      int index = 0;
      if (!family_matches(fs->fonts[i], family) || FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
        continue;
      FcPatternGetInteger(fs->fonts[i], FC_INDEX, 0, &index);
      *h = hash_file(*h, (const char *)file);
      *h = wp_hash(*h, &index, sizeof index);
      any = true;
    }
  }
  return any;
}

unsigned long long wp_fonts_families_hash(unsigned long long h, const char *const *families, int n) {
  pthread_mutex_lock(&fc_lock);
  bool used_full = false; /* each family from the configuration match() takes it from */
  for (int f = 0; f < n; f++)
    if (!hash_faces(&h, lean_config(), families[f])) {
      hash_faces(&h, full_config(), families[f]);
      used_full = true;
    }
  FcStrList *conf = used_full && full ? FcConfigGetConfigFiles(full) : NULL;
  for (FcChar8 *path; conf && (path = FcStrListNext(conf));) h = hash_file(h, (const char *)path);
  if (conf) FcStrListDone(conf);
  pthread_mutex_unlock(&fc_lock);
  return h;
}

const char *const *wp_fonts_default_families(const char *lang, int *n) {
  static const char *const ar[] = {"Amiri", "Liberation Serif"};
  static const char *const zh[] = {"AR PL UMing CN", "WenQuanYi Zen Hei", "Liberation Serif"};
  static const char *const latin[] = {"Liberation Serif"};
  if (lang && strncmp(lang, "ar", 2) == 0) { *n = 2; return ar; }
  if (lang && strncmp(lang, "zh", 2) == 0) { *n = 3; return zh; }
  *n = 1;
  return latin;
}

hb_font_t *wp_font_hb(const wp_font *f) { return f->hb; }
hb_face_t *wp_font_face(const wp_font *f) { return f->face; }
unsigned wp_font_upem(const wp_font *f) { return f->upem; }
const char *wp_font_file(const wp_font *f) { return f->file; }

bool wp_font_covers(const wp_font *f, uint32_t cp) {
  wp_font *m = (wp_font *)f; /* the cache is not part of the font's value */
  unsigned slot = cp & 511;
  if (m->cover_cp[slot] != cp + 1) {
    hb_codepoint_t g;
    m->cover[slot] = hb_font_get_nominal_glyph(f->hb, cp, &g);
    m->cover_cp[slot] = cp + 1;
  }
  return m->cover[slot];
}

void wp_font_extents(const wp_font *f, int *ascender, int *descender) {
  hb_font_extents_t e;
  hb_font_get_h_extents(f->hb, &e);
  *ascender = e.ascender;
  *descender = e.descender;
}

void wp_font_note_glyph(wp_font *f, unsigned gid, const uint32_t *cp, unsigned n) {
  if (hb_map_has(f->gid_text, gid)) return;
  if (f->nspans == f->capspans) {
    f->capspans = f->capspans ? f->capspans * 2 : 256;
    f->spans = wp_xrealloc(f->spans, f->capspans * sizeof *f->spans);
  }
  if (f->ntext + n > f->captext) {
    while (f->ntext + n > f->captext) f->captext = f->captext ? f->captext * 2 : 1024;
    f->text = wp_xrealloc(f->text, f->captext * sizeof *f->text);
  }
  memcpy(f->text + f->ntext, cp, n * sizeof *cp);
  f->spans[f->nspans].off = (uint32_t)f->ntext;
  f->spans[f->nspans].n = n;
  f->ntext += n;
  hb_map_set(f->gid_text, gid, (hb_codepoint_t)f->nspans++);
}

const uint32_t *wp_font_glyph_text(const wp_font *f, unsigned gid, unsigned *n) {
  hb_codepoint_t slot = hb_map_get(f->gid_text, gid);
  if (slot == HB_MAP_VALUE_INVALID) {
    *n = 0;
    return NULL;
  }
  *n = f->spans[slot].n;
  return f->text + f->spans[slot].off;
}

