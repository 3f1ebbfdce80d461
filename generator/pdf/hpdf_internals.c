/* pdf/hpdf_internals — see hpdf_internals.h. Every use of an internal header or struct field
 * is marked INTERNAL with the reason. */
#include "pdf/hpdf_internals.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* INTERNAL: libharu installs these headers but documents none of them. */
#include <hpdf_doc.h>     /* HPDF_Doc_Rec: fontdef_list, ttfont_tag, mmgr */
#include <hpdf_font.h>    /* HPDF_FontAttr_Rec: fontdef, descendant_font, map/cmap streams */
#include <hpdf_fontdef.h> /* HPDF_TTFontDefAttr_Rec: glyph_tbl.flgs, num_glyphs, upem */
#include <hpdf_objects.h> /* dictionaries and arrays of the font objects */
#include <hpdf_pages.h>   /* HPDF_PageAttr_Rec: the page's content stream */
#include <hpdf_streams.h> /* memory streams */

#define SETERR(...) (err && errlen ? (void)snprintf(err, errlen, __VA_ARGS__) : (void)0)

/* Struct probes shared by the check and each use: cheap, and they catch a libharu whose
 * layouts moved (a field read at the wrong offset would not hold these values). */
static bool font_ok(HPDF_Font font, unsigned num_glyphs, unsigned upem, char *err,
                    size_t errlen) {
  /* INTERNAL: a Type0 font is an HPDF_Dict whose attr is an HPDF_FontAttr. */
  if (!font || !(font->header.obj_class & HPDF_OSUBCLASS_FONT)) {
    SETERR("libharu font object has an unexpected header");
    return false;
  }
  HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
  if (fa->type != HPDF_FONT_TYPE0_TT || !fa->fontdef ||
      fa->fontdef->sig_bytes != HPDF_FONTDEF_SIG_BYTES ||
      fa->fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE || !fa->descendant_font ||
      !fa->cmap_stream) {
    SETERR("libharu HPDF_FontAttr layout differs from 2.3.0");
    return false;
  }
  HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)fa->fontdef->attr;
  if (!ta || !ta->embedding || !ta->glyph_tbl.flgs || ta->glyph_tbl.flgs[0] != 1 ||
      (num_glyphs && ta->num_glyphs != num_glyphs) ||
      (upem && ta->header.units_per_em != upem)) {
    SETERR("libharu HPDF_TTFontDefAttr layout differs from 2.3.0 (glyphs %u, upem %u)",
           (unsigned)ta->num_glyphs, (unsigned)ta->header.units_per_em);
    return false;
  }
  if (!fa->cmap_stream->stream || fa->cmap_stream->stream->sig_bytes != HPDF_STREAM_SIG_BYTES ||
      fa->cmap_stream->stream->type != HPDF_STREAM_MEMORY) {
    SETERR("libharu ToUnicode stream is not a memory stream");
    return false;
  }
  return true;
}

static bool page_ok(HPDF_Page page) {
  /* INTERNAL: the page attr's gmode must agree with the public getter, and its content
   * stream must be a libharu stream. */
  HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;
  return pa && pa->stream && pa->stream->sig_bytes == HPDF_STREAM_SIG_BYTES &&
         pa->gmode == HPDF_Page_GetGMode(page);
}

