#!/usr/bin/env bash
# The bundled site's build (HTML and PDFs), check and status under valgrind: no invalid reads
# or writes, no uninitialised values, no definite leaks. The binary links mimalloc (Makefile
# MALLOC_LIBS): --soname-synonyms points valgrind's malloc replacement at it.
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { fail "valgrind is installed"; exit 0; }
[[ -n ${WUFPRESS_SANITIZED:-} ]] && exit 0 # an ASan build cannot run under valgrind (make asan)
vg() { valgrind --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite \
         --soname-synonyms=somalloc=libmimalloc.so.2 \
         --suppressions="$ROOT/tests/valgrind.supp" -q "$@" 2>&1; }
for run in "build --out $TMP/public --quiet" "check --no-pdf" "status"; do
  name=${run%% --out*}
  if out=$(cd "$ROOT" && vg "$WUFPRESS" $run); then pass "valgrind: wufpress $name"
  else fail "valgrind: wufpress $name"; grep -E '==[0-9]+==' <<<"$out" | head -30 | sed 's/^/  /'; fi
done
