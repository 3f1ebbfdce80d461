#!/usr/bin/env bash
# Style slips that UN editors catch, checked in every content/*/*.md (all documents, all languages):
#   zh  — ASCII , ; : ! ? ( ) next to a CJK character; a space between two CJK characters
#   ar  — a plain ASCII space between digit groups ("37 000" must use U+00A0/U+202F);
#         ASCII ? or ; after Arabic letters (use ؟ and ؛)
#   fr  — : ; ! ? » % without U+00A0/U+202F before them; « without one after it
#   all — hand-typed paragraph numbers ("12. " opening a paragraph, Arabic "12 - ") and
#         hand-typed heading numbers ("## I. ", "### A. ", "## 一、", "## أولا - ") — wufpress adds those
# Front-matter keys, URLs, code (spans and fenced blocks), raw HTML tags and footnote labels
# ([^1], [^1]:) are ignored; front-matter values are checked. Python 3 standard library only.
source "$(dirname "$0")/lib.sh"

SCAN="$TMP/scan_style.py"
cat >"$SCAN" <<'PY'
import os, re, sys

HAN = r'\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f'
# Hanzi plus CJK/full-width punctuation (、。《》（），：； …).
CJK = '[' + HAN + r'\u3000-\u303f\uff00-\uffef' + ']'
ARABIC_LETTER = r'[\u0621-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]'
NB = '\u00a0\u202f'
MASK = '\x00'   # stands in for ignored text; never CJK, space, digit or punctuation

AR_ORDINALS = ('أولا ثانيا ثالثا رابعا خامسا سادسا سابعا ثامنا تاسعا عاشرا حادي ثاني ثالث رابع '
               'خامس سادس سابع ثامن تاسع عشرون').split()
AR_LETTERS = ('ألف باء جيم دال هاء واو زاي حاء طاء ياء كاف لام ميم نون سين عين فاء صاد قاف راء').split()
HEADING_NUMBER = re.compile(
    r'^#{1,6}[ \t]+(?:'
    r'[IVXLC]+\.[ \t]'                      # I. II.
    r'|[A-Z]\.[ \t]'                        # A. B.
    r'|\(?[a-z]\)[ \t]'                     # (a) a)
    r'|\d+(?:\.\d+)*\.[ \t]'                # 1. 1.2.
    r'|\d+(?:\.\d+)+[ \t]'                  # 1.2
    r'|\d+[ \t]*-[ \t]'                     # Arabic 1 -
    r'|[一二三四五六七八九十百]+[、．.]'     # 一、
    r'|[（(][一二三四五六七八九十]+[）)]'    # （一）
    r'|(?:' + '|'.join(AR_ORDINALS + AR_LETTERS) + r')(?:[ \t]+عشر[ةا]?)?[ \t]*[-–][ \t]'
    r')')
PARA_NUMBER = re.compile(r'^[ \t]{0,3}(\d{1,3})(?:\.[ \t]|[ \t]*-[ \t])')
LIST_ITEM = re.compile(r'^[ \t]{0,3}\d{1,9}[.)][ \t]')
FENCE = re.compile(r'^[ \t]{0,3}(`{3,}|~{3,})')
TABLE_DELIM = re.compile(r'^[ \t]*\|?[ \t]*:?-{1,}:?[ \t]*(\|[ \t]*:?-{1,}:?[ \t]*)*\|?[ \t]*$')
FM_KEY = re.compile(r'^([ \t]*(?:-[ \t]+)?)([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)')
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\']|\'\')*)\'')

IGNORED = [
    re.compile(r'(`+)(?:(?!\1).)+?\1'),                      # code spans
    re.compile(r'<(?:https?|ftp|mailto):[^>\s]*>'),           # autolinks
    re.compile(r'\]\([^)\s]*(?:[ \t]+"[^"]*")?\)'),          # link targets ](url "title")
    re.compile(r'\b(?:https?|ftp)://[^\s<>"]+|\bwww\.[^\s<>"]+|\bmailto:[^\s<>"]+'),  # bare URLs
    re.compile(r'\[\^[^\]\s]+\]:?'),                        # footnote labels and definitions
    re.compile(r'</?[A-Za-z][^<>]*>'),                       # raw HTML tags
]


