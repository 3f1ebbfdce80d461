#!/usr/bin/env bash
# Charts in the PDF (generator/layout/chart_pdf.c): every ```chart block of a page is drawn
# with vectors, its labels and numbers set through the text engine (extractable, numbers as
# format.h writes them on the web page), in one piece, mirrored in Arabic.
# Needs poppler-utils, qpdf, python3.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ---- a reader of the PDFs: extracted labels, drawn glyph text, marks per chart ------------
cat >"$TMP/charts_pdf.py" <<'PYEOF'
"""Checks of the charts in a wufpress PDF (tests/test_charts_pdf.sh). Prints what is wrong and
exits 1, or prints nothing and exits 0.

  specs MD                         the chart specs of a Markdown file (debug)
  labels PDF MD LANG               titles and category labels extracted, each chart on one page
  numbers PDF STRING...            each string is drawn (ToUnicode of the glyphs, exact chars)
  web PDF HTML                     every number of the page's SVG charts is drawn as is
  marks PDF MD                     one mark per value inside each chart's /WPValues group
"""
import base64, csv, difflib, json, re, subprocess, sys, unicodedata
from html import unescape as html_unescape

BIDI = re.compile('[\u200e\u200f\u202a-\u202e\u2066-\u2069]')


def specs(md):
    text = open(md, encoding='utf-8').read()
    out = []
    for block in re.findall(r'^```chart\n(.*?)^```', text, re.M | re.S):
        s = {'type': 'bar', 'values': []}
        for line in block.splitlines():
            m = re.match(r'^(\w+):\s*(.*)$', line)
            if m:
                k, v = m.group(1), m.group(2).strip()
                if v.startswith('"') and v.endswith('"'): v = v[1:-1]
                if k == 'categories':
                    v = [c.strip() for c in next(csv.reader([v.strip()[1:-1]], skipinitialspace=True))]
                s[k] = v
            m = re.search(r'values:\s*\[([^\]]*)\]', line)
            if m: s['values'].append([float(x) for x in m.group(1).split(',')])
        out.append(s)
    return out


def page_texts(pdf):
    n = int(re.search(r'Pages:\s+(\d+)', subprocess.run(['pdfinfo', pdf], capture_output=True, text=True).stdout).group(1))
    pages = []
    for p in range(1, n + 1):
        t = subprocess.run(['pdftotext', '-enc', 'UTF-8', '-f', str(p), '-l', str(p), pdf, '-'],
                           capture_output=True, text=True).stdout
        t = unicodedata.normalize('NFC', BIDI.sub('', t))
        pages.append([re.sub(r'\s+', ' ', l).strip() for l in t.splitlines() if l.strip()])
    return pages


def norm(s):
    return re.sub(r'\s+', ' ', unicodedata.normalize('NFC', s)).strip()


def find(pages, want, lang):
    """Pages (1-based) with a line that is `want` (or, in Arabic, 90 % like it)."""
    want = norm(want)
    hits = []
    for i, lines in enumerate(pages):
        # A label wrapped in the chart: two or three lines joined (Chinese without a space).
        joined = [' '.join(lines[k:k + n]) for n in (2, 3) for k in range(len(lines) - n + 1)]
        joined += [''.join(lines[k:k + n]) for n in (2, 3) for k in range(len(lines) - n + 1)]
        for l in lines + joined:
            if l == want or (lang == 'ar' and difflib.SequenceMatcher(None, l, want).ratio() >= 0.9):
                hits.append(i + 1)
                break
    return hits


def labels(pdf, md, lang):
    pages, bad = page_texts(pdf), []
    for s in specs(md):
        tp = find(pages, s['title'], lang)
        if not tp:
            bad.append(f"title not found: {s['title']}")
            continue
        for c in s['categories']:
            if not find(pages, c, lang): bad.append(f"category not found: {c} ({s['title']})")
        last = find(pages, s['categories'][-1], lang)
        if last and not set(tp) & set(last):
            bad.append(f"split: title on page {tp}, last category on page {last} ({s['title']})")
    return bad


def qpdf_json(pdf):
    out = subprocess.run(['qpdf', '--json=2', '--json-stream-data=inline', '--decode-level=generalized', pdf, '-'],
                         capture_output=True, text=True).stdout
    d = json.loads(out)
    return d, d['qpdf'][1]