HPDF_Font wp_hpdf_load_gid_font(HPDF_Doc pdf, const void *data, size_t len, unsigned num_glyphs,
                                unsigned upem, char *err, size_t errlen) {
  /* INTERNAL: pdf->sig_bytes says the doc struct is where we expect it. */
  if (!HPDF_HasDoc(pdf) || pdf->sig_bytes != HPDF_SIG_BYTES) {
    SETERR("libharu HPDF_Doc layout differs from 2.3.0");
    return NULL;
  }
  /* INTERNAL: the public API loads fonts only from files; the subset lives in memory. */
  HPDF_Stream ms = HPDF_MemStream_New(pdf->mmgr, 4096);
  if (!ms || HPDF_Stream_Write(ms, data, (HPDF_UINT)len) != HPDF_OK) {
    if (ms) HPDF_Stream_Free(ms);
    SETERR("libharu: cannot buffer font data");
    return NULL;
  }
  /* INTERNAL: what HPDF_LoadTTFontFromFile does after opening the file: parse (the fontdef
   * takes ownership of the stream), register in the doc, give it a subset tag. */
  HPDF_FontDef def = HPDF_TTFontDef_Load(pdf->mmgr, ms, HPDF_TRUE);
  if (!def) {
    SETERR("libharu rejected the subset font (error 0x%04lX)",
           (unsigned long)HPDF_GetError(pdf));
    return NULL;
  }
  if (HPDF_Doc_FindFontDef(pdf, def->base_font)) {
    SETERR("two fonts named %s in one document", def->base_font);
    HPDF_FontDef_Free(def);
    return NULL;
  }
  if (HPDF_List_Add(pdf->fontdef_list, def) != HPDF_OK) {
    HPDF_FontDef_Free(def);
    SETERR("libharu: cannot register font");
    return NULL;
  }
  /* INTERNAL: same tag sequence as libharu (HPDFAA, HPDFAB, ...): reproducible names. */
  if (pdf->ttfont_tag[0] == 0) {
    memcpy(pdf->ttfont_tag, "HPDFAA", 6);
  } else {
    for (int i = 5; i >= 0; i--) {
      if (++pdf->ttfont_tag[i] <= 'Z') break;
      pdf->ttfont_tag[i] = 'A';
    }
  }
  char tag[7];
  memcpy(tag, pdf->ttfont_tag, 6);
  tag[6] = 0;
  HPDF_TTFontDef_SetTagName(def, tag);

  HPDF_Font font = HPDF_GetFont(pdf, def->base_font, "UTF-8");
  if (!font || !font_ok(font, num_glyphs, upem, err, errlen)) {
    if (!font) SETERR("libharu: HPDF_GetFont failed (0x%04lX)", (unsigned long)HPDF_GetError(pdf));
    return NULL;
  }
  /* INTERNAL: switch the descendant CIDFont to Identity so content codes are glyph IDs.
   * libharu already wrote its Unicode->GID map into map_stream; it stays in the xref (it
   * cannot be unlinked) but is emptied so it costs a few bytes instead of 128 KiB. */
  HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
  HPDF_Dict desc = fa->descendant_font;
  HPDF_STATUS st = HPDF_Dict_AddName(desc, "CIDToGIDMap", "Identity");
  if (fa->map_stream && fa->map_stream->stream) HPDF_MemStream_FreeData(fa->map_stream->stream);
  HPDF_Dict info = HPDF_Dict_GetItem(desc, "CIDSystemInfo", HPDF_OCLASS_DICT);
  if (!info) {
    SETERR("libharu CIDFont has no CIDSystemInfo");
    return NULL;
  }
  /* Codes are not CIDs of any character collection: the ordering is Identity. */
  st += HPDF_Dict_Add(info, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL));
  st += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(pdf->mmgr, "Identity", NULL));
  st += HPDF_Dict_AddNumber(info, "Supplement", 0);
  if (st != HPDF_OK) {
    SETERR("libharu: cannot switch font to GID mode");
    return NULL;
  }
  return font;
}

