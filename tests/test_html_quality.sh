#!/usr/bin/env bash
# HTML quality gates on a fresh build of the bundled site:
#   - the Nu HTML Checker (npm vnu-jar, one JVM for every page): zero errors on every .html file;
#   - axe-core in Debian's Chromium (npm playwright-core, one browser for every page): zero
#     accessibility violations on the home page and, in English, Arabic and Chinese, the language
#     index, a document and the status page, at desktop and phone widths;
#   - the language switcher keeps the reader's paragraph (#para-12 in French -> Arabic);
#   - both gates are shown to fail on deliberately broken pages (tests/browser/fixtures/).
# The npm tools are pinned in tests/browser/package.json + package-lock.json and installed into
# tests/browser/node_modules by `npm ci` when missing or out of date.
source "$(dirname "$0")/lib.sh"
BROWSER=$ROOT/tests/browser
MODULES=$BROWSER/node_modules
VNU=$MODULES/vnu-jar/build/dist/vnu.jar

# --- the pinned tools -------------------------------------------------------------------------
browser_tools || exit 1
for tool in java node; do
  command -v $tool >/dev/null || { fail "$tool is installed (make installs it)"; exit 1; }
done

# --- a fresh build ------------------------------------------------------------------------------
P=$TMP/public
if ! out=$("$WUFPRESS" build --root "$ROOT" --out "$P" --quiet 2>&1); then
  fail "the bundled site builds"; sed 's/^/  /' <<<"$out" | head -20; exit 1
fi
mapfile -t pages < <(cd "$P" && find . -name '*.html' | sed 's|^\./||' | LC_ALL=C sort)
(( ${#pages[@]} >= 30 )) && pass "the build has ${#pages[@]} HTML pages to check" ||
  fail "the build has only ${#pages[@]} HTML pages"

# --- Nu HTML Checker: one JVM for the site and the broken page ----------------------------------
mkdir -p "$TMP/broken"
cp "$BROWSER/fixtures/broken-html.html" "$TMP/broken/broken-html.html"
vnu_out=$(cd "$P" && java -Xss2m -jar "$VNU" --format gnu "${pages[@]}" "$TMP/broken/broken-html.html" 2>&1)
site_msgs=$(grep -v 'broken-html\.html' <<<"$vnu_out" | sed -E 's|^"?file:[^"]*/public/||; s|^"||')
errors=$(grep -E ': (error|fatal)' <<<"$site_msgs")
warnings=$(grep -E ': info warning:' <<<"$site_msgs")
n_err=$(grep -c . <<<"$errors"); n_warn=$(grep -c . <<<"$warnings")
if [[ -z $errors ]] && ! grep -qiE 'exception|could not|not found' <<<"$site_msgs"; then
  pass "Nu HTML Checker: 0 errors in ${#pages[@]} pages ($n_warn warnings)"
else
  fail "Nu HTML Checker: $n_err errors in the built site"
  sed 's/^/  /' <<<"$errors" | head -30
  grep -iE 'exception|could not|not found' <<<"$site_msgs" | head -5 | sed 's/^/  /'
fi
if [[ -n $warnings ]]; then
  # Warnings do not fail the gate; show them once, grouped, so they get fixed.
  sed -E 's/^[^:]+:[0-9.-]+: info warning: //' <<<"$warnings" | sort | uniq -c | sort -rn | head -5 |
    sed 's/^ */  warning ×/'
fi
broken_errors=$(grep 'broken-html\.html' <<<"$vnu_out" | grep -cE ': error')
(( broken_errors >= 3 )) && pass "Nu HTML Checker rejects a broken page ($broken_errors errors)" ||
  { fail "Nu HTML Checker does not reject tests/browser/fixtures/broken-html.html"; grep 'broken' <<<"$vnu_out" | head -5 | sed 's/^/  /'; }

# --- axe-core and the language switcher in one Chromium ------------------------------------------
mkdir -p "$P/__broken__"
cp "$BROWSER/fixtures/broken-a11y.html" "$P/__broken__/index.html"
axe_pages=(/index.html)
for l in en ar zh; do axe_pages+=("/$l/" "/$l/ed-report-wuf12-wuf13/" "/$l/wuf12-report/" "/$l/status/"); done
axe_pages+=(/en/404.html /ar/404.html)
NODE_PATH=$MODULES timeout 150 node "$BROWSER/browser-checks.js" "$P" /__broken__/ "${axe_pages[@]}"
rc=$?
(( rc == 0 || rc == 1 )) || fail "the browser checks ended abnormally (status $rc)"
exit 0