def stream(objs, ref):
    return base64.b64decode(objs['obj:' + ref]['stream']['data'])


def contents(d, objs):
    for pg in d['pages']:
        yield b''.join(stream(objs, r) for r in pg['contents']), objs['obj:' + pg['object']]['value']


def tounicode(objs, font_ref):
    font = objs['obj:' + font_ref]['value']
    m = {}
    if '/ToUnicode' not in font: return m
    cmap = stream(objs, font['/ToUnicode']).decode('latin-1')
    for block in re.findall(r'beginbfchar(.*?)endbfchar', cmap, re.S):
        for g, u in re.findall(r'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>', block):
            m[int(g, 16)] = bytes.fromhex(u).decode('utf-16-be')
    # Ranges: "<lo> <hi> <first>" (the last byte counts up) or "<lo> <hi> [<text> ...]".
    for block in re.findall(r'beginbfrange(.*?)endbfrange', cmap, re.S):
        for lo, hi, first, arr in re.findall(r'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]*)>|\[([^\]]*)\])', block):
            lo, hi = int(lo, 16), int(hi, 16)
            if arr:
                for k, u in enumerate(re.findall(r'<([0-9A-Fa-f]*)>', arr)):
                    m[lo + k] = bytes.fromhex(u).decode('utf-16-be')
            else:
                b = bytes.fromhex(first)
                for k in range(hi - lo + 1):
                    m[lo + k] = (b[:-1] + bytes([b[-1] + k])).decode('utf-16-be')
    return m


def tokens(data):
    """Content-stream tokens: ('s', bytes) for a string (literal or hex), ('k', bytes) for
    anything else (names, numbers, operators, [ and ])."""
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c in b' \t\r\n\f\x00':
            i += 1
        elif c == 0x25:  # % comment
            while i < n and data[i] not in b'\r\n': i += 1
        elif c == 0x28:  # (literal): nested parentheses, backslash escapes
            depth, i, s = 1, i + 1, bytearray()
            while i < n:
                c = data[i]
                if c == 0x5C:
                    e = data[i + 1:i + 2]
                    if e and e in b'nrtbf': s.append(b'\n\r\t\b\f'[b'nrtbf'.index(e)]); i += 2
                    elif e and e in b'01234567':
                        j = i + 1
                        while j < min(i + 4, n) and data[j:j + 1] in b'01234567': j += 1
                        s.append(int(data[i + 1:j], 8) & 255); i = j
                    elif e in (b'\r', b'\n'): i += 3 if data[i + 1:i + 3] == b'\r\n' else 2
                    else: s += e; i += 2
                    continue
                depth += (c == 0x28) - (c == 0x29)
                i += 1
                if not depth: break
                s.append(c)
            yield 's', bytes(s)
        elif c == 0x3C and data[i + 1:i + 2] != b'<':  # <hex>
            j = data.index(b'>', i)
            h = re.sub(rb'\s', b'', data[i + 1:j])
            yield 's', bytes.fromhex((h + b'0' * (len(h) % 2)).decode())
            i = j + 1
        elif c in b'[]':
            yield 'k', data[i:i + 1]; i += 1
        else:
            m = re.compile(rb'<<|>>|/?[^\s/\[\]()<>{}%]*').match(data, i)
            yield 'k', m.group(0) or data[i:i + 1]; i += max(1, len(m.group(0)))


def drawn_runs(pdf):
    """The text of every TJ array (glyphs through ToUnicode), page by page."""
    d, objs = qpdf_json(pdf)
    runs, maps = [], {}
    for data, page in contents(d, objs):
        fonts = page.get('/Resources', {}).get('/Font', {})
        cur, ops = {}, []
        for kind, tok in tokens(data):
            if kind == 's' or tok not in (b'Tf', b'TJ', b'Tj'):
                ops.append((kind, tok))
                continue
            if tok == b'Tf' and len(ops) >= 2:
                ref = fonts.get(ops[-2][1].decode('latin-1'))
                if ref not in maps: maps[ref] = tounicode(objs, ref) if ref else {}
                cur = maps[ref]
            elif tok in (b'TJ', b'Tj'):
                # Identity-H: the strings are two-byte glyph codes; TJ's numbers move, not draw.
                start = max((k for k, (_, t) in enumerate(ops) if t == b'['), default=len(ops) - 1) if tok == b'TJ' else len(ops) - 1
                codes = b''.join(t for kind2, t in ops[start:] if kind2 == 's')
                runs.append(''.join(cur.get(int.from_bytes(codes[k:k + 2], 'big'), '') for k in range(0, len(codes) - 1, 2)))
            ops = []
    return runs


