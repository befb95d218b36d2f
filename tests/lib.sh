# tests/lib.sh -- what every test suite shares; sourced (". tests/lib.sh") at the top of each.
# Sets START_DIR (the folder the suite was started from), ROOT (the repository) and HANDOUT (the
# binary under test: $HANDOUT as given, a relative path taken from START_DIR, a bare name looked up
# in PATH; default ROOT/handout), and defines the reporting every suite uses:
#   ok NAME            counts a passed check and prints "ok - NAME"
#   fail NAME REASON   counts a failed check and prints "FAIL - NAME: REASON"
#   note TEXT          prints "# TEXT" (not a check)
#   lap NAME           prints "# NAME: S s", the time since the last lap (or the start)
#   summary            prints "N passed, M failed" and exits, non-zero when M > 0
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
