#!/usr/bin/env bash
# The build command end to end on a small site using the real templates and theme:
# generated HTML (lang/dir, hreflang, switcher, escaping, numbering), errors and exit codes,
# the template sandbox, and the staged publish.
source "$(dirname "$0")/lib.sh"
LANGS="ar:rtl,zh:ltr,en:ltr,fr:ltr,ru:ltr,es:ltr"

# A site with one document in en and ar only (zh, fr, ru, es missing).
make_site() {
  local d=$1
  mkdir -p "$d"
  cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/themes" "$d/"
  mkdir -p "$d/content/demo"
  cat >"$d/content/demo/_document.yaml" <<'YAML'
symbol: TEST/2025/1
date: 2025-03-03
original: en
numbered_paragraphs: true
heading_numbering: { 2: chapter, 3: section }
YAML
  cat >"$d/content/demo/en.md" <<'MD'
---
title: Cities <script>alert(1)</script> & homes
summary: A test document.
---
First paragraph with <b>raw html</b> and a note.[^1]

## Introduction

Second paragraph, with a [bad link](javascript:alert(1)).

### Housing

| Item | Number |
|------|-------:|
| Countries | 182 |

Third paragraph ~~struck~~ and https://example.org/ autolinked.

[^1]: The note.
MD
  cat >"$d/content/demo/ar.md" <<'MD'
---
title: المدن والمساكن
---
الفقرة الأولى.[^1]

## مقدمة

الفقرة الثانية.

### الإسكان

| البند | العدد |
|------|-------:|
| البلدان | 182 |

الفقرة الثالثة.

[^1]: الحاشية.
MD
}

S=$TMP/site
make_site "$S"
out=$("$WUFPRESS" build --root "$S" 2>&1); rc=$?
if [[ $rc == 0 ]]; then pass "a small site builds"; else fail "a small site builds"; sed 's/^/  /' <<<"$out"; fi
P=$S/public

check "every page has lang/dir, hreflang alternates and a working switcher" \
  python3 "$ROOT/tests/htmlcheck.py" "$P" "$LANGS"
check "Arabic pages are right-to-left" grep -q '<html lang="ar" dir="rtl">' "$P/ar/demo/index.html"
check "the home page offers all six languages by their own names" \
  bash -c 'for n in العربية 中文 English Français Русский Español; do grep -q ">$n<" "$1" || exit 1; done' _ "$P/index.html"
check "every language has an index and a 404 page" \
  bash -c 'for l in ar zh en fr ru es; do test -f "$1/$l/index.html" -a -f "$1/$l/404.html" || exit 1; done' _ "$P"
check "a missing translation has no page" test ! -e "$P/zh/demo"
check "a missing translation is shown as unavailable, not replaced" \
  grep -q '<span class="unavailable"><span lang="zh"' "$P/en/demo/index.html"
check "hreflang lists only existing translations plus x-default" \
  bash -c 'grep -c "rel=\"alternate\" hreflang" "$1" | grep -qx 3' _ "$P/en/demo/index.html"
check "the title is escaped" grep -qF 'Cities &lt;script&gt;alert(1)&lt;/script&gt; &amp; homes' "$P/en/demo/index.html"
check "no script from content reaches any page (only the theme's own js/ files)" \
  bash -c '! grep -rhoi "<script[^>]*>" "$1" | grep -vE "^<script src=\"[./]*js/[a-z-]+\.js\" defer>$"' _ "$P"
check "raw HTML in content is shown as text" grep -qF '&lt;b&gt;raw html&lt;/b&gt;' "$P/en/demo/index.html"
check "javascript: links are dropped" bash -c '! grep -q "javascript:" "$1"' _ "$P/en/demo/index.html"
flat() { tr -d '\n' <"$1"; } # the HTML on one line, for patterns across line breaks
check "paragraphs are numbered with anchors" grep -qE '<p id="para-3" class="numbered"[^>]*><span class="para-num">3.</span> Third' <(flat "$P/en/demo/index.html")
check "chapter and section labels come from the language" \
  bash -c 'tr -d "\n" <"$1/en/demo/index.html" | grep -q "<h2 id=\"introduction\"><span class=\"heading-num\">I.</span> Introduction</h2>" &&
           grep -q "<span class=\"heading-num\">أولا -</span> مقدمة" "$1/ar/demo/index.html" &&
           grep -q "<span class=\"heading-num\">ألف -</span> الإسكان" "$1/ar/demo/index.html"' _ "$P"
