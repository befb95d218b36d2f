#!/bin/sh
# tests/bad/generate.sh DIR -- writes the bad-input fixtures too large to keep in the repository
# into DIR, for the rows of tests/bad/cases.txt that name @GEN@ (tests/run.sh runs it once, into
# its temporary folder, and puts that folder for @GEN@). Each is one byte or one item over a limit:
#   DIR/content-md-huge/   tests/fixtures/content with a body.md of 1 MiB + 1 byte
#                          (CONTENT_MAX_FILE, src/content.h)
#   DIR/jobs/too-many-items.ini   a job file of 1001 items (JOB_MAX_ITEMS, src/job.h)
#   DIR/damaged.ttf, DIR/font-damaged.ini   a font whose glyph table is zeroed, and a layout
#                          using it (not over a limit: a copy of a system font is not kept here)
set -eu
[ $# -eq 1 ] || { echo "usage: tests/bad/generate.sh DIR" >&2; exit 2; }
dir=$1
cd "$(dirname "$0")/../.."

mkdir -p "$dir/content-md-huge" "$dir/jobs"
cp tests/fixtures/content/content.ini "$dir/content-md-huge/"
# lines of text, cut at 1 MiB + 1 byte (1,048,577)
awk 'BEGIN {
    for (i = 0; i < 14000; i++) print "Traffickers use force, fraud or coercion to make people work or trade sex."
}' | head -c 1048577 > "$dir/content-md-huge/body.md"

{
    printf '[job]\nname = Too many items\nkind = event\ndate = 2025-03-14\nplace = Parish hall\n'
    i=1
    while [ $i -le 1001 ]; do
        printf '\n[item-%d]\nlayout = tests/fixtures/basic.ini\nlanguage = tests/fixtures/content\nquantity = 1\n' $i
        i=$((i + 1))
    done
} > "$dir/jobs/too-many-items.ini"

# DIR/damaged.ttf: Liberation Sans with its glyph table (glyf) zeroed: its character map is whole,
# so fontconfig lists every character, but no glyph has an outline (it would print nothing); and
# DIR/font-damaged.ini, tests/fixtures/basic.ini with its heading set in that file
font=$(fc-match -f '%{file}' 'Liberation Sans:regular')
cp "$font" "$dir/damaged.ttf"
be() { od -An -tu1 -j "$1" -N "$2" "$font" | awk '{ v = 0; for (i = 1; i <= NF; i++) v = v * 256 + $i; print v }'; }
n=$(be 4 2)
i=0
while [ "$i" -lt "$n" ]; do
    rec=$((12 + 16 * i))
    if [ "$(dd if="$font" bs=1 skip="$rec" count=4 2>/dev/null)" = glyf ]; then
        dd if=/dev/zero of="$dir/damaged.ttf" bs=65536 count="$(be $((rec + 12)) 4)" iflag=count_bytes \
            oflag=seek_bytes seek="$(be $((rec + 8)) 4)" conv=notrunc 2>/dev/null
    fi
    i=$((i + 1))
done
sed "s|^size = 20pt\$|size = 20pt\nfont = $dir/damaged.ttf|" tests/fixtures/basic.ini > "$dir/font-damaged.ini"
