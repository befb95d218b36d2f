#!/usr/bin/env bash
# tests/pdfx.sh -- PDF/X-4 and ink checks (src/pdfx.c, src/ink.c), with tools that are not the
# code under test:
#   pdfinfo    "PDF subtype: PDF/X-4" for a print-shop build and a --pdfx build; every page's
#              TrimBox and BleedBox inside its MediaBox (pdfinfo -box);
#   qpdf       --check clean; the output intent's profile stream taken out with --show-object and
#              --filtered-stream-data, its ICC header read with od (ISO 15076-1 / ICC.1 7.2:
#              'acsp' at byte 36, colour space 'CMYK' at byte 16, class 'prtr' at byte 12); the
#              uncompressed file (--qdf) scanned for the fill colour in force where text is shown
#              and where a QR code's modules are filled;
#   cmp        the same input with SOURCE_DATE_EPOCH gives the same bytes;
#   transicc   (Little CMS's calculator) the round trip of a colour through the output profile,
#              and tests/tools/de2000.awk the CIEDE2000 difference: the gamut warning's figures.
# Fixtures: tests/fixtures/pdfx/card.ini (colours set with --set), tests/fixtures/pdfx/printer-280.ini,
# tests/fixtures/stripes-{rgb8,palette}.png (30-pixel stripes of #ff8c00 and #1f3a5f, 300 x 300).
set -u
. "$(dirname "$0")/lib.sh"
need_tools pdfinfo pdftoppm qpdf od cmp zbarimg transicc
need_handout
cd "$ROOT" || exit 2
T=$(mktemp -d /tmp/handout-pdfx-sh-XXXXXX)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
P=tests/fixtures/pdfx
FIX=tests/fixtures/content

# card OUT ARGS... -> builds the fixture card (colours from ARGS' --set; no logo unless set)
card() {
    local out=$1
    shift
    handout build "$P/card.ini" "$FIX" -o "$out" --set logo= "$@" > "$out.out" 2> "$out.err"
}

# subtype PDF -> what pdfinfo says after "PDF subtype:"
subtype() { pdfinfo "$1" 2>/dev/null | awk -F': *' '/^PDF subtype:/ { print $2 }'; }

