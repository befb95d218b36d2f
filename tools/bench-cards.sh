#!/bin/sh
# tools/bench-cards.sh: the large-run workload of `make bench`: CARDS unique two-sided partner cards
# (default 100,000), one per record of a generated data file, each back's QR code carrying its own
# ?src= code, built with `handout build layouts/partner-card-us.ini content/en --data ... -j JOBS`
# (default 2) into 10-up Letter sheets, split into files of --max-pages 500. Prints the wall time,
# the CPU time, the peak memory (/usr/bin/time -v: the largest resident set of handout and its -j
# workers), the files, pages and bytes written, the load average before the run, and the cards,
# sheets and pages one such machine makes per hour at that wall time.
#   usage: tools/bench-cards.sh    (from anywhere; needs /usr/bin/time, `apt-get install time`)
#   environment: CARDS (default 100000), JOBS (default 2), HANDOUT (default ./handout)
set -eu
cd "$(dirname "$0")/.."
CARDS=${CARDS:-100000}
JOBS=${JOBS:-2}
HANDOUT=${HANDOUT:-./handout}
B=build/bench/cards
[ -x /usr/bin/time ] || { echo "tools/bench-cards.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
[ -x "$HANDOUT" ] || make --no-print-directory handout >/dev/null
rm -rf "$B"
mkdir -p "$B/out"

# The records: codes and agency names of letters only (pb, pc, ... and Agency B, C, ...): a run of
# digits in them would be taken for a phone number, and one a keystroke away from the hotline's
# (233733) is refused by the known-numbers check, as it should be on a real card.
awk -v n="$CARDS" 'function letters(k,  s) { s = ""; do { s = sprintf("%c", 97 + k % 26) s; k = int(k / 26) } while (k > 0); return s }
    BEGIN { print "code,agency,local_phone"
            for (i = 1; i <= n; i++) printf "p%s,Agency %s,207-555-0100\n", letters(i), toupper(letters(i)) }' > "$B/cards.csv"
uniq=$(tail -n +2 "$B/cards.csv" | cut -d, -f1 | sort -u | wc -l)
[ "$uniq" -eq "$CARDS" ] || { echo "tools/bench-cards.sh: $uniq distinct codes for $CARDS cards" >&2; exit 1; }

load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo unknown)
/usr/bin/time -v -o "$B/time.txt" "$HANDOUT" build layouts/partner-card-us.ini content/en --data "$B/cards.csv" \
    -j "$JOBS" -o "$B/out/cards.pdf" 2> "$B/build.log" || { tail -n 20 "$B/build.log" >&2; exit 1; }
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$B/time.txt")
peak=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$B/time.txt")
cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$B/time.txt")
files=$(find "$B/out" -name '*.pdf' | wc -l)
bytes=$(find "$B/out" -name '*.pdf' -printf '%s\n' | awk '{ s += $1 } END { print s }')
pages=0
for f in "$B"/out/*.pdf; do
    pages=$((pages + $(pdfinfo "$f" | awk '/^Pages:/ { print $2 }')))
done
sheets=$((pages / 2))
echo "# $CARDS unique partner cards (layouts/partner-card-us.ini, 10-up Letter, fronts and backs), -j $JOBS, $(nproc) processors"
printf '%-10s %9s %8s %8s %7s %7s %10s %14s\n' cards "wall s" "CPU s" "peak MB" files pages "MB written" "cards/hour"
printf '%-10d %9.1f %8.1f %8.1f %7d %7d %10.1f %14.0f\n' "$CARDS" "$wall" "$cpu" "$(echo "$peak / 1024" | bc -l)" "$files" "$pages" \
    "$(echo "$bytes / 1048576" | bc -l)" "$(echo "$CARDS * 3600 / $wall" | bc -l)"
echo "# load average before the run: $load (a busy machine makes the wall time longer than the CPU time / $JOBS)"
echo "# per hour at this rate: $(echo "$CARDS * 3600 / $wall" | bc) cards on $(echo "$sheets * 3600 / $wall" | bc) sheets ($(echo "$pages * 3600 / $wall" | bc) pages, $(echo "$bytes * 3600 / $wall / 1073741824" | bc -l | xargs printf '%.1f') GB)"