check "Arabic paragraph numbers use the Arabic pattern" grep -q '<span class="para-num">2 -</span>' "$P/ar/demo/index.html"
check "GFM tables, strikethrough, footnotes and autolinks render" \
  bash -c 'f=$1/en/demo/index.html; grep -q "<table>" $f && grep -q "<del>struck</del>" $f &&
           grep -q "class=\"footnotes\"" $f && grep -q "<a href=\"https://example.org/\">" $f' _ "$P"
check "the language index lists the document" grep -q 'href="../en/demo/"' "$P/en/index.html"
check "theme assets are copied" test -s "$P/css/style.css"

# Editors' backups (name~) are neither published beside a page nor from the theme's static/.
B=$TMP/backups
mkdir -p "$B" && cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/themes" "$B/" && mkdir -p "$B/content"
cp -r "$ROOT/content/wuf12-report" "$B/content/"
echo note >"$B/content/wuf12-report/notes.txt" && echo old >"$B/content/wuf12-report/notes.txt~"
echo old >"$B/themes/default/static/css/style.css~"
cp -r "$B/content/wuf12-report" "$B/content/wuf12-report~" # an editor's backup of a whole folder
"$WUFPRESS" build --quiet --no-pdf --root "$B" --out "$B/out" || fail "the site with backups builds"
check "a file beside a page is published; an editor's backup of it (x~) is not, nor one in static/" bash -c \
  'test -s "$1/en/wuf12-report/notes.txt" && test ! -e "$1/en/wuf12-report/notes.txt~" && test ! -e "$1/css/style.css~"' _ "$B/out"
check "... nor a backup of a document folder (x~/)" test ! -e "$B/out/en/wuf12-report~"

# Reproducible: a second build gives the same bytes.
cp -r "$P" "$TMP/first"
"$WUFPRESS" build --root "$S" --quiet --jobs 1
check "two builds are byte-identical" diff -r "$TMP/first" "$P"

# --lang builds a subset; --out writes elsewhere.
"$WUFPRESS" build --root "$S" --quiet --lang en --out "$TMP/only-en"
check "--lang en builds English only" bash -c 'test -f "$1/en/demo/index.html" && test ! -e "$1/ar"' _ "$TMP/only-en"

# Drafts are left out as if the translation did not exist, unless --drafts.
printf -- '---\ntitle: Brouillon\ndraft: true\n---\nTexte.\n' >"$S/content/demo/fr.md"
"$WUFPRESS" build --root "$S" --quiet --out "$TMP/drafts-out"
D=$TMP/drafts-out
check "a draft translation has no page" test ! -e "$D/fr/demo"
check "a draft translation is unavailable on the other pages of its document" \
  grep -q '<span class="unavailable"><span lang="fr"' "$D/en/demo/index.html"
check "a draft is in neither its language's list nor the sitemap" \
  bash -c '! grep -q "demo/" "$1/fr/index.html" && ! grep -q "fr/demo/" "$1/sitemap.xml"' _ "$D"
"$WUFPRESS" build --root "$S" --quiet --drafts --out "$TMP/drafts-in"
check "--drafts builds a draft and links it from the other translations" \
  bash -c 'test -f "$1/fr/demo/index.html" && grep -q "href=\"../../fr/demo/\"" "$1/en/demo/index.html"' _ "$TMP/drafts-in"
rm "$S/content/demo/fr.md"

# ---- errors: file:line, exit 1, public/ untouched -------------------------------------------
expect_error() { # NAME EXPECTED_STATUS PATTERN -- builds $S and checks status, message, public/
  local name=$1 want=$2 pattern=$3 out rc
  local before; before=$(cd "$P" && find . -type f -exec md5sum {} + | sort)
  out=$("$WUFPRESS" build --root "$S" --quiet 2>&1); rc=$?
  local after; after=$(cd "$P" && find . -type f -exec md5sum {} + | sort)
  if [[ $rc == "$want" ]] && grep -qE -- "$pattern" <<<"$out" && [[ $before == "$after" ]] && ! ls -d "$S"/public.* >/dev/null 2>&1; then
    pass "$name"
  else
    fail "$name"; echo "  status $rc (want $want); output:"; sed 's/^/    /' <<<"$out"
    [[ $before == "$after" ]] || echo "  public/ changed"
  fi
}

