#!/bin/sh
# tools/bench-batch.sh: the batch workload of `make bench`. Writes twenty event packets like
# jobs/church-evening.ini (flyers, posters, wallet cards, stickers: 80 items, about 3,000 pages) to
# build/bench/jobs/, then builds them from scratch with `handout batch -j 1` and `-j 2`, RUNS times
# each (default 1), and prints for each: the median wall time, the speed-up of -j 2 over -j 1, the
# peak memory of the whole process tree (/usr/bin/time -v: the largest of the batch process and
# its builds), of the batch process itself, and of the largest and the median item build (the
# batch's --verbose lines, from wait4).
#   usage: tools/bench-batch.sh    (from anywhere; needs /usr/bin/time, `apt-get install time`)
#   environment: RUNS (default 1), HANDOUT (default ./handout), PACKETS (default 20)
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-1}
PACKETS=${PACKETS:-20}
HANDOUT=${HANDOUT:-./handout}
B=build/bench
[ -x /usr/bin/time ] || { echo "tools/bench-batch.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
[ -x "$HANDOUT" ] || make --no-print-directory handout >/dev/null

# twenty packets: the example with its own name and date each
rm -rf "$B/jobs"
mkdir -p "$B/jobs"
i=1
while [ "$i" -le "$PACKETS" ]; do
    n=$(printf '%02d' "$i")
    sed -e "s/^name *=.*/name        = Awareness evening $n/" \
        -e "s/^date *=.*/date        = 2025-04-$(printf '%02d' $(( (i - 1) % 28 + 1 )))/" \
        jobs/church-evening.ini > "$B/jobs/evening-$n.ini"
    i=$((i + 1))
done
JOBS=$(ls "$B"/jobs/evening-*.ini | LC_ALL=C sort)
items=$(cat $JOBS | grep -c '^layout')

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run J: prints "wall_s tree_peak_kb batch_peak_kb item_max_kb item_median_kb pages"
run() {
    j=$1
    : > "$B/times"
    r=0
    while [ "$r" -lt "$RUNS" ]; do
        rm -rf "$B/out-j$j"
        # shellcheck disable=SC2086
        /usr/bin/time -v -o "$B/time.txt" "$HANDOUT" batch $JOBS -j "$j" -o "$B/out-j$j" --verbose 2> "$B/batch-j$j.log" ||
            { tail -n 20 "$B/batch-j$j.log" >&2; exit 1; }
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$B/time.txt")
        tree=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$B/time.txt")
        echo "$wall $tree" >> "$B/times"
        r=$((r + 1))
    done
    wall=$(awk '{ print $1 }' "$B/times" | median)
    tree=$(awk '{ print $2 }' "$B/times" | sort -n | tail -n 1)
    self=$(awk '/this process.s peak memory/ { print int($(NF - 1) * 1024) }' "$B/batch-j$j.log")
    sed -n 's/.*built .*peak \([0-9.]*\) MB).*/\1/p' "$B/batch-j$j.log" | awk '{ print int($1 * 1024) }' > "$B/items-j$j"
    imax=$(sort -n "$B/items-j$j" | tail -n 1)
    imed=$(median < "$B/items-j$j")
    pages=$(sed -n 's/.*built .*(\([0-9]*\) page.*/\1/p' "$B/batch-j$j.log" | awk '{ s += $1 } END { print s }')
    echo "$wall $tree $self $imax $imed $pages"
}

echo "# $PACKETS event packets like jobs/church-evening.ini: $items items, built from scratch; median of $RUNS run(s)"
printf '%-6s %8s %9s %7s %13s %13s %12s %14s\n' jobs "wall s" speed-up pages "tree peak MB" "batch MB" "item max MB" "item median MB"
set -- $(run 1)
w1=$1
printf '%-6s %8.2f %9s %7d %13.1f %13.1f %12.1f %14.1f\n' "-j 1" "$1" "1.00" "$6" "$(echo "$2 / 1024" | bc -l)" \
    "$(echo "$3 / 1024" | bc -l)" "$(echo "$4 / 1024" | bc -l)" "$(echo "$5 / 1024" | bc -l)"
set -- $(run 2)
printf '%-6s %8.2f %9.2f %7d %13.1f %13.1f %12.1f %14.1f\n' "-j 2" "$1" "$(echo "$w1 / $1" | bc -l)" "$6" \
    "$(echo "$2 / 1024" | bc -l)" "$(echo "$3 / 1024" | bc -l)" "$(echo "$4 / 1024" | bc -l)" "$(echo "$5 / 1024" | bc -l)"
for f in "$B/out-j1"/*/*.pdf; do
    cmp -s "$f" "$B/out-j2/${f#"$B/out-j1/"}" || { echo "tools/bench-batch.sh: $f differs between -j 1 and -j 2" >&2; exit 1; }
done
echo "# the files of -j 1 and -j 2 are the same, byte for byte; $(nproc) processors"
