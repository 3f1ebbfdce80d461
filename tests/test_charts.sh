#!/usr/bin/env bash
# Charts (```chart blocks, generator/chart.c and chart_svg.c): on a small site in en, fr, ar and
# zh, every chart type is drawn as well-formed inline SVG in a <figure> with a title, a desc,
# a data table and one mark per value; numbers follow each language's rules; the Arabic
# charts are mirrored; labels are escaped; output is reproducible. Each kind of bad spec
# stops the build with file:line and exit 1. The bundled report has the same charts in all six
# languages. Python 3 standard library only.
source "$(dirname "$0")/lib.sh"

base_site() {
  local d=$1
  mkdir -p "$d/content/$2"
  cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/themes" "$d/"
  printf 'date: 2025-03-03\noriginal: en\n' >"$d/content/$2/_document.yaml"
}

# One chart page per language: the same charts, labels per language. $1 = lang, $2 = labels.
write_page() {
  local f=$1 title=$2 reg=$3 att=$4
  cat >"$f" <<MD
---
title: $title
---
A paragraph before the charts.

\`\`\`chart
type: bar
title: "$reg <script>alert(1)</script> & co"
units: people
categories: [$reg, $att, "<b>x</b>"]
series:
  - { name: "$reg", values: [37000, 24000, 1234.5] }
caption: A caption.
source: "Source: test data."
\`\`\`

\`\`\`chart
type: hbar
title: High-level participation
categories: [Heads of State, Ministers, Deputy ministers]
series:
  - { name: Number, values: [4, 60, 45] }
\`\`\`

A paragraph between the charts.

\`\`\`chart
type: stacked
title: Stacked
categories: [A, B, C]
series:
  - { name: Women, values: [10, 20, 30] }
  - { name: Men, values: [15, 25, 5] }
\`\`\`

\`\`\`chart
type: line
title: Trend
categories: ["2020", "2022", "2024"]
series:
  - { name: Alpha, values: [1, 3, 2] }
  - { name: Beta, values: [2, 2, 4] }
\`\`\`

\`\`\`chart
type: donut
title: Shares
percent: true
categories: [One, Two, Three]
series:
  - { name: Share, values: [50.6, 29, 20.4] }
\`\`\`

\`\`\`chart
type: bar
title: From a CSV file
percent: true
csv: data.csv
\`\`\`
MD
}

SITE=$TMP/site
base_site "$SITE" charts
write_page "$SITE/content/charts/en.md" "Charts" "Registered" "Attended in person"
write_page "$SITE/content/charts/fr.md" "Graphiques" "Inscrits" "Présents sur place"
write_page "$SITE/content/charts/ar.md" "رسوم بيانية" "المسجلون" "الحاضرون شخصيا"
write_page "$SITE/content/charts/zh.md" "图表" "登记人数" "现场参会人数"
printf 'Group,Women,Men\r\n"Speakers, main sessions",50.6,49.4\r\nAll participants,46.4,53.6\r\n' >"$SITE/content/charts/data.csv"

if out=$("$WUFPRESS" build --root "$SITE" --out "$SITE/public" --quiet 2>&1); then
  pass "a site with every chart type builds"
else
  fail "a site with every chart type builds"; sed 's/^/  /' <<<"$out" | head -20
fi
"$WUFPRESS" build --root "$SITE" --out "$TMP/again" --quiet >/dev/null 2>&1
check "chart output is byte-for-byte reproducible" diff -r "$SITE/public" "$TMP/again"
# The PDF cache knows the files beside a page: a changed CSV makes a new PDF (as a build without
# the cache would), not the cached one.
cp "$SITE/public/en/charts/charts-en.pdf" "$TMP/before.pdf"
cp "$SITE/content/charts/data.csv" "$TMP/data.csv"
printf 'Group,Women,Men\r\n"Speakers, main sessions",70.6,29.4\r\nAll participants,46.4,53.6\r\n' >"$SITE/content/charts/data.csv"
"$WUFPRESS" build --root "$SITE" --out "$SITE/public" --quiet >/dev/null 2>&1
cp -r "$SITE" "$TMP/nocache" && rm -rf "$TMP/nocache/.wufpress-cache"
"$WUFPRESS" build --root "$TMP/nocache" --out "$TMP/nocache-out" --quiet >/dev/null 2>&1
check "a changed chart CSV makes a new PDF, the one a build without the cache makes" bash -c \
  '! cmp -s "$1/before.pdf" "$2/en/charts/charts-en.pdf" && cmp -s "$2/en/charts/charts-en.pdf" "$1/nocache-out/en/charts/charts-en.pdf"' \
  _ "$TMP" "$SITE/public"
cp "$TMP/data.csv" "$SITE/content/charts/data.csv"
"$WUFPRESS" build --root "$SITE" --out "$SITE/public" --quiet >/dev/null 2>&1

CHECK=$TMP/chartcheck.py
cat >"$CHECK" <<'PY'
import re, sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
NB, NNB = '\u00a0', '\u202f'


def figures(path):
    html = open(path, encoding='utf-8').read()
    return html, re.findall(r'<figure class="chart[ "].*?</figure>', html, re.S)


def parse(fig):
    """The figure as XML (it must be well-formed) and its parts."""
    root = ET.fromstring(fig)
    svg = root.find('.//' + SVG + 'svg')
    marks = [e for e in svg.iter() if 'chart-value' in e.get('class', '').split()]
    return root, svg, marks


def texts(svg):
    return [''.join(t.itertext()) for t in svg.iter(SVG + 'text')]


def generic(path, problems):
    """Invariants of every chart: well-formed, accessible, one mark per value."""
    html, figs = figures(path)
    ids = re.findall(r'\sid="([^"]+)"', html)
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        problems.append(f'{path}: ids used twice: {sorted(dup)}')
    for n, fig in enumerate(figs):
        where = f'{path} chart {n + 1}'
        try:
            root, svg, marks = parse(fig)
        except ET.ParseError as e:
            problems.append(f'{where}: not well-formed XML: {e}')
            continue
        if svg is None or svg.get('role') != 'img' or not svg.get('viewBox'):
            problems.append(f'{where}: no <svg role="img" viewBox>')
            continue
        title, desc = svg.find(SVG + 'title'), svg.find(SVG + 'desc')
        if title is None or desc is None or not (title.text or '').strip() or not (desc.text or '').strip():
            problems.append(f'{where}: <title> or <desc> missing or empty')
        elif svg.get('aria-labelledby') != f"{title.get('id')} {desc.get('id')}":
            problems.append(f'{where}: aria-labelledby does not name the title and desc')
        if root.find('figcaption') is None:
            problems.append(f'{where}: no <figcaption>')
        table = root.find('table')
        cells = table.findall('./tbody/tr/td') if table is not None else []
        if not cells or len(cells) != len(marks):
            problems.append(f'{where}: {len(marks)} marks for {len(cells)} values in the data table')
        if not list(svg.iter(SVG + 'line')) and 'chart-donut' not in root.get('class'):
            problems.append(f'{where}: no gridlines')
    return figs


def main():
    mode = sys.argv[1]
    problems = []
    if mode == 'generic':
        for p in sys.argv[2:]:
            generic(p, problems)
    elif mode == 'site':
        check_site(sys.argv[2], problems)
    for p in problems:
        print('  ' + p)
    sys.exit(1 if problems else 0)


def check_site(pub, problems):
    pages = {l: f'{pub}/{l}/charts/index.html' for l in ('en', 'fr', 'ar', 'zh')}
    got = {l: generic(p, problems) for l, p in pages.items()}
    want = [3, 3, 6, 6, 3, 4]   # marks: bar, hbar, stacked (2 × 3), line (2 × 3), donut, CSV (2 × 2)
    for l, figs in got.items():
        counts = [len(parse(f)[2]) for f in figs]
        if counts != want:
            problems.append(f'{l}: marks per chart {counts}, expected {want}')
    en, fr, ar, zh = (parse(got[l][0]) for l in ('en', 'fr', 'ar', 'zh'))
    label = {'en': '37,000', 'fr': '37' + NNB + '000', 'ar': '37' + NB + '000'}
    for l, (root, svg, marks) in (('en', en), ('fr', fr), ('ar', ar)):
        t = texts(svg)
        if label[l] not in t:
            problems.append(f'{l}: no value label {label[l]!r} in {t}')
        if not any(x.startswith('40') for x in t):
            problems.append(f'{l}: no axis tick 40 000 in {t}')
    ar_text = ' '.join(''.join(svg.itertext()) for _, svg, _ in (parse(f) for f in got['ar']))
    if re.search('[\u0660-\u0669\u06f0-\u06f9]', ar_text):
        problems.append('ar: Arabic-Indic digits in the charts (UN Arabic uses Western digits)')
    donut = {l: texts(parse(got[l][4])[1]) + [c.text for c in parse(got[l][4])[0].iter('td')] for l in got}
    for l, want_pc in (('en', '50.6%'), ('fr', '50,6' + NB + '%')):
        if want_pc not in donut[l]:
            problems.append(f'{l}: donut has no {want_pc!r}: {donut[l]}')
    # Mirroring: direction, first category to the right, value axis on the right.
    _, svg, marks = ar
    if svg.get('direction') != 'rtl' or svg.get('lang') != 'ar' or en[1].get('direction') != 'ltr':
        problems.append('ar: the SVG does not say direction="rtl" lang="ar"')
    xs = [float(m.get('x')) for m in marks]
    if not xs[0] > xs[1] > xs[2]:
        problems.append(f'ar: bars not mirrored (x of the categories in order: {xs})')
    ex = [float(m.get('x')) for m in en[2]]
    if not ex[0] < ex[1] < ex[2]:
        problems.append(f'en: bars not left to right ({ex})')
    ticks = [float(t.get('x')) for t in svg.iter(SVG + 'text') if t.get('class') == 'chart-tick']
    if not ticks or min(ticks) <= max(x + float(m.get('width')) for x, m in zip(xs, marks)):
        problems.append('ar: the value axis labels are not to the right of the bars')
    _, hsvg, hmarks = parse(got['ar'][1])
    ends = {round(float(m.get('x')) + float(m.get('width'))) for m in hmarks}
    if len(ends) != 1 or ends.pop() < 320:
        problems.append('ar: horizontal bars do not grow leftwards from a common right edge')
    # Escaping: labels are text, never markup.
    html = open(pages['en'], encoding='utf-8').read()
    if '<script>alert' in html or '<b>x</b>' in html:
        problems.append('en: a chart label reached the page as markup')
    if '&lt;script&gt;alert(1)&lt;/script&gt; &amp; co' not in html:
        problems.append('en: the escaped title is missing')
    # Legends: several series only (a donut always names its slices).
    for n, fig in enumerate(got['en']):
        root, svg, marks = parse(fig)
        legend = [e for e in svg.iter() if 'chart-swatch' in e.get('class', '')]
        expect = {2: 2, 3: 2, 4: 3, 5: 2}.get(n, 0)
        if len(legend) != expect:
            problems.append(f'en chart {n + 1}: {len(legend)} legend entries, expected {expect}')
    # CSV: header row gives series names and the category column; the quoted comma survives.
    root = parse(got['en'][5])[0]
    heads = [th.text for th in root.iter('th')]
    if heads[:3] != ['Group', 'Women', 'Men'] or 'Speakers, main sessions' not in heads:
        problems.append(f'en: CSV table headers {heads}')
    # Chinese labels wrap or fit without being dropped.
    if '登记人数' not in ' '.join(texts(zh[1])):
        problems.append('zh: category label missing')


main()
PY

check "every chart is well-formed SVG with title, desc, figcaption, gridlines and one mark per table value" \
  python3 "$CHECK" generic "$SITE"/public/{en,fr,ar,zh}/charts/index.html
check "marks per type, number formats per language, Arabic mirrored, escaping, legends, CSV" \
  python3 "$CHECK" site "$SITE/public"
check "chart styles are published" test -s "$SITE/public/css/charts.css"

# ---- errors: file:line and exit 1 ----
n=0
# err_case NAME FILE MARKER MESSAGE < chart-body: the build must fail with FILE:LINE: where LINE
# holds MARKER (FILE is relative to the document folder; "@fence+1" = the line after the fence).
err_case() {
  local name=$1 file=$2 marker=$3 msg=$4 d=$TMP/err$((++n))
  base_site "$d" bad
  { printf -- '---\ntitle: Bad\n---\nA paragraph.\n\n```chart\n'; cat; printf '```\n\nAfter.\n'; } >"$d/content/bad/en.md"
  printf 'Group,A,B\nOne,1,2\nTwo,"3,4\n' >"$d/content/bad/broken.csv"
  printf 'Group,A,B\nOne,1,2\nTwo,3\n' >"$d/content/bad/short.csv"
  printf 'Group,A\nOne,1\nTwo,lots\n' >"$d/content/bad/words.csv"
  local line out rc
  if [[ $marker == @fence+1 ]]; then
    line=$(($(grep -n '^```chart' "$d/content/bad/en.md" | cut -d: -f1) + 1))
  else
    line=$(grep -nF -- "$marker" "$d/content/bad/$file" | head -1 | cut -d: -f1)
  fi
  out=$("$WUFPRESS" build --root "$d" --out "$d/public" --quiet 2>&1); rc=$?
  if [[ $rc == 1 ]] && grep -qF -- "content/bad/$file:$line: " <<<"$out" && grep -qiF -- "$msg" <<<"$out"; then
    pass "error: $name ($file:$line)"
  else
    fail "error: $name"; echo "  exit $rc, expected 1 and content/bad/$file:$line: ...$msg..."; sed 's/^/  /' <<<"$out" | head -5
  fi
}