ENTITY = re.compile(r'&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);')
NB_ENTITIES = {'&nbsp;': '\u00a0', '&#160;': '\u00a0', '&#xa0;': '\u00a0', '&#8239;': '\u202f', '&#x202f;': '\u202f'}


def mask(text):
    # character references: no-break spaces count as such, any other one is ignored
    text = ENTITY.sub(lambda m: NB_ENTITIES.get(m.group(0).lower(), MASK), text)
    for rx in IGNORED:
        text = rx.sub(lambda m: MASK * len(m.group(0)), text)
    return text


def front_matter_values(line):
    """The checkable text of a front-matter line: its value(s), without keys."""
    m = FM_KEY.match(line)
    value = line[m.end():] if m else line
    stripped = value.strip()
    if stripped.startswith(('{', '[')) or '"' in stripped or "'" in stripped[:1]:
        # flow collections and quoted scalars: only the quoted strings are text
        parts = [a if a else b for a, b in QUOTED.findall(value)]
        if parts:
            return '  '.join(parts)
        if stripped.startswith(('{', '[')):
            return ''
    if stripped.startswith(('|', '>', '#')):
        return ''
    return value


def lines_of(path):
    """Yields (line number, kind, text) with kind 'fm', 'body' or 'heading'; text is masked."""
    with open(path, encoding='utf-8') as f:
        raw = f.read().split('\n')
    i = 0
    if raw and raw[0].strip() == '---':
        for j in range(1, len(raw)):
            if raw[j].strip() in ('---', '...'):
                for k in range(1, j):
                    text = front_matter_values(raw[k])
                    if text.strip() and not raw[k].lstrip().startswith('#'):
                        yield k + 1, 'fm', mask(text)
                i = j + 1
                break
    fence = None
    for n in range(i, len(raw)):
        line = raw[n]
        m = FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip(' \t`~'):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        if TABLE_DELIM.match(line) and '-' in line:
            continue
        yield n + 1, ('heading' if line.lstrip().startswith('#') else 'body'), mask(line)


def context(text, start, end, width=18):
    a, b = max(0, start - width), min(len(text), end + width)
    s = text[a:b].replace(MASK, '…').replace('\u00a0', '⍽').replace('\u202f', '⍽').replace('\t', ' ')
    return ('…' if a else '') + s.strip() + ('…' if b < len(text) else '')


def check_zh_punct(lines):
    rx = re.compile(CJK + r'[,;:!?()]|[,;:!?()]' + CJK)
    for n, kind, text in lines:
        for m in rx.finditer(text):
            ch = m.group(0)[0] if m.group(0)[0] in ',;:!?()' else m.group(0)[1]
            yield n, 'ASCII "%s" next to a CJK character (use the full-width form): %s' % (ch, context(text, m.start(), m.end()))


def check_zh_space(lines):
    rx = re.compile(CJK + r'[ \t\u00a0\u202f\u3000]+' + CJK)
    for n, kind, text in lines:
        pos = 0
        while True:
            m = rx.search(text, pos)
            if not m:
                break
            yield n, 'space between two CJK characters: %s' % context(text, m.start(), m.end())
            pos = m.end() - 1


def check_ar_digits(lines):
    rx = re.compile(r'[0-9] [0-9]{3}(?![0-9])')
    for n, kind, text in lines:
        for m in rx.finditer(text):
            yield n, 'plain space between digit groups (use U+00A0 or U+202F): %s' % context(text, m.start(), m.end())


