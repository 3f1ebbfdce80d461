#!/usr/bin/env bash
# The bad-input catalogue: each input gives a clear file:line error or a correct result, never a
# crash or a hang (every build here runs under a time limit).
source "$(dirname "$0")/lib.sh"
S=$TMP/site
mkdir -p "$S/content/d"
cp -r "$ROOT/site.yaml" "$ROOT/templates" "$ROOT/themes" "$S/"
build() { timeout 60 "$WUFPRESS" build --root "$S" --quiet "$@" 2>&1; }
outcome() { # NAME WANT_STATUS PATTERN: builds and checks status and message
  local out rc; out=$(build); rc=$?
  if [[ $rc == "$2" ]] && grep -qE -- "$3" <<<"$out"; then pass "$1"
  else fail "$1 (status $rc)"; head -c 600 <<<"$out" | sed 's/^/  /'; fi
}

printf -- '---\ntitle: Only a title\n---\n' >"$S/content/d/en.md"
outcome "a document with only a title builds" 0 '^$'
check "... into a page with its title" grep -q '<h1>Only a title</h1>' "$S/public/en/d/index.html"

: >"$S/content/d/en.md"
outcome "an empty file is an error with file:line" 1 '^content/d/en\.md:1: missing front matter'

head -c 3000 /dev/urandom >"$S/content/d/en.md"
outcome "binary junk is an error, not a crash" 1 '^content/d/en\.md:[0-9]+: (invalid UTF-8|the file contains a NUL byte|missing front matter)'

printf -- '---\ntitle: T\n---\n' >"$S/content/d/en.md"
python3 -c "import sys; sys.stdout.write(' '.join(['urbanization'] * 420000) + '\n')" >>"$S/content/d/en.md"
start=$(date +%s%N)
outcome "a 5 MB paragraph builds" 0 '^$'
echo "  (5 MB paragraph: $(( ($(date +%s%N) - start) / 1000000 )) ms)"
check "... and is all there" bash -c '[[ $(grep -o urbanization "$1" | wc -l) -ge 420000 ]]' _ "$S/public/en/d/index.html"

{ printf -- '---\ntitle: T\n---\n'; for i in $(seq 2000); do printf '>'; done; echo ' deep'; for i in $(seq 500); do printf '%*s- item\n' $((i * 2)) ''; done; } >"$S/content/d/en.md"
outcome "deeply nested quotes and lists build" 0 '^$'

printf -- '---\ntitle: T\n---\n## %s\n\nText.\n' "$(python3 -c "print('Title ' * 20000)")" >"$S/content/d/en.md"
outcome "a 120 KB heading builds" 0 '^$'

printf -- '---\ntitle: T\nsummary: |\n  multi\n  line\nweight: [1, {a: b}]\n---\nText\n' >"$S/content/d/en.md"
outcome "unusual YAML values are passed through" 0 '^$'

printf -- '---\ntitle: T\n---\nText\n' >"$S/content/d/en.md"
printf -- '- not\n- a map\n' >"$S/content/d/_document.yaml"
outcome "a _document.yaml that is not a map: file:line" 1 '^content/d/_document\.yaml:1: expected a map'
rm "$S/content/d/_document.yaml"

printf -- 'title: [\n' >"$S/themes/default/i18n/fr.yaml"
outcome "a broken i18n file: file:line" 1 '^themes/default/i18n/fr\.yaml:[12]: invalid YAML'

# Pictures: a file that is not an image, and a PNG whose data is corrupt, are file:line errors
# (libharu's own PNG loader aborts the process on the latter); a good PNG is embedded.
mkdir -p "$S/content/d"
cp -r "$ROOT/themes" "$S/"
printf -- '---\ntitle: T\n---\nText.\n\n![a picture](pic.png)\n' >"$S/content/d/en.md"
printf 'this is not a PNG' >"$S/content/d/pic.png"
outcome "a picture that is not an image: file:line" 1 "^content/d/en\.md:6: image 'pic\.png' is not a readable PNG or JPEG file"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0garbage' >"$S/content/d/pic.png"
outcome "a corrupt PNG: file:line, no crash" 1 "^content/d/en\.md:6: image 'pic\.png' is not a readable PNG or JPEG file: .*CRC"
python3 - "$S/content/d/pic.png" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
rows = b"".join(b"\x00" + b"\x00\x55\x8c" * 32 for _ in range(16))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 16, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
PY
outcome "a good PNG builds" 0 '^$'
check "... and is embedded in the PDF" bash -c 'pdfimages -list "$1" | grep -q " 32 *16 *rgb"' _ "$S/public/en/d/d-en.pdf"
printf -- '---\ntitle: T\n---\nWords before ![a picture](pic.png) and after.\n' >"$S/content/d/en.md"
outcome "a picture inside a sentence builds" 0 '^$'
check "... and the sentence around it is in the PDF" bash -c 'pdftotext "$1" - | tr -s " \n" " " | grep -q "Words before .* and after"' _ "$S/public/en/d/d-en.pdf"

# A document folder named like one of the site's own pages in a language folder would overwrite
# it (or be overwritten): an error naming both, and the output folder stays as it was.
printf -- '---\ntitle: Fine\n---\nText\n' >"$S/content/d/en.md"
build >/dev/null
mkdir -p "$S/content/status"
printf -- '---\ntitle: Status report\n---\nText\n' >"$S/content/status/fr.md"
outcome "a document folder named 'status' is an error with file:line" 1 \
  "^content/status/fr\.md:1: the folder name 'status' is taken by the site's own page fr/status/index\.html"
check "... and the published status page is left as it was" bash -c '! grep -q "Status report" "$1/public/fr/status/index.html"' _ "$S"
rm -r "$S/content/status"
