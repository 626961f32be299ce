#!/usr/bin/env bash
# Source-level coverage of a fuzz corpus: which regions and lines of the library code a target
# reads does the corpus execute? libFuzzer's `cov` counts edges of the optimised, sanitised
# binary (overflow traps and inlined standard-library code included), which says when a run
# stops growing but not what is left; this answers the second question.
#
# Builds the target with libFuzzer (for its `main` and corpus loading) and LLVM source-based
# coverage, without AddressSanitizer, in its own scratch directory; runs every input of CORPUS
# once (-runs=0, on a temporary copy, so the corpus is never changed); prints `llvm-cov report`
# per file of the target's library sources. With SHOW_MISSED=1 it also prints every line of
# those files that no input executed.
#
#   Fuzz/source-coverage.sh fuzz-index /tmp/fz/corpus-fuzz-index
#   SHOW_MISSED=1 Fuzz/source-coverage.sh fuzz-png Fuzz/Corpus/fuzz-png
set -euo pipefail
if (( $# != 2 )); then
    echo "usage: $0 TARGET CORPUS_DIRECTORY" >&2
    exit 2
fi
target=$1
corpus=$(cd "$2" && pwd)
cd "$(dirname "$0")"
SWIFT=${SWIFT:-swift}
scratch=${COVERAGE_BUILD:-.build-coverage}

declare -A sources=([fuzz-jpeg]=Imaging [fuzz-png]=Imaging [fuzz-exif]=Imaging
    [fuzz-safetensors]=CNN [fuzz-index]=VectorIndex [fuzz-upload]=Classifier)
if [[ -z "${sources[$target]:-}" ]]; then
    echo "unknown target $target (one of: ${!sources[*]})" >&2
    exit 2
fi
library="$(cd .. && pwd)/Sources/${sources[$target]}"

# The llvm-cov and llvm-profdata that match the compiler's profile format sit beside swift.
toolchain=$(dirname "$(readlink -f "$(command -v "$SWIFT")")")
llvm_cov="$toolchain/llvm-cov"
llvm_profdata="$toolchain/llvm-profdata"

flags=(-c release --scratch-path "$scratch" --sanitize fuzzer -Xswiftc -sanitize=fuzzer
    -Xswiftc -parse-as-library -Xswiftc -profile-generate -Xswiftc -profile-coverage-mapping)
"$SWIFT" build "${flags[@]}" --product "$target"
binary="$("$SWIFT" build "${flags[@]}" --show-bin-path)/$target"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/corpus"
# A run that stops on an input (crash, out-of-memory) leaves a partial profile: say so and stop
# rather than report the coverage of the inputs before it.
if ! LLVM_PROFILE_FILE="$work/run.profraw" "$binary" -runs=0 -rss_limit_mb=2048 -malloc_limit_mb=512 \
    "$work/corpus" > "$work/run.log" 2>&1; then
    tail -30 "$work/run.log"
    echo "$target stopped on an input of $corpus (above); no coverage report." >&2
    exit 1
fi
grep -E "files found|INITED|DONE" "$work/run.log"
"$llvm_profdata" merge -o "$work/run.profdata" "$work/run.profraw"

echo "== $target over $(ls "$corpus" | wc -l) inputs of $corpus: $library"
"$llvm_cov" report "$binary" -instr-profile="$work/run.profdata" "$library" \
    | sed "s#$library/##"
if [[ "${SHOW_MISSED:-0}" == 1 ]]; then
    "$llvm_cov" show "$binary" -instr-profile="$work/run.profdata" "$library" \
        | grep -E "^(/|[[:space:]]+[0-9]+\|[[:space:]]+0\|)"
fi
