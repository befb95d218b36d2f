#!/usr/bin/env bash
# tests/design.sh -- issue 16, items 5 and 6: the checks a designer would make (docs/formats.md,
# "Checks a designer would make") and the proof sheet (handout proof). The fixtures in
# tests/fixtures/design/ say in their comments what each check must find, worked out by hand from
# their own numbers; the sheet is read back with pdftotext, pdfinfo and qpdf.
#
# usage: tests/design.sh    (from any folder; it works from the repository root)
#   environment: HANDOUT (default ./handout in the repository), HANDOUT_WRAP
#
# Each check prints "ok - NAME" or "FAIL - NAME: reason"; lines starting with "#" are notes.
# The last line is "N passed, M failed"; the exit status is non-zero when M > 0.
#
#  1. emptiness: the failing fixture's band (2.50in to 8.00in, 61%), the passing one, the reason
#     that silences it, an error with check --strict
#  2. every default output (every make run pair) passes the emptiness check, or its layout states
#     a reason
#  3. reading distance: the headline's 1.00in at 10 ft, other text's 25.9pt, fine print left out
#  4. hierarchy: a title over the hotline number on a victim-facing front; the back left alone
#  5. the proof sheet: every pair's label and findings (pdftotext), its pages (pdfinfo), qpdf --check

set -u
export LC_ALL=C.UTF-8 TZ=UTC
unset SOURCE_DATE_EPOCH

. "$(dirname "$0")/lib.sh"
suite_takes_no_arguments tests/design.sh "$@"
cd "$ROOT" || exit 2
need_tools pdftotext pdfinfo pdftoppm qpdf awk
need_handout

