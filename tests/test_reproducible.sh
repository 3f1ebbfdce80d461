#!/usr/bin/env bash
# Two builds of the bundled site from clean (no output folder, no PDF cache), with the same
# SOURCE_DATE_EPOCH, on different thread counts, give byte-identical trees.
source "$(dirname "$0")/lib.sh"
for i in 1 2; do
  mkdir -p "$TMP/root$i"
  cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/templates" "$ROOT/themes" "$TMP/root$i/"
done
"$WUFPRESS" build --root "$TMP/root1" --quiet --jobs 1 || fail "first build"
"$WUFPRESS" build --root "$TMP/root2" --quiet --jobs 4 || fail "second build"
sums() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
if diff <(sums "$TMP/root1/public") <(sums "$TMP/root2/public") >"$TMP/diff"; then
  pass "two clean builds are byte-identical ($(sums "$TMP/root1/public" | wc -l) files, $(find "$TMP/root1/public" -name '*.pdf' | wc -l) PDFs)"
else fail "two clean builds are byte-identical"; head -20 "$TMP/diff" | sed 's/^/  /'; fi

# Many documents of one date: Lua's table.sort picks random pivots for arrays of more than 100
# elements (clock() and time()) and is not stable, so a feed sorted by date alone came out in
# another order from one build to the next. Three builds, a second apart.
S=$TMP/same-day
mkdir -p "$S/content"
cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/themes" "$S/"
for i in $(seq -w 1 240); do
  mkdir "$S/content/doc-$i"
  printf 'date: 2025-05-17\n' >"$S/content/doc-$i/_document.yaml"
  printf -- '---\ntitle: Document %s\n---\nText %s.\n' "$i" "$i" >"$S/content/doc-$i/en.md"
done
for k in 1 2 3; do
  "$WUFPRESS" build --root "$S" --out "$TMP/same-day-$k" --quiet --no-pdf --lang en || fail "build $k of the same-day site"
  [[ $k == 3 ]] || sleep 1
done
check "a feed of 240 documents of one date is the same in three builds" \
  bash -c 'cmp -s "$1/en/feed.xml" "$2/en/feed.xml" && cmp -s "$1/en/feed.xml" "$3/en/feed.xml"' _ "$TMP/same-day-1" "$TMP/same-day-2" "$TMP/same-day-3"
check "... in the site's order (weight, then folder name) among documents of one date" \
  bash -c 'grep -o "<title>Document [0-9]*</title>" "$1/en/feed.xml" | sed "s/[^0-9]//g" | sort -c' _ "$TMP/same-day-1"
