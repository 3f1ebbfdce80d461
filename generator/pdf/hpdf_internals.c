/* pdf/hpdf_internals — see hpdf_internals.h. Every use of an internal header or struct field
 * is marked INTERNAL with the reason. */
#include "pdf/hpdf_internals.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* INTERNAL: libharu installs these headers but documents none of them. */
#include <hpdf_doc.h>     /* HPDF_Doc_Rec: mmgr, xref, catalog, cur_encoder */
#include <hpdf_font.h>    /* HPDF_FontAttr_Rec: what the page code reads of a font */
#include <hpdf_mmgr.h>    /* HPDF_GetMem / HPDF_FreeMem */
#include <hpdf_objects.h> /* dictionaries, arrays, streams, the xref, write and free hooks */
#include <hpdf_pages.h>   /* HPDF_PageAttr_Rec: the page's content stream */
#include <hpdf_streams.h> /* stream writes */

#define SETERR(...) (err && errlen ? (void)snprintf(err, errlen, __VA_ARGS__) : (void)0)

/* Layout probes shared by the check and each use: cheap, and they catch a libharu whose
 * structs moved (a field read at the wrong offset would not hold these values). */
static bool doc_ok(HPDF_Doc pdf) {
  /* INTERNAL: HPDF_New makes the memory manager report into the doc's own error record. */
  return HPDF_HasDoc(pdf) && pdf->sig_bytes == HPDF_SIG_BYTES && pdf->mmgr &&
         pdf->mmgr->error == &pdf->error && pdf->xref && pdf->catalog;
}

static bool page_ok(HPDF_Page page) {
  /* INTERNAL: the page attr's gmode must agree with the public getter, and its content
   * stream must be a libharu stream. */
  HPDF_PageAttr pa = (HPDF_PageAttr)page->attr;
  return pa && pa->stream && pa->stream->sig_bytes == HPDF_STREAM_SIG_BYTES &&
         pa->gmode == HPDF_Page_GetGMode(page);
}

/* ---- fonts ---- */

/* INTERNAL: hooks of a dictionary. attr holds text the dictionary writes itself, raw, before
 * its closing >> (the /W array with our number format, a stream's /Filter). */
static HPDF_STATUS write_raw(HPDF_Dict d, HPDF_Stream s) { return HPDF_Stream_WriteStr(s, (const char *)d->attr); }

static void free_attr(HPDF_Dict d) {
  if (d->attr) HPDF_FreeMem(d->mmgr, d->attr);
  d->attr = NULL;
}

static bool set_raw(HPDF_Dict d, const char *text) {
  size_t n = strlen(text);
  char *copy = HPDF_GetMem(d->mmgr, (HPDF_UINT)n + 1);
  if (!copy) return false;
  memcpy(copy, text, n + 1);
  d->attr = copy;
  d->write_fn = write_raw;
  d->free_fn = free_attr;
  return true;
}

static HPDF_Dict stream_of(HPDF_Doc pdf, const void *data, size_t len) {
  /* INTERNAL: a stream object in the doc's xref; libharu deflates it when writing. */
  HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!s || HPDF_Stream_Write(s->stream, (const HPDF_BYTE *)data, (HPDF_UINT)len) != HPDF_OK) return NULL;
  s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  return s;
}

static HPDF_Dict new_dict(HPDF_Doc pdf) {
  /* INTERNAL: a dictionary registered in the doc's xref (pdf->mmgr, pdf->xref), so it is
   * written as an indirect object; HPDF_Dict_* below are libharu's object API (hpdf_objects.h). */
  HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
  return d && HPDF_Xref_Add(pdf->xref, d) == HPDF_OK ? d : NULL;
}

