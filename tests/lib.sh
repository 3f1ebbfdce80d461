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
# The pinned browser tools of tests/browser (vnu-jar, axe-core, playwright-core), installed by
# `npm ci` into tests/browser/node_modules when missing or out of date (a copy of the lock file
# is the stamp). --ignore-scripts: vnu-jar's postinstall would download a Java runtime; the
# machine's /usr/bin/java serves. Prints one PASS/FAIL line when it has to install; returns 1
# when npm cannot install them.
browser_tools() {
  local dir=$ROOT/tests/browser out
  local modules=$dir/node_modules
  if cmp -s "$dir/package-lock.json" "$modules/.wufpress-lock" && [[ -f $modules/vnu-jar/build/dist/vnu.jar ]] &&
     [[ -f $modules/axe-core/axe.min.js ]] && [[ -f $modules/playwright-core/package.json ]]; then
    return 0
  fi
  if out=$(cd "$dir" && npm ci --prefer-offline --no-audit --no-fund --ignore-scripts 2>&1) &&
     cp "$dir/package-lock.json" "$modules/.wufpress-lock"; then
    pass "npm installed the pinned browser tools into tests/browser/node_modules"
  else
    fail "npm could not install the pinned browser tools (cd tests/browser && npm ci --ignore-scripts)"
    grep -v '^npm error  *at ' <<<"$out" | head -12 | sed 's/^/  /'
    return 1
  fi
}

# tiny_png FILE: writes a valid 4x4 PNG (content images must be real pictures for the PDF).
tiny_png() {
  python3 - "$1" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
rows = b"".join(b"\x00" + b"\x00\x55\x8c" * 4 for _ in range(4))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
}
