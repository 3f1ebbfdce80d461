#!/usr/bin/env bash
# search/index.sh [PUBLIC_DIR] — builds the site search index into PUBLIC_DIR/pagefind/ (default:
# public/ beside this folder) with Pagefind, pinned in search/package.json + package-lock.json and
# installed by `npm ci` into search/node_modules when missing or out of date. Pagefind's binary
# comes inside its npm package (@pagefind/<platform>): nothing else is downloaded.
#
# Run it after `wufpress build`; site.yaml's `preserve: [pagefind]` keeps the index through
# wufpress's next build until this script replaces it. Only documents are indexed
# (templates/document.html marks their body with data-pagefind-body), one index per language.
#
# Search is an enhancement: when npm or Pagefind cannot be had (offline, another platform) this
# prints one line, "search: skipped: <why>", and exits 0, and the site works without search.
# Exit status 1 only when Pagefind ran and failed on the site. SEARCH_QUIET=1 hides the summary.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PUBLIC=${1:-$HERE/../public}
MODULES=$HERE/node_modules
STAMP=$MODULES/.wufpress-lock

# An index this run cannot rebuild would describe an older site: it goes, and the box stays hidden.
skip() { rm -rf "$PUBLIC/pagefind"; echo "search: skipped: $*"; exit 0; }

[[ -d $PUBLIC ]] || { echo "search: $PUBLIC is not a built site (run wufpress build first)" >&2; exit 1; }
PUBLIC=$(cd "$PUBLIC" && pwd)

# The Pagefind binary for this platform, as the npm package installed it.
find_binary() {
  local b
  for b in "$MODULES"/@pagefind/*/bin/pagefind_extended "$MODULES"/@pagefind/*/bin/pagefind; do
    [[ -x $b ]] && { echo "$b"; return 0; }
  done
  return 1
}

if ! cmp -s "$HERE/package-lock.json" "$STAMP" || ! find_binary >/dev/null; then
  command -v npm >/dev/null || skip "npm is not installed (apt-get install npm), so no search index"
  # --ignore-scripts: nothing runs at install time; the binary is a file of the platform package.
  if ! out=$(cd "$HERE" && npm ci --prefer-offline --no-audit --no-fund --ignore-scripts \
                 --fetch-timeout=30000 --fetch-retries=1 2>&1); then
    why=$(grep -m1 -iE 'npm (error|ERR!) (code|network|[a-z]+ [a-z])' <<<"$out" | sed 's/^npm \(error\|ERR!\) //')
    skip "npm could not install pagefind (${why:-see: cd search && npm ci --ignore-scripts}), so no search index"
  fi
  cp "$HERE/package-lock.json" "$STAMP"
fi
BIN=$(find_binary) || skip "pagefind has no binary for $(uname -sm), so no search index"

# The index is rebuilt whole: an index of pages that no longer exist must not survive.
rm -rf "$PUBLIC/pagefind"
if ! out=$("$BIN" --site "$PUBLIC" --output-subdir pagefind 2>&1); then
  echo "search: pagefind failed on $PUBLIC:" >&2
  sed 's/^/  /' <<<"$out" >&2
  exit 1
fi
# Pagefind also writes ready-made search interfaces (~450 KB) that the theme does not use.
rm -f "$PUBLIC"/pagefind/pagefind-ui.* "$PUBLIC"/pagefind/pagefind-modular-ui.* "$PUBLIC"/pagefind/pagefind-component-ui.*
if grep -q 'Did not find a data-pagefind-body' <<<"$out"; then
  echo "search: warning: no page has data-pagefind-body; every page was indexed whole" >&2
fi
if [[ ${SEARCH_QUIET:-} != 1 ]]; then
  langs=$(sed -nE 's/.*Indexed ([0-9]+) languages?.*/\1/p' <<<"$out")
  pages=$(sed -nE 's/.*Indexed ([0-9]+) pages?.*/\1/p' <<<"$out")
  echo "search: indexed ${pages:-?} pages in ${langs:-?} languages into ${PUBLIC#"$PWD"/}/pagefind/"
fi
