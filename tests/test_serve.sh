#!/usr/bin/env bash
# `wufpress serve`: serves the site on loopback, rebuilds on an edit and shows the new text
# within 2 s, applies an edit of pages as an update of their document and of the site's pages
# that show it, shows a build error in the page and recovers when it is fixed, adds the reload
# script to responses only, and answers 404 to any path that leaves the output folder.
source "$(dirname "$0")/lib.sh"
S=$TMP/site
mkdir -p "$S/content/a"
cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/themes" "$S/"
printf -- '---\ntitle: Served\n---\nThe first version.\n' >"$S/content/a/en.md"
"$WUFPRESS" serve --root "$S" --port 0 >"$TMP/serve.out" 2>"$TMP/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do grep -q '^Serving http://127.0.0.1:' "$TMP/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$TMP/serve.out" | cut -d: -f2)
[[ -n $port ]] && pass "serve prints its loopback URL" || { fail "serve prints its loopback URL"; cat "$TMP/serve.err"; exit 1; }

# get PATH -> "STATUS BODY" (the raw path is sent as is: no client-side normalization).
get() { python3 - "$port" "$1" <<'PY'
import http.client, sys
c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=5)
c.putrequest("GET", sys.argv[2], skip_accept_encoding=True); c.endheaders()
r = c.getresponse(); print(r.status, r.read().decode("utf-8", "replace").replace("\n", " "))
PY
}
check "a page is served" grep -q '^200 .*The first version' <<<"$(get /en/a/)"
check "the reload script is in the response" grep -q '__wufpress/version' <<<"$(get /en/a/)"
check "... but not in the file" bash -c '! grep -q __wufpress "$1/public/en/a/index.html"' _ "$S"

# wait_for PATH PATTERN: polls for up to 2 s; prints the milliseconds it took.
wait_for() {
  local start=$(date +%s%N)
  for _ in $(seq 40); do
    grep -q "$2" <<<"$(get "$1")" && { echo $(( ($(date +%s%N) - start) / 1000000 )); return 0; }
    sleep 0.05
  done
  return 1
}
sed -i 's/The first version/The second version/' "$S/content/a/en.md"
if ms=$(wait_for /en/a/ 'The second version'); then pass "an edit shows up within 2 s (${ms} ms)"; else fail "an edit shows up within 2 s"; fi

printf -- '---\ntitle: [broken\n---\nText\n' >"$S/content/a/en.md"
if wait_for /en/a/ 'content/a/en.md:2: invalid YAML' >/dev/null; then pass "a build error is shown in the page with file:line"
else fail "a build error is shown in the page with file:line"; get /en/a/ | head -c 300; fi
check "... and in the terminal" grep -q 'content/a/en.md:2: invalid YAML' "$TMP/serve.err"
printf -- '---\ntitle: Fixed\n---\nThe third version.\n' >"$S/content/a/en.md"
if wait_for /en/a/ 'The third version' >/dev/null; then pass "fixing the file recovers without a restart"; else fail "fixing the file recovers without a restart"; fi

# After the first build, an edit of pages of documents the site has is applied to the model of
# the last build: those documents are rendered again, and the site's own pages only where they
# show what changed (bench: a 10,000-page site in ~5 ms instead of ~0.5 s).
builds() { grep -c '^wufpress: ' "$TMP/serve.err"; }
updates() { grep -c '^wufpress: [0-9]* documents* updated' "$TMP/serve.err"; }
u0=$(updates)
mkdir -p "$S/content/b"
printf -- '---\ntitle: Second document\n---\nAnother text.\n' >"$S/content/b/en.md"
if wait_for /en/b/ 'Another text' >/dev/null; then pass "a new document folder is built"; else fail "a new document folder is built"; fi
check "... as an update that adds the document" grep -q '^wufpress: 1 document updated (1 new, 0 removed)' "$TMP/serve.err"
check "... listed, and in the sitemap" bash -c 'grep -q "Second document" "$1/en/index.html" &&
  grep -q "Second document" "$1/en/feed.xml" && grep -q "/en/b/" "$1/sitemap.xml"' _ "$S/public"
