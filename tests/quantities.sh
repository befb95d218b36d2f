#!/usr/bin/env bash
# tests/quantities.sh -- issue 15, item 4 in a batch: a job item whose data file says the copies of
# each record (quantity_column = NAME) makes that many cards per record, in record order, numbered
# by {serial} and {record_serial}; the job report (report.pdf) and manifest.json count them per
# record and in all; the counts hold when the item is up to date and change when the data file
# does; bad quantities are errors that name their file and line, in `batch` and in `check`.
#
# usage: tests/quantities.sh    (from any folder; it works from the repository root)
#   environment: HANDOUT (default ./handout in the repository), HANDOUT_WRAP
#
# Every expected value comes from the CSV fixtures, read by awk (never from handout's output):
# the cards by pdftotext, one page each (tests/fixtures/quantity.ini prints "{agency} card
# {serial} copy {record_serial}"), the report's table by pdftotext, the manifest by jq.
# Each check prints "ok - NAME" or "FAIL - NAME: reason"; the last line is "N passed, M failed".

set -u
export LC_ALL=C.UTF-8 TZ=UTC
unset SOURCE_DATE_EPOCH

. "$(dirname "$0")/lib.sh"
suite_takes_no_arguments tests/quantities.sh "$@"
cd "$ROOT" || exit 2
need_tools pdftotext jq awk
need_handout