HPDF_Font wp_hpdf_add_font(HPDF_Doc pdf, const wp_hpdf_font *f, char *err, size_t errlen) {
  if (!doc_ok(pdf)) {
    SETERR("libharu HPDF_Doc layout differs from 2.3.0");
    return NULL;
  }
  const wp_sfnt_metrics *m = f->metrics;
  HPDF_MMgr mm = pdf->mmgr;
  HPDF_STATUS st = HPDF_OK;

  HPDF_Dict file = stream_of(pdf, f->program, f->program_len);
  if (!file) goto fail;
  st += HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)f->program_len);

  /* INTERNAL (to the end of the function): the font's objects are built with libharu's
   * object API (HPDF_Dict_Add*, HPDF_Box_Array_New, HPDF_String_New), not public in 2.3.0. */
  HPDF_Dict desc = new_dict(pdf);
  if (!desc) goto fail;
  HPDF_Box box = {(HPDF_REAL)m->bbox[0], (HPDF_REAL)m->bbox[1], (HPDF_REAL)m->bbox[2], (HPDF_REAL)m->bbox[3]};
  st += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
  st += HPDF_Dict_AddName(desc, "FontName", f->name);
  st += HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)m->flags);
  st += HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(mm, box));
  if (m->italic_angle == (int)m->italic_angle) st += HPDF_Dict_AddNumber(desc, "ItalicAngle", (int)m->italic_angle);
  else st += HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)m->italic_angle);
  st += HPDF_Dict_AddNumber(desc, "Ascent", m->ascent);
  st += HPDF_Dict_AddNumber(desc, "Descent", m->descent);
  st += HPDF_Dict_AddNumber(desc, "CapHeight", m->cap_height);
  st += HPDF_Dict_AddNumber(desc, "XHeight", m->x_height);
  st += HPDF_Dict_AddNumber(desc, "StemV", 0); /* required; unknown for TrueType */
  st += HPDF_Dict_Add(desc, "FontFile2", file);

  HPDF_Dict cid = new_dict(pdf);
  HPDF_Dict info = cid ? HPDF_Dict_New(mm) : NULL; /* not in the xref: freed here if unused */
  if (!info) goto fail;
  st += HPDF_Dict_AddName(cid, "Type", "Font");
  st += HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
  st += HPDF_Dict_AddName(cid, "BaseFont", f->name);
  /* Codes are glyph IDs, not CIDs of a character collection: the ordering is Identity. */
  st += HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
  st += HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
  st += HPDF_Dict_AddNumber(info, "Supplement", 0);
  st += HPDF_Dict_Add(cid, "CIDSystemInfo", info);
  st += HPDF_Dict_Add(cid, "FontDescriptor", desc);
  st += HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
  /* libharu would write fractional widths as floats ("556.15002"): these go out as text. */
  char *w = malloc(strlen(f->dw) + strlen(f->w) + 16);
  if (!w) goto fail;
  sprintf(w, "/DW %s\n/W [%s]\n", f->dw, f->w);
  bool raw = set_raw(cid, w);
  free(w);
  if (!raw) goto fail;

  HPDF_Dict tu = stream_of(pdf, f->tounicode, strlen(f->tounicode));
  if (!tu) goto fail;

  /* INTERNAL: an HPDF_Font is a dictionary of the font subclass whose attr is an
   * HPDF_FontAttr; HPDF_Page_SetFontAndSize reads its writing mode. */
  HPDF_Dict font = new_dict(pdf);
  HPDF_Array kids = font ? HPDF_Array_New(mm) : NULL;
  HPDF_FontAttr fa = kids ? HPDF_GetMem(mm, sizeof *fa) : NULL;
  if (!fa) {
    if (kids) HPDF_Array_Free(kids); /* the only object here outside the xref */
    goto fail;
  }
  memset(fa, 0, sizeof *fa);
  fa->type = HPDF_FONT_TYPE0_TT;
  fa->writing_mode = HPDF_WMODE_HORIZONTAL;
  fa->xref = pdf->xref;
  fa->descendant_font = cid;
  fa->cmap_stream = tu;
  font->header.obj_class |= HPDF_OSUBCLASS_FONT;
  font->attr = fa;
  font->free_fn = free_attr;
  st += HPDF_Dict_AddName(font, "Type", "Font");
  st += HPDF_Dict_AddName(font, "Subtype", "Type0");
  st += HPDF_Dict_AddName(font, "BaseFont", f->name);
  st += HPDF_Dict_AddName(font, "Encoding", "Identity-H");
  st += HPDF_Array_Add(kids, cid);
  st += HPDF_Dict_Add(font, "DescendantFonts", kids);
  st += HPDF_Dict_Add(font, "ToUnicode", tu);
  if (st != HPDF_OK) goto fail;
  return font;
