#!/usr/bin/env bash
# Document PDFs (generator/pdf_document.c, generator/layout/, templates/pdf/): one per page,
# valid, titled, with the masthead on page 1, bookmarks, footnotes on the page that calls
# them, headings never last on a page, links, reproducible bytes, font warnings.
# Needs poppler-utils, qpdf, python3.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CHECK="python3 $ROOT/tests/tools/pdf_checks.py"

# ---- the bundled site -------------------------------------------------------------------
SITE="$TMP/site"
copy_site "$SITE"
if "$WUFPRESS" build --root "$SITE" --out "$TMP/public" --quiet 2>"$TMP/build.err"; then
  pass "bundled site builds with PDFs"
else
  fail "bundled site builds with PDFs"; sed 's/^/  /' "$TMP/build.err" | head
fi

# doc lang title symbol heading... (tab-separated), from the sources.
python3 - "$SITE/content" >"$TMP/pages.tsv" <<'EOF'
import os, re, sys
root = sys.argv[1]
for doc in sorted(os.listdir(root)):
    meta = open(os.path.join(root, doc, '_document.yaml')).read() if os.path.exists(os.path.join(root, doc, '_document.yaml')) else ''
    sym = re.search(r'^symbol:\s*(\S+)', meta, re.M)
    for f in sorted(os.listdir(os.path.join(root, doc))):
        if not f.endswith('.md'): continue
        text = open(os.path.join(root, doc, f)).read()
        title = re.search(r'^title:\s*"?(.*?)"?\s*$', text, re.M).group(1)
        heads = [h.strip() for h in re.findall(r'^#{2,3} (.*)$', text, re.M)]
        print('\t'.join([doc, f[:-3], title, sym.group(1) if sym else ''] + heads))
EOF

