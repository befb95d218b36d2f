#!/usr/bin/env bash
# tests/theme.sh -- issue 16 item 4: themes. Every default product takes its colours and fonts
# from one theme file (themes/default.ini); changing the theme changes every product, checked in
# the dump of each and in the PDF itself (the colour operators of its content streams, read with
# qpdf --qdf; the fonts with pdffonts), against values this script reads from the theme files.
#
# usage: tests/theme.sh    (from any folder; it works from the repository root)
#   environment: HANDOUT (default ./handout in the repository), HANDOUT_WRAP
#
# Each check prints "ok - NAME" or "FAIL - NAME: reason"; lines starting with "#" are notes.
# The last line is "N passed, M failed"; the exit status is non-zero when M > 0.
#
#  1. the accent: a copy of the default theme with accent and accent_on_dark changed; every
#     layout (at every size it lists) that names either shows the new colour and not the old one,
#     in its dump's colors lines and in its PDF's fill colours; a layout that names neither is one
#     of the stated exceptions, and its PDF does not change at all
#  2. themes/example-partner.ini: every layout builds with it, no colour of the default theme is
#     left in any PDF, its accent is there, and its font (Liberation Serif) is embedded
#  3. the theme of a job ([job] theme) and batch --theme over it
#  4. a project without a theme
#  5. the theme's logo, through {theme.logo}

set -u
export LC_ALL=C.UTF-8 TZ=UTC
unset SOURCE_DATE_EPOCH

. "$(dirname "$0")/lib.sh"
suite_takes_no_arguments tests/theme.sh "$@"
cd "$ROOT" || exit 2
need_tools qpdf pdffonts pdfimages od awk timeout
need_handout

