#!/usr/bin/env bash
# libFuzzer targets (tests/fuzz/fuzz_*.c, built with ASan and UBSan by `make fuzzers`): each
# replays its seed corpus and the regressions found so far, then fuzzes for a bounded time.
# A crash, a sanitizer report or an input slower than 5 s fails the check and leaves the input
# in $TMP for reproduction (build/fuzz/fuzz_NAME FILE).
source "$(dirname "$0")/lib.sh"
SECONDS_EACH=${FUZZ_SECONDS:-15}
export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0 # library caches
cd "$ROOT" || exit 1
if ! out=$(make -s fuzzers 2>&1); then fail "the fuzz targets build (make fuzzers)"; sed 's/^/  /' <<<"$out" | tail -20; exit 0; fi
pass "the fuzz targets build"
for target in build/fuzz/fuzz_*; do
  [[ $target == *.d ]] && continue
  name=${target##*/fuzz_}
  corpus=$TMP/corpus-$name
  cp -r "tests/fuzz/corpus/$name" "$corpus"
  regressions=$(ls tests/fuzz/regressions/"$name"-* 2>/dev/null)
  if [[ -n $regressions ]]; then
    check "$name: the regression inputs run clean" timeout 120 "$target" -timeout=5 $regressions
  fi
  # -detect_leaks=0 in the loop: libFuzzer's per-input leak check flagged, once in several runs,
  # memory that lazily built library caches (ICU, HarfBuzz) drop; it never reproduced on the
  # input alone. Leaks are checked deterministically at exit by test_sanitizers and valgrind.
  if log=$(timeout $((SECONDS_EACH + 120)) "$target" -max_total_time="$SECONDS_EACH" -timeout=5 -rss_limit_mb=2048 -detect_leaks=0 \
             -max_len=65536 -artifact_prefix="$TMP/$name-" "$corpus" 2>&1); then
    pass "$name: $(grep -o 'Done [0-9]* runs' <<<"$log" | head -1) without a crash, sanitizer report or hang"
  else
    fail "$name: the fuzzer found a problem"
    grep -E 'ERROR|SUMMARY|Test unit written' <<<"$log" | head -5 | sed 's/^/  /'
    cp "$TMP/$name-"* "$ROOT/build/fuzz/" 2>/dev/null && echo "  (input kept in build/fuzz/)"
  fi
done
