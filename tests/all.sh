#!/usr/bin/env bash
# tests/all.sh: every test suite, one after the other, and one total. Each suite prints
# "ok - NAME" / "FAIL - NAME: reason" lines and ends with "N passed, M failed"; this script
# passes their output through, adds their counts, and ends with the total line in the same form.
# A suite that ends without such a line counts as one failure. Exit status: non-zero on any failure.
#   environment: HANDOUT, UNIT, SHAPE_SAMPLE, HANDOUT_WRAP are passed on to the suites.
set -u
cd "$(dirname "$0")/.." || exit 2
SUITES="tests/make.sh tests/run.sh tests/pdfx.sh tests/tagged.sh tests/text.sh tests/geometry.sh tests/design.sh tests/rtl.sh tests/laws.sh tests/shape.sh tests/batch.sh tests/serve.sh tests/orders.sh tests/browser.sh" # run.sh sources tests/cards.sh
passed=0
failed=0
for s in $SUITES; do
    [ -x "$s" ] || continue
    echo "# suite $s"
    out=$(mktemp)
    "$s" | tee "$out"
    last=$(tail -n 1 "$out")
    rm -f "$out"
    if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        passed=$((passed + BASH_REMATCH[1]))
        failed=$((failed + BASH_REMATCH[2]))
    else
        echo "FAIL - suite $s: it ended without a summary line"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