cp "$S/content/demo/en.md" "$TMP/en.md"
printf -- '---\ntitle: ok\nsummary: [unclosed\n---\nBody\n' >"$S/content/demo/en.md"
expect_error "bad front matter YAML: file:line, exit 1" 1 '^content/demo/en\.md:[34]: invalid YAML'
printf -- '---\nsummary: no title\n---\nBody\n' >"$S/content/demo/en.md"
expect_error "a missing title: file:line, exit 1" 1 '^content/demo/en\.md:2: front matter needs a .title.'
printf -- '---\ntitle: never closed\n\nBody\n' >"$S/content/demo/en.md"
expect_error "unclosed front matter: exit 1" 1 '^content/demo/en\.md:1: front matter is not closed'
printf -- '---\ntitle: T\nsymbol: OTHER/1\n---\nBody\n' >"$S/content/demo/en.md"
expect_error "a translation cannot override _document.yaml" 1 "^content/demo/en\.md:3: 'symbol' is set in content/demo/_document\.yaml"
printf -- '---\ntitle: T\n---\nok\n\xff\xfe bad\n' >"$S/content/demo/en.md"
expect_error "invalid UTF-8: file:line, exit 1" 1 '^content/demo/en\.md:5: invalid UTF-8'
cp "$TMP/en.md" "$S/content/demo/en.md"

printf -- '---\ntitle: T\n---\nBody\n' >"$S/content/demo/de.md"
expect_error "a file for a language the site does not have: exit 1" 1 "content/demo/de\.md:1: 'de' is not a language"
rm "$S/content/demo/de.md"

cp -r "$S/templates" "$TMP/templates.orig"
printf '<%% layout("base.html") -%%>\n<p>ok</p>\n<p><%%= page.title:upper() %%></p>\n<p><%%= nothing.here %%></p>\n' >"$S/templates/document.html"
expect_error "a template runtime error: templates/file:line, exit 1" 1 '^templates/document\.html:4: .*nothing'
printf '<p>\n<%% if then %%>\n</p>\n' >"$S/templates/document.html"
expect_error "a template syntax error: templates/file:line, exit 1" 1 '^templates/document\.html:2: '
printf '<p>\n\n<%%= page.title\n' >"$S/templates/document.html"
expect_error "an unclosed template tag: templates/file:line, exit 1" 1 "^templates/document\.html:3: '<%' is never closed"
printf '<p>\n<%% os.execute("touch %s/pwned") %%>\n' "$TMP" >"$S/templates/document.html"
expect_error "the sandbox has no os.execute" 1 '^templates/document\.html:2: .*os'
check "os.execute did not run" test ! -e "$TMP/pwned"
printf '<%% local f = io.open("/etc/passwd") %%>\n' >"$S/templates/document.html"
expect_error "the sandbox has no io.open" 1 '^templates/document\.html:1: .*io'
printf '<%% require("os") %%><%% load("return 1") %%>\n' >"$S/templates/document.html"
expect_error "the sandbox has no require or load" 1 '^templates/document\.html:1: .*(require|load)'
printf '<%% string.rep = nil %%>\n' >"$S/templates/document.html"
expect_error "library tables are read-only" 1 '^templates/document\.html:1: .*read-only'
printf '<%% site.languages[1].code = "xx" %%>\n' >"$S/templates/document.html"
expect_error "the site table, shared by all pages, is read-only to its leaves" 1 '^templates/document\.html:1: .*read-only'
printf '<%% local n = 0 for k in pairs(site.languages[1]) do n = n + 1 end %%><%%= #site.languages %%>/<%%= n %%>/<%%= site.languages[2].code %%>\n' >"$S/templates/document.html"
"$WUFPRESS" build --root "$S" --out "$TMP/ro" --quiet >/dev/null 2>&1
check "the read-only site still reads: #, pairs, fields" grep -qx '6/4/zh' "$TMP/ro/en/demo/index.html"
# Escaping: the five characters at every offset of a 16-byte block and in the tail, through both
# <%= %> and escape(), against Python's escaping of the same string.
printf '<%% local s = "" for k = 0, 40 do s = s .. string.rep("a\xc3\xa9", k %% 7) .. ("&<>\\"\x27"):sub(k %% 5 + 1, k %% 5 + 1) end %%><%%= s %%>|<%%- escape(s) %%>|<%%= "" %%>|<%%= "plain text, no escapes at all" %%>\n' >"$S/templates/document.html"
"$WUFPRESS" build --root "$S" --out "$TMP/esc" --quiet >/dev/null 2>&1
check "HTML escaping is exact at every offset" python3 -c '
import sys
s = "".join("a\u00e9" * (k % 7) + "&<>\"\x27"[k % 5] for k in range(41))
e = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("\x27", "&#39;")
sys.exit(open(sys.argv[1], encoding="utf-8").read() != e + "|" + e + "||plain text, no escapes at all\n")' "$TMP/esc/en/demo/index.html"
# The home page sees page.documents as lists do, in the default language (README, Templates).
printf '<%% for _, d in ipairs(page.documents) do %%>[<%%= d.slug %%>|<%%= d.url %%>|<%%= d.title %%>]<%% end %%>\n' >"$S/templates/home.html"
"$WUFPRESS" build --root "$S" --out "$TMP/home" --quiet >/dev/null 2>&1
check "the home page lists the default language's documents (page.documents)" \
  grep -qxF '[demo|en/demo/|Cities &lt;script&gt;alert(1)&lt;/script&gt; &amp; homes]' "$TMP/home/index.html"