T=$(mktemp -d "${TMPDIR:-/tmp}/handout-theme.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

# theme_value FILE KEY: a key's value as the theme file writes it (quotes taken off, lower case)
theme_value() {
    awk -v k="$2" '
        /^[ \t]*[;#]/ { next }
        { line = $0; sub(/^[ \t]+/, "", line) }
        index(line, "=") { key = substr(line, 1, index(line, "=") - 1); gsub(/[ \t]+$/, "", key)
            if (key == k) { v = substr(line, index(line, "=") + 1); gsub(/^[ \t]+|[ \t]+$/, "", v); gsub(/"/, "", v); print tolower(v); exit } }' "$1"
}

# pdf_colours PDF: every colour the page content sets (r g b rg / RG), as #rrggbb, one a line, sorted
pdf_colours() {
    qpdf --qdf --object-streams=disable "$1" "$T/qdf.pdf" 2>/dev/null
    LC_ALL=C grep -aoE '(^|[^0-9.])[0-9.]+ [0-9.]+ [0-9.]+ (rg|RG)( |$)' "$T/qdf.pdf" |
        awk '{ n = NF; printf "#%02x%02x%02x\n", int($(n-3) * 255 + 0.5), int($(n-2) * 255 + 0.5), int($(n-1) * 255 + 0.5) }' |
        LC_ALL=C sort -u
}

# dump_colours DUMP: every colour of the dump's colors lines, one a line, sorted
dump_colours() {
    awk '$1 == "colors" { for (i = 4; i <= NF; i += 2) print tolower($i) }' "$1" | LC_ALL=C sort -u
}

# the default products: each layout at each size it is built at, with the first content set
# that goes into it (make run-pairs)
sh tools/run-pairs.sh | awk '!seen[$1 " " $4]++ { print $1, $2, $3, $4 }' > "$T/pairs"
npairs=$(wc -l < "$T/pairs")
[ "$npairs" -ge 27 ] && ok "run-pairs lists every default layout ($npairs layouts and sizes)" ||
    fail "run-pairs" "expected at least the 27 layouts, found $npairs"

D=themes/default.ini
old_accent=$(theme_value "$D" accent)
old_dark=$(theme_value "$D" accent_on_dark)
new_accent="#0b7a75"
new_dark="#f472b6"
[[ $old_accent =~ ^#[0-9a-f]{6}$ && $old_dark =~ ^#[0-9a-f]{6}$ ]] &&
    ok "the default theme's accent colours: $old_accent, $old_dark" ||
    fail "the default theme's accents" "found \"$old_accent\" and \"$old_dark\""
mkdir -p "$T/themes"
sed -e "s/^accent *=.*/accent = \"$new_accent\"/" -e "s/^accent_on_dark *=.*/accent_on_dark = \"$new_dark\"/" \
    "$D" > "$T/themes/accent.ini"
[ "$(theme_value "$T/themes/accent.ini" accent)" = "$new_accent" ] &&
    [ "$(theme_value "$T/themes/accent.ini" accent_on_dark)" = "$new_dark" ] &&
    [ "$(grep -vc '^accent' "$T/themes/accent.ini")" = "$(grep -vc '^accent' "$D")" ] ||
    fail "the changed theme" "expected the default theme with two accents changed"

# the layouts that name no accent, and why (checked below: they do name none, and do not change)
EXCEPTIONS="layouts/notice-ky-cling.ini layouts/wallet-card-discreet-us.ini layouts/notice-md-halfletter.ini"
# notice-ky-cling: a one-colour window cling ({theme.ink}); wallet-card-discreet-us: a discreet
# card shows no ministry colour ({theme.ink}); notice-md-halfletter: the statute's text in black
# with the number in bold, its frame in {theme.primary}

# 1. the accent
while read -r layout content name size; do
    tag="$name${size:+ ($size)}"
    args=("$layout" "$content" ${size:+--size "$size"})
    if ! handout build "${args[@]}" -o "$T/d.pdf" --dump "$T/d.dump" > /dev/null 2> "$T/err" ||
        ! handout build "${args[@]}" --theme "$T/themes/accent.ini" -o "$T/a.pdf" --dump "$T/a.dump" > /dev/null 2> "$T/err"; then
        fail "accent: $tag builds" "$(head -c 300 "$T/err" | one_line)"
        continue
    fi
    names=""
    grep -q '{theme\.accent}' "$layout" && names="$names accent"
    grep -q '{theme\.accent_on_dark}' "$layout" && names="$names accent_on_dark"
    if [ -z "$names" ]; then
        case " $EXCEPTIONS " in
        *" $layout "*)
            cmp -s "$T/d.pdf" "$T/a.pdf" && ok "accent: $tag names no accent (a stated exception) and its PDF does not change" ||
                fail "accent: $tag" "names no accent, yet its PDF changed with the accent";;
        *) fail "accent: $tag" "names neither {theme.accent} nor {theme.accent_on_dark} and is no stated exception";;
        esac
        continue
    fi
    dump_colours "$T/d.dump" > "$T/dd"; dump_colours "$T/a.dump" > "$T/ad"
    pdf_colours "$T/d.pdf" > "$T/dp"; pdf_colours "$T/a.pdf" > "$T/ap"
    why=""
    for k in $names; do
        if [ "$k" = accent ]; then o=$old_accent n=$new_accent; else o=$old_dark n=$new_dark; fi
        grep -qx "$o" "$T/dd" || why="$why; the default dump has no $o ($k)"
        grep -qx "$n" "$T/ad" || why="$why; the changed theme's dump has no $n ($k)"
        grep -qx "$o" "$T/dp" || why="$why; the default PDF sets no $o ($k)"
        grep -qx "$n" "$T/ap" || why="$why; the changed theme's PDF sets no $n ($k)"
    done
    for o in $old_accent $old_dark; do
        ! grep -qx "$o" "$T/ad" || why="$why; the changed theme's dump still has $o"
        ! grep -qx "$o" "$T/ap" || why="$why; the changed theme's PDF still sets $o"
    done
    [ -z "$why" ] && ok "accent: $tag ($names ) changes in its dump and its PDF" || fail "accent: $tag" "${why#; }"
done < "$T/pairs"
for x in $EXCEPTIONS; do
    grep -q "^$x " "$T/pairs" || fail "accent: exception $x" "is no default layout any more: take it off the list"
done

# 2. the example partner theme
P=themes/example-partner.ini
partner_accent=$(theme_value "$P" accent)
partner_dark=$(theme_value "$P" accent_on_dark)
partner_font=$(theme_value "$P" font | tr -d ' ')
# the default theme's colours, but white and black: QR codes are drawn black on white whatever
# the theme (their contrast is the scanner's, docs/formats.md "Themes"), so those stay
defaults=$(awk -F= '/^\[colors\]/ { c = 1; next } /^\[/ { c = 0 } c && /=/ { v = $2; gsub(/[ "\t]/, "", v); print tolower(v) }' "$D" |
    grep -vx -e '#ffffff' -e '#000000')
[ "$(echo "$defaults" | wc -l)" -ge 9 ] || fail "the default theme's colours" "found: $(echo "$defaults" | one_line)"
while read -r layout content name size; do
    tag="$name${size:+ ($size)}"
    if ! handout build "$layout" "$content" ${size:+--size "$size"} --theme example-partner -o "$T/p.pdf" > /dev/null 2> "$T/err"; then
        fail "example-partner: $tag builds" "$(head -c 300 "$T/err" | one_line)"
        continue
    fi
    pdf_colours "$T/p.pdf" > "$T/pp"
    why=""
    for c in $defaults; do
        ! grep -qx "$c" "$T/pp" || why="$why; still sets the default theme's $c"
    done
    if grep -q '{theme\.accent}' "$layout"; then grep -qx "$partner_accent" "$T/pp" || why="$why; sets no $partner_accent (accent)"; fi
    if grep -q '{theme\.accent_on_dark}' "$layout"; then grep -qx "$partner_dark" "$T/pp" || why="$why; sets no $partner_dark (accent_on_dark)"; fi
    pdffonts "$T/p.pdf" 2>/dev/null | grep -qi "${partner_font}" || why="$why; $partner_font is not embedded"
    [ -z "$why" ] && ok "example-partner: $tag is in the partner's colours and font" || fail "example-partner: $tag" "${why#; }"
done < "$T/pairs"

# 3. a job's theme, and batch --theme over it
mkdir -p "$T/proj/jobs"
cat > "$T/proj/jobs/partner.ini" <<EOF
[job]
name = Partner flyers
kind = event
date = 2025-03-14
place = Parish hall
theme = $ROOT/$P

[flyer]
layout = $ROOT/layouts/flyer.ini
language = $ROOT/content/en
quantity = 1
EOF
if handout batch "$T/proj/jobs/partner.ini" -o "$T/out" -q > "$T/err" 2>&1; then
    pdf_colours "$T/out/partner-flyers/flyer.pdf" > "$T/jp"
    grep -qx "$partner_accent" "$T/jp" && ! grep -qx "$old_accent" "$T/jp" &&
        ok "batch: [job] theme = example-partner builds the item in the partner's accent $partner_accent" ||
        fail "batch: [job] theme" "colours: $(one_line < "$T/jp")"
else
    fail "batch: [job] theme" "$(head -c 300 "$T/err" | one_line)"
fi
if handout batch "$T/proj/jobs/partner.ini" -o "$T/out2" -q --theme "$T/themes/accent.ini" > "$T/err" 2>&1; then
    pdf_colours "$T/out2/partner-flyers/flyer.pdf" > "$T/jp"
    grep -qx "$new_accent" "$T/jp" && ! grep -qx "$partner_accent" "$T/jp" &&
        ok "batch: --theme is every item's, over the job's theme" ||
        fail "batch: --theme over [job] theme" "colours: $(one_line < "$T/jp")"
else
    fail "batch: --theme" "$(head -c 300 "$T/err" | one_line)"
fi

# 5. the logo: an optional image element with file = {theme.logo} draws the theme's logo file (its
# pixels, as pdfimages lists them) and nothing with a theme without one; alt = {theme.name} tags it
logo_file=$(dirname "$P")/$(theme_value "$P" logo)
logo_size=$(od -An -tu1 -j16 -N8 "$logo_file" | awk '{ printf "%d %d", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }')
cp tests/fixtures/basic.ini "$T/logo.ini"
printf '\n[logo]\ntype = image\nx = 3.5in\ny = 5.5in\nwidth = 1in\nheight = 1in\nfile = {theme.logo}\noptional = yes\nalt = {theme.name}\n' >> "$T/logo.ini"
if handout build "$T/logo.ini" tests/fixtures/content --theme example-partner -o "$T/logo.pdf" > /dev/null 2> "$T/err"; then
    found=$(pdfimages -list "$T/logo.pdf" 2>/dev/null | awk 'NR > 2 && $3 == "image" { print $4, $5 }')
    [ "$found" = "$logo_size" ] && ok "logo: {theme.logo} draws $logo_file ($logo_size pixels)" ||
        fail "logo: {theme.logo}" "expected one image of $logo_size pixels, found: $(echo "$found" | one_line)"
else
    fail "logo: {theme.logo} builds" "$(head -c 300 "$T/err" | one_line)"
fi
if handout build "$T/logo.ini" tests/fixtures/content -o "$T/nologo.pdf" > /dev/null 2> "$T/err"; then
    found=$(pdfimages -list "$T/nologo.pdf" 2>/dev/null | awk 'NR > 2 && $3 == "image"' | wc -l) # the QR code: a stencil
    [ "$found" = 0 ] && ok "logo: the default theme (logo empty) draws no image but the QR code" ||
        fail "logo: no logo" "expected no image, found $found"
else
    fail "logo: the default theme builds" "$(head -c 300 "$T/err" | one_line)"
fi

# 4. a project without a theme: a layout that names none builds as before; one that names a theme
# key fails, naming the layout's file, section and key
mkdir -p "$T/bare/layouts" "$T/bare/content"
cp tests/fixtures/basic.ini "$T/bare/layouts/plain.ini"
cp -r tests/fixtures/content "$T/bare/content/en"
sed 's/^size = 20pt/size = 20pt\ncolor = {theme.primary}/' tests/fixtures/basic.ini > "$T/bare/layouts/themed.ini"
(cd "$T/bare" && handout build layouts/plain.ini content/en -o "$T/bare/plain.pdf" > /dev/null 2> "$T/bare.err") &&
    ok "no theme: a layout that names no theme key builds" || fail "no theme: plain layout" "$(one_line < "$T/bare.err")"
(cd "$T/bare" && handout build layouts/themed.ini content/en -o "$T/bare/themed.pdf" > /dev/null 2> "$T/bare.err"); rc=$?
[ "$rc" = 1 ] && grep -q '^handout: error: layouts/themed.ini:[0-9]*: \[heading\] color: expected a theme for {theme.primary}' "$T/bare.err" &&
    [ ! -e "$T/bare/themed.pdf" ] &&
    ok "no theme: {theme.primary} is an error naming the layout, section and key" ||
    fail "no theme: {theme.primary}" "exit $rc: $(one_line < "$T/bare.err")"

summary
