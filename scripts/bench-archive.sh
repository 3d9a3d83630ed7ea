#!/usr/bin/env bash
# The archive workload: the CLI's many-file commands on a generated archive, one worker
# thread against two (or more), with the output compared byte for byte.
#
#     bash scripts/bench-archive.sh [COUNT] [ARCHIVE_DIR] [JOBS...]
#
# COUNT reports (default 20000) are generated into ARCHIVE_DIR (default
# target/bench-archive-COUNT) by the store's `gen_archive` example, unless the folder is
# already there. Each command is run once to warm the page cache, then timed with --jobs 1
# and each JOBS (default 2): wall seconds, files/s, MB/s (10^6 bytes), peak RSS, the speed-up
# over --jobs 1, and whether stdout is byte-identical to --jobs 1. Run it on a quiet machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
count=${1:-20000}
archive=${2:-target/bench-archive-$count}
shift $(( $# > 2 ? 2 : $# ))
jobs=("$@")
[ ${#jobs[@]} -gt 0 ] || jobs=(2)

cargo build --release -q -p rdsr-cli
cargo build --release -q -p rdsr-store --example gen_archive
bin=${CARGO_TARGET_DIR:-target}/release/rdsr
[ -x "$bin" ] || { echo "bench-archive: $bin was not built" >&2; exit 1; }
if [ ! -d "$archive" ]; then
    "${CARGO_TARGET_DIR:-target}/release/examples/gen_archive" "$archive" "$count"
fi
files=$(find "$archive" -type f | wc -l)
bytes=$(find "$archive" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
printf 'archive %s: %d files, %.1f MB\n\n' "$archive" "$files" "$(echo "$bytes / 1000000" | bc -l)"

# The outputs (about 1 GB for `dump --report --json` of 20,000 reports) go to memory when
# /dev/shm is there: on disk, the kernel's writeback of the first run competes with the
# command for the cores, and the figure measures the disk instead of the command.
out=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$out"' EXIT

# Runs "$@" with stdout to $out/$name; prints "seconds peak_rss_kib".
timed() {
    local name=$1
    shift
    /usr/bin/time -f '%e %M' -o "$out/$name.time" "$@" >"$out/$name" 2>/dev/null || true
    tail -n 1 "$out/$name.time"
}

printf '%-28s %5s %8s %9s %8s %9s %8s %s\n' command jobs secs files/s MB/s 'RSS MiB' speedup identical
for cmd in "dump --report --json" "studies --json" "quirks explain --json"; do
    # shellcheck disable=SC2086
    "$bin" $cmd --jobs 1 "$archive" >/dev/null 2>&1 || true
    base=""
    for j in 1 "${jobs[@]}"; do
        name="$(echo "$cmd" | tr ' -' '__')-$j"
        # shellcheck disable=SC2086
        read -r secs rss < <(timed "$name" "$bin" $cmd --jobs "$j" "$archive")
        [ -n "$base" ] || base=$secs
        same=yes
        cmp -s "$out/$(echo "$cmd" | tr ' -' '__')-1" "$out/$name" || same=NO
        printf '%-28s %5s %8.2f %9.0f %8.1f %9.1f %7.2fx %s\n' "$cmd" "$j" "$secs" \
            "$(echo "$files / $secs" | bc -l)" "$(echo "$bytes / 1000000 / $secs" | bc -l)" \
            "$(echo "$rss / 1024" | bc -l)" "$(echo "$base / $secs" | bc -l)" "$same"
    done
done
