/* The C side of src/coeffs.rs: the layouts below are mirrored there (#[repr(C)]). */

#ifndef DATAMILL_COEFFS_H
#define DATAMILL_COEFFS_H

#include <stddef.h>

enum {
  DM_OK = 0,
  /* Not a file for the coefficient path (layout, precision, size): nothing was written. */
  DM_INELIGIBLE = 1,
  /* More than max_pixels pixels: refused before the coefficients were allocated. */
  DM_TOO_LARGE = 2,
  DM_DECODE = 3,
  DM_ENCODE = 4
};

struct dm_request {
  const unsigned char *source;
  size_t length;
  /* 1..=100, as jpeg_set_quality takes it. */
  int quality;
  /* Non-zero: turn by 180°. */
  int turn;
  unsigned long long max_pixels;
  int scan_limit;
};

struct dm_result {
  /* With DM_OK: the output, to be released with dm_free. */
  unsigned char *data;
  size_t size;
  unsigned int width;
  unsigned int height;
  int status;
  /* With DM_DECODE and DM_ENCODE: libjpeg's message, NUL-terminated. */
  char message[200];
};

void dm_transcode(const struct dm_request *request, struct dm_result *result);
void dm_free(unsigned char *data);

#endif