fail:
  SETERR("libharu: cannot build font %s (error 0x%04lX)", f->name, (unsigned long)HPDF_GetError(pdf));
  return NULL;
}

HPDF_STATUS wp_hpdf_page_write(HPDF_Page page, const char *ops, size_t len) {
  if (!page_ok(page)) return HPDF_INVALID_PAGE;
  /* INTERNAL: the public API can only write text through an encoder (Unicode -> CID);
   * GID-mode TJ arrays must go into the content stream directly. */
  return HPDF_Stream_Write(((HPDF_PageAttr)page->attr)->stream, (const HPDF_BYTE *)ops, (HPDF_UINT)len);
}

bool wp_hpdf_set_lang(HPDF_Doc pdf, const char *lang) {
  /* INTERNAL: libharu 2.3.0 has no setter for the catalog's /Lang; pdf->catalog is the
   * catalog dictionary. */
  if (!doc_ok(pdf)) return false;
  HPDF_String s = HPDF_String_New(pdf->mmgr, lang, NULL);
  return s && HPDF_Dict_Add(pdf->catalog, "Lang", s) == HPDF_OK;
}

/* ---- the guard ---- */

static bool probe(char *err, size_t errlen) {
  /* A scratch document with a font built here, a page that uses it and the bytes saved
   * exercises every struct and hook we touch. */
  HPDF_Doc pdf = HPDF_New(NULL, NULL);
  if (!pdf) {
    SETERR("libharu: HPDF_New failed");
    return false;
  }
  bool ok = false;
  HPDF_SetCompressionMode(pdf, HPDF_COMP_NONE);
  wp_sfnt_metrics m = {.ascent = 800, .descent = -200, .flags = 32};
  wp_hpdf_font f = {"WPAAAA+Probe", (const uint8_t *)"probe", 5, &m, "500", "1 [250.5]", "probe-cmap"};
  HPDF_Font font = wp_hpdf_add_font(pdf, &f, err, errlen);
  if (!font) goto out;
  HPDF_Page page = HPDF_AddPage(pdf);
  if (!page || !page_ok(page)) {
    SETERR("libharu HPDF_PageAttr layout differs from 2.3.0");
    goto out;
  }
  HPDF_Page_BeginText(page);
  /* INTERNAL: the page attr's gmode follows BeginText where 2.3.0 keeps it. */
  if (!page_ok(page) || ((HPDF_PageAttr)page->attr)->gmode != HPDF_GMODE_TEXT_OBJECT) {
    SETERR("libharu HPDF_PageAttr layout differs from 2.3.0 (gmode)");
    goto out;
  }
  if (HPDF_Page_SetFontAndSize(page, font, 10) != HPDF_OK || wp_hpdf_page_write(page, "[(\0\1)]TJ\n", 9) != HPDF_OK ||
      HPDF_Page_EndText(page) != HPDF_OK || HPDF_SaveToStream(pdf) != HPDF_OK) {
    SETERR("libharu refuses a font built from its internal structs (error 0x%04lX)", (unsigned long)HPDF_GetError(pdf));
    goto out;
  }
  HPDF_UINT32 size = HPDF_GetStreamSize(pdf), got = size;
  char *bytes = calloc(1, (size_t)size + 1);
  if (bytes) HPDF_ReadFromStream(pdf, (HPDF_BYTE *)bytes, &got);
  ok = bytes && got == size && memmem(bytes, size, "/W [1 [250.5]]", 14) &&
       memmem(bytes, size, "/F1 10 Tf\n[(\0\1)]TJ", 18) && memmem(bytes, size, "/DescendantFonts", 16);
  if (!ok) SETERR("libharu wrote a font built from its internal structs wrongly");
  free(bytes);
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
   * reshuffled internals, so these structs would be misread. */
  if (strcmp(version, WP_HPDF_EXPECTED_VERSION) != 0 ||
      strcmp(HPDF_VERSION_TEXT, WP_HPDF_EXPECTED_VERSION) != 0) {
    SETERR("libharu %s found (headers %s); wufpress's PDF text writer uses libharu %s "
           "internals and refuses to run with another version",
           version, HPDF_VERSION_TEXT, WP_HPDF_EXPECTED_VERSION);
    return false;
  }
  return probe(err, errlen);
}
