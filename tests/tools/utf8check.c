/* utf8check — test tool for wp_utf8_invalid_at: every sequence of one to four bytes drawn from
 * the bytes where UTF-8's rules change (ASCII, continuation ranges, every kind of lead byte),
 * at every alignment against the eight-byte ASCII fast path, is checked against a reference
 * that decodes code points (overlong forms, surrogates and values past U+10FFFF are invalid)
 * and against ICU's converter. Prints the first disagreement and exits 1; else prints a count. */
#include <stdio.h>
#include <string.h>
#include <unicode/ustring.h>

#include "util.h"

/* The offset of the first invalid sequence, or -1: decoding, the obvious way. */
static long reference(const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    unsigned c = s[i];
    size_t len;
    unsigned min;
    if (c < 0x80) { i++; continue; }
    if ((c & 0xE0) == 0xC0) len = 2, min = 0x80, c &= 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, min = 0x800, c &= 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, min = 0x10000, c &= 0x07;
    else return (long)i;
    if (i + len > n) return (long)i;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return (long)i;
      c = (c << 6) | (s[i + k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return (long)i;
    i += len;
  }
  return -1;
}

static bool icu_valid(const unsigned char *s, size_t n) {
  UChar out[64];
  int32_t len;
  UErrorCode st = U_ZERO_ERROR;
  u_strFromUTF8(out, 64, &len, (const char *)s, (int32_t)n, &st);
  return U_SUCCESS(st);
}

int main(void) {
  static const unsigned char bytes[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                                        0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5,
                                        0xF7, 0xF8, 0xFF};
  enum { NB = sizeof bytes };
  long checked = 0;
  unsigned char buf[32];
  for (int len = 1; len <= 4; len++) {
    long combos = 1;
    for (int k = 0; k < len; k++) combos *= NB;
    for (long c = 0; c < combos; c++) {
      unsigned char seq[4];
      for (long k = 0, v = c; k < len; k++, v /= NB) seq[k] = bytes[v % NB];
      for (size_t pad = 0; pad <= 9; pad++) { /* ASCII before and after: the fast path's edges */
        for (int tail = 0; tail <= 1; tail++) {
          size_t n = 0;
          for (size_t k = 0; k < pad; k++) buf[n++] = 'a';
          memcpy(buf + n, seq, (size_t)len), n += (size_t)len;
          if (tail) for (int k = 0; k < 9; k++) buf[n++] = 'z';
          memset(buf + n, 0x80, 3); /* continuation bytes past the end: reading them would pass */
          long want = reference(buf, n), got = wp_utf8_invalid_at((const char *)buf, n);
          if (got != want || (want < 0) != icu_valid(buf, n)) {
            printf("mismatch:");
            for (size_t k = 0; k < n; k++) printf(" %02X", buf[k]);
            printf(": got %ld, reference %ld, ICU %s\n", got, want, icu_valid(buf, n) ? "valid" : "invalid");
            return 1;
          }
          checked++;
        }
      }
    }
  }
  printf("%ld sequences agree\n", checked);
  return 0;
}
