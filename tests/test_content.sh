#!/usr/bin/env bash
# The bundled publications: every document in all six languages with the same structure, the
# Executive Director's report shaped like the real one, and the forum's figures all present.
source "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 1
DOCS="cairo-call-to-action wuf12-report ed-report-wuf12-wuf13"

for d in $DOCS; do
  check "$d exists in all six languages" bash -c 'for l in ar zh en fr ru es; do test -s "content/$1/$l.md" || exit 1; done' _ "$d"
done

# wufpress status compares numbered paragraphs, headings per level and footnotes with the original.
out=$("$WUFPRESS" status --root "$ROOT" 2>&1)
check "no translation is missing or differs in paragraphs, headings or footnotes" \
  grep -qx '3 documents, 0 missing, 0 stale translations' <<<"$out"
grep ': stale: ' <<<"$out" | sed 's/^/  /'

"$WUFPRESS" build --root "$ROOT" --out "$TMP/public" --quiet || fail "the bundled site builds"
count() { grep -o "$2" "$TMP/public/$1/index.html" | wc -l; }
for d in $DOCS; do
  for what in '<table>' '<li id="fn-' 'class="numbered"' '<h2 id=' '<h3 id='; do
    counts=$(for l in ar zh en fr ru es; do count "$l/$d" "$what"; done | sort -u | wc -l)
    [[ $counts == 1 ]] && pass "$d: the same number of $what in all six languages" ||
      { fail "$d: the number of $what differs"; for l in ar zh en fr ru es; do echo "  $l: $(count "$l/$d" "$what")"; done; }
  done
done

ed=$TMP/public/en/ed-report-wuf12-wuf13/index.html
check "the Executive Director's report has 24 numbered paragraphs" bash -c '[[ $(grep -c "class=\"numbered\"" "$1") == 24 ]]' _ "$ed"
check "... in three chapters" bash -c '[[ $(grep -A1 "^<h2 id=" "$1" | grep -c "^<span class=\"heading-num\">") == 3 ]]' _ "$ed"
check "Chinese chapter labels run straight into the title" grep -q '^<span class="heading-num">一、</span>导言' "$TMP/public/zh/ed-report-wuf12-wuf13/index.html"
check "... with its symbol, date and original language in _document.yaml" \
  bash -c 'f=content/ed-report-wuf12-wuf13/_document.yaml; grep -qx "symbol: HSP/OECPR.2025/3" $f && grep -qx "date: 2025-03-03" $f && grep -qx "original: en" $f'
check "... and its agenda item in every language" bash -c 'for l in ar zh en fr ru es; do grep -q "^agenda_item:" content/ed-report-wuf12-wuf13/$l.md || exit 1; done'

# Every figure of the notes, in the English report as UN English writes it.
report=content/wuf12-report/en.md
for fig in "37,000" "182 countries" "24,000" "Ministers | 60" "Deputy ministers | 45" "96" "84 countries" \
           "700" "50.6" "46.4" "13 per cent" "905" "36 countries" "500" "120 million" "72.5 million" \
           "924" "75 per cent" "93 per cent" "94 per cent" "610" "31 per cent" "29 per cent" "91 per cent" "81 per cent" \
           "17" "22 May 2026" "Baku"; do
  grep -qF -- "$fig" "$report" && pass "the WUF12 report states $fig" || fail "the WUF12 report lacks $fig"
done
NB=$'\u00a0'
check "the Arabic report groups digits with no-break spaces" grep -q "37${NB}000" content/wuf12-report/ar.md
check "the French report writes 37 000 and 50,6 % with no-break spaces" \
  bash -c 'grep -q "37$1000" content/wuf12-report/fr.md && grep -q "50,6$1%" content/wuf12-report/fr.md' _ "$NB"
