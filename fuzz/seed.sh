#!/usr/bin/env bash
# Seeds the fuzz corpus (fuzz/corpus/<target>/, git-ignored) from the project's fixtures:
#   testdata/**/*.dcm   -> parse_lenient, parse_strict, differential, each also padded
#                          (pad_seeds.py) when python3 is there
#   the same, paired    -> assembly (the target reads the two halves of its input)
#   quirks/*.toml       -> quirk_table
# and, when it exists, the real corpus ../shared/corpus/files/**/*.dcm (never committed:
# the corpus folders are git-ignored; override its place with SHARED_CORPUS=dir).
# Existing corpus files are kept; seeds are named after their source, so re-running is cheap.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
root=..
shared=${SHARED_CORPUS:-$root/../shared/corpus/files}

for t in parse_lenient parse_strict differential assembly quirk_table; do
    mkdir -p "corpus/$t"
done

dcm=()
while IFS= read -r -d '' f; do dcm+=("$f"); done \
    < <(find "$root/testdata" -type f -iname '*.dcm' -print0 | sort -z)
if [ -d "$shared" ]; then
    while IFS= read -r -d '' f; do dcm+=("$f"); done \
        < <(find "$shared" -type f -iname '*.dcm' -print0 | sort -z)
fi

name_of() { # a flat seed name from a path
    local p=$1
    case $p in
        "$shared"/*) p="shared_${p#"$shared/"}" ;;
        *) p=${p#"$root/"} ;;
    esac
    echo "seed-${p//\//_}"
}

# Padded copies (pad_seeds.py: text values padded to their VR's maximum length), so that
# length-preserving mutations reach the values; only for explicit VR little endian files.
padded_dir=$(mktemp -d)
trap 'rm -rf "$padded_dir"' EXIT
seeds=()
for f in "${dcm[@]}"; do
    n=$(name_of "$f")
    seeds+=("$f" "$n")
    if command -v python3 >/dev/null && python3 pad_seeds.py "$f" "$padded_dir/$n-padded"; then
        seeds+=("$padded_dir/$n-padded" "$n-padded")
    fi
done

for ((i = 0; i < ${#seeds[@]}; i += 2)); do
    f=${seeds[i]}
    n=${seeds[i + 1]}
    for t in parse_lenient parse_strict differential; do
        cp "$f" "corpus/$t/$n"
    done
    # assembly: the same report twice (a duplicate; mutating one half makes a second report
    # of the same study).
    cat "$f" "$f" > "corpus/assembly/$n-twice"
done

# assembly: pairs of different fixtures of one template, the shorter padded with NULs to the
# length of the longer, so that both halves start where a report starts.
pair() {
    local a=$1 b=$2 out=$3 la lb tmp
    la=$(stat -c %s "$a")
    lb=$(stat -c %s "$b")
    tmp=$(mktemp)
    if [ "$la" -ge "$lb" ]; then
        cp "$b" "$tmp"
        truncate -s "$la" "$tmp"
        cat "$a" "$tmp" > "$out"
    else
        cp "$a" "$tmp"
        truncate -s "$lb" "$tmp"
        cat "$tmp" "$b" > "$out"
    fi
    rm -f "$tmp"
}
pair "$root/testdata/projection_minimal.dcm" "$root/testdata/projection_big_endian.dcm" \
    corpus/assembly/seed-pair-projection
pair "$root/testdata/ct_minimal.dcm" "$root/testdata/ct_implicit_vr.dcm" \
    corpus/assembly/seed-pair-ct
pair "$root/testdata/ct_minimal.dcm" "$root/testdata/ct_enhanced_sr.dcm" \
    corpus/assembly/seed-pair-ct-enhanced

for f in "$root"/quirks/*.toml; do
    cp "$f" "corpus/quirk_table/seed-$(basename "$f")"
done

for t in parse_lenient parse_strict differential assembly quirk_table; do
    echo "corpus/$t: $(find "corpus/$t" -type f | wc -l) files"
done