err_case "unknown chart type" en.md "type: pie" "unknown chart type 'pie'" <<'C'
type: pie
title: T
categories: [a]
series: [{ name: s, values: [1] }]
C
err_case "a series longer than the categories" en.md "values: [1, 2, 3]" "3 values for 2 categories" <<'C'
type: bar
title: T
categories: [a, b]
series:
  - { name: s, values: [1, 2] }
  - name: t
    values: [1, 2, 3]
C
err_case "a non-numeric value" en.md "many" "'many' is not a number" <<'C'
type: bar
title: T
categories: [a, b]
series:
  - name: s
    values:
      - 1
      - many
C
err_case "a quoted number is not a number" en.md '"37,000"' "is not a number" <<'C'
type: bar
title: T
categories: [a]
series: [{ name: s, values: ["37,000"] }]
C
err_case "an empty chart block" en.md @fence+1 "empty chart" </dev/null
err_case "a chart without series" en.md "categories: [a, b]" "empty chart" <<'C'
type: bar
title: T
categories: [a, b]
C
err_case "a chart with no categories" en.md "categories: []" "empty chart" <<'C'
type: bar
title: T
categories: []
series: []
C
err_case "a donut with two series" en.md "{ name: t" "donut chart shows one series" <<'C'
type: donut
title: T
categories: [a, b]
series:
  - { name: s, values: [1, 2] }
  - { name: t, values: [3, 4] }
