# shellcheck shell=bash
# tests/stock.sh -- the stock presets (sheets/avery-*.ini): every cell where the published template
# puts it, a decodable code in every cell of a rendered sheet (each cell cropped alone), round
# stickers clipped to their circle, a layout of the wrong size refused, and `handout list --sheets`.
# Sourced by tests/run.sh after tests/cards.sh (uses ok/fail/check, build, dark_box, one_line, $T,
# $HANDOUT).
#
# The expected geometry is the table below, copied by hand from the published templates (not from
# the sheet files, nor from handout's output). Each row: sheet, paper, columns, rows, cell width and
# height, the first cell's left and top edges (x0, y0), the pitch across and down (dx, dy), the
# unit those six figures are written in by the source, and the source.
#   US: gLabels templates/avery-us-templates.xml, github.com/jimevins/glabels-qt at commit
#       21c6b82b04ca8dc7c76b68271b14aa778246ca7c (read 2026-12-04): <Label-rectangle width height>
#       or <Label-round radius> (cell = 2 x radius) and <Layout nx ny x0 y0 dx dy>.
#   ISO: gLabels templates/avery-iso-templates.xml, same repository at commit
#       724ad8e115dcfe409da65c0e9f7d89f490cece77 (read 2026-12-04); lengths without a unit are points.
#   Z: gLabels templates/zweckform-iso-templates.xml, same repository at commit
#       724ad8e115dcfe409da65c0e9f7d89f490cece77 (read 2026-12-05); lengths without a unit are points
#       Its pitch down is 153 pt there, 0.07 pt less than the card's 153.07 pt (54 mm) height;
#       cells may not overlap, so the preset and this table take the height (dy 153.07).
#       Lengths in mm: 85 x 54 mm = 240.94 x 153.07 pt (mm / 25.4 x 72).
#   Not here: Avery 22805 square labels, for which no published geometry was found (2026-12-05).
#   Paper: Letter 8.5 x 11 in (612 x 792 pt, ANSI/ASME Y14.1); A4 210 x 297 mm (ISO 216), in pt
#       210 / 25.4 x 72 = 595.276 and 297 / 25.4 x 72 = 841.89.
STOCK_TABLE='
avery-5371  letter 2 5  3.5     2     0.75    0.5   3.5     2     in US:5371
avery-5376  letter 2 5  3.5     2     0.75    0.5   3.5     2     in US:5371(equiv 5376)
avery-5160  letter 3 10 2.625   1     0.15625 0.5   2.78125 1     in US:5160
avery-5163  letter 2 5  4       2     0.1625  0.5   4.1875  2     in US:5163
avery-5294  letter 3 4  2.5     2.5   0.21    0.425 2.75    2.515 in US:5194(equiv 5294;radius 1.25in)
avery-l7160 a4     3 7  181.4   108   21.2    43.9  187.2   108   pt ISO:7160(equiv L7160)
avery-l7163 a4     2 7  280.9   108   9.5     43    292     108   pt ISO:7163(equiv L7163)
zweckform-32010 a4 2 5  240.94  153.07 40     40    269     153.07 pt Z:32010(dy 153.07)
'
S=$T/stock
mkdir -p "$S"

# stock_layout FILE W H -> a one-sided layout of W x H pt: a black 12 pt square in its top-left
#   corner (to see clipping) and, centred, a code whose payload holds the serial
stock_layout() {
    local q
    q=$(awk -v w="$2" -v h="$3" 'BEGIN { s = (w < h ? w : h) * 0.8; if (s > 100) s = 100; printf "%.3f", s }')
    awk -v w="$2" -v h="$3" -v q="$q" 'BEGIN {
        printf "[page]\nsize = %spt x %spt\nmargin = 0\nbleed = 0\n\n", w, h
        printf "[corner]\ntype = box\nx = 0\ny = 0\nwidth = 12pt\nheight = 12pt\nfill = \"#000000\"\nbleed = yes\n\n"
        printf "[code]\ntype = qr\nx = %.3fpt\ny = %.3fpt\nsize = %spt\nurl = {donate_url}?n={serial}\n", (w - q) / 2, (h - q) / 2, q }' > "$1"
}

