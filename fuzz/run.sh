#!/usr/bin/env bash
# Runs every fuzz target for a while, one after the other, and stops at the first crash.
#
#     fuzz/run.sh [seconds-per-target] [target...]
#
# Default: 60 s per target, every target. Installs cargo-fuzz when missing, seeds the corpus
# (seed.sh), and runs, for each target,
#     RUSTC_BOOTSTRAP=1 cargo fuzz run -s none <target> -- -max_total_time=N -rss_limit_mb=1024 \
#         -dict=<dict> -timeout=10 -print_final_stats=1
# RUSTC_BOOTSTRAP=1 lets a stable toolchain accept the nightly flags cargo-fuzz passes
# (-Zsanitizer, -Cpasses=sancov-module, ...); a nightly toolchain works too.
#
# Environment:
#   SANITIZER=none|address   (default: none, about 2.5x faster than cargo-fuzz's default
#                             `address`; what the fuzzers look for in this crate, which forbids
#                             unsafe code, is panics, timeouts and memory blow-ups; use
#                             `address` to check the dependencies' unsafe code too)
#   NICE=10                  niceness of the fuzzer (default 10: the machine is shared)
#   FUZZ_ARGS="..."          extra libFuzzer arguments
#
# Exit status: 0 when no target crashed, 1 on the first crash (the artefact's path is
# printed), 2 when cargo-fuzz cannot be installed or a target does not build.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(parse_lenient parse_strict quirk_table assembly differential)
fi
sanitizer=${SANITIZER:-none}
# A target folder of its own per sanitizer: switching does not rebuild the other's targets.
target_dir=target
[ "$sanitizer" != none ] && target_dir="target/sanitizer-$sanitizer"
nice_level=${NICE:-10}
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "--- installing cargo-fuzz"
    if ! cargo install cargo-fuzz --locked; then
        echo "cargo-fuzz could not be installed" >&2
        exit 2
    fi
fi

./seed.sh

echo "--- building the fuzz targets (sanitizer: $sanitizer)"
if ! nice -n "$nice_level" cargo fuzz build -s "$sanitizer" --target-dir "$target_dir"; then
    echo "the fuzz targets do not build" >&2
    exit 2
fi

for t in "${targets[@]}"; do
    dict=dicom.dict
    [ "$t" = quirk_table ] && dict=quirks.dict
    log=$(mktemp "${TMPDIR:-/tmp}/rdsr-fuzz-$t.XXXXXX.log")
    echo "--- fuzzing $t for ${seconds}s (log: $log)"
    # shellcheck disable=SC2086
    nice -n "$nice_level" cargo fuzz run -s "$sanitizer" --target-dir "$target_dir" "$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=1024 -dict="$dict" -timeout=10 \
        -print_final_stats=1 ${FUZZ_ARGS:-} >"$log" 2>&1
    status=$?
    grep -aE '^(stat::number_of_executed_units|stat::peak_rss_mb|Done [0-9]+ runs)' "$log" | awk '!seen[$0]++' || true
    grep -aE '^#[0-9]+' "$log" | tail -1 || true
    artefact=$(grep -aoE 'Test unit written to [^ ]+' "$log" | tail -1 | sed 's/Test unit written to //')
    if [ $status -ne 0 ] || [ -n "$artefact" ]; then
        echo "=== $t crashed (exit $status)"
        grep -aE 'panicked at|ERROR: libFuzzer|SUMMARY' "$log" | head -5
        if [ -n "$artefact" ]; then
            case $artefact in /*) ;; *) artefact="$PWD/$artefact" ;; esac
            echo "artefact: $artefact"
            echo "reproduce (in fuzz/): RUSTC_BOOTSTRAP=1 cargo fuzz run -s $sanitizer --target-dir $target_dir $t $artefact"
            echo "minimise (in fuzz/):  RUSTC_BOOTSTRAP=1 cargo fuzz tmin -s $sanitizer --target-dir $target_dir $t $artefact"
            echo "then keep it as fuzz/regressions/$t/<what-it-is> (see fuzz/README.md)"
        fi
        echo "full log: $log"
        exit 1
    fi
done
echo "--- no crash in ${targets[*]} (${seconds}s each)"
