#!/usr/bin/env bash
# A gate in every `make test`: wufpress built with AddressSanitizer and UndefinedBehaviorSanitizer
# (build/asan, as `make asan` builds it) runs the bundled site's build with PDFs, check and
# status, and the whole bad-input catalogue. `make asan` runs every test this way.
source "$(dirname "$0")/lib.sh"
FLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
if ! out=$(make -s -C "$ROOT" build/asan/bin/wufpress BUILD=build/asan BIN=build/asan/bin CFLAGS="$FLAGS" LDFLAGS="$FLAGS" 2>&1); then
  fail "wufpress builds with the sanitizers"; sed 's/^/  /' <<<"$out" | tail -20; exit 0
fi
export ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0
ASAN=$ROOT/build/asan/bin/wufpress
for run in "build --out $TMP/public --quiet" "check" "status"; do
  name=${run%% --out*}
  if out=$(cd "$ROOT" && "$ASAN" $run 2>&1) && ! grep -q 'Sanitizer\|runtime error' <<<"$out"; then
    pass "sanitizers: wufpress $name on the bundled site"
  else fail "sanitizers: wufpress $name on the bundled site"; grep -m5 -A8 'Sanitizer\|runtime error' <<<"$out" | sed 's/^/  /'; fi
done
out=$(WUFPRESS=$ASAN bash "$ROOT/tests/test_bad_input.sh" 2>&1)
if ! grep -q '^FAIL' <<<"$out"; then pass "sanitizers: the bad-input catalogue ($(grep -c '^PASS' <<<"$out") cases)"
else fail "sanitizers: the bad-input catalogue"; grep -A6 '^FAIL' <<<"$out" | head -30 | sed 's/^/  /'; fi
