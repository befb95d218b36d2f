#!/usr/bin/env bash
# tests/logo.sh -- issue 16 item 4: every product's co-branding logo area, seen on paper.
# Every layout in layouts/ has a logo area (an element whose file is {logo}), but those listed in
# NO_LOGO below with the reason. For every product `make run` builds (each layout at each of its
# sizes, with content/en or, for a notice, its own set), built one item a page (--sheet none):
#  1. with --set logo=GREEN (a 600 x 600 pixel PNG of pure green, made here) the pages rendered
#     with pdftoppm differ from those without a logo within one box a page, whose inner points are
#     green (one logo drawn whole on each page that has one; nothing else moved:
#     tests/tools/logo_place.py)
#  2. that box is at least 18 pt (1/4 in) on its smaller side, and inside the trim by the layout's
#     own [page] margin (read here from the layout; 10 % of slack for a size a design is fitted to)
#  3. on the page without the logo, nothing is drawn within 3 pt of the box (text, a code with its
#     quiet zone, a rule): the logo covers nothing and crowds nothing; and no word pdftotext -bbox
#     finds is within 3 pt of it
#  4. with the logo, the words (pdftotext) and the QR codes (zbarimg at 300 dpi, 150 dpi for pages
#     over 17 in) are exactly those without it
#  5. the theme's logo fills the area when no partner logo is given (--theme example-partner: one
#     image of themes/example-partner-logo.png's pixel size on each page that has a logo), and a partner's logo takes the area
#     from it (--theme example-partner --set logo=GREEN: the green image only); but in the layouts
#     listed in NO_THEME_LOGO, with the reason, where the area is a partner's alone
#  6. with neither, no image is drawn (only the QR codes' stencils)
# and, where the layout gives the logo a backdrop (a dark ground), that the logo stands on its white
# panel; and, for a notice whose empty_band_reason says its empty band is the logo area's, that a logo
# fills it (no emptiness warning with one, once the reason is taken out) and nothing else does
#
# usage: tests/logo.sh    (from any folder; it works from the repository root)
#   environment: HANDOUT (default ./handout in the repository), HANDOUT_WRAP
# The last line is "N passed, M failed"; the exit status is non-zero when M > 0.

set -u
export LC_ALL=C.UTF-8 TZ=UTC
unset SOURCE_DATE_EPOCH

. "$(dirname "$0")/lib.sh"
suite_takes_no_arguments tests/logo.sh "$@"
cd "$ROOT" || exit 2
need_tools pdfimages pdftoppm pdftotext pdfinfo zbarimg awk python3
need_handout

# layouts without a logo area, and why
# (each layout's header comment says more)
NO_LOGO="wallet-card-discreet-us soap-label-us notice-ky-cling notice-la-letter notice-mt-letter notice-ri-letter notice-tx-abc-letter notice-vt-letter"
no_logo_reason() {
    case $1 in
        wallet-card-discreet-us) echo "it names no one, so that it is safe to carry" ;;
        soap-label-us) echo "a 1 in label: beside the number only a 4.4 mm square is free, too small for a mark" ;;
        notice-ky-cling) echo "the number and the two texts take the 3 in film; the printed KY sign carries the logo" ;;
        notice-la-letter|notice-mt-letter|notice-ri-letter|notice-vt-letter)
            echo "the statute's text fills the page: a logo would move or shrink it" ;;
        notice-tx-abc-letter) echo "the only room is on the dark band, and would change the measured language shares" ;;
    esac
}

# layouts whose logo area is a partner's alone (no fallback = {theme.logo}), and why
NO_THEME_LOGO="partner-card-us"
no_theme_logo_reason() {
    case $1 in
        partner-card-us) echo "the area is the agency's: its alternative text is the agency's name" ;;
    esac
}

