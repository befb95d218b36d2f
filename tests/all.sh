#!/usr/bin/env bash
# tests/all.sh: every test suite and one total. The suites run side by side, JOBS at a time
# (default: the number of processors, at least 2), longest first; each suite's output is held in a
# file and printed whole, under "# suite NAME (S s)", when it ends, so suites never interleave (its
# standard error after it, each line marked "# stderr: "). Each suite
# prints "ok - NAME" / "FAIL - NAME: reason" lines and ends with "N passed, M failed"; this script
# adds their counts and ends with the total line in the same form. A suite that ends without such
# a line counts as one failure. Exit status: non-zero on any failure.
#   usage: tests/all.sh [SUITE...]   (default: every suite in SUITES; JOBS=1 runs them in turn)
#   environment: HANDOUT, UNIT, SHAPE_SAMPLE, HANDOUT_WRAP are passed on to the suites.
# The suites may run at once because each works in its own temporary folder (a copy of the project
# where it changes inputs), its servers listen on free ports (--port 0), and none writes into the
# repository (tests/serve.sh checks that at its end).
set -u
cd "$(dirname "$0")/.." || exit 2
# Longest first, so that the last suite to start is a short one (run.sh sources tests/cards.sh).
SUITES="tests/run.sh tests/text.sh tests/serve.sh tests/browser.sh tests/batch.sh tests/quantities.sh tests/orders.sh tests/laws.sh tests/theme.sh tests/tagged.sh tests/geometry.sh tests/flyer.sh tests/logo.sh tests/design.sh tests/pdfx.sh tests/make.sh tests/rtl.sh tests/shape.sh"
[ $# -gt 0 ] && SUITES="$*"
if [ -z "${JOBS-}" ]; then
    JOBS=$(nproc 2>/dev/null || echo 2)
    [ "$JOBS" -ge 2 ] 2>/dev/null || JOBS=2
fi
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "tests/all.sh: JOBS: expected a whole number of at least 1, found \"$JOBS\"" >&2; exit 2; }

OUT=$(mktemp -d "${TMPDIR:-/tmp}/handout-all.XXXXXX") || exit 2
declare -A NAME_OF=()   # process id -> suite
declare -A START_OF=()  # process id -> seconds since the epoch when it started
trap 'for p in "${!NAME_OF[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$OUT"' EXIT
trap 'exit 130' INT TERM
passed=0
failed=0

# finish PID STATUS: prints the suite's output and adds its counts
finish() {
    local s=${NAME_OF[$1]} f last
    f=$OUT/$(basename "$s").out
    echo "# suite $s ($(( $(date +%s) - START_OF[$1] )) s)"
    cat "$f"
    [ -s "$f.err" ] && sed 's/^/# stderr: /' "$f.err"
    last=$(tail -n 1 "$f")
    if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1]))
        failed=$((failed + BASH_REMATCH[2]))
        if [ "${BASH_REMATCH[2]}" -eq 0 ] && [ "$2" -ne 0 ]; then
            echo "FAIL - suite $s: it reported no failure but exited with status $2"
            failed=$((failed + 1))
        fi
    else
        echo "FAIL - suite $s: it ended without a summary line (exit status $2)"
        failed=$((failed + 1))
    fi
    unset "NAME_OF[$1]" "START_OF[$1]"
}

# reap: waits for one suite to end and finishes it
reap() {
    local pid st
    wait -n -p pid "${!NAME_OF[@]}"; st=$?
    [ -n "${pid-}" ] && [ -n "${NAME_OF[$pid]-}" ] && finish "$pid" "$st"
}

for s in $SUITES; do
    if [ ! -x "$s" ]; then
        echo "FAIL - suite $s: not an executable file"
        failed=$((failed + 1))
        continue
    fi
    while [ "${#NAME_OF[@]}" -ge "$JOBS" ]; do reap; done
    "$s" > "$OUT/$(basename "$s").out" 2> "$OUT/$(basename "$s").out.err" < /dev/null &
    NAME_OF[$!]=$s
    START_OF[$!]=$(date +%s)
done
while [ "${#NAME_OF[@]}" -gt 0 ]; do reap; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
