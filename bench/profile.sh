#!/bin/sh
# bench/profile.sh — where wufpress spends the 10,000-page HTML build (bench/RESULTS.md, "Profile").
# perf record with DWARF call graphs (liblua5.4 has no symbols in Debian: its time is attributed
# through the wufpress functions that call it), once with the output on ext4 (/tmp) and once on
# tmpfs (/dev/shm, the CPU work alone, one thread for clean stacks). Reports go to bench/out/.
# Needs linux-perf (apt-get install -y linux-perf) and bin/wufpress (make).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
command -v perf >/dev/null || { echo "profile: needs perf: apt-get install -y linux-perf"; exit 0; }
py=/usr/bin/python3; [ -x "$py" ] || py=python3
pages=${BENCH_PAGES:-10000}
tmp=$(mktemp -d /tmp/wufpress-profile-XXXXXX); shm=$(mktemp -d /dev/shm/wufpress-profile-XXXXXX)
trap 'rm -rf "$tmp" "$shm"' EXIT
mkdir -p bench/out
cp bin/wufpress "$tmp/wufpress"
"$py" bench/gen_corpus.py --pages "$pages" --out "$tmp/corpus" --no-hugo >/dev/null
site="$tmp/corpus/wufpress"
"$tmp/wufpress" build --quiet --no-pdf --root "$site" --out "$tmp/warm"   # page cache warm
for where in ext4 tmpfs; do
  if [ $where = ext4 ]; then out="$tmp/out"; jobs=""; else out="$shm/out"; jobs="--jobs 1"; fi
  /usr/bin/time -f "$where: %e s wall, %U s user, %S s sys, %M KiB peak" \
    "$tmp/wufpress" build --quiet --no-pdf $jobs --root "$site" --out "$out.time" 2>&1 | tee "bench/out/profile-$where-time.txt"
  perf record -q -F 1000 --call-graph dwarf,16384 -o "$tmp/perf-$where.data" \
    "$tmp/wufpress" build --quiet --no-pdf $jobs --root "$site" --out "$out" 2>/dev/null
  perf report -i "$tmp/perf-$where.data" --no-children --sort dso --stdio -g none 2>/dev/null \
    | grep -v '^#' | grep -v '^$' > "bench/out/profile-$where-dso.txt"
  perf report -i "$tmp/perf-$where.data" --children --sort sym --stdio -g none 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | head -120 > "bench/out/profile-$where-children.txt"
  perf report -i "$tmp/perf-$where.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | head -60 > "bench/out/profile-$where-self.txt"
  echo "== $where: by library"; head -8 "bench/out/profile-$where-dso.txt"
  echo "== $where: inclusive, top"; head -40 "bench/out/profile-$where-children.txt"
done
echo "profile: reports in bench/out/profile-*.txt"
