#!/usr/bin/env bash
# Translation status (wufpress status and the status pages), sitemap.xml, Atom feeds,
# robots.txt and per-page metadata.
source "$(dirname "$0")/lib.sh"
S=$TMP/site
mkdir -p "$S/content/demo" "$S/content/other"
cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/themes" "$S/"
printf 'date: 2025-03-03\noriginal: en\nnumbered_paragraphs: true\n' >"$S/content/demo/_document.yaml"
en='---\ntitle: Original\nsummary: The summary.\n---\nOne.\n\n## Part\n\nTwo.\n\nThree.[^1]\n\n[^1]: Note.\n'
printf -- "$en" >"$S/content/demo/en.md"
printf -- '---\ntitle: Courte\n---\nUn.\n\n## Partie\n\nDeux.[^1]\n\n[^1]: Note.\n' >"$S/content/demo/fr.md"   # one paragraph short
printf -- "$en" | sed 's/title: Original/title: Igual/' >"$S/content/demo/es.md"                             # same structure
printf -- "$en" | sed 's/title: Original/title: Нормально\nsource_hash: 0000000000000000/' >"$S/content/demo/ru.md"
printf -- "$en" | sed 's/title: Original/title: عربي/' >"$S/content/demo/ar.md"
printf 'date: 2024-11-08\n' >"$S/content/other/_document.yaml"
printf -- '---\ntitle: Other\n---\nText.\n' >"$S/content/other/en.md"

out=$("$WUFPRESS" status --root "$S" 2>&1); rc=$?
[[ $rc == 0 ]] && pass "wufpress status exits 0 with stale and missing translations" || fail "status exit $rc"
check "status lists the matrix" grep -qE '^demo +current +missing +original +stale +stale +current' <<<"$out"
check "status explains a paragraph-count mismatch" \
  grep -qx 'content/demo/fr.md: stale: 2 numbered paragraphs, the original has 3' <<<"$out"
check "status explains a source_hash mismatch" \
  grep -qE '^content/demo/ru.md: stale: content/demo/en.md changed since this translation \(source_hash 0000000000000000, now [0-9a-f]{16}\)$' <<<"$out"
hash=$(grep -oE '^content/demo/en.md: source_hash: [0-9a-f]{16}$' <<<"$out" | awk '{print $3}')
sed -i "s/0000000000000000/$hash/" "$S/content/demo/ru.md"
check "a matching source_hash is current" bash -c '"$1" status --root "$2" | grep -qE "^demo +current +missing +original +stale +current +current"' _ "$WUFPRESS" "$S"

"$WUFPRESS" build --root "$S" --quiet || fail "the discovery site builds"
P=$S/public
check "the status page marks the stale translation with its reason" \
  grep -q 'class="state-stale" title="2 numbered paragraphs, the original has 3"' "$P/en/status/index.html"
check "status pages exist in every language" \
  bash -c 'for l in ar zh en fr ru es; do test -s "$1/$l/status/index.html" || exit 1; done' _ "$P"
check "sitemap.xml is well-formed XML" xmllint --noout "$P/sitemap.xml"
check "sitemap.xml lists every page with its alternates" python3 - "$P/sitemap.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
urls = ET.parse(sys.argv[1]).getroot().findall("s:url", ns)
locs = {u.find("s:loc", ns).text: [a.get("hreflang") for a in u.findall("x:link", ns)] for u in urls}
base = "https://wuf.unhabitat.org/"
want = {base: []}
for l in "ar zh en fr ru es".split():
    want[f"{base}{l}/"] = "ar zh en fr ru es".split()
for l in "ar en fr ru es".split():
    want[f"{base}{l}/demo/"] = "ar en fr ru es".split()
want[f"{base}en/other/"] = ["en"]
assert locs == want, (sorted(locs.items()), sorted(want.items()))
PY
check "each language has a valid Atom feed of its documents, newest first" python3 - "$P" <<'PY'
import sys, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
for lang, titles in {"en": ["Original", "Other"], "fr": ["Courte"], "zh": []}.items():
    root = ET.parse(f"{sys.argv[1]}/{lang}/feed.xml").getroot()
    assert root.tag == A + "feed", root.tag
    got = [e.find(A + "title").text for e in root.findall(A + "entry")]
    assert got == titles, (lang, got)
    for e in root.findall(A + "entry"):
        assert e.find(A + "updated").text.endswith("T00:00:00Z")
PY
check "robots.txt points at the sitemap" grep -qx 'Sitemap: https://wuf.unhabitat.org/sitemap.xml' "$P/robots.txt"
check "pages carry description, Open Graph and canonical metadata" \
  bash -c 'f=$1/en/demo/index.html; grep -q "<meta name=\"description\" content=\"The summary.\">" $f &&
           grep -q "<meta property=\"og:title\" content=\"Original\">" $f &&
           grep -q "<meta property=\"og:locale\" content=\"en_GB\">" $f &&
           grep -q "<link rel=\"canonical\" href=\"https://wuf.unhabitat.org/en/demo/\">" $f' _ "$P"
check "numbered paragraphs have the same anchor in every language" \
  bash -c 'for l in en es ar; do grep -q "id=\"para-3\"" "$1/$l/demo/index.html" || exit 1; done' _ "$P"
check "the switcher script keeps the paragraph anchor" grep -q 'para-' "$P/js/site.js"