missing="" invalid="" noisy="" untitled="" page1="" marks=""
while IFS=$'\t' read -r doc lang title symbol heads; do
  pdf="$TMP/public/$lang/$doc/$doc-$lang.pdf"
  if [[ ! -s $pdf ]]; then missing+=" $lang/$doc"; continue; fi
  qpdf --check "$pdf" >/dev/null 2>&1 || invalid+=" $lang/$doc"
  { pdftotext "$pdf" /dev/null; pdfinfo "$pdf" >/dev/null; pdffonts "$pdf" >/dev/null; } 2>"$TMP/poppler.err"
  [[ -s $TMP/poppler.err ]] && noisy+=" $lang/$doc($(head -c 120 "$TMP/poppler.err"))"
  info_title=$(pdfinfo -enc UTF-8 "$pdf" 2>/dev/null | sed -n 's/^Title: *//p')
  [[ $info_title == "$title" ]] || untitled+=" $lang/$doc('$info_title')"
  args=("$title"); [[ -n $symbol ]] && args+=("$symbol")
  out=$($CHECK page1 "$pdf" "$lang" "${args[@]}" 2>&1) || page1+=$'\n'"$lang/$doc: $out"
  IFS=$'\t' read -r -a hs <<<"$heads"
  if ((${#hs[@]})); then
    out=$($CHECK outlines "$pdf" "${hs[@]}" 2>&1) || marks+=$'\n'"$lang/$doc: $out"
  fi
done <"$TMP/pages.tsv"
n=$(wc -l <"$TMP/pages.tsv")
[[ -z $missing ]] && pass "every page of the bundled site has its PDF ($n)" || fail "every page has its PDF: missing$missing"
[[ -z $invalid ]] && pass "qpdf --check passes for every PDF" || fail "qpdf --check:$invalid"
[[ -z $noisy ]] && pass "pdftotext, pdfinfo and pdffonts print no warning" || fail "poppler warnings:$noisy"
[[ -z $untitled ]] && pass "pdfinfo shows each document's title" || fail "pdfinfo title:$untitled"
[[ -z $page1 ]] && pass "page 1 shows the symbol and the title" || { fail "page 1 shows the symbol and the title"; sed 's/^/  /' <<<"$page1" | head -20; }
[[ -z $marks ]] && pass "bookmarks hold every heading" || { fail "bookmarks hold every heading"; sed 's/^/  /' <<<"$marks" | head -20; }

# Fonts are found through a lean fontconfig configuration (standard folders, none of the ~90
# rule files FcInit parses: pdf/fonts.c); FONTCONFIG_FILE brings back the full one. Both must
# choose the same faces: the 18 PDFs are compared byte for byte, each build from an empty PDF
# cache. FC_DEBUG=1024 makes fontconfig print each configuration file it loads.
fonts_conf="$(pkg-config --variable=confdir fontconfig)/fonts.conf"
rm -rf "$SITE/.wufpress-cache"
FC_DEBUG=1024 "$WUFPRESS" build --root "$SITE" --out "$TMP/fc-lean" --quiet >"$TMP/fc-lean.log" 2>&1
rm -rf "$SITE/.wufpress-cache"
FONTCONFIG_FILE=$fonts_conf FC_DEBUG=1024 \
  "$WUFPRESS" build --root "$SITE" --out "$TMP/fc-full" --quiet >"$TMP/fc-full.log" 2>&1
lean_pdfs=$(cd "$TMP/fc-lean" 2>/dev/null && find . -name '*.pdf' | sort)
check "PDF fonts are found without reading fontconfig's rule files" \
  bash -c "[[ \$(wc -l <<<'$lean_pdfs') == $n ]] && ! grep -q 'Loading config file' '$TMP/fc-lean.log'"
same=yes
for f in $lean_pdfs; do cmp -s "$TMP/fc-lean/$f" "$TMP/fc-full/$f" || same="no ($f)"; done
check "with FONTCONFIG_FILE the full configuration is read and every PDF is the same: $same" \
  bash -c "grep -q 'Loading config file from $fonts_conf' '$TMP/fc-full.log' && [[ '$same' == yes ]]"
# A family only a configuration file adds (a user's fonts.conf naming a folder of its own) is
# not in the lean configuration: it is found in the full one. The font: Liberation Serif with
# its family renamed in place (same length), in a folder of the test's.
FB="$TMP/fallback"
mkdir -p "$FB/fonts" "$FB/config/fontconfig" "$FB/cache"
python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
for enc in ("latin-1", "utf-16-be"):
    data = data.replace("Liberation Serif".encode(enc), "Fallback Testing".encode(enc))
open(sys.argv[2], "wb").write(data)
' "$(find /usr/share/fonts -name LiberationSerif-Regular.ttf | head -1)" "$FB/fonts/FallbackTesting.ttf"
printf '<?xml version="1.0"?>\n<fontconfig><dir>%s</dir></fontconfig>\n' "$FB/fonts" >"$FB/config/fontconfig/fonts.conf"
copy_site "$FB/site"
sed -i 's/default = { text = { "Liberation Serif" } },/default = { text = { "Fallback Testing" } },/' "$FB/site/templates/pdf/un-document.lua"
XDG_CONFIG_HOME="$FB/config" XDG_CACHE_HOME="$FB/cache" FC_DEBUG=1024 \
  "$WUFPRESS" build --root "$FB/site" --out "$FB/out" --quiet --lang en >"$FB/with.log" 2>&1; with=$?
"$WUFPRESS" build --root "$FB/site" --out "$FB/out2" --quiet --lang en 2>"$FB/without.err"; without=$?
fb_pdf="$FB/out/en/cairo-call-to-action/cairo-call-to-action-en.pdf"
check "a family only a user's fonts.conf adds is found through the full configuration (exit $with; without it $without)" \
  bash -c "[[ $with == 0 && $without == 1 ]] && grep -q 'Loading config file' '$FB/with.log' &&
           grep -q 'Fallback Testing' '$FB/without.err' && pdftotext '$fb_pdf' - | grep -q 'Cairo'"
# The same font in the user's own font folder is found by the lean configuration, which writes
# its cache of that folder into a folder of wufpress's: a cache made without fontconfig's rules
# must not land where other programs read theirs.
mkdir -p "$FB/data/fonts" && cp "$FB/fonts/FallbackTesting.ttf" "$FB/data/fonts/"
XDG_DATA_HOME="$FB/data" XDG_CACHE_HOME="$FB/cache2" FC_DEBUG=1024 \
  "$WUFPRESS" build --root "$FB/site" --out "$FB/out3" --quiet --lang en >"$FB/xdg.log" 2>&1; xdg=$?
check "a family in ~/.local/share/fonts is found without the rule files; its cache goes to wufpress's own folder (exit $xdg)" \
  bash -c "[[ $xdg == 0 ]] && ! grep -q 'Loading config file' '$FB/xdg.log' && [[ ! -e '$FB/cache2/fontconfig' ]] &&
           ls '$FB/cache2/wufpress/fontconfig/' | grep -q 'cache-'"

ar="$TMP/public/ar/ed-report-wuf12-wuf13/ed-report-wuf12-wuf13-ar.pdf"
en="$TMP/public/en/ed-report-wuf12-wuf13/ed-report-wuf12-wuf13-en.pdf"
zh="$TMP/public/zh/ed-report-wuf12-wuf13/ed-report-wuf12-wuf13-zh.pdf"
check "catalog /Lang and Info in the document's language" bash -c \
  "qpdf --qdf '$ar' - | grep -a -q '/Lang (ar)' && pdfinfo -enc UTF-8 '$ar' | grep -q '^Author: *برنامج'"
check "masthead: distribution block and the starred agenda note on page 1 (en)" bash -c \
  "pdftotext -f 1 -l 1 '$en' - | tr -s ' \n' ' ' | grep -q 'Distr.: General 3 March 2025 Original: English' &&
   pdftotext -f 1 -l 1 '$en' - | grep -q '^\* HSP/OECPR.2025/1.'"
check "masthead: Chinese version keeps the English block and names its language" bash -c \
  "pdftotext -f 1 -l 1 '$zh' - | tr -s ' \n' ' ' | grep -q 'Distr.: General 3 March 2025 Chinese Original: English'"
check "running header and page numbers on page 2 (symbol, n/N)" bash -c \
  "pdftotext -f 2 -l 2 '$en' - | grep -q '^HSP/OECPR.2025/3' && pdftotext -f 2 -l 2 '$en' - | grep -qE '^2/[0-9]+$'"
bad=$(for f in "$TMP"/public/zh/*/*.pdf; do pdftotext -enc UTF-8 "$f" - | grep -nE '^[。，、；：？！）」]'; done)
[[ -z $bad ]] && pass "zh: no line starts with 。，、" || { fail "zh: no line starts with 。，、"; sed 's/^/  /' <<<"$bad" | head; }
check "footnote calls link to their notes" bash -c "qpdf --qdf '$en' - | grep -a -c '/Subtype /Link' | grep -qv '^0$'"

# ---- reproducible -----------------------------------------------------------------------
rm -rf "$SITE/.wufpress-cache"
"$WUFPRESS" build --root "$SITE" --out "$TMP/public2" --quiet --jobs 1 2>/dev/null
same=$(cd "$TMP/public" && for f in */*/*.pdf; do cmp -s "$f" "$TMP/public2/$f" || echo "$f"; done)
[[ -z $same ]] && pass "two builds give byte-identical PDFs" || fail "two builds give byte-identical PDFs:$same"

# ---- a site of special cases --------------------------------------------------------------
T="$TMP/cases"
mkdir -p "$T/content/notes" "$T/content/blocks"
cp -r "$ROOT/templates" "$ROOT/themes" "$T/"
cat >"$T/site.yaml" <<'EOF'
title: Cases
base_url: https://example.org/
theme: default
languages:
  - { code: en, name: English, dir: ltr, locale: en }
EOF
python3 - "$T/content" <<'EOF'
import sys
root = sys.argv[1]
words = ('urban housing local action forum cities communities sustainable development '
         'finance planning data culture heritage coalitions governments partners').split()
def sentence(k, n):
    return ' '.join(words[(k * 7 + i * 3) % len(words)] for i in range(n)).capitalize() + '.'
# Footnotes: every paragraph calls a note; lengths vary so calls fall near page ends.
body, notes = [], []
for k in range(1, 61):
    if k % 4 == 1: body.append(f'## Heading{k} of the notes test')
    body.append(' '.join(sentence(k + j, 9 + (k * 5 + j) % 13) for j in range(2 + k % 5)) + f' CALL{k} [^n{k}] ' + sentence(k, 6))
    extra = ' '.join(sentence(k + j, 10) for j in range(12)) if k % 17 == 0 else sentence(k, 5)
    notes.append(f'[^n{k}]: NOTE{k} {extra}')
open(f'{root}/notes/en.md', 'w').write('---\ntitle: "Notes"\n---\n\n' + '\n\n'.join(body + notes) + '\n')
open(f'{root}/notes/_document.yaml', 'w').write('date: 2025-03-03\noriginal: en\nnumbered_paragraphs: true\nheading_numbering: { 2: chapter }\n')
rows = '\n'.join(f'| Row {i} | {i * 37} | {sentence(i, 4)} |' for i in range(1, 90))
open(f'{root}/blocks/en.md', 'w').write(f'''---
title: "Blocks"
---

A link to [a page](<https://example.org/données/é t.html>) and a lost character \U00010900 here.

- first item
- second item
  1. nested one
  2. nested two

> A quotation in a block.

```
code line one
    code line two
```

---

| Name | Count | Note |
|------|------:|------|
{rows}
''')
EOF
if "$WUFPRESS" build --root "$T" --out "$TMP/cases-out" --quiet 2>"$TMP/cases.err"; then
  pass "special-cases site builds"
else
  fail "special-cases site builds"; sed 's/^/  /' "$TMP/cases.err" | head
fi
NP="$TMP/cases-out/en/notes/notes-en.pdf" BP="$TMP/cases-out/en/blocks/blocks-en.pdf"
check "every footnote starts on the page that calls it" $CHECK notes "$NP" 60
check "a heading is never the last line of a page" $CHECK headings "$NP" Heading1 9.5
check "a long note continues on the next page and the PDF stays valid" qpdf --check "$NP"
check "links are live annotations with percent-encoded URIs" $CHECK uri "$BP" "https://example.org/donn%C3%A9es/%C3%A9%20t.html"
check "a character no font covers is a warning with file:line and its name" \
  grep -q '^content/blocks/en.md:5: no font covers U+10900 (PHOENICIAN LETTER ALF)' "$TMP/cases.err"
# The PDF now comes from the cache (ROOT/.wufpress-cache): its warning comes with it, and
# --strict fails again, as it did when the PDF was laid out.
"$WUFPRESS" build --root "$T" --out "$TMP/cases-out" --quiet 2>"$TMP/cases2.err"
check "... given again when the PDF comes from the cache" \
  grep -q '^content/blocks/en.md:5: no font covers U+10900 (PHOENICIAN LETTER ALF)' "$TMP/cases2.err"
"$WUFPRESS" build --root "$T" --out "$TMP/cases-out" --quiet --strict 2>/dev/null
check "... so that --strict fails on a cached PDF too" test $? = 1
bt=$(pdftotext "$BP" - 2>/dev/null)
headers=$(grep -c '^Name$' <<<"$bt")
pages=$(pdfinfo "$BP" | sed -n 's/^Pages: *//p')
((headers >= 2 && headers == pages)) && pass "a table's header row repeats on each page it continues on ($headers/$pages)" \
  || fail "a table's header row repeats on each page it continues on ($headers headers, $pages pages)"
check "lists, quotes and code blocks are typeset" bash -c \
  "grep -q 'nested two' <<<\"\$0\" && grep -q 'A quotation in a block.' <<<\"\$0\" && grep -q 'code line two' <<<\"\$0\"" "$bt"

# A family whose installed face has PostScript (CFF) outlines cannot go into FontFile2: the build
# stops with the font file named, instead of writing a PDF whose text no viewer draws.
# (Nimbus Sans: fonts-urw-base35, in the Makefile's TEST_PKGS.)
CFF="$TMP/cff-site"
copy_site "$CFF"
sed -i 's/default = { text = { "Liberation Serif" } },/default = { text = { "Nimbus Sans" } },/' "$CFF/templates/pdf/un-document.lua"
"$WUFPRESS" build --root "$CFF" --out "$TMP/cff-out" --quiet --lang en 2>"$TMP/cff.err"; rc=$?
if [[ $rc == 1 ]] && grep -q 'NimbusSans-Regular.otf has PostScript (CFF) outlines' "$TMP/cff.err"; then
  pass "a CFF-outline font is refused with its file named (exit 1)"
else fail "a CFF-outline font is refused with its file named (exit $rc: $(head -c 300 "$TMP/cff.err"))"; fi

# An endless loop in a page design's function is stopped like one in an HTML template: the
# watchdog gives the run its instruction budget once it has lasted a second (watchdog.h).
LOOP="$TMP/loop-site"
copy_site "$LOOP"
sed -i 's/^function design.footer(p)$/function design.footer(p) while true do end/' "$LOOP/templates/pdf/un-document.lua"
line=$(grep -n '^function design.footer(p) while true do end$' "$LOOP/templates/pdf/un-document.lua" | cut -d: -f1)
timeout 60 "$WUFPRESS" build --root "$LOOP" --out "$TMP/loop-out" --quiet --lang en 2>"$TMP/loop.err"; rc=$?
if [[ -n $line && $rc == 1 ]] && grep -q "^templates/pdf/un-document.lua:$line: template ran too long" "$TMP/loop.err"; then
  pass "an endless loop in a page design is stopped with file:line (exit 1)"
else fail "an endless loop in a page design is stopped with file:line (line '$line', exit $rc: $(head -c 300 "$TMP/loop.err"))"; fi