while read -r name paper nx ny cw ch x0 y0 dx dy unit src; do
    [ -n "$name" ] || continue
    f=1; [ "$unit" = in ] && f=72
    read -r W H CW CH X0 Y0 DX DY < <(awk -v p="$paper" -v f="$f" -v cw="$cw" -v ch="$ch" -v x0="$x0" -v y0="$y0" \
        -v dx="$dx" -v dy="$dy" 'BEGIN {
        if (p == "letter") { W = 612; H = 792 } else { W = 210 / 25.4 * 72; H = 297 / 25.4 * 72 }
        printf "%.3f %.3f %.4f %.4f %.4f %.4f %.4f %.4f\n", W, H, cw * f, ch * f, x0 * f, y0 * f, dx * f, dy * f }')
    per=$((nx * ny))
    lay=$S/$name.ini
    stock_layout "$lay" "$CW" "$CH"
    # the sheet picked by name, as a layout's [page] sheet or --sheet NAME picks it
    if ! build "stock: $name: build a full sheet by name ($src)" "$lay" "$FIX" "$S/$name.pdf" "$S/$name.dump" \
            --sheet "$name"; then
        continue
    fi
    pw=$(pdfinfo "$S/$name.pdf" 2>/dev/null | awk '/^Page size:/ { print $3, $5 }')
    check "stock: $name: the page is $paper ($W x $H pt)" "pdfinfo: $pw" \
        awk -v a="$pw" -v W="$W" -v H="$H" 'BEGIN { split(a, s, " "); exit !((s[1] - W)^2 < 0.01 && (s[2] - H)^2 < 0.01) }'
    # every cell against the table: item n in column (n-1) % nx, row (n-1) / nx
    bad=$(dump_items "$S/$name.dump" | awk -F'\t' -v nx="$nx" -v per="$per" -v cw="$CW" -v ch="$CH" -v x0="$X0" -v y0="$Y0" \
        -v dx="$DX" -v dy="$DY" '
        function abs(v) { return v < 0 ? -v : v }
        $3 == "front" { n++; i = $2 - 1; ex = x0 + (i % nx) * dx; ey = y0 + int(i / nx) * dy
            if (abs($4 - ex) > 0.01 || abs($5 - ey) > 0.01 || abs($6 - cw) > 0.01 || abs($7 - ch) > 0.01)
                printf "item %d at (%s, %s) %s x %s, expected (%.3f, %.3f) %.3f x %.3f; ", $2, $4, $5, $6, $7, ex, ey, cw, ch }
        END { if (n != per) printf "%d items, expected %d", n, per }' | head -c 600)
    if [ -z "$bad" ]; then ok "stock: $name: all $per cells where $src puts them (x0 $x0, y0 $y0, pitch $dx x $dy $unit)"
    else fail "stock: $name: cells against $src" "$bad"; fi
    # a code in every cell, each cell cropped alone at 300 dpi (where the table puts it)
    wrong=""
    for ((i = 0; i < per; i++)); do
        read -r px py pw ph < <(awk -v i="$i" -v nx="$nx" -v cw="$CW" -v ch="$CH" -v x0="$X0" -v y0="$Y0" -v dx="$DX" -v dy="$DY" \
            'BEGIN { x = x0 + (i % nx) * dx; y = y0 + int(i / nx) * dy
                     printf "%d %d %d %d\n", x * 300 / 72 + 1, y * 300 / 72 + 1, cw * 300 / 72 - 2, ch * 300 / 72 - 2 }')
        run pdftoppm -r 300 -gray -f 1 -l 1 -x "$px" -y "$py" -W "$pw" -H "$ph" -singlefile "$S/$name.pdf" "$S/cell" 2>/dev/null
        got=$(run zbarimg -q --raw "$S/cell.pgm" 2>/dev/null | one_line)
        [ "$got" = "https://example.org/donate?n=$((i + 1))" ] || wrong="$wrong cell $((i + 1)): [$got];"
    done
    rm -f "$S/cell.pgm"
    if [ -z "$wrong" ]; then ok "stock: $name: each of the $per cells, cropped alone, decodes to its own serial"
    else fail "stock: $name: a code per cell" "$(echo "$wrong" | head -c 600)"; fi
    # handout list --sheets: the paper and the cells in points
    line=$(handout list --sheets 2>&1 | grep -F "sheets/$name.ini")
    want=$(awk -v W="$W" -v H="$H" -v nx="$nx" -v ny="$ny" -v cw="$CW" -v ch="$CH" 'BEGIN {
        printf "[paper %.6g x %.6g pt; %d x %d cells of %.6g x %.6g pt", W, H, nx, ny, cw, ch }')
    check "stock: $name: handout list --sheets shows \"$want\"" "list: $line" grep -qF -- "$want" <<< "$line"
    # the top-left corner square: clipped away by a round sticker, printed on a rectangle
    read -r n _ < <(dark_box "$S/$name.pdf" 1 150 "$(awk -v x="$X0" 'BEGIN { print x + 2 }')" \
        "$(awk -v y="$Y0" 'BEGIN { print y + 2 }')" 8 8)
    if [ "$name" = avery-5294 ]; then
        check "stock: $name: round stickers clip the art to the circle (corner square not printed)" "dark pixels: $n" test "$n" = 0
    else
        check "stock: $name: rectangular cells keep the art to their corner (corner square printed)" "dark pixels: $n" test "$n" -gt 0
    fi
done <<< "$STOCK_TABLE"

# the same round layout on a copy of the round sheet with clip = no: the square is printed there,
# so the test above sees the clipping and not an empty corner
sed 's/^clip .*/clip = no/' sheets/avery-5294.ini > "$S/round-noclip.ini"
if build "stock: round layout on the round sheet with clip = no" "$S/avery-5294.ini" "$FIX" "$S/nc.pdf" "$S/nc.dump" \
        --sheet "$S/round-noclip.ini"; then
    read -r n _ < <(dark_box "$S/nc.pdf" 1 150 17.12 32.6 8 8)
    check "stock: without clip the corner square of the first round cell is printed" "dark pixels: $n" test "$n" -gt 0
fi

# a layout whose size is not the stock's cells is refused, with the cells and the layout's size
handout build tests/fixtures/card.ini "$FIX" --sheet avery-5160 -o "$S/mis.pdf" > /dev/null 2> "$S/mis.err"
rc=$?
grep -qF "expected items the size of the stock's cells (189 x 72 pt), found the layout's 252 x 144 pt" "$S/mis.err"
found=$?
check "stock: a 3.5 x 2 in card on 5160 labels (2.625 x 1 in) is refused (exit 1, sheet-cell-mismatch)" \
    "exit $rc: $(one_line < "$S/mis.err")" test "$rc.$found" = 1.0
