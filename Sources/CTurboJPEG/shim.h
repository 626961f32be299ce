#ifndef COLECIONADOR_CTURBOJPEG_SHIM_H
#define COLECIONADOR_CTURBOJPEG_SHIM_H
// libjpeg-turbo 2.1 TurboJPEG API (tjDecompressHeader3 / tjDecompress2; no tj3* functions).
#include <stddef.h>
#include <turbojpeg.h>
#endif
