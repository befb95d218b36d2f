#!/bin/sh
# tests/bad/generate.sh DIR -- writes the bad-input fixtures too large to keep in the repository
# into DIR, for the rows of tests/bad/cases.txt that name @GEN@ (tests/run.sh runs it once, into
# its temporary folder, and puts that folder for @GEN@). Each is one byte or one item over a limit:
#   DIR/content-md-huge/   tests/fixtures/content with a body.md of 1 MiB + 1 byte
#                          (CONTENT_MAX_FILE, src/content.h)
#   DIR/jobs/too-many-items.ini   a job file of 1001 items (JOB_MAX_ITEMS, src/job.h)
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