def numbers(pdf, *want):
    runs = drawn_runs(pdf)
    joined = '\n'.join(runs)
    return [f'not drawn: {w!r}' for w in want if w not in joined]


def web(pdf, html):
    """Every tick, value and legend value of the page's SVG charts is drawn in the PDF as is.
    (The hidden bidi marks of Arabic percentages draw nothing, so they are not compared.)"""
    page = open(html, encoding='utf-8').read()
    want = re.findall(r'<text class="chart-(?:tick|value-label|legend-value)[^"]*"[^>]*>([^<]+)</text>', page)
    if not want: return ['no chart numbers in ' + html]
    joined = '\n'.join(drawn_runs(pdf))
    bad = []
    for w in dict.fromkeys(want):
        w = html_unescape(w)
        n = re.sub('[\u200e\u200f\u061c]', '', w)
        if n not in re.sub('[\u200e\u200f\u061c]', '', joined): bad.append(f'not drawn: {w!r}')
    return bad


def marks(pdf, md):
    d, objs = qpdf_json(pdf)
    charts = []  # per chart: [rects, painted paths] inside /WPValues
    for data, _ in contents(d, objs):
        stack = []
        for tok in re.finditer(rb'/(\w+)\s+BMC|\bEMC\b|\bre\b|(?<![\w/])(f\*?|B\*?|b\*?|S|s)(?![\w*])', data):
            t = tok.group(0)
            if tok.group(1):
                stack.append(tok.group(1))
                if tok.group(1) == b'WPChart': charts.append([0, 0])
            elif t == b'EMC':
                if stack: stack.pop()
            elif b'WPValues' in stack:
                if t == b're': charts[-1][0] += 1
                else: charts[-1][1] += 1
    sp, bad = specs(md), []
    if len(sp) != len(charts): bad.append(f'{len(charts)} charts drawn, {len(sp)} in the source')
    for s, (rects, painted) in zip(sp, charts):
        n = sum(len(v) for v in s['values'])
        if s['type'] == 'donut': n = sum(1 for v in s['values'][0] if v > 0)
        want_rects = n if s['type'] in ('bar', 'hbar', 'stacked') else 0
        if rects != want_rects or painted != n:
            bad.append(f"{s['type']} '{s['title']}': {rects} rectangles and {painted} filled shapes, want {want_rects} and {n}")
    return bad


if __name__ == '__main__':
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'specs':
        print(json.dumps(specs(args[0]), ensure_ascii=False, indent=1))
        sys.exit(0)
    bad = {'labels': labels, 'numbers': numbers, 'marks': marks, 'web': web}[cmd](*args)
    for b in bad: print(b)
    sys.exit(1 if bad else 0)
PYEOF
CHECK="python3 $TMP/charts_pdf.py"

# ---- the bundled site: the forum report -----------------------------------------------------
SITE="$TMP/site"
copy_site "$SITE"
if "$WUFPRESS" build --root "$SITE" --out "$TMP/public" --quiet 2>"$TMP/build.err"; then
  pass "bundled site builds with charts in its PDFs"
else
  fail "bundled site builds with charts in its PDFs"; sed 's/^/  /' "$TMP/build.err" | head
fi

doc=wuf12-report
for lang in en ar zh fr; do
  pdf="$TMP/public/$lang/$doc/$doc-$lang.pdf" md="$SITE/content/$doc/$lang.md"
  check "$lang: chart titles and category labels are text, each chart on one page" $CHECK labels "$pdf" "$md" "$lang"
  check "$lang: one filled mark per value in every chart (bars are rectangles)" $CHECK marks "$pdf" "$md"
  check "$lang: every tick and value label of the web page's charts is drawn, as formatted there" \
    $CHECK web "$pdf" "$TMP/public/$lang/$doc/index.html"
  check "$lang: qpdf --check passes and poppler is silent" bash -c \
    "qpdf --check '$pdf' >/dev/null && ! { pdftotext '$pdf' /dev/null; pdffonts '$pdf' >/dev/null; } 2>&1 | grep -q ."
