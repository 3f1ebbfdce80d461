#!/usr/bin/env bash
# Site search (search/index.sh + templates/partials/search.html + js/search.js) on a fresh build of
# the bundled site:
#   - search/index.sh installs the pinned Pagefind and indexes the documents, one index per
#     language; without npm it skips with one notice line and exit status 0;
#   - wufpress's next build keeps public/pagefind/ (site.yaml: preserve: [pagefind]);
#   - every page has the search box, hidden until the script finds the index; only documents are
#     indexed, and every numbered paragraph is a place a result can open (#para-N);
#   - in Chromium (search/test/search-checks.js): typed queries in Chinese, Arabic with and without
#     harakat, French with and without accents, English find the right document and paragraph;
#     the search box with results open passes axe-core; without JavaScript it stays hidden.
# The browser tools (playwright-core, axe-core) are tests/test_html_quality.sh's, pinned in
# tests/browser/package-lock.json and installed the same way when missing.
source "$(dirname "$0")/lib.sh"
BROWSER=$ROOT/tests/browser
MODULES=$BROWSER/node_modules
P=$TMP/public

# --- the browser tools -------------------------------------------------------------------------
browser_tools || exit 1

# --- build and index -----------------------------------------------------------------------------
if ! out=$("$WUFPRESS" build --root "$ROOT" --out "$P" --quiet 2>&1); then
  fail "the bundled site builds"; sed 's/^/  /' <<<"$out" | head -20; exit 1
fi
if ! out=$(bash "$ROOT/search/index.sh" "$P" 2>&1) || grep -q '^search: skipped' <<<"$out" ||
   [[ ! -f $P/pagefind/pagefind.js ]]; then
  fail "search/index.sh builds the search index (npm installs the pinned pagefind into search/node_modules)"
  sed 's/^/  /' <<<"$out" | head -12; exit 1
fi
pass "search/index.sh builds the search index: $(sed -E 's/^search: //; s/ into .*//' <<<"$out")"

ndocs=$(find "$ROOT/content" -mindepth 1 -maxdepth 1 -type d | wc -l)
counts=$(python3 - "$P/pagefind/pagefind-entry.json" <<'EOF'
import json, sys
langs = json.load(open(sys.argv[1]))["languages"]
print(" ".join(f"{code}:{v['page_count']}" for code, v in sorted(langs.items())))
EOF
)
want=$(for l in ar en es fr ru zh; do
  printf '%s:%s ' "$l" "$(find "$ROOT/content" -name "$l.md" | wc -l)"; done | sed 's/ $//')
[[ $counts == "$want" ]] &&
  pass "one index per language, of the documents only ($counts)" ||
  fail "one index per language, of the documents only: got '$counts', want '$want'"

# --- the pages -------------------------------------------------------------------------------------
mapfile -t pages < <(cd "$P" && find . -name '*.html' -not -path './pagefind/*' | sort)
missing=$(cd "$P" && grep -L '<search class="site-search" id="site-search" hidden' "${pages[@]}")
[[ -z $missing ]] && pass "all ${#pages[@]} pages have the search box, hidden until the script finds the index" ||
  { fail "pages without the hidden search box"; sed 's/^/  /' <<<"$missing" | head -5; }
bad=""
for f in "$P"/*/*/index.html; do
  [[ $f == */status/index.html ]] && continue
  grep -q 'data-pagefind-body' "$f" || bad+="${f#"$P"/}: no data-pagefind-body"$'\n'
  n=$(grep -c '<p id="para-[0-9]*"' "$f"); t=$(grep -c '<p id="para-[0-9]*"[^>]* data-pagefind-title="[^"]' "$f")
  ((n == t)) || bad+="${f#"$P"/}: $t of $n numbered paragraphs are search places"$'\n'
  n=$(grep -c '<li id="fn-' "$f"); t=$(grep -c '<li id="fn-[^>]* data-pagefind-title="[^"]' "$f")
  ((n == t)) || bad+="${f#"$P"/}: $t of $n notes are search places"$'\n'
done
[[ -z $bad ]] && pass "documents mark their body for the index and every numbered paragraph and note as a place" ||
  { fail "documents are not marked for the index"; sed 's/^/  /' <<<"$bad" | head -5; }

# --- wufpress keeps the index; index.sh without npm -----------------------------------------------
if "$WUFPRESS" build --root "$ROOT" --out "$P" --quiet >/dev/null 2>&1 && [[ -f $P/pagefind/pagefind.js ]]; then
  pass "wufpress's next build keeps public/pagefind/ (site.yaml preserve: [pagefind])"
else
  fail "wufpress's next build removed public/pagefind/ (site.yaml needs preserve: [pagefind])"
fi
mkdir -p "$TMP/offline/search" "$TMP/offline-site"
cp "$ROOT/search/index.sh" "$ROOT/search/package.json" "$ROOT/search/package-lock.json" "$TMP/offline/search/"
cp -r "$P/." "$TMP/offline-site/"
out=$(npm_config_registry=http://127.0.0.1:9/ npm_config_cache=$TMP/offline/cache npm_config_fetch_retries=0 \
  timeout 60 bash "$TMP/offline/search/index.sh" "$TMP/offline-site" 2>&1); rc=$?
if ((rc == 0)) && [[ $(grep -c . <<<"$out") == 1 ]] && grep -q '^search: skipped: ' <<<"$out" &&
   [[ ! -e $TMP/offline-site/pagefind ]]; then
  pass "without the npm registry search/index.sh prints one notice and exits 0 (${out#search: })"
else
  fail "without the npm registry search/index.sh should print one 'search: skipped: ...' line and exit 0 (status $rc)"
  sed 's/^/  /' <<<"$out" | head -5
fi

# --- in the browser --------------------------------------------------------------------------------
command -v node >/dev/null || { fail "node is installed (make installs it)"; exit 1; }
NODE_PATH=$MODULES timeout 120 node "$ROOT/search/test/search-checks.js" "$P"
rc=$?
(( rc == 0 || rc == 1 )) || fail "the search browser checks ended abnormally (status $rc)"
exit 0
