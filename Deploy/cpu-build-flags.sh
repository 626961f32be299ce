#!/bin/sh
# Prints the `swift build` flags that compile Colecionador's SIMD kernels for this CPU's
# instruction-set level (Docs/Benchmarks.md, "Build flags"):
#   x86-64-v4 (AVX-512 F/BW/VL/DQ)  -> -Xcc -march=x86-64-v4
#   x86-64-v3 (AVX2, FMA, BMI …)    -> -Xcc -march=x86-64-v3
#   anything else, arm64 included   -> nothing (arm64's baseline already has NEON and FMA)
# `-Xcc -march=…` reaches Swift code through the clang importer; Swift 6.3 refuses
# `-Xswiftc -target-cpu x86-64-v4`. The binary then runs only on CPUs of that level or above:
# build on (or for) the machine that runs it. COLECIONADOR_CPU_LEVEL=v3|v4|none overrides.
set -eu
level="${COLECIONADOR_CPU_LEVEL:-}"
if [ -z "$level" ]; then
    level=none
    if [ "$(uname -m)" = x86_64 ] && [ -r /proc/cpuinfo ]; then
        flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
        has() { for f in "$@"; do case "$flags" in *" $f "*) ;; *) return 1 ;; esac; done; }
        if has avx avx2 bmi1 bmi2 f16c fma abm movbe xsave; then
            level=v3
            if has avx512f avx512bw avx512vl avx512dq; then level=v4; fi
        fi
    fi
fi
case "$level" in
    v4) echo "-Xcc -march=x86-64-v4" ;;
    v3) echo "-Xcc -march=x86-64-v3" ;;
    none) ;;
    *) echo "COLECIONADOR_CPU_LEVEL must be v3, v4 or none, not '$level'" >&2; exit 2 ;;
esac
