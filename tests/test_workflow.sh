#!/usr/bin/env bash
# The editor's and CI's workflow: a rebuild rewrites only what an edit changed, a failed build
# leaves public/ exactly as it was, and files beside a document are published with it.
source "$(dirname "$0")/lib.sh"
S=$TMP/site
mkdir -p "$S/content/a" "$S/content/b"
cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/themes" "$S/"
for d in a b; do for l in en fr ar; do
  printf -- "---\ntitle: $d $l\n---\nText of $d in $l. ![pic](pic.png)\n" >"$S/content/$d/$l.md"
done; done
tiny_png "$S/content/a/pic.png"
tiny_png "$S/content/b/pic.png"
"$WUFPRESS" build --root "$S" --quiet || fail "the workflow site builds"
P=$S/public
check "files beside a document are published with each translation" \
  bash -c 'for l in en fr ar; do cmp -s "$1/content/a/pic.png" "$1/public/$l/a/pic.png" || exit 1; done' _ "$S"

snapshot() { (cd "$P" && find . -type f -printf '%i %T@ %p\n' | sort -k3); }
before=$(snapshot)
sleep 0.05
"$WUFPRESS" build --root "$S" --quiet
check "a rebuild with no change rewrites no file (same inodes and mtimes)" test "$before" == "$(snapshot)"

sed -i 's/Text of a in fr/Texte modifié de a/' "$S/content/a/fr.md"
"$WUFPRESS" build --root "$S" --quiet
changed=$(diff <(echo "$before") <(snapshot) | grep '^>' | awk '{print $4}' | sort | tr '\n' ' ')
[[ $changed == "./fr/a/a-fr.pdf ./fr/a/index.html " ]] && pass "editing one paragraph rewrites only that page and its PDF" ||
  fail "editing one paragraph rewrites only that page and its PDF (rewritten: $changed)"

before=$(snapshot)
sed -i 's/title: b en/title: b renamed/' "$S/content/b/en.md"
"$WUFPRESS" build --root "$S" --quiet
changed=$(diff <(echo "$before") <(snapshot) | grep '^>' | awk '{print $4}' | sort | tr '\n' ' ')
# (status pages of languages without b show its original title)
[[ $changed == "./en/b/b-en.pdf ./en/b/index.html ./en/feed.xml ./en/index.html ./en/status/index.html ./es/status/index.html ./ru/status/index.html ./zh/status/index.html " ]] &&
  pass "renaming a document rewrites its page and the lists that show its title" ||
  fail "renaming a document rewrites its page and the lists that show its title (rewritten: $changed)"

# A build that fails midway (one template error on one page, after others were rendered)
# leaves public/ byte for byte as it was, and no staging folder behind.
sums() { (cd "$P" && find . -type f -exec md5sum {} + | sort -k2); }
before=$(sums)
printf -- '---\ntitle: x\n---\nNew text\n' >"$S/content/b/fr.md"
printf '<%% layout("base.html") %%><%%= page.lang == "fr" and nil .. "x" or "" %%>\n' >"$S/templates/document.html"
out=$("$WUFPRESS" build --root "$S" --jobs 2 2>&1); rc=$?
[[ $rc == 1 ]] && grep -q '^templates/document.html:1: ' <<<"$out" && pass "a template error on one page fails the build" ||
  fail "a template error on one page fails the build ($rc: $out)"
check "after a failed build public/ is unchanged" test "$before" == "$(sums)"
check "after a failed build no staging folder is left" bash -c '! ls -d "$1"/public.* 2>/dev/null' _ "$S"

# Outputs the build no longer makes are removed; names site.yaml preserves (a search index made
# by another tool after the build) are left alone.
cp "$ROOT/templates/document.html" "$S/templates/document.html"
printf -- '---\ntitle: b fr\n---\nText.\n' >"$S/content/b/fr.md"
mkdir -p "$P/pagefind" "$P/en/gone/deeper" && echo index >"$P/pagefind/index.js" && echo stale >"$P/en/old.html"
echo stale >"$P/en/gone/deeper/index.html" && mkdir -p "$TMP/outside" && echo mine >"$TMP/outside/keep.txt"
ln -s "$TMP/outside" "$P/en/gone/outside-link"
grep -q '^preserve:.*pagefind' "$S/site.yaml" || printf 'preserve: [pagefind]\n' >>"$S/site.yaml"
"$WUFPRESS" build --root "$S" --quiet || fail "the site builds again"
check "an output the build no longer makes is removed" test ! -e "$P/en/old.html"
check "... and a folder of them, with what is in it (a symbolic link removed, not followed)" \
  bash -c 'test ! -e "$1/en/gone" && test ! -L "$1/en/gone/outside-link" && test -s "$2/outside/keep.txt"' _ "$P" "$TMP"
check "a preserved folder is left alone" test -s "$P/pagefind/index.js"