printf 'x\n<%% while true do end %%>\n' >"$S/templates/document.html"
expect_error "an endless loop is stopped with file:line" 1 '^templates/document\.html:2: template ran too long'
# A site of 1,000 pages or more runs templates under the watchdog instead of a count hook
# (watchdog.c): an endless loop in one page is still stopped there, with its file and line.
BIG=$TMP/big
make_site "$BIG"
python3 -c 'import os, sys
for i in range(1000):
    d = os.path.join(sys.argv[1], "content", "d%04d" % i)
    os.makedirs(d)
    open(os.path.join(d, "en.md"), "w").write("---\ntitle: Page %d\n---\nText.\n" % i)' "$BIG"
printf 'x\n<%% if page.document == "d0500" then while true do end end %%>\n' >"$BIG/templates/document.html"
out=$(timeout 120 "$WUFPRESS" build --root "$BIG" --quiet --no-pdf 2>&1); rc=$?
if [[ $rc == 1 ]] && grep -q '^templates/document\.html:2: template ran too long' <<<"$out" && [[ ! -e $BIG/public ]]; then
  pass "an endless loop on a 1,000-page site (under the watchdog) is stopped with file:line"
else fail "an endless loop on a 1,000-page site (under the watchdog) is stopped with file:line"; echo "  status $rc: $(head -c 300 <<<"$out")"; fi
printf '<%% local s = "x" while true do s = s .. s end %%>\n' >"$S/templates/document.html"
expect_error "a memory bomb is stopped" 1 '^templates/document\.html: .*memory limit'
printf '<%%= t("no.such.key") %%>\n' >"$S/templates/document.html"
expect_error "a missing interface string names the i18n file" 1 "no interface string 'no.such.key' for language '(ar|en)' \(add it to themes/default/i18n/(ar|en)\.yaml\)"
rm -rf "$S/templates"; cp -r "$TMP/templates.orig" "$S/templates"
expect_error "a good build still succeeds afterwards" 0 '^$'

# ---- the command line -------------------------------------------------------------------------
check "--help exits 0 and shows usage" bash -c '"$1" --help | grep -q "Usage: wufpress build"' _ "$WUFPRESS"
check "--version prints the version" bash -c '"$1" --version | grep -qE "^wufpress [0-9]+\.[0-9]+"' _ "$WUFPRESS"
"$WUFPRESS" build --bogus >/dev/null 2>&1; rc=$?
[[ $rc == 2 ]] && pass "an unknown option exits 2" || fail "an unknown option exits 2 (got $rc)"
"$WUFPRESS" frobnicate >/dev/null 2>&1; rc=$?
[[ $rc == 2 ]] && pass "an unknown command exits 2" || fail "an unknown command exits 2 (got $rc)"
"$WUFPRESS" build --root "$TMP/nowhere" >/dev/null 2>&1; rc=$?
[[ $rc == 1 ]] && pass "a missing site exits 1" || fail "a missing site exits 1 (got $rc)"
