#!/usr/bin/env bash
# `wufpress check`: links, anchors and images that lead nowhere, unknown front matter keys, and
# missing or stale translations; one file:line line per problem, exit 1 on errors.
source "$(dirname "$0")/lib.sh"
S=$TMP/site
mkdir -p "$S/content/a" "$S/content/b"
cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/themes" "$S/"
printf 'original: en\nnumbered_paragraphs: true\n' >"$S/content/a/_document.yaml"
cat >"$S/content/a/en.md" <<'MD'
---
title: A
---
Good links: [b](../b/), [b in French](/fr/b/), [para](#para-2), [note](#fn-n), [home](../../),
[a heading](../b/#background), [status](../status/), ![logo](logo.png), [web](https://example.org/x).[^n]

Second paragraph.

[^n]: A note.
MD
printf 'PNG' >"$S/content/a/logo.png"
printf -- '---\ntitle: B\n---\n## Background\n\nText.\n' >"$S/content/b/en.md"
printf -- '---\ntitle: B fr\n---\n## Contexte\n\nTexte.\n' >"$S/content/b/fr.md"

out=$("$WUFPRESS" check --root "$S" 2>&1); rc=$?
if [[ $rc == 0 ]] && ! grep -q ': error\|leads nowhere\|no anchor\|unknown' <<<"$out"; then pass "a site whose links all resolve checks clean"
else fail "a site whose links all resolve checks clean (status $rc)"; sed 's/^/  /' <<<"$out"; fi
check "missing translations are warnings" grep -q '^content/a/fr.md: warning: missing translation$' <<<"$out"

cat >>"$S/content/a/en.md" <<'MD'

Broken: [gone](../nowhere/), [bad anchor](../b/#no-such-heading), [bad para](#para-9). Phoenician: 𐤀.

![missing](missing.png)
MD
printf -- '---\ntitle: B\nsumary: typo\ndraft: yes please\n---\n## Background\n\nText.\n' >"$S/content/b/en.md"
printf 'weight: heavy\n' >"$S/content/b/_document.yaml"
out=$("$WUFPRESS" check --root "$S" 2>&1); rc=$?
[[ $rc == 1 ]] && pass "check exits 1 when it finds errors" || fail "check exits 1 when it finds errors (got $rc)"
expect_line() { grep -qxF -- "$2" <<<"$out" && pass "$1" || { fail "$1"; echo "  want: $2"; sed 's/^/  got: /' <<<"$out"; }; }
expect_line "a character no PDF font covers is reported with file:line" "content/a/en.md:11: no font covers U+10900 (PHOENICIAN LETTER ALF)"
expect_line "a broken link is reported with file:line" "content/a/en.md:11: link '../nowhere/' leads nowhere (no page or file at /en/nowhere/)"
expect_line "a missing anchor is reported" "content/a/en.md:11: link '../b/#no-such-heading': content/b/en.md has no anchor 'no-such-heading'"
expect_line "a paragraph number past the end is reported" "content/a/en.md:11: link '#para-9': content/a/en.md has no anchor 'para-9'"
expect_line "a missing image is reported" "content/a/en.md:13: image 'missing.png' leads nowhere (no page or file at /en/a/missing.png)"
expect_line "an unknown front matter key is reported with a suggestion" "content/b/en.md:3: unknown front matter key 'sumary' (did you mean 'summary'?)"
expect_line "a value of the wrong type is reported" "content/b/en.md:4: 'draft' should be a bool, not a string"
expect_line "_document.yaml is checked too" "content/b/_document.yaml:1: 'weight' should be a number, not a string"

# A translation with fewer paragraphs than its original is stale: a warning, an error with --strict.
printf 'original: en\nnumbered_paragraphs: true\n' >"$S/content/b/_document.yaml"
printf -- '---\ntitle: B\n---\n## Background\n\nText.\n\nMore.\n' >"$S/content/b/en.md"
sed -i '/^Broken/,$d' "$S/content/a/en.md"
out=$("$WUFPRESS" check --root "$S" 2>&1); rc=$?
[[ $rc == 0 ]] && pass "stale translations alone do not fail check" || { fail "stale translations alone do not fail check ($rc)"; sed 's/^/  /' <<<"$out"; }
expect_line "a stale translation is a warning" "content/b/fr.md:1: warning: stale translation: 1 numbered paragraphs, the original has 2"
"$WUFPRESS" check --root "$S" --strict >/dev/null 2>&1; rc=$?
[[ $rc == 1 ]] && pass "--strict makes stale and missing translations errors" || fail "--strict exit status $rc"
"$WUFPRESS" check --root "$ROOT" >/dev/null 2>&1 && pass "the bundled site checks clean" || fail "the bundled site checks clean"

# A document folder named like a site page of a language folder: the error a build would stop on.
mkdir -p "$S/content/status"
printf -- '---\ntitle: Status report\n---\nText.\n' >"$S/content/status/en.md"
out=$("$WUFPRESS" check --root "$S" --no-pdf 2>&1); rc=$?
check "a document folder named 'status' is an error of check, with file:line" bash -c '[[ $1 == 1 ]] &&
  grep -q "^content/status/en.md:1: the folder name .status. is taken by the site.s own page en/status/index.html" <<<"$2"' _ "$rc" "$out"
rm -r "$S/content/status"
