# Shared helpers for tests/test_*.sh. Source it; call `pass`, `fail`, `check`.
# Every check prints exactly one PASS:/FAIL: line; lines indented by two spaces explain a failure.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WUFPRESS=${WUFPRESS:-$ROOT/bin/wufpress}
TOOLS_DIR=${TOOLS_DIR:-$ROOT/build/tools}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wufpress-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1730937600}

pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }
# check NAME COMMAND...: PASS if the command succeeds, else FAIL with its output indented.
check() {
  local name=$1; shift
  local out
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name"; sed 's/^/  /' <<<"$out" | head -20; fi
}
# A copy of the bundled site to change freely.
copy_site() {
  local dest=$1
  mkdir -p "$dest"
  cp -r "$ROOT/site.yaml" "$ROOT/content" "$ROOT/templates" "$ROOT/themes" "$dest/"
}