def check_ar_punct(lines):
    rx = re.compile(ARABIC_LETTER + r'[ \t]*([?;])')
    for n, kind, text in lines:
        for m in rx.finditer(text):
            right = '؟' if m.group(1) == '?' else '؛'
            yield n, 'ASCII "%s" after Arabic text (use "%s"): %s' % (m.group(1), right, context(text, m.start(), m.end()))


def check_fr(lines):
    before = re.compile(r'(?<=[^' + NB + r'])(?:(?<![0-9]):(?![0-9/])|;|!(?!\[)|\?|»|%)')
    after = re.compile(r'«(?=[^' + NB + r'])')
    for n, kind, text in lines:
        for m in before.finditer(text):
            prev = text[m.start() - 1]
            what = 'an ordinary space' if prev in ' \t' else 'no space'
            yield n, '"%s" with %s before it (use U+00A0 or U+202F): %s' % (m.group(0), what, context(text, m.start(), m.end()))
        for m in after.finditer(text):
            yield n, '"«" not followed by U+00A0 or U+202F: %s' % context(text, m.start(), m.end())


def check_numbers(lines):
    lines = list(lines)
    body = [(n, k, t) for n, k, t in lines]
    prev_blank = True
    for idx, (n, kind, text) in enumerate(body):
        if kind == 'heading':
            m = HEADING_NUMBER.match(text.lstrip())
            if m:
                yield n, 'hand-typed heading number (wufpress adds the labels): %s' % context(text, 0, m.end(), 30)
            prev_blank = True
            continue
        if kind == 'fm':
            continue
        if not text.strip():
            prev_blank = True
            continue
        starts_block = prev_blank or (idx > 0 and body[idx - 1][1] != 'body')
        prev_blank = False
        if not starts_block:
            continue
        m = PARA_NUMBER.match(text)
        if not m:
            continue
        # A tight ordered list (two or more "N." lines in one block) is a list, not a numbered paragraph.
        items, j = 0, idx
        while j < len(body) and body[j][1] == 'body' and body[j][2].strip():
            if LIST_ITEM.match(body[j][2]):
                items += 1
            j += 1
        if items >= 2 and '.' in m.group(0):
            continue
        yield n, 'hand-typed paragraph number "%s" (wufpress numbers paragraphs): %s' % (m.group(0).strip(), context(text, 0, m.end(), 30))


CHECKS = {
    'zh-punct': ({'zh'}, check_zh_punct),
    'zh-space': ({'zh'}, check_zh_space),
    'ar-digits': ({'ar'}, check_ar_digits),
    'ar-punct': ({'ar'}, check_ar_punct),
    'fr-spacing': ({'fr'}, check_fr),
    'numbering': (None, check_numbers),
}


def main():
    kind, root, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    langs, fn = CHECKS[kind]
    found = 0
    for path in files:
        lang = os.path.splitext(os.path.basename(path))[0]
        if langs is not None and lang not in langs:
            continue
        shown = os.path.relpath(path, root) if root else path
        for n, msg in fn(lines_of(path)):
            print('%s:%d: %s' % (shown, n, msg))
            found += 1
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
PY

KINDS=(zh-punct zh-space ar-digits ar-punct fr-spacing numbering)
declare -A LABEL=(
  [zh-punct]="zh: no ASCII , ; : ! ? ( ) next to CJK characters"
  [zh-space]="zh: no spaces between CJK characters"
  [ar-digits]="ar: digit groups not separated by a plain space"
  [ar-punct]="ar: no ASCII ? or ; after Arabic text"
  [fr-spacing]="fr: no-break space before : ; ! ? » % and after «"
  [numbering]="all: no hand-typed paragraph or heading numbers"
)