HPDF_STATUS wp_hpdf_page_write(HPDF_Page page, const char *ops) {
  if (!page_ok(page)) return HPDF_INVALID_PAGE;
  /* INTERNAL: the public API can only write text through an encoder (Unicode -> CID);
   * GID-mode TJ arrays must go into the content stream directly. */
  return HPDF_Stream_WriteStr(((HPDF_PageAttr)page->attr)->stream, ops);
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

bool wp_hpdf_finish_font(HPDF_Font font, const uint16_t *gids, const int *widths, size_t n,
                         const char *cmap, char *err, size_t errlen) {
  if (!font_ok(font, 0, 0, err, errlen)) return false;
  HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
  HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)fa->fontdef->attr;
  /* INTERNAL: glyph_tbl.flgs selects the glyphs libharu copies into the embedded font.
   * Nothing sets them in GID mode, and libharu's own composite walk is one level deep. */
  for (size_t i = 0; i < n; i++) {
    if (gids[i] >= ta->num_glyphs) {
      SETERR("glyph %u outside font (%u glyphs)", gids[i], (unsigned)ta->num_glyphs);
      return false;
    }
    ta->glyph_tbl.flgs[gids[i]] = 1;
  }
  /* INTERNAL: /W as libharu wrote it lists every Unicode code point's glyph; in GID mode
   * codes are glyph IDs, so it is rebuilt as "gid [w]" runs for used glyphs only. */
  HPDF_Array w = HPDF_Dict_GetItem(fa->descendant_font, "W", HPDF_OCLASS_ARRAY);
  if (!w) {
    w = HPDF_Array_New(font->mmgr);
    if (!w || HPDF_Dict_Add(fa->descendant_font, "W", w) != HPDF_OK) {
      SETERR("libharu: cannot create /W");
      return false;
    }
  }
  HPDF_Array_Clear(w);
  /* The most common width becomes /DW and is left out of /W (all ideographs of a CJK font:
   * ~2 KB per font and document). */
  int *sorted = malloc((n + 1) * sizeof *sorted), dw = n ? widths[0] : 0;
  if (!sorted) {
    SETERR("out of memory");
    return false;
  }
  memcpy(sorted, widths, n * sizeof *sorted);
  qsort(sorted, n, sizeof *sorted, cmp_int);
  for (size_t i = 0, best = 0; i < n;) {
    size_t k = i;
    while (k < n && sorted[k] == sorted[i]) k++;
    if (k - i > best) best = k - i, dw = sorted[i];
    i = k;
  }
  free(sorted);
  HPDF_STATUS st = HPDF_Dict_AddNumber(fa->descendant_font, "DW", dw);
  for (size_t i = 0; i < n;) {
    if (widths[i] == dw) {
      i++;
      continue;
    }
    size_t j = i + 1;
    while (j < n && gids[j] == gids[j - 1] + 1 && widths[j] != dw) j++;
    HPDF_Array run = HPDF_Array_New(font->mmgr);
    st += HPDF_Array_AddNumber(w, gids[i]);
    st += HPDF_Array_Add(w, run);
    for (size_t k = i; k < j; k++) st += HPDF_Array_AddNumber(run, widths[k]);
    i = j;
  }
  /* INTERNAL: libharu's ToUnicode is a CID CMap (begincidrange), invalid as ToUnicode and
   * keyed by Unicode, not glyph ID: its content is replaced. */
  HPDF_Stream s = fa->cmap_stream->stream;
  HPDF_MemStream_FreeData(s);
  /* Its dictionary described that CID CMap (/CMapName /UTF-8 ...): a ToUnicode stream
   * needs none of these keys, and they contradict the new content. */
  static const char *const stale[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
  for (size_t i = 0; i < sizeof stale / sizeof *stale; i++)
    HPDF_Dict_RemoveElement(fa->cmap_stream, stale[i]); /* NOT_FOUND is fine, sets no error */
  st += HPDF_Stream_WriteStr(s, cmap);
  if (st != HPDF_OK) {
    SETERR("libharu: cannot write /W or ToUnicode");
    return false;
  }
  return true;
}

bool wp_hpdf_set_lang(HPDF_Doc pdf, const char *lang) {
  /* INTERNAL: libharu 2.3.0 has no setter for the catalog's /Lang; pdf->catalog is the
   * catalog dictionary. */
  if (!HPDF_HasDoc(pdf) || pdf->sig_bytes != HPDF_SIG_BYTES || !pdf->catalog) return false;
  HPDF_String s = HPDF_String_New(pdf->mmgr, lang, NULL);
  return s && HPDF_Dict_Add(pdf->catalog, "Lang", s) == HPDF_OK;
}

/* ---- the guard ---- */

static bool probe(char *err, size_t errlen) {
  /* A scratch document with a real TrueType font exercises every struct we touch. */
  static const char *const candidates[] = {
      "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
      "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"};
  HPDF_Doc pdf = HPDF_New(NULL, NULL);
  if (!pdf) {
    SETERR("libharu: HPDF_New failed");
    return false;
  }
  bool ok = false;
  HPDF_UseUTFEncodings(pdf);
  const char *name = NULL;
  for (size_t i = 0; i < sizeof candidates / sizeof *candidates && !name; i++) {
    FILE *f = fopen(candidates[i], "rb");
    if (!f) continue;
    fclose(f);
    name = HPDF_LoadTTFontFromFile(pdf, candidates[i], HPDF_TRUE);
  }
  if (!name) {
    SETERR("libharu probe: no TrueType font to probe with");
    goto out;
  }
  HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
  if (!font_ok(font, 0, 0, err, errlen)) goto out;
  HPDF_Page page = HPDF_AddPage(pdf);
  if (!page || !page_ok(page)) {
    SETERR("libharu HPDF_PageAttr layout differs from 2.3.0");
    goto out;
  }
  HPDF_Page_BeginText(page);
  if (!page_ok(page) || ((HPDF_PageAttr)page->attr)->gmode != HPDF_GMODE_TEXT_OBJECT) {
    SETERR("libharu HPDF_PageAttr layout differs from 2.3.0 (gmode)");
    goto out;
  }
  ok = true;
out:
  HPDF_Free(pdf);
  return ok;
}

static bool g_ok;
static char g_err[256];
static void check_once(void) {
  g_ok = wp_hpdf_check(HPDF_GetVersion(), g_err, sizeof g_err);
}

bool wp_hpdf_check(const char *version, char *err, size_t errlen) {
  if (!version) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, check_once);
    if (!g_ok && err && errlen) {
      size_t n = strlen(g_err) < errlen - 1 ? strlen(g_err) : errlen - 1;
      memcpy(err, g_err, n);
      err[n] = 0;
    }
    return g_ok;
  }
  /* Both the headers we compiled against and the library we run with must be 2.3.0: 2.4
   * fixed bug 1 and reshuffled internals, so these patches would corrupt its objects. */
  if (strcmp(version, WP_HPDF_EXPECTED_VERSION) != 0 ||
      strcmp(HPDF_VERSION_TEXT, WP_HPDF_EXPECTED_VERSION) != 0) {
    SETERR("libharu %s found (headers %s); wufpress's PDF text writer uses libharu %s "
           "internals and refuses to run with another version",
           version, HPDF_VERSION_TEXT, WP_HPDF_EXPECTED_VERSION);
    return false;
  }
  return probe(err, errlen);
}
