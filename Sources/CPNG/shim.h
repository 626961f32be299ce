#ifndef COLECIONADOR_CPNG_SHIM_H
#define COLECIONADOR_CPNG_SHIM_H
#include <png.h>
// libpng's compound macros are not imported by Swift; re-export the ones we use as constants.
static const png_uint_32 CPNG_FORMAT_RGB = PNG_FORMAT_RGB;
static const png_uint_32 CPNG_FORMAT_RGBA = PNG_FORMAT_RGBA;
static const png_uint_32 CPNG_FORMAT_GRAY = PNG_FORMAT_GRAY;
static const png_uint_32 CPNG_FORMAT_LINEAR_RGB_ALPHA = PNG_FORMAT_LINEAR_RGB_ALPHA;
static const int CPNG_IMAGE_VERSION = PNG_IMAGE_VERSION;
#endif
