# tests/lib.sh -- what every test suite shares; sourced (". tests/lib.sh") at the top of each.
# Sets START_DIR (the folder the suite was started from), ROOT (the repository) and HANDOUT (the
# binary under test: $HANDOUT as given, a relative path taken from START_DIR, a bare name looked up
# in PATH; default ROOT/handout), and defines the reporting every suite uses:
#   ok NAME            counts a passed check and prints "ok - NAME"
#   fail NAME REASON   counts a failed check and prints "FAIL - NAME: REASON"
#   note TEXT          prints "# TEXT" (not a check)
#   lap NAME           prints "# NAME: S s", the time since the last lap (or the start)
#   summary            prints "N passed, M failed" and exits, non-zero when M > 0
#   need_tools TOOL... a failed check and the summary when a tool is not installed
#   need_handout       a failed check and the summary when HANDOUT is not an executable
#   run CMD...         CMD with the time limit TMO (180 s; 900 s under HANDOUT_WRAP)
#   handout ARG...     the binary under test, after HANDOUT_WRAP (e.g. valgrind), with TMO
#   one_line           standard input with every run of white space made one space, trimmed
# shellcheck shell=bash
START_DIR=$(pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HANDOUT=${HANDOUT:-$ROOT/handout}
case $HANDOUT in
    /*) ;;
    */*) HANDOUT=$START_DIR/$HANDOUT ;;
    *) HANDOUT=$(command -v "$HANDOUT" || echo "$START_DIR/$HANDOUT") ;;
esac
PASSED=0
FAILED=0
ok()   { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $1: $2"; }
note() { echo "# $*"; }
summary() { echo "$PASSED passed, $FAILED failed"; [ "$FAILED" -eq 0 ]; exit $?; }
LAP=$(date +%s.%N)
lap() { local t; t=$(date +%s.%N); note "$1: $(awk -v a="$LAP" -v b="$t" 'BEGIN { printf "%.1f", b - a }') s"; LAP=$t; }
need_tools() {
    local tool
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            fail "tool $tool" "not installed (run tools/deps.sh)"
            summary
        fi
    done
}
need_handout() {
    if [ ! -x "$HANDOUT" ]; then
        fail "handout binary" "$HANDOUT does not exist or is not executable (run make)"
        summary
    fi
}
HANDOUT_WRAP=${HANDOUT_WRAP:-}
# seconds allowed for any one command: a guard against a hang, never a measure of speed (that is
# make bench's); generous, since make check runs suites side by side on a shared machine and the
# sanitizers' build is several times slower
TMO=180
[ -z "$HANDOUT_WRAP" ] || TMO=900
run() { timeout "$TMO" "$@"; }
# shellcheck disable=SC2086  # HANDOUT_WRAP is a command line: split it
handout() { timeout "$TMO" $HANDOUT_WRAP "$HANDOUT" "$@"; }
one_line() { sed -z -e 's/[[:space:]]\{1,\}/ /g' -e 's/^ //' -e 's/ $//'; }

# server_suite NAME: for the suites that start servers (serve.sh, orders.sh). T, a temporary
# folder (handout-NAME-tests.XXXXXX); PIDS, the servers started, each stopped at exit (TERM, then
# KILL after 5 s) before T is removed; BIN, a copy of the binary under test that handout() runs
# (`make` can replace ./handout while the servers run).
server_suite() {
    T=$(mktemp -d "${TMPDIR:-/tmp}/handout-$1-tests.XXXXXX") || exit 2
    PIDS=()
    trap server_suite_cleanup EXIT
    trap 'exit 130' INT TERM HUP
    mkdir -p "$T/bin"
    cp "$HANDOUT" "$T/bin/handout" || exit 2
    BIN=$T/bin/handout
    # shellcheck disable=SC2086,SC2317  # HANDOUT_WRAP is a command line: split it
    handout() { timeout "$TMO" $HANDOUT_WRAP "$BIN" "$@"; }
}
# shellcheck disable=SC2317  # called by the trap
server_suite_cleanup() {
    local p i
    exec 3<&- 2>/dev/null
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do
        for ((i = 0; i < 50; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null
    done
    rm -rf "$T"
}

# suite_takes_no_arguments NAME "$@": for a suite that takes no argument (NAME, e.g.
# tests/text.sh): -h or --help prints its opening comment and exits 0; anything else is a usage
# error (exit 2).
suite_takes_no_arguments() {
    local name=$1
    shift
    case ${1:-} in
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        "") ;;
        *) echo "$name: unknown argument \"$1\" (usage: $name)" >&2; exit 2 ;;
    esac
}
