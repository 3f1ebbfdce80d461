#!/usr/bin/env bash
# Gates for every PDF of the bundled site: qpdf --check clean, poppler silent, every font
# embedded and subset, metadata present, text extractable.
source "$(dirname "$0")/lib.sh"
"$WUFPRESS" build --root "$ROOT" --out "$TMP/public" --quiet || { fail "the bundled site builds"; exit 0; }
mapfile -t pdfs < <(find "$TMP/public" -name '*.pdf' | sort)
expected=$(find "$ROOT/content" -name '*.md' | wc -l)
[[ ${#pdfs[@]} == "$expected" ]] && pass "one PDF per page of the bundled site (${#pdfs[@]})" ||
  fail "one PDF per page of the bundled site (${#pdfs[@]} PDFs for $expected pages)"
# gate PDF: prints one line per problem; nothing when the file passes every gate.
gate() {
  local pdf=$1 problems=()
  qpdf --check "$pdf" >"$TMP/qpdf" 2>&1 || problems+=("qpdf --check: $(grep -v '^checking\|^PDF Version\|^File is not\|^No syntax' "$TMP/qpdf" | head -2 | tr '\n' ' ')")
  grep -qi 'warning' "$TMP/qpdf" && problems+=("qpdf warns: $(grep -i warning "$TMP/qpdf" | head -1)")
  : >"$TMP/err"
  pdffonts "$pdf" >"$TMP/fonts" 2>"$TMP/err" || problems+=("pdffonts failed")
  awk 'NR > 2 && ($(NF-4) != "yes" || $(NF-3) != "yes")' "$TMP/fonts" | grep -q . && problems+=("a font is not embedded and subset")
  [[ $(awk 'NR > 2' "$TMP/fonts" | wc -l) -ge 1 ]] || problems+=("no fonts")
  pdfinfo "$pdf" >"$TMP/info" 2>>"$TMP/err" || problems+=("pdfinfo failed")
  grep -q '^Title: *[^ ]' "$TMP/info" || problems+=("no Title")
  pdftotext "$pdf" "$TMP/text" 2>>"$TMP/err" || problems+=("pdftotext failed")
  [[ $(tr -d '[:space:]' <"$TMP/text" 2>/dev/null | wc -c) -gt 500 ]] || problems+=("too little extractable text")
  [[ -s $TMP/err ]] && problems+=("poppler says: $(head -1 "$TMP/err")")
  ((${#problems[@]})) && printf '%s\n' "${problems[@]}"
  return 0
}

for pdf in "${pdfs[@]}"; do
  name=${pdf#"$TMP/public/"}
  problems=$(gate "$pdf")
  if [[ -z $problems ]]; then pass "$name: qpdf clean, fonts embedded and subset, title, text"
  else fail "$name"; sed 's/^/  /' <<<"$problems"; fi
done

# The gate itself fails on a broken PDF: one cut short, one whose font was not embedded.
head -c $(( $(stat -c %s "${pdfs[0]}") * 2 / 3 )) "${pdfs[0]}" >"$TMP/cut.pdf"
check "the gates reject a truncated PDF" bash -c '[[ -n $1 ]]' _ "$(gate "$TMP/cut.pdf")"
sed 's|/FontFile2|/FontFileX|' "${pdfs[0]}" >"$TMP/nofont.pdf"
check "the gates reject a PDF without its embedded font" bash -c '[[ -n $1 ]]' _ "$(gate "$TMP/nofont.pdf")"

# Each page links its PDF, with its language and size.
check "every document page links its PDF with language and size" python3 - "$TMP/public" <<'PY'
import os, re, sys
root = sys.argv[1]
for lang in os.listdir(root):
    d = os.path.join(root, lang)
    if not os.path.isdir(d) or len(lang) != 2:
        continue
    for doc in os.listdir(d):
        pdf = os.path.join(d, doc, f"{doc}-{lang}.pdf")
        if not os.path.isfile(pdf):
            continue
        html = open(os.path.join(d, doc, "index.html"), encoding="utf-8").read()
        m = re.search(r'<p class="download"><a href="([^"]+)" download type="application/pdf" hreflang="(\w+)">', html)
        assert m and m.group(1).endswith(f"/{doc}-{lang}.pdf") and m.group(2) == lang, (lang, doc)
        kb = -(-os.path.getsize(pdf) // 1024)
        info = re.search(r'<span class="file-info">([^<]*)</span>', html).group(1)
        assert re.sub(r"\D", "", info.split("PDF")[1]) == str(kb), (lang, doc, info, kb)
PY

# Tables read logically, as in HTML: the Arabic report's label column is at the start (right),
# its numbers at the end (left), though the Markdown copied the English `|:---|---:|`.
check "an Arabic table's label column is on the right, its numbers on the left" python3 - "$TMP/public/ar/wuf12-report/wuf12-report-ar.pdf" <<'PY'
import re, subprocess, sys
xml = subprocess.run(["pdftotext", "-bbox", sys.argv[1], "-"], capture_output=True, text=True).stdout
words = re.findall(r'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]+)<', xml)
label = [float(b) for a, b, w in words if w == "ءارزولا"]   # الوزراء, as poppler spells RTL words
number = [float(a) for a, b, w in words if w == "60"]
assert label and number and min(label) > 400 and min(number) < 200, (label, number)
PY
