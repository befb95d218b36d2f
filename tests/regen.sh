#!/usr/bin/env bash
# tests/regen.sh -- `make regen`: rewrites the golden dumps, tests/golden/NAME.dump, one for each
# build `make run` makes (make run-pairs: LAYOUT CONTENT_DIR NAME [SIZE]), from fresh builds of the program under test,
# but only once every PDF has passed checks that do not read the dump's values:
#   - every QR code the dump places, cropped from a 300 dpi rendering (pdftoppm -r 300) and decoded
#     by zbarimg, reads exactly the payload tests/oracle.sh derives for its element from the layout
#     and the content files (and the data file's record, or the item's language); each item side
#     holds the layout's qr elements of that side, and there are as many items as records,
#     languages or sheet cells;
#   - qpdf --check passes without a warning;
#   - pdffonts lists at least one font and every one embedded, a tagged subset, Type 0 (CID TrueType
#     or CID Type 0C) with Identity-H, no two named alike.
# When any check fails, nothing is written: the failures are listed and the exit status is 1. A
# golden file whose pair `make run` no longer builds is removed.
#
# usage: tests/regen.sh    (from anywhere; `make regen` builds the program first)
#   environment: HANDOUT (default ./handout in the repository), HANDOUT_WRAP as for the tests,
#   GOLDEN_DIR (default tests/golden), REGEN_PAIRS ("LAYOUT CONTENT_DIR [NAME]" lines in place of make
#   run-pairs; then no golden file is removed: tests/run.sh checks this script this way)
#
# Prints "ok - NAME" / "FAIL - NAME: reason" per check like a test suite, then what it wrote, then
# "N passed, M failed".
set -u
export LC_ALL=C.UTF-8 TZ=UTC

# START_DIR, ROOT, HANDOUT, and ok, fail, note, summary
. "$(dirname "$0")/lib.sh"
# the derivations, the golden file's form, the PDF checks
. "$(dirname "$0")/oracle.sh"
cd "$ROOT" || exit 2
export SOURCE_DATE_EPOCH=$GOLDEN_EPOCH
GOLDEN_DIR=${GOLDEN_DIR:-$ROOT/tests/golden}
case $GOLDEN_DIR in /*) ;; *) GOLDEN_DIR=$START_DIR/$GOLDEN_DIR ;; esac

need_tools qpdf pdffonts pdftoppm zbarimg make
need_handout
T=$(mktemp -d "${TMPDIR:-/tmp}/handout-regen.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
oracle_pgmcrop "$T"

if [ -n "${REGEN_PAIRS:-}" ]; then PAIRS=$REGEN_PAIRS; else PAIRS=$(golden_pairs); fi
if [ -z "$PAIRS" ]; then fail "the pairs" "make run-pairs lists none"; summary; fi

# regen_pair STEM LAYOUT CONTENT_DIR [NAME [SIZE]] -> every check of one pair (built with --size SIZE
#   when given); STEM.golden the dump as the golden file keeps it
regen_pair() {
    local stem=$1 layout=$2 cdir=$3 size=${5:-} tn problems misread n
    tn="$(basename "$layout" .ini)${size:+-$size}+$(basename "$cdir")"
    if ! handout build "$layout" "$cdir" ${size:+--size "$size"} -o "$stem.pdf" --dump "$stem.dump" > /dev/null 2> "$stem.err"; then
        fail "build $tn" "exit status $?: $(head -n 3 "$stem.err" | one_line)"
        return
    fi
    check_qpdf "qpdf --check $tn" "$stem.pdf"
    check_fonts "pdffonts $tn: every font embedded" "$stem.pdf"
    problems=$(qr_expected "$stem.dump" "$layout" "$cdir" "$stem.qrs")
    n=$(wc -l < "$stem.qrs")
    if [ -n "$problems" ]; then
        fail "qr $tn: the codes the layout asks for" "$problems"
    elif [ "$n" -eq 0 ]; then
        ok "qr $tn: the layout has no QR code, and the dump places none"
    else
        misread=$(crop_decode_all "$stem.pdf" "$stem.qrs" "$stem")
        if [ -z "$misread" ]; then
            if [ "$n" = 1 ]; then ok "qr $tn: its code decodes at 300 dpi to the payload derived from $layout and $cdir"
            else ok "qr $tn: all $n codes decode at 300 dpi to the payloads derived from $layout and $cdir"; fi
        else fail "qr $tn: decoded at 300 dpi" "$(one_line <<< "$misread" | head -c 600)"; fi
    fi
    golden_normalise "$stem.dump" > "$stem.golden"
}

PAR=$(nproc 2>/dev/null || echo 1); [ "$PAR" -ge 1 ] 2>/dev/null || PAR=1; [ "$PAR" -le 4 ] || PAR=4
mapfile -t LIST <<< "$PAIRS"
running=0 i=0
for pair in "${LIST[@]}"; do
    i=$((i + 1))
    # shellcheck disable=SC2086  # two to four words: layout, content folder, name, size
    ( p0=$PASSED f0=$FAILED; regen_pair "$T/p$i" $pair; echo "@@counts $((PASSED - p0)) $((FAILED - f0))" ) \
        > "$T/p$i.out" 2>&1 < /dev/null &
    running=$((running + 1))
    if [ "$running" -ge "$PAR" ]; then wait -n; running=$((running - 1)); fi
done
wait
i=0
for pair in "${LIST[@]}"; do
    i=$((i + 1))
    counted=0
    while IFS= read -r line; do
        if [[ $line =~ ^@@counts\ ([0-9]+)\ ([0-9]+)$ ]]; then
            PASSED=$((PASSED + BASH_REMATCH[1])); FAILED=$((FAILED + BASH_REMATCH[2])); counted=1
        else printf '%s\n' "$line"; fi
    done < "$T/p$i.out"
    [ $counted -eq 1 ] || fail "checks of $pair" "ended without reporting its counts"
done

if [ "$FAILED" -gt 0 ]; then
    note "make regen: $FAILED check(s) failed (the FAIL lines above): nothing written, ${GOLDEN_DIR#"$ROOT"/} left as it was"
    summary
fi
mkdir -p "$GOLDEN_DIR" || { fail "golden folder" "cannot make $GOLDEN_DIR"; summary; }
i=0 changed=0 written=0
declare -A KEEP=()
for pair in "${LIST[@]}"; do
    i=$((i + 1))
    # shellcheck disable=SC2086  # two to four words: layout, content folder, name, size
    g=$GOLDEN_DIR/$(basename "$(golden_file $pair)")
    KEEP[$g]=1
    if ! cmp -s "$T/p$i.golden" "$g"; then
        if ! { cp "$T/p$i.golden" "$g.tmp" && mv -f "$g.tmp" "$g"; }; then fail "write $g" "cannot write it"; continue; fi
        changed=$((changed + 1))
        note "wrote ${g#"$ROOT"/}"
    fi
    written=$((written + 1))
done
removed=0
if [ -z "${REGEN_PAIRS:-}" ]; then
    for g in "$GOLDEN_DIR"/*.dump; do
        [ -e "$g" ] && [ -z "${KEEP[$g]:-}" ] || continue
        rm -f "$g" && removed=$((removed + 1)) && note "removed ${g#"$ROOT"/} (make run no longer builds its pair)"
    done
fi
note "make regen: $written golden dumps checked, $changed rewritten, $removed removed, in ${GOLDEN_DIR#"$ROOT"/}"
summary
