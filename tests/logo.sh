#!/usr/bin/env bash
# tests/logo.sh -- issue 16 item 4: the co-branding [logo] area of the flyer and the poster.
# For every size of layouts/flyer.ini and layouts/poster.ini, built from content/en:
#  1. with --set logo=tests/fixtures/stripes-rgb8.png the logo is on the page (pdfimages -list:
#     one image of the fixture's 300 x 300 pixels, besides the QR codes' stencils)
#  2. with the logo, every QR code still decodes with zbarimg at 300 dpi to its exact payload:
#     tel:+18883737888 and the URL of content/en/content.ini (flyer: donate_url, poster: info_url)
#  3. without a logo no image is drawn (only the QR stencils)
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
need_tools pdfimages pdftoppm zbarimg awk
need_handout

T=$(mktemp -d "${TMPDIR:-/tmp}/handout-logo.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
LOGO=$ROOT/tests/fixtures/stripes-rgb8.png
content_value() { awk -F= -v k="$1" '{ sub(/[[:space:]]+$/, "", $1) } $1 == k { v = $2; sub(/^[[:space:]]+/, "", v); sub(/[[:space:]]+$/, "", v); print v; exit }' content/en/content.ini; }

for pair in flyer:letter flyer:a4 poster:tabloid poster:a3 poster:a2 poster:18x24 poster:24x36; do
    l=${pair%%:*} s=${pair#*:}
    case $l in flyer) url=$(content_value donate_url) ;; *) url=$(content_value info_url) ;; esac
    want=$(printf '%s\n' "QR-Code:tel:+18883737888" "QR-Code:$url" | sort)
    name="$l $s"
    if handout build "layouts/$l.ini" content/en --size "$s" -o "$T/$l-$s-logo.pdf" --set "logo=$LOGO" >"$T/out" 2>&1; then
        images=$(pdfimages -list "$T/$l-$s-logo.pdf" | awk 'NR > 2 && $3 == "image" && $4 == 300 && $5 == 300' | wc -l)
        [ "$images" -eq 1 ] && ok "$name: with a logo, the logo's 300 x 300 image is on the page" ||
            fail "$name: logo image" "expected 1 image of 300 x 300 pixels, found $images"
        pdftoppm -r 300 -gray -png -f 1 -l 1 "$T/$l-$s-logo.pdf" "$T/p" &&
            got=$(zbarimg -q "$T"/p-1.png 2>/dev/null | sort)
        [ "$got" = "$want" ] && ok "$name: with a logo, every QR code decodes at 300 dpi to its payload" ||
            fail "$name: QR codes with a logo" "expected '$want', found '$got'"
        rm -f "$T"/p-1.png
    else
        fail "$name: build with a logo" "$(tail -3 "$T/out")"
    fi
    if handout build "layouts/$l.ini" content/en --size "$s" -o "$T/$l-$s.pdf" >"$T/out" 2>&1; then
        images=$(pdfimages -list "$T/$l-$s.pdf" | awk 'NR > 2 && $3 == "image"' | wc -l)
        [ "$images" -eq 0 ] && ok "$name: without a logo, no image is drawn" ||
            fail "$name: no logo" "expected no image, found $images"
    else
        fail "$name: build without a logo" "$(tail -3 "$T/out")"
    fi
done
summary