C
err_case "a missing CSV file" en.md "csv: nowhere.csv" "cannot read chart CSV 'nowhere.csv'" <<'C'
type: bar
title: T
csv: nowhere.csv
C
err_case "a CSV outside the document folder" en.md "csv: ../x.csv" "beside the document" <<'C'
type: bar
title: T
csv: ../x.csv
C
err_case "a CSV with an unclosed quote" broken.csv 'Two,"3,4' "malformed chart CSV" <<'C'
type: bar
title: T
csv: broken.csv
C
err_case "a CSV row with a missing field" short.csv "Two,3" "malformed chart CSV" <<'C'
type: bar
title: T
csv: short.csv
C
err_case "a non-numeric CSV value" words.csv "Two,lots" "'lots' is not a number" <<'C'
type: bar
title: T
csv: words.csv
C
err_case "a misspelt key" en.md "serie:" "unknown chart key 'serie'" <<'C'
type: bar
title: T
categories: [a]
serie: [{ name: s, values: [1] }]
C
err_case "a chart without a title" en.md @fence+1 "needs a title" <<'C'
type: bar
categories: [a]
series: [{ name: s, values: [1] }]
C
err_case "invalid YAML in a chart" en.md "title: [unclosed" "" <<'C'
type: bar
title: [unclosed
C

# ---- the bundled report: the same charts in all six languages ----
PUB=$TMP/bundled
if "$WUFPRESS" build --root "$ROOT" --out "$PUB" --quiet >/dev/null 2>&1; then
  counts=$(for l in ar zh en fr ru es; do grep -o '<figure class="chart' "$PUB/$l/wuf12-report/index.html" | wc -l; done | sort -u)
  blocks=$(grep -c '^```chart' "$ROOT/content/wuf12-report/en.md")
  if [[ $counts == "$blocks" && $blocks -ge 6 ]]; then
    pass "the WUF12 report has the same $blocks charts in all six languages"
  else
    fail "the WUF12 report's charts differ between languages"
    for l in ar zh en fr ru es; do echo "  $l: $(grep -o '<figure class="chart' "$PUB/$l/wuf12-report/index.html" | wc -l)"; done
  fi
  check "the report's charts are well-formed and accessible in all six languages" \
    python3 "$CHECK" generic "$PUB"/{ar,zh,en,fr,ru,es}/wuf12-report/index.html
  check "the report's chart types match across languages" bash -c '
    for l in ar zh en fr ru es; do grep -o "<figure class=\"chart chart-[a-z]*" "$1/$l/wuf12-report/index.html" | tr "\n" " "; echo; done | sort -u | wc -l | grep -qx 1' _ "$PUB"
else
  fail "the bundled site builds"
fi