T=$(mktemp -d "${TMPDIR:-/tmp}/handout-design.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
F=tests/fixtures/design

check() { # check NAME REASON-IF-FAILED COMMAND...
    local name=$1 why=$2; shift 2
    if "$@"; then ok "$name"; else fail "$name" "$why"; fi
}

# ---- 1. emptiness
handout build $F/empty-fail.ini content/en -o "$T/ef.pdf" > /dev/null 2> "$T/ef.err"; rc=$?
want="found 5.50in empty (61%) from 2.50in to 8.00in from the top on page 1"
check "emptiness: the band between the boxes, 2.50in to 8.00in down (5.5in, 61% of 9in), is a warning" \
    "exit $rc: $(one_line < "$T/ef.err" | head -c 400)" \
    eval '[ $rc -eq 0 ] && grep -q "^handout: warning: $F/empty-fail.ini:[0-9]*: \[page\] empty_band: expected no empty band across more than 15% of the printable height (1.35in), $want" "$T/ef.err"'
handout build $F/empty-fail.ini content/en -o "$T/ef2.pdf" --diagnostics "$T/ef.rec" > /dev/null 2>&1
check "emptiness: its record's id is design-empty-band" "$(head -c 300 "$T/ef.rec")" \
    eval 'grep -q "^warning	design-empty-band	" "$T/ef.rec"'
handout check $F/empty-fail.ini --content content/en --strict > "$T/efs.out" 2>&1; rc=$?
check "emptiness: check --strict fails on it (exit 1)" "exit $rc: $(tail -n 2 "$T/efs.out" | one_line)" \
    eval '[ $rc -eq 1 ] && grep -q "2.50in to 8.00in" "$T/efs.out"'
handout check $F/empty-pass.ini --content content/en --strict > "$T/eps.out" 2>&1; rc=$?
check "emptiness: three boxes leaving 1in bands (11%) pass check --strict" "exit $rc: $(head -n 2 "$T/eps.out" | one_line)" \
    eval '[ $rc -eq 0 ] && ! grep -q "empty band" "$T/eps.out"'
sed 's/^empty_band = 15%$/empty_band = 65%/' $F/empty-fail.ini > "$T/empty-65.ini"
handout build "$T/empty-65.ini" content/en -o "$T/e65.pdf" > "$T/e65.out" 2>&1; rc=$?
check "emptiness: empty_band = 65% allows the 61% band" "exit $rc: $(head -n 2 "$T/e65.out" | one_line)" \
    eval '[ $rc -eq 0 ] && ! grep -q "empty band" "$T/e65.out"'
sed 's/^empty_band = 15%$/empty_band = 60%/' $F/empty-fail.ini > "$T/empty-60.ini"
handout check "$T/empty-60.ini" --content content/en --strict > "$T/e60.out" 2>&1; rc=$?
check "emptiness: empty_band = 60% does not (61%)" "exit $rc: $(head -n 2 "$T/e60.out" | one_line)" \
    eval '[ $rc -eq 1 ] && grep -q "more than 60% of the printable height (5.40in), $want" "$T/e60.out"'
sed 's/^empty_band = 15%$/empty_band = 15%\nempty_band_reason = the lower half is left for the venue to write on/' $F/empty-fail.ini > "$T/empty-why.ini"
handout build "$T/empty-why.ini" content/en -o "$T/ew.pdf" > "$T/ew.out" 2>&1; rc=$?
check "emptiness: a stated reason silences it" "exit $rc: $(head -n 2 "$T/ew.out" | one_line)" \
    eval '[ $rc -eq 0 ] && ! grep -q "empty band" "$T/ew.out"'

# ---- 2. every default output: each pair of make run, built with its records kept (section 5
# compares the proof sheet with them)
make -s --no-print-directory run-pairs > "$T/pairs" 2>&1
npairs=$(wc -l < "$T/pairs")
mkdir -p "$T/recs"
: > "$T/empty.all"
while read -r layout set name size; do
    handout build "$layout" "$set" ${size:+--size "$size"} -o "$T/recs/$name.pdf" --diagnostics "$T/recs/$name.rec" > /dev/null 2>&1
    rm -f "$T/recs/$name.pdf"
    grep "	design-empty-band	" "$T/recs/$name.rec" | sed "s|^|$name: |" >> "$T/empty.all"
done < "$T/pairs"
reasons=$(grep -l '^empty_band_reason' $(awk '{ print $1 }' "$T/pairs" | sort -u) | tr '\n' ' ')
note "layouts that state a reason for an empty band: $reasons"
check "emptiness: every make run pair ($npairs) passes, or its layout states a reason" \
    "$(head -n 3 "$T/empty.all" | one_line | head -c 500)" \
    eval '[ "$npairs" -gt 100 ] && [ ! -s "$T/empty.all" ]'
# the reasons are not idle: without them, those layouts are found
for l in $reasons; do
    sed '/^empty_band_reason/d' "$l" > "$T/noreason.ini"
    handout check "$T/noreason.ini" --content content/en > "$T/nr.out" 2>&1
    check "emptiness: $l without its reason has an empty band" "$(head -n 2 "$T/nr.out" | one_line | head -c 300)" \
        grep -q "empty band across more than 15%" "$T/nr.out"
done

# ---- 3. reading distance (10 ft: the headline 1.00in, other text 120in x 72 x 0.003 = 25.92pt)
handout build $F/reading-fail.ini content/en -o "$T/rf.pdf" --diagnostics "$T/rf.rec" > /dev/null 2> "$T/rf.err"; rc=$?
check "reading: a 60pt headline at 10 ft is under 1.00in tall" "exit $rc: $(one_line < "$T/rf.err" | head -c 400)" \
    eval '[ $rc -eq 0 ] && grep -q "\[headline\] size: expected the largest text.s letters at least 1.00in tall for a viewing distance of 3.0m (10.0ft) (1 in per 10 ft, the sign trade.s rule of thumb), found 0\.[0-9]*in in \"HELP IS HERE\"" "$T/rf.err"'
check "reading: 20pt text at 10 ft is under 25.9pt" "$(one_line < "$T/rf.err" | head -c 400)" \
    grep -q '\[body\] size: expected type at least 25.9pt for a viewing distance of 3.0m (10.0ft) (a visual angle of 0.003 rad), found 20.0pt in "Free and confidential, every day"' "$T/rf.err"
check "reading: the 12pt footer marked fine_print is left out" "$(grep footer "$T/rf.err" | head -c 300)" \
    eval '! grep -q "\[footer\]" "$T/rf.err"'
check "reading: two records, id design-reading-distance" "$(cut -f 2 "$T/rf.rec" | one_line)" \
    eval '[ "$(grep -c "^warning	design-reading-distance	" "$T/rf.rec")" -eq 2 ]'
handout check $F/reading-pass.ini --content content/en --strict > "$T/rp.out" 2>&1; rc=$?
check "reading: a 150pt headline and 26pt text at 10 ft pass check --strict" "exit $rc: $(head -n 3 "$T/rp.out" | one_line | head -c 400)" \
    eval '[ $rc -eq 0 ] && ! grep -q "viewing distance" "$T/rp.out"'
sed 's/^fine_print = yes$/fine_print = no/' $F/reading-pass.ini > "$T/reading-nofine.ini"
handout check "$T/reading-nofine.ini" --content content/en > "$T/rnf.out" 2>&1
check "reading: the same footer without fine_print is found (12.0pt under 25.9pt)" "$(head -n 3 "$T/rnf.out" | one_line | head -c 400)" \
    grep -q '\[footer\] size: expected type at least 25.9pt .* found 12.0pt' "$T/rnf.out"

sed 's/^viewing_distance = 10ft$/viewing_distance = 10ft\nreading_distance_reason = read up close at a desk/' $F/reading-fail.ini > "$T/reading-why.ini"
handout build "$T/reading-why.ini" content/en -o "$T/rw.pdf" > "$T/rw.out" 2>&1; rc=$?
check "reading: a stated reading_distance_reason silences it" "exit $rc: $(head -n 2 "$T/rw.out" | one_line | head -c 300)" \
    eval '[ $rc -eq 0 ] && ! grep -q "viewing distance" "$T/rw.out"'
# the truck sticker is made for 10 ft (its digits are about 1.05in, the rule of thumb's 1 in per
# 10 ft) and states no reason: it passes there, and set to 30 ft (3.00in letters asked) it is found
handout build layouts/truck-sticker-us.ini content/en -o "$T/truck0.pdf" > "$T/truck0.out" 2>&1; rc=$?
check "reading: the truck sticker meets its 10 ft viewing distance with no reason stated" "exit $rc: $(head -n 2 "$T/truck0.out" | one_line | head -c 300)" \
    eval '[ $rc -eq 0 ] && ! grep -q "viewing distance" "$T/truck0.out" && ! grep -q "^reading_distance_reason" layouts/truck-sticker-us.ini'
sed 's/^viewing_distance *= *10ft$/viewing_distance = 30ft/' layouts/truck-sticker-us.ini > "$T/truck.ini"
handout build "$T/truck.ini" content/en -o "$T/truck.pdf" > "$T/truck.out" 2>&1
check "reading: the truck sticker set to 30 ft is found (3.00in asked)" "$(head -n 2 "$T/truck.out" | one_line | head -c 300)" \
    grep -q '\[hotline\] size: expected the largest text.s letters at least 3.00in tall for a viewing distance of 9.1m (30.0ft)' "$T/truck.out"

# ---- 4. hierarchy
handout build $F/hierarchy-fail.ini content/en -o "$T/hf.pdf" --diagnostics "$T/hf.rec" > /dev/null 2> "$T/hf.err"; rc=$?
check "hierarchy: a 30pt title over the 20pt hotline number on a victim-facing front is a warning" \
    "exit $rc: $(one_line < "$T/hf.err" | head -c 400)" \
    eval '[ $rc -eq 0 ] && grep -q "^handout: warning: $F/hierarchy-fail.ini:[0-9]*: \[title\] size: expected the hotline number (\[hotline\], 20.0pt) to be the largest text on a victim-facing item, found this element set at 30.0pt$" "$T/hf.err"'
check "hierarchy: one record, id design-hotline-not-largest (the 40pt back line is left alone)" "$(cut -f 2 "$T/hf.rec" | one_line)" \
    eval '[ "$(grep -c "	design-hotline-not-largest	" "$T/hf.rec")" -eq 1 ] && ! grep -q back_line "$T/hf.rec"'
handout check $F/hierarchy-pass.ini --content content/en > "$T/hp.out" 2>&1; rc=$?
check "hierarchy: an 18pt title under the 20pt number passes" "exit $rc: $(head -n 2 "$T/hp.out" | one_line | head -c 300)" \
    eval '[ $rc -eq 0 ] && ! grep -q "largest text" "$T/hp.out"'
sed 's/^audience = victim$/audience = public/' $F/hierarchy-fail.ini > "$T/hier-public.ini"
handout check "$T/hier-public.ini" --content content/en > "$T/hpub.out" 2>&1
check "hierarchy: the same card for the public is not checked" "$(head -n 2 "$T/hpub.out" | one_line | head -c 300)" \
    eval '! grep -q "largest text" "$T/hpub.out"'

# ---- 5. the proof sheet: every pair of make run (tools/run-pairs.sh, as the command finds them)
handout proof -o "$T/proof.pdf" > "$T/proof.out" 2>&1; rc=$?
check "proof: writes the sheet (exit 0 or 1: some product has an error) and says so" "exit $rc: $(tail -n 3 "$T/proof.out" | one_line | head -c 400)" \
    eval '[ $rc -le 1 ] && [ -s "$T/proof.pdf" ] && grep -q "^handout: proof: wrote $T/proof.pdf ([0-9]* pages): $npairs products" "$T/proof.out"'
pages=$(pdfinfo "$T/proof.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
want_pages=$(( (npairs + 11) / 12 ))
check "proof: $npairs products, 12 a page: $want_pages pages (pdfinfo)" "pdfinfo says ${pages:-nothing}" \
    eval '[ "${pages:-0}" -eq "$want_pages" ]'
check "proof: qpdf --check passes" "$(qpdf --check "$T/proof.pdf" 2>&1 | tail -n 2 | one_line)" \
    eval 'qpdf --check "$T/proof.pdf" > /dev/null 2>&1'
check "proof: its pages as PNG beside it (pdftoppm), one per page" "$(ls "$T" | grep -c '^proof-.*png$') PNG files" \
    eval '[ "$(ls "$T" | grep -c "^proof-[0-9]*\.png$")" -eq "$want_pages" ]'
# every pair on its page: its name, its layout and set, the count of its findings, and the level
# and id of each finding shown (the first 6), as its own build reported them; compared without
# blanks and hyphens (pdftotext joins a line broken after a hyphen and drops the hyphen)
norm() { tr -d ' \n\t-'; }
i=0; missing=""
while read -r layout set name size; do
    page=$(( i / 12 + 1 ))
    [ -s "$T/page$page.txt" ] || pdftotext -f "$page" -l "$page" "$T/proof.pdf" - 2> /dev/null | norm > "$T/page$page.txt"
    rec="$T/recs/$name.rec"
    ne=$(grep -c '^error	' "$rec"); nw=$(grep -c '^warning	' "$rec")
    if [ $((ne + nw)) -eq 0 ]; then head="no findings"
    else head="$ne error$([ "$ne" -eq 1 ] || echo s), $nw warning$([ "$nw" -eq 1 ] || echo s)"; fi
    for want in "$name" "$layout + $set" "$head" $(head -n 6 "$rec" | awk -F '\t' '{ print $1 $2 }'); do
        w=$(printf '%s' "$want" | norm)
        grep -qF -- "$w" "$T/page$page.txt" || missing+=" [$name on page $page: $want]"
    done
    i=$((i + 1))
done < "$T/pairs"
check "proof: every pair's name, layout and set, count of findings and each finding's id on its page (pdftotext)" \
    "missing:$(printf '%s' "$missing" | head -c 600)" eval '[ -z "$missing" ]'
# the findings shown are the builds': a draft translation's warning, for one
tp=$(( ($(grep -n ' flyer-letter-ar$' "$T/pairs" | cut -d: -f1) - 1) / 12 + 1 ))
check "proof: a product with findings shows them (flyer-letter-ar, page $tp: content-draft-translation)" \
    "$(head -c 300 "$T/page$tp.txt")" grep -qF "0errors,1warningwarningcontentdrafttranslation:[content]status" "$T/page$tp.txt"
printf 'layouts/flyer.ini content/en flyer-letter-en\nlayouts/flyer.ini content/none flyer-letter-none\n' > "$T/two.txt"
handout proof "$T/two.txt" -o "$T/two.pdf" > "$T/two.out" 2>&1; rc=$?
pdftotext "$T/two.pdf" - 2> /dev/null | norm > "$T/two.txt.txt"
check "proof: a product that does not build is shown NOT BUILT with its error, and the exit status is 1" \
    "exit $rc: $(one_line < "$T/two.out" | head -c 300) / $(head -c 300 "$T/two.txt.txt")" \
    eval '[ $rc -eq 1 ] && grep -qF "NOTBUILT(exit1)" "$T/two.txt.txt" && grep -qF "flyerletternone" "$T/two.txt.txt" && grep -q "1 with errors" "$T/two.out"'

summary