done
R="$TMP/public/%s/$doc/$doc-%s.pdf"
# pdftotext turns every space into U+0020: the exact characters are checked on the glyphs drawn.
check "en: numbers as on the web page (37,000; 50.6%)" $CHECK numbers "$(printf "$R" en en)" "37,000" "24,000" "50.6%" "72.5"
check "fr: numbers grouped with U+202F (37 000)" $CHECK numbers "$(printf "$R" fr fr)" $'37\u202f000' $'24\u202f000'
check "ar: numbers grouped with U+00A0 (37 000)" $CHECK numbers "$(printf "$R" ar ar)" $'37\u00a0000' $'24\u00a0000'
check "en: tick labels and values extract as lines (40,000; 37,000)" bash -c \
  "pdftotext -enc UTF-8 '$(printf "$R" en en)' - | grep -qx '40,000' &&
   pdftotext -enc UTF-8 '$(printf "$R" en en)' - | grep -qx '37,000'"

# ---- a site with one chart of each type, in English and Arabic ------------------------------
T="$TMP/tiny"
mkdir -p "$T/content/charts"
cp -r "$ROOT/templates" "$ROOT/themes" "$T/"
cat >"$T/site.yaml" <<'EOF'
title: Charts
base_url: https://example.org/
theme: default
languages:
  - { code: ar, name: العربية, dir: rtl, locale: ar }
  - { code: en, name: English, dir: ltr, locale: en-GB }
default_language: en
EOF
printf 'date: 2025-03-03\noriginal: en\n' >"$T/content/charts/_document.yaml"
cat >"$T/content/charts/en.md" <<'EOF'
---
title: "Charts of every kind"
---

Bars of two series, one value below zero.

```chart
type: bar
title: Budget by region
units: Millions of dollars
categories: [Africa, Arab States, Asia and the Pacific, Europe]
series:
  - { name: 2024, values: [120.5, 80, 64, -12] }
  - { name: 2025, values: [140, 75.25, 70, 8] }
caption: Regional budgets, two years.
source: "Source: invented figures."
```

Horizontal bars.

```chart
type: hbar
title: Delegations by size
categories: [Small delegations of one or two people, Medium, Large]
series:
  - { name: Delegations, values: [1200, 340, 56] }
```

Stacked bars.

```chart
type: stacked
title: Events by kind
categories: [Day 1, Day 2, Day 3]
series:
  - { name: Dialogues, values: [40, 55, 38] }
  - { name: Training, values: [20, 25, 30] }
  - { name: Exhibitions, values: [12, 10, 9] }
```

A line.

```chart
type: line
title: Registrations per week
categories: [W1, W2, W3, W4, W5]
series:
  - { name: Online, values: [1000, 4000, 9000, 15000, 22000] }
  - { name: On site, values: [0, 500, 2000, 6000, 12000] }
```

A donut.

```chart
type: donut
title: Share of participants
percent: true
categories: [Governments, Civil society, Private sector, Academia]
series:
  - { name: Share, values: [38.5, 30, 20, 11.5] }
```
EOF
cat >"$T/content/charts/ar.md" <<'EOF'
---
title: "رسوم بيانية من كل نوع"
---

أعمدة لسلسلتين.

```chart
type: bar
title: الميزانية حسب المنطقة
units: بملايين الدولارات
categories: [أفريقيا, الدول العربية, آسيا والمحيط الهادئ, أوروبا]
series:
  - { name: 2024, values: [120.5, 80, 64, -12] }
  - { name: 2025, values: [140, 75.25, 70, 8] }
caption: ميزانيات إقليمية لسنتين.
source: "المصدر: أرقام مفترضة."
```

أعمدة أفقية.

```chart
type: hbar
title: الوفود حسب الحجم
categories: [وفود صغيرة من فرد واحد أو فردين, متوسطة, كبيرة]
series:
  - { name: الوفود, values: [1200, 340, 56] }
```

أعمدة مكدسة.

```chart
type: stacked
title: الفعاليات حسب النوع
categories: [اليوم الأول, اليوم الثاني, اليوم الثالث]
series:
  - { name: الحوارات, values: [40, 55, 38] }
  - { name: التدريب, values: [20, 25, 30] }
  - { name: المعارض, values: [12, 10, 9] }
```

