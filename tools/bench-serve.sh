#!/bin/sh
# tools/bench-serve.sh: the web page's workload of `make bench`. Starts `handout serve` on a free
# port and, for each of 1, 2 and 4 connections, sends previews of the Letter flyer and of a sheet of
# wallet cards with wrk for SECONDS seconds; prints requests per second, the median and 99th
# percentile latency, and the server's resident memory after each load, and how much it grew from
# the first load to the last. The floor is what the
# server cannot avoid: the same build and preview image run by hand, one after the other
# (handout build + pdftoppm, timed over RUNS runs); the ratio median latency / floor is the
# server's own cost.
#   usage: tools/bench-serve.sh    (from anywhere; needs wrk and curl)
#   environment: SECONDS_EACH (default 10), RUNS (default 6), HANDOUT (default ./handout)
set -eu
cd "$(dirname "$0")/.."
SECONDS_EACH=${SECONDS_EACH:-10}
RUNS=${RUNS:-6}
HANDOUT=${HANDOUT:-./handout}
B=build/bench/serve
command -v wrk >/dev/null || { echo "tools/bench-serve.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -x "$HANDOUT" ] || make --no-print-directory handout >/dev/null
rm -rf "$B"
mkdir -p "$B/tmp" "$B/orders"
cp "$HANDOUT" "$B/handout"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }

# the floor: one preview's work by hand (the engine's build of one sheet and the first page as PNG),
# the flyer and the wallet cards in turn as in the load
: > "$B/floor"
r=0
while [ "$r" -lt "$RUNS" ]; do
    t0=$(now)
    if [ $((r % 2)) = 0 ]; then
        "$B/handout" build layouts/flyer-letter.ini content/en -o "$B/floor.pdf" 2>/dev/null
    else
        "$B/handout" build layouts/wallet-card-us.ini content/es --count 10 -o "$B/floor.pdf" 2>/dev/null
    fi
    pdftoppm -png -f 1 -l 1 -singlefile -scale-to 900 "$B/floor.pdf" "$B/floor" 2>/dev/null
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }' >> "$B/floor"
    r=$((r + 1))
done
floor=$(median < "$B/floor")

TMPDIR=$PWD/$B/tmp "$B/handout" serve --port 0 --orders "$B/orders" 2> "$B/server.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; true' EXIT
port=""
i=0
while [ -z "$port" ] && [ "$i" -lt 100 ]; do
    port=$(sed -n 's|^handout: serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$B/server.log")
    [ -n "$port" ] || sleep 0.1
    i=$((i + 1))
done
[ -n "$port" ] || { echo "tools/bench-serve.sh: the server did not start: $(cat "$B/server.log")" >&2; exit 1; }

# wrk posts a urlencoded form, the flyer and the wallet cards in turn
cat > "$B/post.lua" <<'EOF'
local forms = { "product=flyer-letter&language=en&quantity=1",
                "product=wallet-card-us&language=es&quantity=10" }
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/preview.json",
                    { ["Content-Type"] = "application/x-www-form-urlencoded" }, forms[n % 2 + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %.1f %.1f %d\n", summary.requests,
           summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
           latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.duration))
end
EOF

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }
echo "handout serve: previews (flyer and wallet cards in turn), $SECONDS_EACH s per load, --max-builds 2 (default)"
echo "floor (handout build + pdftoppm by hand, median of $RUNS): $floor ms"
printf '%-12s %10s %8s %12s %12s %10s %12s\n' connections requests errors "median ms" "99% ms" "req/s" "VmRSS kB"
echo "idle: VmRSS $(rss) kB"
first_rss=""
for c in 1 2 4; do
    line=$(wrk -t 1 -c "$c" -d "${SECONDS_EACH}s" --timeout 60s -s "$B/post.lua" "http://127.0.0.1:$port/" | grep '^RESULT')
    set -- $line
    rps=$(awk -v n="$2" -v d="$6" 'BEGIN { printf "%.2f", n / (d / 1e6) }')
    now_rss=$(rss)
    [ -n "$first_rss" ] || first_rss=$now_rss
    printf '%-12s %10s %8s %12s %12s %10s %12s\n' "$c" "$2" "$3" "$4" "$5" "$rps" "$now_rss"
    [ "$c" = 1 ] && ratio=$(awk -v m="$4" -v f="$floor" 'BEGIN { printf "%.2f", m / f }')
done
echo "one connection: median latency / floor = $ratio"
# memory after the loads against memory after the first: the growth make check once judged (it
# allowed max(20 %, 10 MB)); under AddressSanitizer freed memory stays in quarantine, so judge the
# plain build only
limit=$(( first_rss / 5 > 10240 ? first_rss / 5 : 10240 ))
growth=$(( now_rss - first_rss ))
if [ "$growth" -le "$limit" ]; then verdict="within"; else verdict="OVER"; fi
echo "memory: VmRSS $first_rss kB after the first load, $now_rss kB after the last: ${growth} kB more, $verdict max(20 %, 10 MB) = $limit kB"
