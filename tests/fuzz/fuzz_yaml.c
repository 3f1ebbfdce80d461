/* libFuzzer target: YAML (front matter, site.yaml, i18n) into value trees. */
#include <stddef.h>
#include <stdint.h>

#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  wp_err err;
  wp_value *v = wp_yaml_parse((const char *)data, size, "fuzz.yaml", 1, &err);
  if (v) (void)wp_value_path(v, "a.b.c");
  wp_value_free(v);
  return 0;
}