# A document folder moved away, moved back under another name: updates, and an edit in the
# folder where it went is not the site's.
mv "$S/content/b" "$TMP/b-away"
for _ in $(seq 40); do [[ $(get /en/b/ | cut -d' ' -f1) == 404 ]] && break; sleep 0.05; done
check "a document folder moved away removes its pages" test "$(get /en/b/ | cut -d' ' -f1)" = 404
check "... as an update" grep -q '^wufpress: 1 document updated (0 new, 1 removed)' "$TMP/serve.err"
check "... and it leaves the list" bash -c '! grep -q "Second document" "$1/public/en/index.html"' _ "$S"
n0=$(builds)
echo "More." >>"$TMP/b-away/en.md"
sleep 0.5
check "an edit in the folder moved away builds nothing" test "$(builds)" = "$n0"
mv "$TMP/b-away" "$S/content/b2"
if wait_for /en/b2/ 'Another text' >/dev/null; then pass "a document folder moved in is built"; else fail "a document folder moved in is built"; fi
check "... as an update" test "$(builds)" = $((n0 + 1)) -a "$(updates)" = $((u0 + 3))
mv "$S/content/b2" "$S/content/b"
if wait_for /en/b/ 'Another text' >/dev/null && [[ $(get /en/b2/ | cut -d' ' -f1) == 404 ]]; then
  pass "a renamed document folder moves its pages"; else fail "a renamed document folder moves its pages"; fi
