/* pdf/image — pictures for the PDF. PNGs are decoded here with libpng's simplified API (which
 * reports errors instead of aborting, as libharu's own PNG loader does on a corrupt file) and
 * handed to libharu as raw RGB, transparency composited over white. JPEGs are embedded as
 * they are (libharu reads only their headers). */
#ifndef WP_PDF_IMAGE_H
#define WP_PDF_IMAGE_H

#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>

/* Whether data is a PNG or JPEG that can be embedded; false with a reason in err. */
bool wp_image_check(const void *data, size_t len, bool png, char *err, size_t errlen);
/* The image as a libharu image of doc, or NULL if it cannot be read. */
HPDF_Image wp_image_load(HPDF_Doc doc, const void *data, size_t len, bool png);

#endif