خط.

```chart
type: line
title: التسجيلات في الأسبوع
categories: [الأسبوع 1, الأسبوع 2, الأسبوع 3, الأسبوع 4, الأسبوع 5]
series:
  - { name: عبر الإنترنت, values: [1000, 4000, 9000, 15000, 22000] }
  - { name: في الموقع, values: [0, 500, 2000, 6000, 12000] }
```

حلقة.

```chart
type: donut
title: حصة المشاركين
percent: true
categories: [الحكومات, المجتمع المدني, القطاع الخاص, الأوساط الأكاديمية]
series:
  - { name: الحصة, values: [38.5, 30, 20, 11.5] }
```
EOF
if "$WUFPRESS" build --root "$T" --out "$TMP/tiny-out" --quiet 2>"$TMP/tiny.err"; then
  pass "a chart of each type builds in English and Arabic"
else
  fail "a chart of each type builds in English and Arabic"; sed 's/^/  /' "$TMP/tiny.err" | head
fi
for lang in en ar; do
  pdf="$TMP/tiny-out/$lang/charts/charts-$lang.pdf" md="$T/content/charts/$lang.md"
  check "every type, $lang: titles and labels extract, each chart on one page" $CHECK labels "$pdf" "$md" "$lang"
  check "every type, $lang: one mark per value (bars, stacked segments, markers, slices)" $CHECK marks "$pdf" "$md"
  check "every type, $lang: qpdf --check passes and poppler is silent" bash -c \
    "qpdf --check '$pdf' >/dev/null && ! { pdftotext '$pdf' /dev/null; pdffonts '$pdf' >/dev/null; } 2>&1 | grep -q ."
done
check "every type: values and ticks drawn as formatted (1,200; 38.5%; 1 200; -12)" bash -c \
  "$CHECK numbers '$TMP/tiny-out/en/charts/charts-en.pdf' '1,200' '38.5%' '25,000' '-12' '75.25' &&
   $CHECK numbers '$TMP/tiny-out/ar/charts/charts-ar.pdf' $'1\u00a0200' $'25\u00a0000' '38.5'"
# Right to left: the value axis on the right of the bars, the first category right of the last
# (and the other way round in English).
cat >"$TMP/mirror.py" <<'EOF'
import re, subprocess, sys
pdf, rtl, first, last = sys.argv[1], sys.argv[2] == 'rtl', sys.argv[3], sys.argv[4]
xml = subprocess.run(['pdftotext', '-f', '1', '-l', '1', '-bbox', '-enc', 'UTF-8', pdf, '-'],
                     capture_output=True, text=True).stdout
words = {}
for m in re.finditer(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', xml):
    words.setdefault(m.group(2), float(m.group(1)))
    words.setdefault(m.group(2)[::-1], float(m.group(1)))  # -bbox keeps Arabic in visual order
need = ['150', '140', first, last]
if any(w not in words for w in need): sys.exit(f'missing words: {[w for w in need if w not in words]}')
tick_right = words['150'] > words['140']          # the tick 150 against the value label 140
first_right = words[first] > words[last]
if tick_right != rtl or first_right != rtl:
    sys.exit(f'tick 150 at {words["150"]}, value 140 at {words["140"]}; {first} at {words[first]}, {last} at {words[last]}')
EOF
check "ar: mirrored (value axis on the right, categories read right to left)" \
  python3 "$TMP/mirror.py" "$TMP/tiny-out/ar/charts/charts-ar.pdf" rtl أفريقيا أوروبا
check "en: value axis on the left, categories read left to right" \
  python3 "$TMP/mirror.py" "$TMP/tiny-out/en/charts/charts-en.pdf" ltr Africa Europe
"$WUFPRESS" build --root "$T" --out "$TMP/tiny-out2" --quiet --jobs 1 2>/dev/null
check "chart PDFs are byte-reproducible" bash -c \
  "cmp '$TMP/tiny-out/en/charts/charts-en.pdf' '$TMP/tiny-out2/en/charts/charts-en.pdf' &&
   cmp '$TMP/tiny-out/ar/charts/charts-ar.pdf' '$TMP/tiny-out2/ar/charts/charts-ar.pdf'"
