/* layout/design — the page design of a PDF, read from the table a Lua design
 * (a .lua file in templates/pdf/) returns: page size, margins, font families, block styles, and the
 * positioned text items its functions return per page (first-page masthead, running header,
 * footer). Lengths are points. Positions of items are measured from the page's START edge
 * (left on left-to-right pages, right on right-to-left ones) and from the page top; the
 * page composer mirrors them. Owns the C copies it makes; the Lua table stays on the stack of
 * the design's state while the document renders (its functions are called per page). */
#ifndef WP_LAYOUT_DESIGN_H
#define WP_LAYOUT_DESIGN_H

#include <lua.h>
#include <stdbool.h>

#include "pdf/text.h"
#include "util.h"

/* Block roles, each with a style in the design's `styles` table (names in wp_role_names). */
typedef enum {
  WP_ROLE_BODY, WP_ROLE_H1, WP_ROLE_H2, WP_ROLE_H3, WP_ROLE_H4, WP_ROLE_H5, WP_ROLE_H6,
  WP_ROLE_FOOTNOTE, WP_ROLE_LIST, WP_ROLE_QUOTE, WP_ROLE_CODE, WP_ROLE_TABLE,
  WP_ROLE_TABLE_HEADER, WP_ROLE_CAPTION, WP_ROLE_COUNT
} wp_role;
extern const char *const wp_role_names[WP_ROLE_COUNT];

/* Font families: which stack a style uses. */
typedef enum { WP_FACE_TEXT, WP_FACE_HEADING, WP_FACE_MONO, WP_FACE_COUNT } wp_face;

typedef struct {
  double size, leading;            /* leading: baseline to baseline */
  double space_before, space_after;
  double indent, indent_end;       /* text inset from the start / end of the text block */
  double label_gap;                /* least space between a hanging label and the text */
  bool bold, italic, justify, hyphenate;
  wp_align align;
  wp_face face;
} wp_dstyle;

/* A positioned item: text (wrapped to width), a rule (text NULL), vertical space, or a note
 * for the foot of the page (note != NULL, with its mark). */
typedef struct {
  char *text, *note, *mark, *lang; /* lang: NULL = the page's language */
  wp_dstyle style;
  double x, width;      /* from the start edge; width 0 = to the end margin */
  double y;             /* top of the item from the page top, when has_y */
  bool has_y;
  double gap;           /* otherwise: space below the previous item */
  double thickness;     /* rules */
} wp_ditem;

typedef struct {
  wp_ditem *items;
  int n;
} wp_ditems;

typedef struct {
  double width, height, top, bottom, inner, outer;
  char **families[WP_FACE_COUNT]; /* NULL-terminated family names */
  int nfamilies[WP_FACE_COUNT];
  wp_dstyle styles[WP_ROLE_COUNT];
  double note_rule_length, note_rule_width, note_gap; /* the line above the footnotes */
  double table_rule_width, table_cell_pad;
  char *info[4];        /* Author, Subject, Keywords, Creator (NULL = none) */
  lua_State *L;
  int table;            /* stack index of the design table */
} wp_design;

extern const char *const wp_design_info_keys[4];

/* Reads the design table at stack index `table` of L. False with err ("templates/pdf/x.lua:
 * message") when a value has the wrong type. */
bool wp_design_read(wp_design *d, lua_State *L, int table, const char *name, wp_err *err);
void wp_design_free(wp_design *d);

/* Per-page facts handed to the design's functions as their argument `p`. */
typedef struct {
  int number, count;    /* 1-based page number, page count */
  bool odd;
  double start, measure; /* the text block: offset from the start edge, width */
} wp_page_facts;

/* Calls the design function `fn` ("first_page", "header", "footer") with p and reads the
 * list of items it returns. A missing function gives no items. */
bool wp_design_items(wp_design *d, const char *fn, const wp_page_facts *p, const char *name,
                     wp_ditems *out, wp_err *err);
void wp_ditems_free(wp_ditems *items);

#endif
