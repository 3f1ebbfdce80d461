#!/usr/bin/env bash
# Runs every tests/test_*.sh; each prints "PASS: name" or "FAIL: name" per check.
# A script that dies without printing FAIL counts as one failure. Ends with "N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
only=${1:-}
passed=0 failed=0
for t in tests/test_*.sh; do
  [[ -n $only && $t != *"$only"* ]] && continue
  out=$(bash "$t" 2>&1); rc=$?
  p=$(grep -c '^PASS: ' <<<"$out"); f=$(grep -c '^FAIL: ' <<<"$out")
  if ((rc != 0 && f == 0)); then f=1; out+=$'\n'"FAIL: $t exited with status $rc"; fi
  grep -E '^(FAIL: |  )' <<<"$out" | sed "s|^|$t: |"
  printf '%-40s %3d passed, %d failed\n' "$t" "$p" "$f"
  passed=$((passed + p)) failed=$((failed + f))
done
echo "$passed passed, $failed failed"
((failed == 0))
