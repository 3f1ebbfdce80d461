/* layout/paginate — see paginate.h. Greedy, one pass: a group of strips that keep together
 * goes to a new page when it (with the notes it calls) does not fit; a strip calling a note
 * needs room for at least the note's first line on its own page. */
#include "layout/paginate.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  int note, strip;
} queued;

typedef struct {
  const wp_flow *f;
  const wp_pagination *g;
  wp_layout *out;
  wp_laid_page *pg;
  double y, foot;   /* next body top; height of the foot area (rule included) */
  bool notes_here;  /* the foot area of this page has its rule */
  int body_count;   /* body strips on this page (gaps dropped) */
  queued *q;        /* note strips waiting for a foot, in order */
  int qhead, qn, qcap;
  bool *called;     /* notes already queued */
  int last_table;   /* table of the last body strip placed */
} pstate;

static void add(wp_place **list, int *n, wp_place p) {
  *list = wp_xrealloc(*list, (size_t)(*n + 1) * sizeof **list);
  (*list)[(*n)++] = p;
}

static double avail(const pstate *s) { return s->g->bottom - s->foot - s->y; }

static double note_h(const pstate *s, queued q) { return s->f->notes[q.note].s[q.strip].height; }

static double rule_need(const pstate *s) { return s->notes_here ? 0 : s->g->rule_space; }

/* Puts waiting note lines at the foot while they fit. */
static void fill_foot(pstate *s) {
  while (s->qhead < s->qn) {
    queued q = s->q[s->qhead];
    double h = note_h(s, q) + rule_need(s);
    if (h > avail(s)) break;
    s->foot += h;
    s->notes_here = true;
    add(&s->pg->foot, &s->pg->nfoot, (wp_place){q.strip, q.note, 0});
    s->qhead++;
  }
}

static void new_page(pstate *s) {
  wp_layout *o = s->out;
  o->pages = wp_xrealloc(o->pages, (size_t)(o->n + 1) * sizeof *o->pages);
  s->pg = &o->pages[o->n++];
  memset(s->pg, 0, sizeof *s->pg);
  bool first = o->n == 1;
  s->y = first ? s->g->top1 : s->g->top;
  s->foot = first ? s->g->reserve1 : 0;
  s->notes_here = first && s->g->reserve1 > 0;
  s->body_count = 0;
  fill_foot(s); /* notes continued from the previous page come first */
}

static double waiting(const pstate *s) {
  double h = 0;
  for (int i = s->qhead; i < s->qn; i++) h += note_h(s, s->q[i]);
  return h;
}

/* Room a strip needs on this page: itself and, when it calls notes, everything still
 * waiting plus the first line of its first new note. */
static double need(const pstate *s, const wp_strip *st) {
  double h = st->height;
  for (int c = 0; c < st->ncalls; c++) {
    int note = s->f->calls[st->call0 + c];
    if (note < 0 || note >= s->f->nnotes || s->called[note] || !s->f->notes[note].n) continue;
    return h + rule_need(s) + waiting(s) + s->f->notes[note].s[0].height;
  }
  return h;
}

/* Room a group needs: its strips and all the notes they call, in full. */
static double group_need(const pstate *s, int a, int b) {
  double h = 0, notes = 0;
  for (int i = a; i < b; i++) {
    const wp_strip *st = &s->f->body.s[i];
    h += st->height;
    for (int c = 0; c < st->ncalls; c++) {
      int note = s->f->calls[st->call0 + c];
      if (note < 0 || note >= s->f->nnotes || s->called[note]) continue;
      for (int k = 0; k < s->f->notes[note].n; k++) notes += s->f->notes[note].s[k].height;
    }
  }
  return notes > 0 ? h + notes + waiting(s) + rule_need(s) : h;
}