check "... as an update" grep -q '^wufpress: 2 documents updated (1 new, 1 removed)' "$TMP/serve.err"
u0=$(updates)
sed -i 's/The third version/The fourth version/' "$S/content/a/en.md"
wait_for /en/a/ 'The fourth version' >/dev/null
check "a body edit is applied as an update of its document, not a whole build" test "$(updates)" = $((u0 + 1))
check "... which leaves the language's list as it was (no title changed)" grep -q 'Fixed' "$S/public/en/index.html"
sed -i 's/^title: Fixed/title: Renamed/' "$S/content/a/en.md"
if wait_for /en/ 'Renamed' >/dev/null; then pass "a title edit updates the language's list"; else fail "a title edit updates the language's list"; fi
check "... its feed and its status page" bash -c 'grep -q Renamed "$1/en/feed.xml" && grep -q Renamed "$1/en/status/index.html"' _ "$S/public"
check "... as an update" test "$(updates)" = $((u0 + 2))
# A translation that records the original's hash turns stale when the original changes: every
# status page shows it, though no title changed.
hash=$("$WUFPRESS" status --root "$S" | sed -n 's/^content\/a\/en.md: source_hash: //p')
printf -- '---\ntitle: Servi\nsource_hash: %s\n---\nLa quatrième version.\n' "$hash" >"$S/content/a/fr.md"
u1=$(updates)
if wait_for /fr/a/ 'quatrième' >/dev/null; then pass "a new translation is built"; else fail "a new translation is built"; fi
check "... as an update of its document" test "$(updates)" = $((u1 + 1))
check "... which links it from the other languages' pages" grep -q 'href="../../fr/a/"' "$S/public/en/a/index.html"
check "... and lists it in its language's list and feed" bash -c 'grep -q Servi "$1/fr/index.html" && grep -q Servi "$1/fr/feed.xml"' _ "$S/public"
check "... and in the sitemap" grep -q '/fr/a/' "$S/public/sitemap.xml"
check "... and is current on the status pages" bash -c '! grep -q "state-stale" "$1/public/es/status/index.html"' _ "$S"
u1=$(updates)
sed -i 's/The fourth version/The fifth version/' "$S/content/a/en.md"
if wait_for /es/status/ 'state-stale' >/dev/null; then pass "an edit of an original shows its translation stale on the status pages"
else fail "an edit of an original shows its translation stale on the status pages"; fi
check "... as an update" test "$(updates)" = $((u1 + 1))
u1=$(updates)
rm "$S/content/a/fr.md"
for _ in $(seq 40); do [[ $(get /fr/a/ | cut -d' ' -f1) == 404 ]] && break; sleep 0.05; done
check "a removed translation's page is removed" test "$(get /fr/a/ | cut -d' ' -f1)" = 404
check "... with its folder" test ! -e "$S/public/fr/a"
check "... as an update of its document" test "$(updates)" = $((u1 + 1))
check "... which no longer links it" bash -c '! grep -q "href=\"../../fr/a/\"" "$1/public/en/a/index.html"' _ "$S"
check "... nor lists it, nor has it in the sitemap" bash -c '! grep -q "Servi" "$1/public/fr/index.html" && ! grep -q "/fr/a/" "$1/public/sitemap.xml"' _ "$S"
# A file beside the pages goes with a new translation, and with its folder when it is removed.
printf 'year,value\n2024,3\n' >"$S/content/a/data.csv"
wait_for /en/a/data.csv 'year' >/dev/null
u1=$(updates)
printf -- '---\ntitle: Servido\n---\nLa versión.\n' >"$S/content/a/es.md"
if wait_for /es/a/data.csv 'year' >/dev/null; then pass "a new translation gets the files beside the pages"
else fail "a new translation gets the files beside the pages"; fi
check "... as an update" test "$(updates)" = $((u1 + 1))
# Drafting a page removes it like deleting it; undrafting brings it back.
printf -- '---\ntitle: Servido\ndraft: true\n---\nLa versión.\n' >"$S/content/a/es.md"
for _ in $(seq 40); do [[ ! -e $S/public/es/a ]] && break; sleep 0.05; done
check "a page marked draft leaves the output, with the files beside it" test ! -e "$S/public/es/a"
check "... as an update" test "$(updates)" = $((u1 + 2))
rm "$S/content/a/es.md" "$S/content/a/data.csv"
# An error in an update fails like a build and stays until it is fixed, whatever is edited next.
printf -- '---\ntitle: [broken\n---\nText\n' >"$S/content/a/en.md"
wait_for /en/b/ 'content/a/en.md:2: invalid YAML' >/dev/null
sed -i 's/Another text/Another text, edited/' "$S/content/b/en.md"
sleep 0.5
check "an update's error stays while another document is edited" grep -q 'content/a/en.md:2: invalid YAML' <<<"$(get /en/b/)"
printf -- '---\ntitle: Mended\n---\nThe sixth version.\n' >"$S/content/a/en.md"
if wait_for /en/b/ 'Another text, edited' >/dev/null; then pass "... and goes when it is fixed"; else fail "... and goes when it is fixed"; fi
check "... with both documents' edits" grep -q 'The sixth version' <<<"$(get /en/a/)"
# A document with a draft translation: its other pages are updated, the draft stays unbuilt.
printf -- '---\ntitle: Brouillon\ndraft: true\n---\nPas encore.\n' >"$S/content/b/fr.md"
printf '' >>"$S/site.yaml" # a whole build (site.yaml written): it plans the draft's page too
sleep 0.5
sed -i 's/Another text, edited/Another text, edited twice/' "$S/content/b/en.md"
if wait_for /en/b/ 'edited twice' >/dev/null; then pass "a document with a draft translation is updated"
else fail "a document with a draft translation is updated"; get /en/b/ | head -c 300; fi
check "... and its draft is not published" test ! -e "$S/public/fr/b/index.html"
rm "$S/content/b/fr.md"
sleep 0.5
# Part of the output folder removed by hand: the next edit builds it all again.
rm -rf "$S/public/en"
sed -i 's/edited twice/edited three times/' "$S/content/b/en.md"
if wait_for /en/b/ 'edited three times' >/dev/null; then pass "an edit after part of the output was removed rebuilds it"
else fail "an edit after part of the output was removed rebuilds it"; fi
check "... the language's own pages too" test -s "$S/public/en/index.html"
# The content folder replaced by a copy (a checkout tool, a sync): watched again, edits in it seen.
mv "$S/content" "$TMP/content.old" && cp -r "$TMP/content.old" "$S/content"
sleep 0.5
sed -i 's/edited three times/edited in the copy/' "$S/content/b/en.md"
if wait_for /en/b/ 'edited in the copy' >/dev/null; then pass "after the content folder is replaced, edits in the new one are built"
else fail "after the content folder is replaced, edits in the new one are built"; fi