T=$(mktemp -d "${TMPDIR:-/tmp}/handout-logo.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
GREEN=$T/green.png
python3 - "$GREEN" <<'EOF'
import struct, sys, zlib
w = h = 600
raw = b"".join(b"\x00" + b"\x00\xff\x00" * w for _ in range(h))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
with open(sys.argv[1], "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
EOF
# the example theme's logo, its size in pixels read from its PNG header (bytes 16..23)
THEME_LOGO=themes/example-partner-logo.png
read -r theme_w theme_h <<<"$(od -An -tu1 -j16 -N8 "$THEME_LOGO" | awk '{ printf "%d %d", ((($1 * 256 + $2) * 256 + $3) * 256 + $4), ((($5 * 256 + $6) * 256 + $7) * 256 + $8) }')"

# count_images PDF [W H] -> how many raster images pdfimages lists (QR stencils are not), of W x H
#   pixels when given
count_images() { pdfimages -list "$1" 2>/dev/null | awk -v w="$2" -v h="${3:-}" 'NR > 2 && $3 == "image" && (w == "" || ($4 == w && $5 == h))' | wc -l; }

# every layout has a logo area, or a stated reason
for f in layouts/*.ini; do
    name=$(basename "$f" .ini)
    if grep -q '^[[:space:]]*file[[:space:]]*=.*{logo}' "$f"; then
        case " $NO_LOGO " in
            *" $name "*) fail "$name: logo area" "it has one, but the test lists it in NO_LOGO" ;;
            *) ok "$name: has a logo area (an image element with file = {logo})" ;;
        esac
    else
        case " $NO_LOGO " in
            *" $name "*) ok "$name: no logo area, on purpose: $(no_logo_reason "$name")" ;;
            *) fail "$name: logo area" "no image element with file = {logo}, and no reason in tests/logo.sh" ;;
        esac
    fi
done

# a notice whose empty band is the co-branding area's says so in empty_band_reason: without the
# reason, its build with a logo has no empty band, and its build without one has
for f in $(grep -l '^empty_band_reason *=.*co-branding area' layouts/*.ini); do
    name=$(basename "$f" .ini)
    sed '/^empty_band_reason/d' "$f" >"$T/$name.ini"
    handout build "$T/$name.ini" content/en --set "logo=$GREEN" -o "$T/eb.pdf" >"$T/eb1" 2>&1; rc1=$?
    handout build "$T/$name.ini" content/en -o "$T/eb.pdf" >"$T/eb0" 2>&1
    if [ $rc1 -eq 0 ] && ! grep -q "empty band" "$T/eb1" && grep -q "empty band" "$T/eb0"; then
        ok "$name: its empty band is the logo area's: filled with a logo, empty without (the stated reason)"
    else
        fail "$name: empty band and logo" "with a logo: $(grep -o 'found [^;]*empty[^;]*' "$T/eb1" | head -1); without: $(grep -c 'empty band' "$T/eb0") warning(s)"
    fi
done

# ini_value FILE SECTION KEY
ini_value() { awk -v want_sec="$2" -v want_key="$3" -v unquote=1 -f tools/ini-value.awk "$1"; }

# margin_pt MARGIN PAGE_WIDTH_PT -> the margin in pt
margin_pt() {
    awk -v m="$1" -v w="$2" 'BEGIN {
        v = m + 0; u = m; sub(/^[0-9.]+/, "", u)
        if (u == "in") v *= 72; else if (u == "mm") v *= 72 / 25.4; else if (u == "cm") v *= 72 / 2.54
        else if (u == "%w") v *= w / 100; else if (u != "pt" && u != "") v = -1
        printf "%.2f", v }'
}

# one product a line: LAYOUT CONTENT SIZE (SIZE "-" for a layout of one size), content/en where
# the product is built with it, else the set make run builds it with
sh tools/run-pairs.sh | awk '
    { key = $1 " " ($4 == "" ? "-" : $4) }
    !(key in set) { order[++n] = key; set[key] = $2 }
    $2 == "content/en" { set[key] = $2 }
    END { for (i = 1; i <= n; i++) { split(order[i], k, " "); print k[1], set[order[i]], k[2] } }' >"$T/products"
note "$(wc -l <"$T/products") products"

while read -r layout content size; do
    name=$(basename "$layout" .ini)
    sizearg=()
    [ "$size" != "-" ] && { sizearg=(--size "$size"); name="$name $size"; }
    case " $NO_LOGO " in *" $(basename "$layout" .ini) "*) continue ;; esac
    grep -q '^[[:space:]]*file[[:space:]]*=.*{logo}' "$layout" || continue # failed above
    common=(build "$layout" "$content" "${sizearg[@]}" --sheet none --count 1)
    if ! handout "${common[@]}" -o "$T/a.pdf" >"$T/out" 2>&1; then
        fail "$name: build without a logo" "$(tail -3 "$T/out")"; continue
    fi
    if ! handout "${common[@]}" --set "logo=$GREEN" -o "$T/b.pdf" >"$T/out" 2>&1; then
        fail "$name: build with a logo" "$(tail -3 "$T/out")"; continue
    fi
    if grep -q "warning" "$T/out"; then
        fail "$name: build with a logo" "a warning: $(grep warning "$T/out" | head -2)"
    else
        ok "$name: builds with a logo, no warning"
    fi

    # 1-3: where the logo landed: on each page that changed (a product of several pages, such as a
    # notice with a staff sheet, may carry a logo on each), one logo drawn whole
    python3 tests/tools/logo_place.py "$T/a.pdf" "$T/b.pdf" 3 >"$T/place" 2>"$T/err" ||
        { fail "$name: logo_place.py" "$(tail -2 "$T/err")"; continue; }
    changed=$(awk '$1 == "changed_pages" { $1 = ""; sub(/^ /, ""); print }' "$T/place")
    if [ "$changed" = none ] || [ -z "$changed" ]; then
        fail "$name: one logo" "no page changed with the logo"; continue
    fi
    pw=0 ph=0 nlogos=$(grep -c '^logo ' "$T/place")
    while read -r _ page x0 y0 x1 y1 pw ph green clear dist word edge; do
        at="$name, page $page"
        [ "$green" = yes ] && ok "$at: the logo is drawn whole, and nothing else on the page changed" ||
            fail "$at: one logo" "the change from $x0,$y0 to $x1,$y1 pt is not one flat logo"
        margin=$(margin_pt "$(ini_value "$layout" page margin)" "$pw")
        verdict=$(awk -v x0="$x0" -v y0="$y0" -v x1="$x1" -v y1="$y1" -v pw="$pw" -v ph="$ph" -v m="$margin" 'BEGIN {
            side = x1 - x0 < y1 - y0 ? x1 - x0 : y1 - y0
            inset = x0; if (y0 < inset) inset = y0; if (pw - x1 < inset) inset = pw - x1; if (ph - y1 < inset) inset = ph - y1
            printf "%s %.1f %.1f", (side >= 18 && m >= 0 && inset >= 0.9 * m) ? "yes" : "no", side, inset }')
        read -r good side inset <<<"$verdict"
        [ "$good" = yes ] && ok "$at: the logo is $side pt on its smaller side, $inset pt inside the trim (margin $margin pt)" ||
            fail "$at: logo size and place" "smaller side $side pt (want >= 18), $inset pt inside the trim (want >= 0.9 x the margin, $margin pt), box $x0 $y0 $x1 $y1"
        [ "$clear" = clear ] && ok "$at: nothing else is drawn within 3 pt of the logo" ||
            fail "$at: room around the logo" "$clear (box $x0 $y0 $x1 $y1)"
        awk -v d="$dist" 'BEGIN { exit !(d == "none" || d >= 3) }' && ok "$at: the nearest word is $dist pt from the logo" ||
            fail "$at: words near the logo" "'$word' is $dist pt from it (want >= 3)"
        if grep -q '^backdrop *=' "$layout"; then # a dark ground: the logo on a paper-white panel
            [ "$edge" = ffffff ] && ok "$at: the logo stands on its backdrop, a white panel (#$edge at its edge)" ||
                fail "$at: backdrop" "expected the panel's #ffffff at the box's edge, found #$edge"
        fi
    done < <(awk '$1 == "logo"' "$T/place")

    # 4: nothing lost or changed on paper
    if [ "$(pdftotext -layout "$T/a.pdf" - 2>/dev/null)" = "$(pdftotext -layout "$T/b.pdf" - 2>/dev/null)" ]; then
        ok "$name: with the logo, pdftotext reads the same words in the same places"
    else
        fail "$name: text with a logo" "pdftotext differs: $(diff <(pdftotext -layout "$T/a.pdf" -) <(pdftotext -layout "$T/b.pdf" -) | head -4 | tr '\n' ' ')"
    fi
    dpi=300
    awk -v w="$pw" -v h="$ph" 'BEGIN { exit !(w > 1224.5 || h > 1224.5) }' && dpi=150
    for v in a b; do
        rm -f "$T"/q-*.png
        pdftoppm -r "$dpi" -gray -png "$T/$v.pdf" "$T/q"
        zbarimg -q "$T"/q-*.png 2>/dev/null | sort >"$T/qr-$v"
    done
    if [ ! -s "$T/qr-a" ] && [ ! -s "$T/qr-b" ] && ! grep -q '^type *= *qr' "$layout"; then
        ok "$name: no QR code, with the logo or without (the layout has none)"
    elif [ -s "$T/qr-a" ] && cmp -s "$T/qr-a" "$T/qr-b"; then
        ok "$name: with the logo, zbarimg decodes the same $(wc -l <"$T/qr-b") codes ($(sort -u "$T/qr-b" | cut -c9- | tr '\n' ' '))"
    else
        fail "$name: codes with a logo" "without: $(tr '\n' ' ' <"$T/qr-a"); with: $(tr '\n' ' ' <"$T/qr-b")"
    fi

    # 5 and 6: the theme's logo, a partner's over it, and none
    case " $NO_THEME_LOGO " in
        *" $(basename "$layout" .ini) "*)
            handout "${common[@]}" --theme example-partner -o "$T/c.pdf" >"$T/out" 2>&1
            c_all=$(count_images "$T/c.pdf" "")
            [ "$c_all" -eq 0 ] && ok "$name: the theme's logo is not drawn: $(no_theme_logo_reason "$(basename "$layout" .ini)")" ||
                fail "$name: no theme logo" "expected no image with the example theme, found $c_all"
            ;;
        *)
            if handout "${common[@]}" --theme example-partner -o "$T/c.pdf" >"$T/out" 2>&1 &&
                handout "${common[@]}" --theme example-partner --set "logo=$GREEN" -o "$T/d.pdf" >>"$T/out" 2>&1; then
                c_theme=$(count_images "$T/c.pdf" "$theme_w" "$theme_h") c_all=$(count_images "$T/c.pdf" "")
                d_green=$(count_images "$T/d.pdf" 600 600) d_all=$(count_images "$T/d.pdf" "")
                [ "$c_theme" -eq "$nlogos" ] && [ "$c_all" -eq "$nlogos" ] && ok "$name: with the example theme and no partner logo, the theme's logo ($theme_w x $theme_h px) fills the area ($nlogos)" ||
                    fail "$name: theme logo" "expected $nlogos image(s) of $theme_w x $theme_h px, found $c_theme (of $c_all images)"
                [ "$d_green" -eq "$nlogos" ] && [ "$d_all" -eq "$nlogos" ] && ok "$name: a partner's logo takes the area from the theme's" ||
                    fail "$name: partner logo over the theme's" "expected only the 600 x 600 px green image ($nlogos), found $d_green (of $d_all images)"
            else
                fail "$name: builds with the example theme" "$(tail -3 "$T/out")"
            fi
            ;;
    esac
    a_all=$(count_images "$T/a.pdf" "")
    [ "$a_all" -eq 0 ] && ok "$name: without a logo, no image is drawn" ||
        fail "$name: no logo" "expected no image, found $a_all"
done <"$T/products"
summary
