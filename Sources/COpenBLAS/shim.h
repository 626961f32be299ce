#ifndef COLECIONADOR_COPENBLAS_SHIM_H
#define COLECIONADOR_COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface; the include path comes from pkg-config `openblas`.
#include <cblas.h>
#endif
