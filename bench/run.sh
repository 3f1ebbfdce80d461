#!/bin/sh
# bench/run.sh — what `make bench` runs: wufpress against Hugo (HTML) and WeasyPrint (PDF) on the
# same input, a rebuild after one edit and the whole bundled site; prints a table with PASS/MISS
# per target of issue 10 and exits 0. Installs hugo, weasyprint (and time) from Debian when
# missing and run as root; otherwise prints the apt-get line and skips that comparison.
# Writes only into bench/out/ and a temporary folder. Knobs: see bench/bench.py (BENCH_RUNS, ...).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."

missing=""
for pkg in hugo weasyprint time; do
  dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null | grep -q '^ii' || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bench: installing$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  else
    echo "bench: for the comparisons, install:"
    echo "  sudo apt-get update && sudo apt-get install -y$missing"
    echo "bench: running without them"
  fi
fi
command -v hugo >/dev/null 2>&1 || export BENCH_NO_HUGO=1
command -v weasyprint >/dev/null 2>&1 || export BENCH_NO_WEASYPRINT=1

# Debian's python3 (a test package of the Makefile); another python3 on PATH would do too.
py=/usr/bin/python3
[ -x "$py" ] || py=python3
exec "$py" bench/bench.py