# boxes_bad PDF -> a line per page whose TrimBox or BleedBox is missing or outside its MediaBox
#   (pdfinfo -box shows a missing box as the CropBox: the page objects are counted in the file too)
boxes_bad() {
    local n nt nb
    n=$(pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    qpdf --qdf --object-streams=disable "$1" "$T/bb.qdf" 2>/dev/null
    nt=$(grep -a -c '^  /TrimBox \[' "$T/bb.qdf")
    nb=$(grep -a -c '^  /BleedBox \[' "$T/bb.qdf")
    [ "$nt" = "${n:-x}" ] && [ "$nb" = "${n:-x}" ] || echo "$n pages, $nt TrimBox and $nb BleedBox entries in the file"
    pdfinfo -box -f 1 -l "${n:-1}" "$1" 2>/dev/null | awk -v n="${n:-0}" '
        /^Page +[0-9]+ +(MediaBox|TrimBox|BleedBox):/ { p = $2; b[p, $3] = $4 " " $5 " " $6 " " $7 }
        END {
            if (n < 1) print "no pages"
            for (p = 1; p <= n; p++) {
                if (!((p, "MediaBox:") in b)) { print "page " p ": no MediaBox"; continue }
                split(b[p, "MediaBox:"], m, " ")
                for (k = 1; k <= 2; k++) {
                    name = k == 1 ? "TrimBox:" : "BleedBox:"
                    if (!((p, name) in b)) { print "page " p ": no " name; continue }
                    split(b[p, name], x, " ")
                    if (x[1] < m[1] - 0.01 || x[2] < m[2] - 0.01 || x[3] > m[3] + 0.01 || x[4] > m[4] + 0.01 || x[1] >= x[3] || x[2] >= x[4])
                        print "page " p ": " name " " b[p, name] " not inside MediaBox " b[p, "MediaBox:"]
                }
            }
        }'
}

# profile_header PDF OUT -> writes the output intent's DestOutputProfile stream to OUT and prints
#   "CLASS SPACE SIGNATURE" from its header (bytes 12, 16 and 36)
profile_header() {
    local obj
    qpdf --qdf --object-streams=disable "$1" "$T/ph.qdf" 2>/dev/null
    obj=$(grep -a -o '/DestOutputProfile [0-9]* 0 R' "$T/ph.qdf" | awk '{ print $2; exit }')
    [ -n "$obj" ] || { echo "no DestOutputProfile"; return; }
    qpdf --show-object="$obj" --filtered-stream-data "$T/ph.qdf" > "$2" 2>/dev/null
    printf '%s %s %s\n' "$(od -An -c -j 12 -N 4 "$2" | tr -d ' ')" "$(od -An -c -j 16 -N 4 "$2" | tr -d ' ')" \
        "$(od -An -c -j 36 -N 4 "$2" | tr -d ' ')"
}

# fills PDF -> one line per place that paints: "text COLOUR" for each text-showing operator and
#   "qr COLOUR" for each inline image mask (BI ... /IM true: a QR code's modules are a 1-bit
#   stencil painted in the fill colour, src/pdf.c pdf_qr), COLOUR the fill colour operator in
#   force there (with its operands), across q/Q; from the
#   uncompressed content streams (qpdf --qdf)
fills() {
    qpdf --qdf --object-streams=disable "$1" "$T/f.qdf" 2>/dev/null
    awk '
        /^q$/ { stack[++sp] = cur; next }
        /^Q$/ { if (sp > 0) cur = stack[sp--]; next }
        / (k|g|rg|sc|scn)$/ && !/^\// { cur = $0; next }
        /^BI / && / \/IM true / { print "qr " cur; next }
        / (Tj|TJ|\x27|")$/ { print "text " cur; next }
    ' "$T/f.qdf" | sort | uniq -c | awk '{ $1 = ""; sub(/^ /, ""); print }'
}

BLACK_SMALL=(--set "fill=cmyk(0,20,60,0)" --set "small_color=#000000")

# --- 1. PDF/X-4: print-shop and --pdfx builds
if card "$T/ps.pdf" --print-shop "${BLACK_SMALL[@]}"; then
    ok "print-shop build of the fixture card"
else
    fail "print-shop build of the fixture card" "$(one_line < "$T/ps.pdf.err")"
fi
st=$(subtype "$T/ps.pdf")
[ "$st" = "PDF/X-4" ] && ok "pdfinfo: print-shop build is PDF/X-4" || fail "pdfinfo: print-shop build is PDF/X-4" "PDF subtype: '$st'"
v=$(pdfinfo "$T/ps.pdf" 2>/dev/null | awk '/^PDF version:/ { print $3 }')
[ "$v" = 1.6 ] && ok "pdfinfo: PDF version 1.6 (PDF/X-4 needs 1.6)" || fail "pdfinfo: PDF version 1.6" "found '$v'"
if qpdf --check "$T/ps.pdf" > "$T/ps.check" 2>&1; then
    ok "qpdf --check: print-shop PDF/X file clean"
else
    fail "qpdf --check: print-shop PDF/X file clean" "$(head -c 300 "$T/ps.check" | one_line)"
fi
h=$(profile_header "$T/ps.pdf" "$T/ps.icc")
[ "$h" = "prtr CMYK acsp" ] && ok "output intent: an ICC output profile (class prtr, CMYK, acsp)" ||
    fail "output intent: an ICC output profile (class prtr, CMYK, acsp)" "found '$h'"
size=$(wc -c < "$T/ps.icc")
want=$(wc -c < /usr/share/color/icc/ghostscript/default_cmyk.icc 2>/dev/null || echo 0)
[ "$size" -eq "$want" ] && [ "$size" -gt 128 ] && ok "output intent: the profile is embedded whole ($size bytes)" ||
    fail "output intent: the profile is embedded whole" "found $size bytes, the profile has $want"
qpdf --qdf --object-streams=disable "$T/ps.pdf" "$T/ps.qdf" 2>/dev/null
for key in '/S /GTS_PDFX' '/Type /OutputIntent' '/OutputConditionIdentifier' '/GTS_PDFXVersion (PDF/X-4)' '/Trapped /False' \
    '<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>' '<xmpMM:DocumentID>uuid:' '<pdf:Trapped>False</pdf:Trapped>' \
    '<rdf:li xml:lang="x-default">Fixture Title</rdf:li>' '/ID \[<'; do
    if grep -a -q -e "$key" "$T/ps.qdf"; then ok "PDF/X keys: $key"; else fail "PDF/X keys: $key" "not in the file"; fi
done
# a tagged PDF/X file: PDF/UA-1's identification in the same XMP packet as PDF/X's
nmeta=$(grep -a -c '/Type /Metadata' "$T/ps.qdf")
pdfinfo -meta "$T/ps.pdf" > "$T/ps.meta" 2>/dev/null
[ "$nmeta" = 1 ] && grep -q '<pdfuaid:part>1</pdfuaid:part>' "$T/ps.meta" && grep -q '<pdfxid:GTS_PDFXVersion>PDF/X-4<' "$T/ps.meta" &&
    ok "XMP: one packet says both PDF/X-4 and PDF/UA-1" || fail "XMP: one packet with PDF/X and PDF/UA" "$nmeta metadata streams; $(grep -c 'pdfuaid:part' "$T/ps.meta") pdfuaid:part"
bad=$(boxes_bad "$T/ps.pdf")
[ -z "$bad" ] && ok "print-shop: every page has TrimBox and BleedBox inside its MediaBox" || fail "print-shop boxes" "$bad"
# subset fonts without /CIDSet, deliberately (docs/printing.md, "Fonts: subsets without /CIDSet")
ndesc=$(grep -a -c '/Type /FontDescriptor' "$T/ps.qdf")
nsub=$(pdffonts "$T/ps.pdf" 2>/dev/null | awk 'NR > 2 && $(NF - 3) == "yes"' | wc -l)
[ "$ndesc" -ge 1 ] && [ "$nsub" = "$ndesc" ] && ! grep -a -q '/CIDSet' "$T/ps.qdf" &&
    ok "fonts: $ndesc subset fonts (pdffonts), no /CIDSet in their descriptors" ||
    fail "fonts: no /CIDSet" "$ndesc descriptors, $nsub subsets; $(grep -a -c '/CIDSet' "$T/ps.qdf") /CIDSet"

if card "$T/px.pdf" --pdfx "${BLACK_SMALL[@]}"; then ok "--pdfx build of the fixture card (plain page)"; else
    fail "--pdfx build of the fixture card (plain page)" "$(one_line < "$T/px.pdf.err")"; fi
st=$(subtype "$T/px.pdf")
[ "$st" = "PDF/X-4" ] && ok "pdfinfo: --pdfx build is PDF/X-4" || fail "pdfinfo: --pdfx build is PDF/X-4" "PDF subtype: '$st'"
qpdf --check "$T/px.pdf" > /dev/null 2>&1 && ok "qpdf --check: --pdfx file clean" || fail "qpdf --check: --pdfx file clean" "qpdf failed"
bad=$(boxes_bad "$T/px.pdf")
trim=$(pdfinfo -box "$T/px.pdf" 2>/dev/null | awk '/^TrimBox:/ { print $2, $3, $4, $5 }')
[ -z "$bad" ] && [ "$trim" = "0.00 0.00 252.00 144.00" ] && ok "--pdfx without bleed: TrimBox = BleedBox = MediaBox [0 0 252 144]" ||
    fail "--pdfx boxes" "$bad; TrimBox $trim"
# a sheet build with --pdfx: every page boxed too
if handout build tests/fixtures/card.ini "$FIX" --sheet sheets/letter-10up-cards.ini --count 10 --pdfx -o "$T/sh.pdf" > /dev/null 2> "$T/sh.err"; then
    bad=$(boxes_bad "$T/sh.pdf")
    [ -z "$bad" ] && [ "$(subtype "$T/sh.pdf")" = PDF/X-4 ] && ok "--pdfx on a two-sided sheet: PDF/X-4, both pages boxed" ||
        fail "--pdfx on a sheet" "$bad; subtype $(subtype "$T/sh.pdf")"
else
    fail "--pdfx on a sheet" "$(one_line < "$T/sh.err")"
fi
# a plain build is not PDF/X (the checks above can tell)
card "$T/plain.pdf" "${BLACK_SMALL[@]}"
st=$(subtype "$T/plain.pdf")
[ -z "$st" ] && ok "pdfinfo: a plain build is not PDF/X" || fail "pdfinfo: a plain build is not PDF/X" "PDF subtype: '$st'"

# --- 2. true black: small text and QR modules in K alone
f=$(fills "$T/ps.pdf")
bad=$(printf '%s\n' "$f" | grep -E '^(text|qr) ' | grep -v -x -E '(text|qr) 0 0 0 1 k')
nq=$(printf '%s\n' "$f" | grep -c '^qr ')
nt=$(printf '%s\n' "$f" | grep -c '^text ')
[ -z "$bad" ] && [ "$nq" -ge 1 ] && [ "$nt" -ge 1 ] && ok "content stream: small text and QR modules filled with 0 0 0 1 k only (#000000 given)" ||
    fail "content stream: small text and QR modules in 0 0 0 1 k" "found: $(printf '%s; ' "$f")"
if grep -a -q -E ' rg$| RG$' "$T/ps.qdf"; then fail "content stream: no RGB colour operator in a PDF/X file" "$(grep -a -m3 -E ' rg$| RG$' "$T/ps.qdf" | one_line)"
else ok "content stream: no RGB colour operator in a PDF/X file"; fi
# a grey given as RGB is K alone, K = 1 - level (docs/printing.md): #555555 is 0 0 0 0.6667
card "$T/grey.pdf" --pdfx --set "fill=#555555" --set "small_color=#000000"
qpdf --qdf --object-streams=disable "$T/grey.pdf" "$T/grey.qdf" 2>/dev/null
awk '$5 == "k" && NF == 5 && $1 == 0 && $2 == 0 && $3 == 0 && $4 > 0.6657 && $4 < 0.6677 { found = 1 } END { exit !found }' "$T/grey.qdf" && ok "separation: a grey band #555555 is drawn 0 0 0 0.667 k (K alone)" ||
    fail "separation: #555555 as K alone" "fills: $(grep -a -E ' k$' "$T/grey.qdf" | sort -u | one_line)"
f=$(fills "$T/plain.pdf")
printf '%s\n' "$f" | grep -q -x 'text 0 0 0 rg' && ok "content stream: the plain build keeps #000000 as RGB (the scan tells them apart)" ||
    fail "content stream: the plain build keeps RGB" "found: $(printf '%s; ' "$f")"

if card "$T/rich.pdf" --print-shop --set "fill=cmyk(0,20,60,0)" --set "small_color=cmyk(60,40,40,100)"; then
    fail "rich black small text fails a print-shop build" "it built"
elif grep -q 'card.ini:29: \[small\] color: expected one ink for text below 12 pt' "$T/rich.pdf.err" && grep -q 'found cmyk(60,40,40,100) in \[small\]' "$T/rich.pdf.err" && [ ! -e "$T/rich.pdf" ]; then
    ok "rich black small text fails a print-shop build, naming [small] and its colour"
else
    fail "rich black small text fails a print-shop build" "$(one_line < "$T/rich.pdf.err")"
fi
if card "$T/four.pdf" --pdfx --set "fill=cmyk(0,20,60,0)" --set "small_color=cmyk(10,10,10,10)"; then
    fail "four-ink small text fails a --pdfx build" "it built"
else
    grep -q 'a colour of all four inks' "$T/four.pdf.err" && ok "four-ink small text fails a --pdfx build" ||
        fail "four-ink small text fails a --pdfx build" "$(one_line < "$T/four.pdf.err")"
fi
card "$T/richplain.pdf" --set "fill=cmyk(0,20,60,0)" --set "small_color=cmyk(60,40,40,100)" &&
    ok "rich black small text is left alone outside CMYK output" || fail "rich black outside CMYK output" "$(one_line < "$T/richplain.pdf.err")"

# --- ink limit: 300 % by default, per printer file, per build (--ink-limit, a job's ink_limit)
card "$T/i320.pdf" --print-shop --set "fill=cmyk(80,80,80,80)" --set "small_color=#000000"
grep -q '\[band\] fill: expected a total ink coverage of at most 300%.*found 320%' "$T/i320.pdf.err" && [ ! -e "$T/i320.pdf" ] &&
    ok "ink limit: a 320 % fill fails (default 300 %), naming [band] and 320 %" || fail "ink limit: 320 % fails" "$(one_line < "$T/i320.pdf.err")"
card "$T/i300.pdf" --print-shop --set "fill=cmyk(75,75,75,75)" --set "small_color=#000000" &&
    ok "ink limit: a 300 % fill passes" || fail "ink limit: 300 % passes" "$(one_line < "$T/i300.pdf.err")"
card "$T/i290.pdf" --print-shop --set "fill=cmyk(70,70,70,80)" --set "small_color=#000000" &&
    ok "ink limit: a 290 % fill passes the default" || fail "ink limit: 290 % passes the default" "$(one_line < "$T/i290.pdf.err")"
card "$T/p290.pdf" --print-shop --printer "$P/printer-280.ini" --set "fill=cmyk(70,70,70,80)" --set "small_color=#000000"
grep -q 'at most 280%.*found 290%' "$T/p290.pdf.err" && [ ! -e "$T/p290.pdf" ] &&
    ok "ink limit: a printer file's ink_limit = 280% fails a 290 % fill" || fail "ink limit: printer 280 %" "$(one_line < "$T/p290.pdf.err")"
card "$T/l290.pdf" --print-shop --ink-limit 280 --set "fill=cmyk(70,70,70,80)" --set "small_color=#000000"
grep -q 'at most 280%.*found 290%' "$T/l290.pdf.err" && ok "ink limit: --ink-limit 280 fails a 290 % fill" ||
    fail "ink limit: --ink-limit 280" "$(one_line < "$T/l290.pdf.err")"
card "$T/bad.pdf" --print-shop --ink-limit 450 "${BLACK_SMALL[@]}"
grep -q -- '--ink-limit: expected an ink limit in percent from 100 to 400' "$T/bad.pdf.err" && ok "ink limit: --ink-limit 450 is refused" ||
    fail "ink limit: --ink-limit 450" "$(one_line < "$T/bad.pdf.err")"
# a job item's ink_limit
mkdir -p "$T/proj/jobs" "$T/proj/layouts" "$T/proj/content"
cp "$P/card.ini" "$T/proj/layouts/pdfx-card.ini"
cp -r "$FIX" "$T/proj/content/en"
printf '\nfill = cmyk(70,70,70,80)\nsmall_color = "#000000"\nlogo =\n' >> "$T/proj/content/en/content.ini"
printf '[job]\nname = Shop\nkind = order\ndate = 2025-02-03\npartner = X\n[cards]\nlayout = pdfx-card\nlanguage = en\nquantity = 1\nversion = print-shop\nink_limit = 280\n' > "$T/proj/jobs/shop.ini"
(cd "$T/proj" && handout batch jobs/shop.ini -o out > "$T/job.out" 2>&1)
grep -q 'at most 280%.*found 290%' "$T/job.out" && ok "ink limit: a job item's ink_limit = 280 fails a 290 % fill" ||
    fail "ink limit: a job item's ink_limit" "$(head -c 400 "$T/job.out" | one_line)"
sed -i 's/^ink_limit = 280$/ink_limit = 300/' "$T/proj/jobs/shop.ini"
(cd "$T/proj" && handout batch jobs/shop.ini -o out > "$T/job2.out" 2>&1)
[ "$(subtype "$T/proj/out/shop/cards.pdf")" = PDF/X-4 ] && ok "ink limit: the same job item at ink_limit = 300 builds a PDF/X-4 file" ||
    fail "ink limit: job item at 300" "$(head -c 400 "$T/job2.out" | one_line)"

# --- overprint_black: off by default; a printer file or --overprint-black turns it on
card "$T/op.pdf" --print-shop --printer "$P/printer-280.ini" "${BLACK_SMALL[@]}"
qpdf --qdf --object-streams=disable "$T/op.pdf" "$T/op.qdf" 2>/dev/null
gsname=$(grep -a -o '^/[A-Za-z0-9]* gs$' "$T/op.qdf" | head -1 | awk '{ print $1 }')
if [ -n "$gsname" ] && grep -a -q '/OP true' "$T/op.qdf" && grep -a -q '/op true' "$T/op.qdf" && grep -a -q '/OPM 1' "$T/op.qdf"; then
    ok "overprint_black = yes: black text drawn under an ExtGState with /OP /op true, /OPM 1 ($gsname gs)"
else
    fail "overprint_black = yes" "gs '$gsname'; $(grep -a -E '/OP|/op' "$T/op.qdf" | one_line)"
fi
grep -a -q -E '/OP true| gs$' "$T/ps.qdf" && fail "overprint is off by default" "found /OP or gs in the default print-shop file" ||
    ok "overprint is off by default"

# --- RGB images: tagged with an ICC-based sRGB profile
card "$T/img.pdf" --print-shop "${BLACK_SMALL[@]}" --set "logo=$ROOT/tests/fixtures/orange-rgb16.png"
qpdf --qdf --object-streams=disable "$T/img.pdf" "$T/img.qdf" 2>/dev/null
csobj=$(awk '/\/Subtype \/Image/ { img = 1 } img && /\/ColorSpace [0-9]+ 0 R/ { print $2; exit }' "$T/img.qdf")
if [ -z "$csobj" ]; then
    # the colour space may come before /Subtype in the dictionary
    csobj=$(grep -a -o '/ColorSpace [0-9]* 0 R' "$T/img.qdf" | awk '{ print $2; exit }')
fi
prof=$(qpdf --show-object="$csobj" "$T/img.qdf" 2>/dev/null | grep -o '/ICCBased [0-9]* 0 R' | awk '{ print $2 }')
if [ -n "$prof" ]; then
    qpdf --show-object="$prof" --filtered-stream-data "$T/img.qdf" > "$T/srgb.icc" 2>/dev/null
    sp=$(od -An -c -j 16 -N 4 "$T/srgb.icc" | tr -d ' ')
    sig=$(od -An -c -j 36 -N 4 "$T/srgb.icc" | tr -d ' ')
fi
[ -n "$prof" ] && [ "${sp:-}" = RGB ] && [ "${sig:-}" = acsp ] && ! grep -a -q '/ColorSpace /DeviceRGB' "$T/img.qdf" &&
    ok "an RGB image in a PDF/X build is [/ICCBased] with an RGB ICC profile, no DeviceRGB left" ||
    fail "an RGB image is ICC-tagged" "ColorSpace obj '$csobj', profile '$prof', space '${sp:-}', sig '${sig:-}'"
# the profile is icc-profiles-free's sRGB.icc (zlib licence; docs/printing.md), embedded whole
SRGB=/usr/share/color/icc/sRGB.icc
[ -n "$prof" ] && [ -s "$SRGB" ] && cmp -s "$T/srgb.icc" "$SRGB" &&
    ok "the image's profile is $SRGB (icc-profiles-free), byte for byte ($(wc -c < "$SRGB") bytes)" ||
    fail "the image's profile is $SRGB" "$(wc -c < "$T/srgb.icc" 2>/dev/null) bytes embedded, $(wc -c < "$SRGB" 2>/dev/null) in $SRGB, or they differ"
[ "$(subtype "$T/img.pdf")" = PDF/X-4 ] && qpdf --check "$T/img.pdf" > /dev/null 2>&1 && ok "the file with the image: PDF/X-4, qpdf clean" ||
    fail "the file with the image" "subtype $(subtype "$T/img.pdf"); $(qpdf --check "$T/img.pdf" 2>&1 | tail -2 | one_line)"

# an 8-bit RGB PNG (libharu's own PNG reader: /DeviceRGB), a palette PNG (/Indexed over
# /DeviceRGB, whose base is replaced) and an RGB JPEG (the same stripes, made from the 8-bit PNG
# with Pillow at quality 95; /DCTDecode, its data kept): tagged, and still drawn in their
# colours. The images hold 30-pixel stripes of #ff8c00 and #1f3a5f; 300 pixels in 60 pt from
# (18, 79) pt on the page (trim 9 pt in), so the first two stripes are centred at x 21 and 27 pt.
# pixel PDF X Y -> "R G B" at (X, Y) pt, rendered at 72 dpi
pixel() {
    pdftoppm -r 72 -x "$2" -y "$3" -W 1 -H 1 -singlefile "$1" "$T/px" 2>/dev/null
    od -An -tu1 -j "$(head -n 3 "$T/px.ppm" | wc -c)" "$T/px.ppm" | one_line
}
near() { # "R G B" "R G B" TOLERANCE
    awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { split(a, x, " "); split(b, y, " ")
        for (i = 1; i <= 3; i++) if (x[i] - y[i] > t || y[i] - x[i] > t) exit 1 }'
}
for file in stripes-rgb8.png stripes-palette.png stripes-rgb.jpg; do
    kind=${file#stripes-}
    kind="${kind%.*} ${kind##*.}"
    kind=${kind/jpg/JPEG}
    kind=${kind/png/PNG}
    f=${file%.*}
    card "$T/$f.pdf" --print-shop "${BLACK_SMALL[@]}" --set "logo=$ROOT/tests/fixtures/$file"
    qpdf --qdf --object-streams=disable "$T/$f.pdf" "$T/$f.qdf" 2>/dev/null
    o=$(pixel "$T/$f.pdf" 21 110)
    b=$(pixel "$T/$f.pdf" 27 110)
    if grep -a -q '/DeviceRGB' "$T/$f.qdf"; then
        fail "a $kind in a PDF/X build is ICC-tagged" "DeviceRGB left: $(grep -a -B2 -A2 '/DeviceRGB' "$T/$f.qdf" | one_line)"
    elif ! grep -a -q '/ICCBased' "$T/$f.qdf" || [ "$(subtype "$T/$f.pdf")" != PDF/X-4 ] || ! qpdf --check "$T/$f.pdf" > /dev/null 2>&1; then
        fail "a $kind in a PDF/X build is ICC-tagged" "no ICCBased, or not PDF/X-4 ($(subtype "$T/$f.pdf")), or qpdf --check failed"
    elif [ "${file##*.}" = jpg ] && ! grep -a -q '/DCTDecode' "$T/$f.qdf"; then
        fail "a $kind in a PDF/X build keeps its JPEG data" "no /DCTDecode image in the file"
    elif near "$o" "255 140 0" 24 && near "$b" "31 58 95" 24; then
        ok "a $kind in a PDF/X build: ICC-tagged, no DeviceRGB, PDF/X-4, qpdf clean, stripes render as #ff8c00 ($o) and #1f3a5f ($b)"
    else
        fail "a $kind renders in its colours" "orange stripe $o, blue stripe $b"
    fi
done

# --- art drawn once (src/art.c) in a print-shop build: the forms' content in CMYK, black in K
#   alone, overprint and ICC-tagged images inside the forms too. tests/fixtures/art.ini merged
#   with tests/fixtures/art.csv (12 cards, fronts and backs), the printer file asking for
#   overprint; the form streams read from the uncompressed file.
# form_lines QDF -> the lines of every form XObject's stream
form_lines() { awk '/^  \/Subtype \/Form$/ { f = 1 } /^stream$/ { if (f) s = 1; next } /^endstream$/ { s = 0; f = 0 } s' "$1"; }
if handout build tests/fixtures/art.ini "$FIX" --data tests/fixtures/art.csv --print-shop --printer "$P/printer-280.ini" \
    -o "$T/art.pdf" > /dev/null 2> "$T/art.err"; then
    qpdf --qdf --object-streams=disable "$T/art.pdf" "$T/art.qdf" 2>/dev/null
    form_lines "$T/art.qdf" > "$T/art.forms"
    nforms=$(grep -a -c '^  /Subtype /Form$' "$T/art.qdf")
    ff=$(awk '
        /^q$/ { stack[++sp] = cur; next }
        /^Q$/ { if (sp > 0) cur = stack[sp--]; next }
        / (k|g|rg|sc|scn)$/ && !/^\// { cur = $0; next }
        /^BI / && / \/IM true / { print "qr " cur; next }
        / (Tj|TJ)$/ { print "text " cur; next }' "$T/art.forms" | sort -u | one_line)
    bad=$(boxes_bad "$T/art.pdf")
    if [ "$(subtype "$T/art.pdf")" = PDF/X-4 ] && qpdf --check "$T/art.pdf" > /dev/null 2>&1 && [ -z "$bad" ] && [ "$nforms" -ge 1 ]; then
        ok "art: a print-shop merge with forms is PDF/X-4, qpdf clean, every page boxed ($nforms forms)"
    else
        fail "art: print-shop merge" "subtype $(subtype "$T/art.pdf"), forms $nforms, boxes: $bad; $(qpdf --check "$T/art.pdf" 2>&1 | tail -2 | one_line)"
    fi
    # the hotline code (drawn once) and the small black text on the back (drawn once) in K alone;
    # the white hotline on the band is no ink at all (0 0 0 0 k)
    case "$ff" in
        *"qr 0 0 0 1 k"*"text 0 0 0 1 k"*) good=1 ;;
        *) good=0 ;;
    esac
    if [ "$good" = 1 ] && ! printf '%s' "$ff" | grep -q -E '(qr|text) [^ ]+ [^ ]+ [^ ]+ (rg|g)\b' && ! grep -a -q -E ' (rg|RG)$' "$T/art.qdf"; then
        ok "art: inside the forms, the code's modules and the small black text are 0 0 0 1 k, no RGB operator in the file ($ff)"
    else
        fail "art: colours inside the forms" "$ff; RGB: $(grep -a -m2 -E ' (rg|RG)$' "$T/art.qdf" | one_line)"
    fi
    if grep -a -q -E '^/[A-Za-z0-9]+ gs$' "$T/art.forms" && grep -a -q '/OP true' "$T/art.qdf"; then
        ok "art: overprinting black text inside a form (its own ExtGState resource, /OP true)"
    else
        fail "art: overprint inside the forms" "no gs in the forms' streams"
    fi
    if grep -a -q '/ICCBased' "$T/art.qdf" && ! grep -a -q '/DeviceRGB' "$T/art.qdf"; then
        ok "art: the logo placed through a form is ICC-tagged, no DeviceRGB"
    else
        fail "art: the logo inside a form" "$(grep -a -m2 '/DeviceRGB' "$T/art.qdf" | one_line)"
    fi
    got=$(pdftoppm -r 300 -gray -f 1 -l 1 -png "$T/art.pdf" 2>/dev/null | zbarimg --raw -q --nodbus - 2>/dev/null)
    want="tel:+$(awk -F' *= *' '$1 == "hotline" { print $2 }' "$FIX/content.ini" | tr -dc 0-9)"
    [ "$got" = "$want" ] && ok "art: the hotline code placed from its form decodes on a print-shop page at 300 dpi ($got)" ||
        fail "art: code from a form" "zbarimg found '$got', expected '$want'"
else
    fail "art: print-shop merge" "$(one_line < "$T/art.err")"
fi

# --- same input, same bytes; another title, another ID
card "$T/ps2.pdf" --print-shop "${BLACK_SMALL[@]}"
cmp -s "$T/ps.pdf" "$T/ps2.pdf" && ok "SOURCE_DATE_EPOCH: same input, same bytes (cmp)" || fail "same input, same bytes" "cmp differs"
card "$T/ps3.pdf" --print-shop "${BLACK_SMALL[@]}" --set "title=Another Title"
id1=$(grep -a -o '/ID \[<[0-9a-f]*>' "$T/ps.qdf")
qpdf --qdf --object-streams=disable "$T/ps3.pdf" "$T/ps3.qdf" 2>/dev/null
id3=$(grep -a -o '/ID \[<[0-9a-f]*>' "$T/ps3.qdf")
[ -n "$id1" ] && [ -n "$id3" ] && [ "$id1" != "$id3" ] && ok "another title gives another document ID" ||
    fail "another title gives another document ID" "'$id1' and '$id3'"
# --- gamut: an RGB colour the output profile cannot hold is a warning (ink-out-of-gamut). The
# round trip computed here with Little CMS's transicc (sRGB -> the profile's CMYK -> CIELAB D50,
# relative colorimetric, black point compensation, as docs/printing.md says) and CIEDE2000 with
# tests/tools/de2000.awk (checked first against Sharma, Wu and Dalal's published pairs).
{
    sharma=$(printf '50 2.6772 -79.7751 50 0 -82.7485\n50 0 0 50 -1 2\n50 2.5 0 73 25 -18\n' | awk -f tests/tools/de2000.awk | tr '\n' ' ')
    [ "$sharma" = "2.04 2.37 27.15 " ] && ok "de2000.awk gives Sharma et al.'s dE2000 (2.0425, 2.3669, 27.1492)" || fail "de2000.awk" "found $sharma"
    ICC=/usr/share/color/icc/ghostscript/default_cmyk.icc
    # de HEX -> dE2000 of the colour and its round trip through the profile
    de() {
        local h=$1 rgb lab1 cmyk lab2
        rgb="$((16#${h:1:2})) $((16#${h:3:2})) $((16#${h:5:2}))"
        lab1=$(echo "$rgb" | transicc -n -t1 -b -o '*Lab' 2>/dev/null | tail -n 1)
        cmyk=$(echo "$rgb" | transicc -n -t1 -b -o "$ICC" 2>/dev/null | tail -n 1)
        lab2=$(echo "$cmyk" | transicc -n -t1 -b -i "$ICC" -o '*Lab' 2>/dev/null | tail -n 1)
        echo "$lab1 $lab2" | awk -f tests/tools/de2000.awk
    }
    limit=10 # docs/printing.md
    for h in '#00ff00' '#1f3a5f'; do
        want=$(de "$h")
        card "$T/g.pdf" --pdfx --set "fill=$h" --set "small_color=#000000"
        st=$?
        got=$(sed -n "s/^handout: warning: .*\[band\] fill: expected a colour the press's CMYK profile can print (CIE dE2000 at most $limit .*found $h in \[band\] fill, dE2000 \([0-9.]*\);.*/\1/p" "$T/g.pdf.err")
        if awk -v w="$want" -v l="$limit" 'BEGIN { exit !(w > l) }'; then
            [ "$st" = 0 ] && [ -n "$got" ] && awk -v w="$want" -v g="$got" 'BEGIN { d = w - g; exit !(d < 0.5 && d > -0.5) }' &&
                ok "gamut: fill $h (dE2000 $want by transicc, over $limit) warns with dE2000 $got and still builds" ||
                fail "gamut: $h warns" "expected dE2000 $want, found '$got' (exit $st): $(one_line < "$T/g.pdf.err")"
        else
            [ "$st" = 0 ] && ! grep -q 'dE2000' "$T/g.pdf.err" &&
                ok "gamut: fill $h (dE2000 $want by transicc, within $limit) does not warn" ||
                fail "gamut: $h is quiet" "expected no warning (dE2000 $want), found: $(one_line < "$T/g.pdf.err")"
        fi
    done
    card "$T/gp.pdf" --set "fill=#00ff00" --set "small_color=#000000"
    ! grep -q 'dE2000' "$T/gp.pdf.err" && ok "gamut: no warning outside CMYK output" || fail "gamut outside CMYK" "$(one_line < "$T/gp.pdf.err")"
    # an RGB logo (image-out-of-gamut): tests/fixtures/stripes-green.png is ten 30-pixel stripes
    # across its 300 pixels, #00ff00 and #1f3a5f by turns (made with Pillow): half its pixels are
    # #00ff00; stripes-rgb8.png and stripes-rgb.jpg are #ff8c00 and #1f3a5f
    for file in stripes-green.png stripes-rgb8.png stripes-rgb.jpg; do
        worst=""
        for h in '#00ff00' '#ff8c00' '#1f3a5f'; do
            case "$file:$h" in stripes-green.png:'#ff8c00' | stripes-rgb*:'#00ff00') continue ;; esac
            w=$(de "$h")
            awk -v w="$w" -v l="$limit" 'BEGIN { exit !(w > l) }' && worst="$h $w"
        done
        card "$T/gi.pdf" --pdfx "${BLACK_SMALL[@]}" --set "logo=$ROOT/tests/fixtures/$file"
        st=$?
        msg=$(grep "image-out-of-gamut\|expected an image whose colours" "$T/gi.pdf.err")
        if [ -n "$worst" ]; then
            got=$(printf '%s' "$msg" | sed -n "s/.*expected an image whose colours the press's CMYK profile can print (CIE dE2000 at most $limit .*found \([0-9]*\)% of the pixels of .*$file in \[logo\] past it, the worst \(#[0-9a-f]*\) at dE2000 \([0-9.]*\);.*/\1 \2 \3/p")
            gpct="" gworst="" gde=""
            read -r gpct gworst gde <<< "$got"
            [ "$st" = 0 ] && [ "$gpct" = 50 ] && [ "$gworst" = "${worst% *}" ] &&
                awk -v w="${worst#* }" -v g="${gde:-0}" 'BEGIN { d = w - g; exit !(d < 0.5 && d > -0.5) }' &&
                ok "gamut: the logo $file (half its pixels ${worst% *}, dE2000 ${worst#* } by transicc) warns: $gpct %, worst $gworst at $gde, and builds" ||
                fail "gamut: logo $file warns" "expected 50 % and ${worst% *} at ${worst#* }, found '$got' (exit $st): $(one_line < "$T/gi.pdf.err")"
        else
            [ "$st" = 0 ] && [ -z "$msg" ] && ok "gamut: the logo $file (every colour within $limit by transicc) does not warn" ||
                fail "gamut: logo $file is quiet" "$(one_line < "$T/gi.pdf.err")"
        fi
    done
}

d=$(pdfinfo "$T/ps.pdf" 2>/dev/null | sed -n 's/^CreationDate: *//p')
[ "$d" = "Tue Nov 14 22:13:20 2023 UTC" ] && ok "CreationDate from SOURCE_DATE_EPOCH (1700000000)" || fail "CreationDate" "'$d'"

summary
