#!/usr/bin/env bash
# wp_utf8_invalid_at (every page and YAML file goes through it) against a decoding reference and
# ICU, on every short sequence where UTF-8's rules change (tests/tools/utf8check.c).
source "$(dirname "$0")/lib.sh"
check "the UTF-8 validator agrees with a decoder and with ICU" "$TOOLS_DIR/utf8check"