T=$(mktemp -d "${TMPDIR:-/tmp}/handout-quantities.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/jobs"

check() { # check NAME REASON-IF-FAILED COMMAND...
    local name=$1 why=$2; shift 2
    if "$@"; then ok "$name"; else fail "$name" "$why"; fi
}

# job FILE ITEM-LINES... -> a job file with one item, [cards], of the quantity fixture
job() {
    local f=$1; shift
    { printf '[job]\nname = Quantities\nkind = order\ndate = 2025-03-14\npartner = Test partner\n\n[cards]\n'
      printf 'layout = tests/fixtures/quantity.ini\nlanguage = tests/fixtures/content\n'
      printf '%s\n' "$@"; } > "$f"
}

# csv_cards CSV QTYCOL -> one line per card, as the fixture prints it, in record order
csv_cards() {
    awk -F, -v qc="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == qc) q = i; next }
        { for (k = 1; k <= $q; k++) printf "%s card %d copy %d\n", $1, ++n, k }' "$1"
}
# csv_records CSV QTYCOL -> per record: "LINE AGENCY QUANTITY FIRST LAST", from the file's lines
csv_records() {
    awk -F, -v qc="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == qc) q = i; next }
        { printf "%d %s %d %d %d\n", NR, $1, $q, s + 1, s + $q; s += $q }' "$1"
}
# report_rows PDF -> the report's rows of the per-record table, "LINE AGENCY QUANTITY FIRST LAST"
report_rows() {
    pdftotext -layout "$1" - 2>/dev/null | awk '
        /^Quantities per record:/ { on = 1; next }
        on && /^ *Total/ { exit }
        on && $1 ~ /^[0-9]+$/ { last = ($5 == "to") ? $6 : $4; print $1, $2, $3, $4, last }'
}
# manifest_rows JSON ITEM -> "LINE AGENCY QUANTITY FIRST LAST" per record of the item's file
manifest_rows() {
    jq -r --arg f "$2.pdf" '.files[] | select(.path == $f) | .quantities.records[] |
        "\(.line) \(.record) \(.quantity) \(.first_serial) \(.last_serial)"' "$1"
}
cards_of() { # cards_of PDF -> each page's text on a line
    local p n
    n=$(pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    for ((p = 1; p <= ${n:-0}; p++)); do pdftotext -f "$p" -l "$p" -enc UTF-8 "$1" - 2>/dev/null | one_line; echo; done
}

# ---------------------------------------------------------------------------------------------
# 1. quantities 3, 1 and 2 (the column "quantity"; the same under "copies")
for qv in quantity:quantity.csv copies:quantity-copies.csv; do
    qcol=${qv%%:*} csv=$ROOT/tests/fixtures/${qv#*:}
    J=$T/jobs/q-$qcol.ini O=$T/out-$qcol
    job "$J" "data = $csv" "quantity_column = $qcol"
    handout batch "$J" -o "$O" > "$T/b.out" 2> "$T/b.err"
    rc=$?
    check "batch: quantity_column = $qcol: the job builds (exit 0)" "exit $rc: $(one_line < "$T/b.err")" test "$rc" = 0
    D=$O/quantities
    want=$(csv_cards "$csv" "$qcol")
    got=$(cards_of "$D/cards.pdf")
    n=$(printf '%s\n' "$want" | wc -l)
    check "batch: quantity_column = $qcol: $n cards in record order with {serial} and {record_serial} (pdftotext)" \
        "got [$(echo "$got" | one_line)], expected [$(echo "$want" | one_line)]" test "$got" = "$want"
    want=$(csv_records "$csv" "$qcol")
    counts=$(echo "$want" | awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $3 }')
    got=$(report_rows "$D/report.pdf")
    check "batch: quantity_column = $qcol: report.pdf counts $counts per record, with their lines and serials" \
        "report [$(echo "$got" | one_line)], expected [$(echo "$want" | one_line)]" test "$got" = "$want"
    total=$(echo "$want" | awk '{ t += $3 } END { print t }')
    tline=$(pdftotext -layout "$D/report.pdf" - 2>/dev/null | awk '/^Quantities per record:/ { on = 1 } on && /^ *Total/ { print $2; exit }')
    check "batch: quantity_column = $qcol: report.pdf's per-record total is $total" "found [$tline]" test "$tline" = "$total"
    iline=$(pdftotext -layout "$D/report.pdf" - 2>/dev/null | awk '/^Items/ { on = 1 } on && /^cards / { print $(NF - 6), $(NF - 5); exit }')
    check "batch: quantity_column = $qcol: report.pdf's item row asks and makes $total" "found [$iline]" test "$iline" = "$total $total"
    got=$(manifest_rows "$D/manifest.json" cards)
    check "batch: quantity_column = $qcol: manifest.json counts $counts per record, with their lines and serials" \
        "manifest [$(echo "$got" | one_line)], expected [$(echo "$want" | one_line)]" test "$got" = "$want"
    got=$(jq -r '.files[] | select(.path == "cards.pdf") | "\(.items) \(.quantity) \(.quantities.column)"' "$D/manifest.json")
    check "batch: quantity_column = $qcol: manifest.json: $total items, $total asked, column $qcol" "found [$got]" \
        test "$got" = "$total $total $qcol"
    got=$(awk -F, '$1 == "cards.pdf" { print $5 }' "$D/manifest.csv")
    check "batch: quantity_column = $qcol: manifest.csv: $total items" "found [$got]" test "$got" = "$total"
done

# 2. an up-to-date run writes the same report and manifest; a changed quantity rebuilds the item
#    and the counts follow the file
csv=$T/agencies.csv
printf 'agency,quantity\nAlpha,2\nBravo,4\n' > "$csv"
J=$T/jobs/change.ini O=$T/out-change D=$T/out-change/quantities
job "$J" "data = $csv" "quantity_column = quantity"
handout batch "$J" -o "$O" > /dev/null 2> "$T/c1.err"
cp "$D/report.pdf" "$T/report-1.pdf"; cp "$D/manifest.json" "$T/manifest-1.json"
handout batch "$J" -o "$O" > /dev/null 2> "$T/c2.err"
check "batch: a second run builds nothing" "stderr: $(one_line < "$T/c2.err")" grep -qF "nothing to build" "$T/c2.err"
check "batch: an up-to-date item keeps its counts: report.pdf the same bytes" "differs" cmp -s "$T/report-1.pdf" "$D/report.pdf"
check "batch: an up-to-date item keeps its counts: manifest.json the same bytes" "differs" cmp -s "$T/manifest-1.json" "$D/manifest.json"
printf 'agency,quantity\nAlpha,2\nBravo,1\nCharlie,3\n' > "$csv"
handout batch "$J" -o "$O" > /dev/null 2> "$T/c3.err"
check "batch: a changed data file rebuilds the item, and says so" "stderr: $(one_line < "$T/c3.err")" \
    grep -qF "item [cards] is built again: $csv is not the file it was built from" "$T/c3.err"
want=$(csv_records "$csv" quantity)
got=$(report_rows "$D/report.pdf")
check "batch: after the change report.pdf counts 2, 1, 3" "report [$(echo "$got" | one_line)], expected [$(echo "$want" | one_line)]" \
    test "$got" = "$want"
got=$(manifest_rows "$D/manifest.json" cards)
check "batch: after the change manifest.json counts 2, 1, 3" "manifest [$(echo "$got" | one_line)]" test "$got" = "$want"
got=$(cards_of "$D/cards.pdf" | tail -n 1)
check "batch: after the change the last card is Charlie's third, serial 6" "last card [$got]" test "$got" = "Charlie card 6 copy 3"

# 2b. a job's set_ field naming the quantity column sets every record's copies (set_quantity = 2)
J=$T/jobs/set.ini
job "$J" "data = $ROOT/tests/fixtures/quantity.csv" "quantity_column = quantity" "set_quantity = 2"
handout batch "$J" -o "$T/out-set" > /dev/null 2> "$T/set.err"
want=$(awk -F, 'NR > 1 { for (k = 1; k <= 2; k++) printf "%s card %d copy %d\n", $1, ++n, k }' tests/fixtures/quantity.csv)
got=$(cards_of "$T/out-set/quantities/cards.pdf")
check "batch: set_quantity = 2 over quantity_column: 2 cards per record" "cards [$(echo "$got" | one_line)]: $(one_line < "$T/set.err")" \
    test "$got" = "$want"
got=$(jq -r '[.files[0].quantities.records[].quantity] | map(tostring) | join(",")' "$T/out-set/quantities/manifest.json" 2>/dev/null)
check "batch: set_quantity = 2: manifest.json counts 2, 2, 2" "found [$got]" test "$got" = "2,2,2"

# 3. on a sheet: the quantities exactly, the last sheet's other cells empty (no rounding up)
sed 's/^margin .*/&\nsheet = letter-10up-cards/' tests/fixtures/quantity.ini > "$T/q-sheet.ini"
grep -q '^sheet' "$T/q-sheet.ini" || printf '[page]\nsheet = letter-10up-cards\n' >> "$T/q-sheet.ini"
printf 'agency,quantity\nAlpha,7\nBravo,5\n' > "$T/sheet.csv"
J=$T/jobs/sheet.ini
{ printf '[job]\nname = Sheet\nkind = order\ndate = 2025-03-14\npartner = P\n\n[cards]\n'
  printf 'layout = %s\nlanguage = tests/fixtures/content\ndata = %s\nquantity_column = quantity\n' "$T/q-sheet.ini" "$T/sheet.csv"; } > "$J"
handout batch "$J" -o "$T/out-sheet" > /dev/null 2> "$T/s.err"
rc=$?
got=$(jq -r '.files[0] | "\(.items) \(.quantity) \(.pages) \(.sheets)"' "$T/out-sheet/sheet/manifest.json" 2>/dev/null)
check "batch: 12 cards by quantities on a 10-up sheet: 12 made, 12 asked, 2 pages, 2 sheets (not rounded up to 20)" \
    "exit $rc, manifest [$got]: $(one_line < "$T/s.err")" test "$got" = "12 12 2 2"
n=$(pdftotext -f 2 -l 2 "$T/out-sheet/sheet/cards.pdf" - 2>/dev/null | grep -c ' card ')
check "batch: the second sheet holds the last 2 cards" "page 2: $n cards" test "$n" = 2

# 4. bad quantities: errors naming the file and the line, in batch and in check; the item is not built
for b in blank:3 zero:4 negative:2 word:2; do
    name=${b%%:*} line=${b#*:}
    bad=tests/bad/data-qty-$name.csv
    J=$T/jobs/bad-$name.ini
    job "$J" "data = $ROOT/$bad" "quantity_column = quantity"
    handout batch "$J" -o "$T/out-bad" > /dev/null 2> "$T/bad.err"
    rc=$?
    check "batch: a $name quantity is an error naming its line ($bad:$line), exit 1" "exit $rc: $(one_line < "$T/bad.err")" \
        test "$rc.$(grep -c "^handout: error: .*data-qty-$name.csv:$line: column \"quantity\": expected a whole number of copies" "$T/bad.err")" = 1.1
    check "batch: a $name quantity: no PDF, no report" "$(ls "$T/out-bad"/* 2>/dev/null | one_line)" \
        test ! -e "$T/out-bad/quantities/cards.pdf" -a ! -e "$T/out-bad/quantities/report.pdf"
    handout check "$J" > /dev/null 2> "$T/chk.err"
    rc=$?
    check "check: a $name quantity in a job's data file: exit 1, naming $bad:$line" "exit $rc: $(one_line < "$T/chk.err")" \
        test "$rc.$(grep -c "data-qty-$name.csv:$line: column \"quantity\"" "$T/chk.err")" = 1.1
done

# 5. without quantity_column a job's quantity rules, as before: the records' own are not applied
J=$T/jobs/plain.ini
job "$J" "data = $ROOT/tests/fixtures/quantity.csv" "quantity = 3"
handout batch "$J" -o "$T/out-plain" > /dev/null 2> "$T/p.err"
got=$(cards_of "$T/out-plain/quantities/cards.pdf" | one_line)
check "batch: quantity = 3 without quantity_column: one card per record (the column not applied)" "cards [$got]" \
    test "$got" = "Alpha card 1 copy 1 Bravo card 2 copy 1 Charlie card 3 copy 1"
check "batch: without quantity_column the report has no per-record table" "found one" \
    sh -c "! pdftotext '$T/out-plain/quantities/report.pdf' - | grep -q 'Quantities per record'"
got=$(jq -r '.files[0].quantities // "none"' "$T/out-plain/quantities/manifest.json")
check "batch: without quantity_column manifest.json has no quantities" "found [$got]" test "$got" = none

summary