shopt -s nullglob
FILES=("$ROOT"/content/*/*.md)
if ((${#FILES[@]} == 0)); then
  fail "content style: there are content/*/*.md files to scan"
else
  for k in "${KINDS[@]}"; do
    check "content style, ${LABEL[$k]}" python3 "$SCAN" "$k" "$ROOT" "${FILES[@]}"
  done
fi

# --- The scanner itself: one known slip of each kind must be found, and the ignored things
# (front-matter keys, URLs, code, footnote labels) and the correct forms must not be reported.
SELF="$TMP/selftest/doc"
mkdir -p "$SELF"
NBSP=$'\u00a0' NNBSP=$'\u202f'
cat >"$SELF/zh.md" <<EOF
---
title: "测试文件"
summary: "本摘要有一个半角逗号,在这里。"
---

## 一、导言

见 https://example.org/a,b 和 \`x,y\` 以及《议程》[^1]：均不是错误。

本段有半角括号(81%)。

这是 错误的空格。

[^1]: 大会第71/256号决议。
EOF
cat >"$SELF/ar.md" <<EOF
---
title: "وثيقة اختبار"
---

سجل أكثر من 37${NBSP}000 مشارك، وهذا صحيح. لكن 24 000 مشارك حضروا شخصيا.

هل هذا سؤال?

12 - فقرة مرقمة يدويا.
EOF
cat >"$SELF/fr.md" <<EOF
---
title: "Document d’essai${NBSP}: correct"
summary: "Un résumé fautif : ici."
---

## I. Introduction

Voir <https://example.org/a:b?c=d> et \`a:b\` et la note[^1]${NBSP}: rien à signaler${NNBSP}; «${NBSP}bien${NBSP}» et 50,6${NBSP}%.

Une erreur ; une autre «mal» et 46,4 %.

Pourquoi ?

| A | B |
|:--|--:|
| 1 | 2 |

12. Paragraphe numéroté à la main.

[^1]: Résolution 79/1.
EOF
cat >"$SELF/en.md" <<EOF
---
title: "Test: front-matter keys and colons in English are fine"
---

### A. Hand-numbered section

1. A list item
2. Another list item

A paragraph: fine.
EOF

selftest() {
  local out rc=0
  out=$(for k in "${KINDS[@]}"; do python3 "$SCAN" "$k" "$TMP/selftest" "$SELF"/*.md; done)
  local expect=(
    'doc/zh.md:3: ASCII ","'
    'doc/zh.md:6: hand-typed heading number'
    'doc/zh.md:10: ASCII "("'
    'doc/zh.md:10: ASCII ")"'
    'doc/zh.md:12: space between two CJK'
    'doc/ar.md:5: plain space between digit groups'
    'doc/ar.md:7: ASCII "?" after Arabic'
    'doc/ar.md:9: hand-typed paragraph number "12 -"'
    'doc/fr.md:3: ":" with an ordinary space'
    'doc/fr.md:6: hand-typed heading number'
    'doc/fr.md:10: ";" with an ordinary space'
    'doc/fr.md:10: "«" not followed'
    'doc/fr.md:10: "»" with no space'
    'doc/fr.md:10: "%" with an ordinary space'
    'doc/fr.md:12: "?" with an ordinary space'
    'doc/fr.md:18: hand-typed paragraph number "12."'
    'doc/en.md:5: hand-typed heading number'
  )
  local e
  for e in "${expect[@]}"; do
    grep -qF -- "$e" <<<"$out" || { echo "not found: $e"; rc=1; }
  done
  # Nothing else: no false positives on URLs, code spans, footnote labels, keys, tables, lists.
  local extra
  extra=$(grep -vE '^doc/(zh\.md:(3|6|10|12)|ar\.md:(5|7|9)|fr\.md:(3|6|10|12|18)|en\.md:5):' <<<"$out")
  [[ -z $extra ]] || { echo "unexpected reports:"; echo "$extra"; rc=1; }
  # Exactly the expected number of reports (line 10 of fr.md has 4, of zh.md 2).
  local count; count=$(grep -c . <<<"$out")
  ((count == ${#expect[@]})) || { echo "expected ${#expect[@]} reports, got $count:"; echo "$out"; rc=1; }
  return $rc
}
check "content style: the scanner finds one planted slip of each kind and nothing else" selftest
