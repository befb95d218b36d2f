#!/bin/sh
# tools/bench.sh: the benchmark behind `make bench`. Builds the floor program (a minimal C program
# on libharu and libqrencode alone, ../shared/bench/floor.c, or $FLOOR_SRC) and runs it beside
# handout on the same workloads, in the same run:
#   cards-1k   1,000 cards, each with its own QR code to a 45-character URL, a serial and the
#              hotline number, 10-up on Letter (100 pages), one embedded font
#   cards-10k  10,000 cards (1,000 pages)
# For each: the median wall time of RUNS runs, the peak memory (max resident set, /usr/bin/time),
# the bytes written and bytes per page, and the ratio handout/floor. handout runs twice: one
# process (-j 1) and two part-documents at once (-j 2); its output is split into files of at most
# 500 pages (--max-pages), which is what bounds its memory.
# Then the Letter flyer (layouts/flyer.ini) in English, Arabic, Hindi, Thai and Chinese,
# the runs interleaved language by language so that all five see the same machine load: the
# median wall time in milliseconds (clock read with date +%s%N: /usr/bin/time counts hundredths),
# the peak memory, and each language's ratio to English (issue 12: English at most 25 ms, Arabic
# and Hindi within 1.5x). BENCH=flyers runs the flyers alone, BENCH=cards the cards alone.
# HANDOUT_BIN=path measures that binary instead of a fresh ./handout (an older build beside this
# one, for a before-and-after in one sitting).
set -eu
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
FLOOR_SRC=${FLOOR_SRC:-../shared/bench/floor.c}
FONT=$(fc-match -f '%{file}' 'Liberation Sans:regular')
B=build/bench
mkdir -p "$B"
if [ -n "${HANDOUT_BIN:-}" ]; then
    H=$HANDOUT_BIN
else
    make --no-print-directory handout >/dev/null
    H=./handout
fi

have_floor=0
if [ -f "$FLOOR_SRC" ]; then
    cc -O2 -std=c11 -o "$B/floor" "$FLOOR_SRC" -lhpdf -lqrencode -lm && have_floor=1
else
    echo "# no floor program at $FLOOR_SRC: handout alone (set FLOOR_SRC)"
fi

# one CSV per size: a 45-character URL per card
make_csv() {
    awk -v n="$1" 'BEGIN { print "url"; for (i = 1; i <= n; i++) printf "https://example.org/c/%07d?k=abcdefghijklmnop\n", i }' > "$B/cards-$1.csv"
}

# median of numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure NAME OUTPUT-GLOB COMMAND...: prints "wall_s peak_kb bytes pages"
measure() {
    out_glob=$1; shift
    : > "$B/times"
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        rm -f $(ls $out_glob 2>/dev/null || true)
        /usr/bin/time -f '%e %M' -o "$B/time.1" "$@" >/dev/null 2>"$B/err" || { cat "$B/err" >&2; exit 1; }
        cat "$B/time.1" >> "$B/times"
        i=$((i + 1))
    done
    wall=$(awk '{ print $1 }' "$B/times" | median)
    peak=$(awk '{ print $2 }' "$B/times" | sort -n | tail -n 1)
    files=$(ls $out_glob 2>/dev/null || true)
    bytes=$(cat $files | wc -c)
    pages=0
    for f in $files; do
        p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ { print $2 }')
        pages=$((pages + p))
    done
    echo "$wall $peak $bytes $pages"
}

BENCH=${BENCH:-all}

# flyers: the Letter flyer per language, RUNS rounds of one build each, then the table
flyers() {
    langs="en ar hi th zh"
    for l in $langs; do : > "$B/flyer-$l.times"; done
    i=0
    while [ "$i" -lt "$RUNS" ]; do
        for l in $langs; do
            t0=$(date +%s%N)
            /usr/bin/time -f '%M' -o "$B/time.1" "$H" build layouts/flyer.ini "content/$l" -o "$B/flyer-$l.pdf" >/dev/null 2>"$B/err" || { cat "$B/err" >&2; exit 1; }
            t1=$(date +%s%N)
            echo "$(((t1 - t0) / 1000)) $(cat "$B/time.1")" >> "$B/flyer-$l.times"
        done
        i=$((i + 1))
    done
    en_ms=$(awk '{ print $1 / 1000 }' "$B/flyer-en.times" | median)
    printf '%-10s %-14s %9s %9s %11s %9s %18s\n' workload language "wall ms" "peak MB" bytes "B/page" "ratio t to en"
    for l in $langs; do
        ms=$(awk '{ print $1 / 1000 }' "$B/flyer-$l.times" | median)
        peak=$(awk '{ print $2 }' "$B/flyer-$l.times" | sort -n | tail -n 1)
        bytes=$(wc -c < "$B/flyer-$l.pdf")
        pages=$(pdfinfo "$B/flyer-$l.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
        printf '%-10s %-14s %9.1f %9.1f %11d %9d %18s\n' flyer "$l" "$ms" "$(echo "$peak / 1024" | bc -l)" "$bytes" $((bytes / pages)) "$(awk -v a="$ms" -v b="$en_ms" 'BEGIN { printf "%.2f", a / b }')"
    done
    echo "# flyers: medians of $RUNS runs each, interleaved; wall includes process start (fontconfig, ICU data)"
}

if [ "$BENCH" = flyers ]; then
    flyers
    exit 0
fi

printf '%-10s %-14s %9s %9s %11s %9s %18s\n' workload tool "wall s" "peak MB" bytes "B/page" "ratio t/mem/bytes"
for n in 1000 10000; do
    name=cards-$((n / 1000))k
    make_csv "$n"
    if [ "$have_floor" = 1 ]; then
        set -- $(measure "$B/floor.pdf" "$B/floor" "$B/floor.pdf" "$n" "$FONT" cm)
        fw=$1 fm=$2 fb=$3 fp=$4
        printf '%-10s %-14s %9.3f %9.1f %11d %9d %18s\n' "$name" floor "$fw" "$(echo "$fm / 1024" | bc -l)" "$fb" $((fb / fp)) "1 / 1 / 1"
    fi
    for j in 1 2; do
        set -- $(measure "$B/handout-*.pdf $B/handout.pdf" "$H" build tests/bench/card.ini content/en --data "$B/cards-$n.csv" -j "$j" -o "$B/handout.pdf")
        hw=$1 hm=$2 hb=$3 hp=$4
        ratio="-"
        if [ "$have_floor" = 1 ]; then
            ratio=$(awk -v a="$hw" -v b="$fw" -v c="$hm" -v d="$fm" -v e="$hb" -v f="$fb" 'BEGIN { printf "%.2f / %.2f / %.2f", a / b, c / d, e / f }')
        fi
        printf '%-10s %-14s %9.3f %9.1f %11d %9d %18s\n' "$name" "handout -j $j" "$hw" "$(echo "$hm / 1024" | bc -l)" "$hb" $((hb / hp)) "$ratio"
    done
done
echo "# medians of $RUNS runs; peak memory is the largest of the runs (for -j 2, of one process)"
if [ "$BENCH" = all ]; then
    echo
    flyers
fi
