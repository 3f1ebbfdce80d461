#!/usr/bin/env bash
# Dates, numbers, percentages and language names per language, through ICU (CLDR) with the
# theme's UN-style overrides. Rendered by a real template in a real build.
source "$(dirname "$0")/lib.sh"
S=$TMP/site
mkdir -p "$S/content/d"
cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/themes" "$S/"
printf -- '---\ntitle: T\n---\nx\n' >"$S/content/d/en.md"
cat >"$S/templates/list.html" <<'T'
<%# One line per value, for the test to compare. -%>
date1=<%= date("2025-03-03") %>
date2=<%= date("2024-11-08", "long") %>
range=<%= date_range("2025-05-26", "2025-05-28") %>
n1=<%= number(37000) %>
n2=<%= number(50.6) %>
n3=<%= number(1.2e8, "long") %>
n4=<%= number(905) %>
p1=<%= percent(50.6) %>
p2=<%= percent(93) %>
pt=<%= percent(46.4, "text") %>
lang=<%= language_name("en") %>
T
"$WUFPRESS" build --root "$S" --quiet || fail "the format test site builds"

# expect LANG KEY VALUE: VALUE uses \u escapes for the invisible spaces (U+00A0, U+202F).
expect() {
  local lang=$1 key=$2 want got
  want=$(printf '%b' "$3")
  got=$(grep -m1 "^$key=" "$S/public/$lang/index.html" | cut -d= -f2-)
  if [[ $got == "$want" ]]; then pass "$lang $key: $want"; else fail "$lang $key: want '$want', got '$got'"; fi
}
NB='\u00a0' NNB='\u202f'
expect en date1 "3 March 2025";           expect en date2 "8 November 2024"
expect fr date1 "3 mars 2025";            expect fr date2 "8 novembre 2024"
expect es date1 "3 de marzo de 2025";     expect es date2 "8 de noviembre de 2024"
expect ru date1 "3 марта 2025${NNB}г.";   expect ru date2 "8 ноября 2024${NNB}г."
expect zh date1 "2025年3月3日";            expect zh date2 "2024年11月8日"
expect ar date1 "3 آذار/مارس 2025";       expect ar date2 "8 تشرين الثاني/نوفمبر 2024"
expect en range "26–28 May 2025";         expect fr range "26–28 mai 2025"
expect en n1 "37,000";  expect fr n1 "37${NNB}000"; expect es n1 "37.000"; expect ru n1 "37${NB}000"
expect zh n1 "37${NB}000"; expect ar n1 "37${NB}000"
expect en n2 "50.6";    expect fr n2 "50,6";  expect ru n2 "50,6";  expect ar n2 "50.6"
expect en n3 "120 million"; expect fr n3 "120 millions"; expect es n3 "120 millones"
expect ru n3 "120 миллионов"; expect zh n3 "1.2亿"; expect ar n3 "120 مليون"
expect en n4 "905"
expect en p1 "50.6%";   expect fr p1 "50,6${NB}%"; expect es p1 "50,6${NB}%"; expect ru p1 "50,6${NB}%"
expect zh p1 "50.6%";   expect en p2 "93%"
expect en pt "46.4 per cent"
expect en lang "English"; expect fr lang "anglais"; expect es lang "inglés"; expect ru lang "английский"
expect zh lang "英语"

# The strings come from ICU's data, not from tables of ours: the same template with an en-US
# locale gives the American forms.
sed -i 's/locale: en-GB/locale: en-US/' "$S/site.yaml"
"$WUFPRESS" build --root "$S" --quiet
expect en date1 "March 3, 2025"
expect en range "May 26\u2009–\u200928, 2025"

# A malformed date is a template error with file:line.
printf '<%%= date("2025-13-40") %%>\n' >"$S/templates/list.html"
out=$("$WUFPRESS" build --root "$S" --quiet 2>&1); rc=$?
if [[ $rc == 1 ]] && grep -q "^templates/list.html:1: '2025-13-40' is not a date" <<<"$out"; then
  pass "a malformed date is reported with file:line"
else
  fail "a malformed date is reported with file:line"; sed 's/^/  /' <<<"$out"
fi
