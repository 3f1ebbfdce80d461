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
