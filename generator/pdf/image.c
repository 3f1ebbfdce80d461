/* pdf/image — see image.h. */
#include "pdf/image.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decodes a PNG to 8-bit RGB over a white background; NULL with err on failure. */
static unsigned char *decode_png(const void *data, size_t len, unsigned *w, unsigned *h, char *err, size_t errlen) {
  png_image img;
  memset(&img, 0, sizeof img);
  img.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&img, data, len)) {
    snprintf(err, errlen, "%s", img.message);
    return NULL;
  }
  img.format = PNG_FORMAT_RGB;
  size_t size = PNG_IMAGE_SIZE(img);
  if (img.width == 0 || img.height == 0 || size / img.height / 3 != img.width) {
    snprintf(err, errlen, "the image has no pixels or is too large");
    png_image_free(&img);
    return NULL;
  }
  unsigned char *pixels = malloc(size);
  png_color white = {255, 255, 255};
  if (!pixels || !png_image_finish_read(&img, &white, pixels, 0, NULL)) {
    snprintf(err, errlen, "%s", pixels ? img.message : "out of memory");
    free(pixels);
    png_image_free(&img);
    return NULL;
  }
  *w = img.width, *h = img.height;
  return pixels;
}

bool wp_image_check(const void *data, size_t len, bool png, char *err, size_t errlen) {
  if (!png) return true; /* JPEG headers were read by the caller */
  unsigned w, h;
  unsigned char *pixels = decode_png(data, len, &w, &h, err, errlen);
  free(pixels);
  return pixels != NULL;
}

HPDF_Image wp_image_load(HPDF_Doc doc, const void *data, size_t len, bool png) {
  if (!png) return HPDF_LoadJpegImageFromMem(doc, (const HPDF_BYTE *)data, (HPDF_UINT)len);
  char err[256];
  unsigned w, h;
  unsigned char *pixels = decode_png(data, len, &w, &h, err, sizeof err);
  if (!pixels) return NULL;
  HPDF_Image img = HPDF_LoadRawImageFromMem(doc, pixels, w, h, HPDF_CS_DEVICE_RGB, 8);
  free(pixels);
  return img;
}
