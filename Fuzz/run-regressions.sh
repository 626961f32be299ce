#!/usr/bin/env bash
# Builds the libFuzzer harnesses (release, libFuzzer + AddressSanitizer), replays every kept
# finding in Tests/Fixtures/fuzz-regressions/<area>/, then fuzzes each target for FUZZ_SECONDS
# seconds (default 30) from a temporary copy of its seed corpus, so the repository is never
# modified. Exits non-zero if any target crashes, hangs (> 10 s), leaks, or allocates more than
# 512 MB at once. Crashing inputs are kept in Fuzz/.build/fuzz-artifacts/.
#
#   Fuzz/run-regressions.sh                            # all targets, 30 s each
#   FUZZ_SECONDS=600 FUZZ_TARGETS=fuzz-png FUZZ_SEED=0 Fuzz/run-regressions.sh   # random seed
set -euo pipefail
cd "$(dirname "$0")"
SWIFT=${SWIFT:-swift}
seconds=${FUZZ_SECONDS:-30}
targets=${FUZZ_TARGETS:-fuzz-jpeg fuzz-png fuzz-exif fuzz-safetensors fuzz-index fuzz-upload}
flags=(-c release --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)

start=$(date +%s)
"$SWIFT" build "${flags[@]}"
bin=$("$SWIFT" build "${flags[@]}" --show-bin-path)
echo "Fuzz harnesses built in $(( $(date +%s) - start )) s"

artifacts="$PWD/.build/fuzz-artifacts"
mkdir -p "$artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

declare -A dictionary=([fuzz-jpeg]=jpeg [fuzz-exif]=jpeg [fuzz-png]=png [fuzz-safetensors]=safetensors [fuzz-upload]=upload)
declare -A max_len=([fuzz-jpeg]=16384 [fuzz-png]=8192 [fuzz-exif]=4096 [fuzz-safetensors]=4096 [fuzz-index]=8192 [fuzz-upload]=8192)
failed=()
for target in $targets; do
    options=(-rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 "-max_len=${max_len[$target]}"
        "-artifact_prefix=$artifacts/$target-" -print_final_stats=1)
    if [[ -n "${dictionary[$target]:-}" ]]; then options+=("-dict=Dictionaries/${dictionary[$target]}.dict"); fi

    regressions="../Tests/Fixtures/fuzz-regressions/${target#fuzz-}"
    if [[ -d "$regressions" ]] && compgen -G "$regressions/*" >/dev/null; then
        echo "== $target: replaying $(ls "$regressions" | wc -l) kept findings"
        if ! "$bin/$target" "${options[@]}" "$regressions"/* >"$work/$target-replay.log" 2>&1; then
            tail -40 "$work/$target-replay.log"
            failed+=("$target (replay)")
            continue
        fi
    fi

    echo "== $target: fuzzing for $seconds s"
    cp -r "Corpus/$target" "$work/corpus-$target"
    # A fixed seed: the mutations are the same sequence on every machine, so a slower machine
    # explores a prefix of what this one did, and CI fails only on a regression, not on a
    # lucky new finding (long runs with FUZZ_SEED=0 — a random seed — look for those).
    if "$bin/$target" "${options[@]}" -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" "$work/corpus-$target" >"$work/$target.log" 2>&1; then
        grep -E "^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb" "$work/$target.log" | tr '\n' ' '
        echo
    else
        tail -60 "$work/$target.log"
        failed+=("$target")
    fi
done

echo "Fuzz regression run finished in $(( $(date +%s) - start )) s"
if (( ${#failed[@]} > 0 )); then
    echo "FAILED: ${failed[*]} (inputs in $artifacts)"
    exit 1
fi