# Every error of an update is reported, as a build reports them, not only the first one.
printf -- '---\ntitle: [x\n---\nT\n' >"$S/content/a/fr.md"
printf -- '---\ntitle: [y\n---\nT\n' >"$S/content/b/fr.md"
if wait_for /en/a/ 'content/b/fr.md:2: invalid YAML' >/dev/null && grep -q 'content/a/fr.md:2: invalid YAML' <<<"$(get /en/a/)"
then pass "an update with errors in two documents reports both"; else fail "an update with errors in two documents reports both"; fi
rm "$S/content/a/fr.md" "$S/content/b/fr.md"
wait_for /en/a/ 'The sixth version' >/dev/null

# A folder made and removed in one burst changes nothing: no build, no reload.
n0=$(builds) v0=$(get /__wufpress/version)
mkdir "$S/content/tmp-folder" && rmdir "$S/content/tmp-folder"
sleep 0.5
check "a document folder made and removed at once builds nothing" test "$(builds)" = "$n0" -a "$(get /__wufpress/version)" = "$v0"
# A document folder with a subfolder, moved away: an edit in the subfolder, now elsewhere, is not the site's.
mkdir -p "$S/content/nest/img"
printf -- '---\ntitle: Nest\n---\nNested.\n' >"$S/content/nest/en.md"
wait_for /en/nest/ 'Nested' >/dev/null
mv "$S/content/nest" "$TMP/nest-away"
for _ in $(seq 40); do [[ $(get /en/nest/ | cut -d' ' -f1) == 404 ]] && break; sleep 0.05; done
n0=$(builds)
echo x >"$TMP/nest-away/img/a.txt"
sleep 0.5
check "an edit in the subfolder of a folder moved away builds nothing" test "$(builds)" = "$n0"

# A folder named like an editor's backup (x~) is not a document, for serve as for the build.
mkdir "$S/content/b~" && printf -- '---\ntitle: Backup\n---\nOld.\n' >"$S/content/b~/en.md"
n0=$(builds)
mkdir "$S/templates/new-folder" # a folder outside content/: a whole build, and every folder watched again
for _ in $(seq 40); do [[ $(builds) != "$n0" ]] && break; sleep 0.05; done
sleep 0.2
echo "Older." >>"$S/content/b~/en.md"
sleep 0.5
check "a page in a backup folder (x~) is not published, even when edited" test ! -e "$S/public/en/b~"
rm -r "$S/content/b~" "$S/templates/new-folder"
sleep 0.3

# A file that an editor makes and removes beside a page in one save (vim's 4913) is no edit.
n0=$(builds) v0=$(get /__wufpress/version)
echo x >"$S/content/b/4913" && rm "$S/content/b/4913"
sleep 0.5
check "a temporary file made and removed beside a page builds nothing" test "$(builds)" = "$n0"
check "... and reloads no open page (the build's version stays)" test "$(get /__wufpress/version)" = "$v0"
# The build's own staging folder appears in the root: it must not start another build.
n0=$(builds)
sleep 1
check "serve does not rebuild by itself (its staging folder in the root is not an edit)" test "$(builds)" = "$n0"

ln -s /etc "$S/public/etc-link" 2>/dev/null
echo secret >"$S/site-secret.txt"
for path in '/../site.yaml' '/%2e%2e/site.yaml' '/en/%2e%2e/%2e%2e/site-secret.txt' '/..%2fsite.yaml' '/etc-link/passwd' '/en/a/../../../site.yaml'; do
  [[ $(get "$path" | cut -d' ' -f1) == 404 ]] && pass "path outside public/ is 404: $path" || fail "path outside public/ is 404: $path ($(get "$path" | head -c 80))"
done
[[ $(get /no/such/page/ | cut -d' ' -f1) == 404 ]] && pass "a missing page is 404" || fail "a missing page is 404"