static void place(pstate *s, int i) {
  const wp_strip *st = &s->f->body.s[i];
  add(&s->pg->body, &s->pg->nbody, (wp_place){i, -1, s->y});
  s->y += st->height;
  s->body_count++;
  s->last_table = st->table;
  for (int c = 0; c < st->ncalls; c++) {
    int note = s->f->calls[st->call0 + c];
    if (note < 0 || note >= s->f->nnotes || s->called[note]) continue;
    s->called[note] = true;
    for (int k = 0; k < s->f->notes[note].n; k++) {
      if (s->qn == s->qcap) {
        s->qcap = s->qcap ? s->qcap * 2 : 64;
        s->q = wp_xrealloc(s->q, (size_t)s->qcap * sizeof *s->q);
      }
      s->q[s->qn++] = (queued){note, k};
    }
  }
  fill_foot(s);
}

/* On a page that starts inside a table, its header row comes first. */
static void repeat_header(pstate *s, const wp_strip *st) {
  if (s->body_count == 0 && st->table && !st->header_row && st->header >= 0 && s->last_table == st->table)
    place(s, st->header);
}

void wp_paginate(const wp_flow *f, const wp_pagination *g, wp_layout *out) {
  memset(out, 0, sizeof *out);
  pstate s = {.f = f, .g = g, .out = out};
  s.called = wp_xcalloc((size_t)f->nnotes + 1, sizeof *s.called);
  new_page(&s);
  double area = g->bottom - g->top;
  for (int i = 0; i < f->body.n;) {
    /* The group: strips chained by keep, as long as it fits on half a page. */
    int j = i + 1;
    double h = f->body.s[i].height;
    while (j < f->body.n && f->body.s[j - 1].keep && h + f->body.s[j].height < area / 2) h += f->body.s[j++].height;
    while (i < j && f->body.s[i].gap && s.body_count == 0) i++; /* no space at a page top */
    if (i == j) continue;
    if (s.body_count > 0 && group_need(&s, i, j) > avail(&s)) new_page(&s);
    for (; i < j; i++) {
      const wp_strip *st = &f->body.s[i];
      if (st->gap && s.body_count == 0) continue;
      repeat_header(&s, st);
      if (need(&s, st) > avail(&s) && s.body_count > 0) {
        new_page(&s);
        if (st->gap) continue;
        repeat_header(&s, st);
      }
      place(&s, i);
    }
  }
  while (s.qhead < s.qn) { /* notes longer than the pages that called them */
    int before = s.qhead;
    new_page(&s);
    if (s.qhead == before) { /* a note line taller than a page: put it anyway */
      add(&s.pg->foot, &s.pg->nfoot, (wp_place){s.q[s.qhead].strip, s.q[s.qhead].note, 0});
      s.foot += note_h(&s, s.q[s.qhead++]);
    }
  }
  /* Foot areas are stacked from their rule down. */
  for (int p = 0; p < out->n; p++) {
    wp_laid_page *pg = &out->pages[p];
    double foot = p == 0 ? g->reserve1 : 0;
    for (int k = 0; k < pg->nfoot; k++) foot += f->notes[pg->foot[k].note].s[pg->foot[k].strip].height;
    if (pg->nfoot && !(p == 0 && g->reserve1 > 0)) foot += g->rule_space;
    pg->foot_top = foot > 0 ? g->bottom - foot : 0;
    double y = pg->foot_top + (p == 0 ? g->reserve1 : g->rule_space);
    if (p == 0 && g->reserve1 <= 0) y = pg->foot_top + g->rule_space;
    for (int k = 0; k < pg->nfoot; k++) {
      pg->foot[k].top = y;
      y += f->notes[pg->foot[k].note].s[pg->foot[k].strip].height;
    }
  }
  free(s.q);
  free(s.called);
}

void wp_layout_free(wp_layout *l) {
  for (int i = 0; i < l->n; i++) free(l->pages[i].body), free(l->pages[i].foot);
  free(l->pages);
  memset(l, 0, sizeof *l);
}
