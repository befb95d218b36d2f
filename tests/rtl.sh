#!/usr/bin/env bash
# tests/rtl.sh -- the text layer's right-to-left layout and the leftovers of issue 12, checked with
# tools that are not the code under test:
#   1. ink as drawn: a line's vertical metrics from its glyphs as they are drawn (right to left,
#      in the element's language): an Urdu line in Noto Nastaliq Urdu (its words step down to the
#      baseline right to left, so shaped left to right they reach far higher) and a Hebrew line
#      with points and cantillation marks; the expected line height and baseline come from
#      hb-shape's glyph extents (--direction=rtl --language=...) by the rule of docs/formats.md
#      ("Line height and tall glyphs").
#   2. line breaks in tagged text: where a line breaks with no space (after a dash or a slash,
#      between ideographs) pdfinfo -struct-text reads no space, where it breaks at a space or a
#      hard break ("\n") one space: the element's text as the layout writes it.
#   3. right-to-left columns: pdftotext -bbox puts the first half of an Arabic text (a text
#      element and a Markdown one, two columns) in the right column, the rest in the left one.
#   4. right-to-left lists: pdftotext -bbox finds bullets and numbers right of their items, the
#      text indented from the right, each number right of its full stop.
#   5. spaces between right-to-left words in tagged text: pdfinfo -struct-text of a justified
#      Arabic paragraph holds the paragraph's words, none joined to the next.
# usage: tests/rtl.sh  (environment: HANDOUT, HANDOUT_WRAP as for the other suites)
set -u
export LC_ALL=C.UTF-8 TZ=UTC
unset SOURCE_DATE_EPOCH
. "$(dirname "$0")/lib.sh"
need_tools hb-shape pdffonts pdfinfo pdftotext pdftoppm fc-list python3 awk
need_handout
cd "$ROOT" || exit 2
T=$(mktemp -d "${TMPDIR:-/tmp}/handout-rtl.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
P=$T/proj
mkdir -p "$P/layouts"

# content_set DIR LANG: a content set with nothing but its language
content_set() { mkdir -p "$1"; printf '[content]\ndescription = rtl tests\nlanguage = %s\n' "$2" > "$1/content.ini"; }

# font_file PDF: the file of the (only) font embedded in PDF, by its PostScript name (pdffonts
# without the subset tag), as fontconfig lists it
font_file() {
    local ps
    ps=$(pdffonts "$1" 2>/dev/null | awk 'NR == 3 { n = $1; sub(/^[A-Z]*\+/, "", n); print n }')
    fc-list ":postscriptname=$ps" file | sed 's/: *$//' | head -n 1
}

# ---------------------------------------------------------------------------------------------
# 1. Ink as drawn. hb_ink FONT LANG TEXT -> "ABOVE BELOW": over the text's words (between spaces,
#    each shaped alone, right to left, as handout shapes a word), the highest glyph top and the
#    lowest glyph bottom, each moved by the glyph's offset, in ems (hb-shape at a size of 1000).
hb_ink() {
    local w
    for w in $3; do
        hb-shape --output-format=json --show-extents --font-size=1000 --direction=rtl --language="$2" "$1" --text="$w"
        echo
    done | python3 -c '
import json, sys
top = bottom = 0
for line in sys.stdin:
    if not line.strip():
        continue
    for g in json.loads(line):
        if g["h"] == 0 and g["yb"] == 0:
            continue  # no outline (a space)
        top = max(top, g["yb"] + g["dy"])
        bottom = min(bottom, g["yb"] + g["h"] + g["dy"])
print(top / 1000, -bottom / 1000)'
}

ink_layout() { # FONT TEXT -> one line of 40 pt at line_height 1.0 in a box at y = 1in
    cat <<EOF
[page]
description = ink as drawn
size = 8in x 5in
margin = 0.25in

[ink]
type = text
x = 0.5in
y = 1in
width = 7in
height = 3.5in
text = $2
size = 40pt
line_height = 1.0
font = $1
EOF
}

# name, font, language, text
while IFS='|' read -r name font lang text; do
    content_set "$T/$lang" "$lang"
    ink_layout "$font" "$text" > "$P/layouts/ink-$lang.ini"
    if ! handout build "$P/layouts/ink-$lang.ini" "$T/$lang" -o "$T/ink-$lang.pdf" --dump "$T/ink-$lang.dump" > /dev/null 2> "$T/ink-$lang.err"; then
        fail "ink as drawn: $name builds" "$(head -n 3 "$T/ink-$lang.err" | one_line)"
        continue
    fi
    file=$(font_file "$T/ink-$lang.pdf")
    if [ -z "$file" ]; then
        fail "ink as drawn: $name, the embedded font" "fc-list knows no file for $(pdffonts "$T/ink-$lang.pdf" | sed -n 3p)"
        continue
    fi
    read -r above below <<< "$(hb_ink "$file" "$lang" "$text")"
    # docs/formats.md: the line grows to hold the ink with 0.05 em between lines, the baseline
    # (0.8 below the top of a size-high band centred in the line) moving down as little as it can
    read -r want_h want_b <<< "$(awk -v a="$above" -v b="$below" 'BEGIN {
        lh = 1.0; base = 0.8 + (lh - 1) / 2; need = a + b + 0.05
        nlh = lh < need ? need : lh; nb = base + (nlh - lh) / 2
        if (nb < a) nb = a
        if (nb + b > nlh) nb = nlh - b
        printf "%.3f %.3f", 40 * nlh, 72 + 40 * nb }')"
    read -r lines got_h <<< "$(awk '$1 == "text" { print $8, $10 }' "$T/ink-$lang.dump")"
    got_b=$(awk '$1 == "frag" { print $6; exit }' "$T/ink-$lang.dump")
    if [ "$lines" = 1 ] && awk -v a="$got_h" -v b="$want_h" -v c="$got_b" -v d="$want_b" \
        'BEGIN { exit !((a - b) ^ 2 < 0.06 ^ 2 && (c - d) ^ 2 < 0.06 ^ 2) }'; then
        ok "ink as drawn: $name: line height $got_h pt and baseline $got_b pt, as hb-shape's right-to-left extents in ${file##*/} give (ink ${above} em above, ${below} em below)"
    else
        fail "ink as drawn: $name" "$lines line(s), height $got_h pt and baseline $got_b pt; hb-shape's extents (${above} em above, ${below} em below, ${file##*/}) give $want_h and $want_b for one line"
    fi
done <<'EOF'
Urdu in Noto Nastaliq Urdu|Noto Nastaliq Urdu|ur|انسانی اسمگلنگ سے بچیں
Hebrew with points and cantillation in Noto Sans Hebrew|Noto Sans Hebrew|he|בְּרֵאשִׁ֖ית בָּרָ֣א אֱלֹהִ֑ים
EOF

# ---------------------------------------------------------------------------------------------
# 2. Line breaks in tagged text. Each element is narrow, so its text runs over several lines; its
#    structure element's text (pdfinfo -struct-text) is the text as written, "\n" read as a space.
#    (Not Thai or Hindi: pdfinfo -struct-text stops at their first ActualText span.)
content_set "$T/en" en
cat > "$P/layouts/joins.ini" <<'EOF'
[page]
description = line breaks in tagged text
size = 5in x 6in
margin = 0.25in

[dash]
type = text
x = 0.5in
y = 0.5in
width = 1.2in
height = 2.5in
text = trafficking—the recruitment/harbouring/transport—of people, and anti-trafficking work
size = 12pt
font = Liberation Sans

[han]
type = text
x = 2in
y = 0.5in
width = 1in
height = 2.5in
lang = zh
text = 人口贩运就在我们身边。了解什么是人口贩运、需要注意哪些迹象，以及您可以如何提供帮助。
size = 12pt
font = Noto Sans CJK SC

[hard]
type = text
x = 0.5in
y = 3.5in
width = 4in
height = 1in
lang = zh
text = 扫码拨打热线\n1-888-373-7888
size = 12pt
font = Noto Sans CJK SC
EOF
if handout build "$P/layouts/joins.ini" "$T/en" -o "$T/joins.pdf" --dump "$T/joins.dump" > /dev/null 2> "$T/joins.err"; then
    pdfinfo -struct-text "$T/joins.pdf" 2> /dev/null | awk '/^ *"/ { t = $0; sub(/^ *"/, "", t); sub(/"$/, "", t); print t }' > "$T/joins.struct"
    for el in dash han hard; do
        want=$(awk -F' *= *' -v el="$el" '/^\[/ { s = $0 } s == "[" el "]" && $1 == "text" { sub(/^text *= */, ""); gsub(/\\n/, " "); print }' "$P/layouts/joins.ini")
        lines=$(awk -v el="$el" '$1 == "text" && $2 == el { print $8 }' "$T/joins.dump")
        if [ "${lines:-0}" -lt 2 ]; then
            fail "tagged line breaks: [$el] runs over several lines" "${lines:-no} line(s) in the dump"
        elif grep -qxF -- "$want" "$T/joins.struct"; then
            ok "tagged line breaks: [$el] over $lines lines reads \"$want\""
        else
            fail "tagged line breaks: [$el] over $lines lines" "expected \"$want\" in pdfinfo -struct-text, found: $(one_line < "$T/joins.struct")"
        fi
    done
else
    fail "tagged line breaks: the layout builds" "$(head -n 3 "$T/joins.err" | one_line)"
fi

# ---------------------------------------------------------------------------------------------
# 3. Right-to-left columns: the first column is the rightmost. Arabic text with the tokens W01,
#    W02... in it, in two columns: pdftotext -bbox places each token; every token of the right
#    column comes before every token of the left one, and both are used. A text element in an
#    Arabic content set (direction auto), and a Markdown element with direction = rtl in an
#    English one.
arabic_tokens() { awk -v from="$1" -v to="$2" 'BEGIN { for (i = from; i <= to; i++) printf "%sالخط الساخن W%02d الوطني", (i > from ? " " : ""), i }'; }
content_set "$T/ar" ar
{ arabic_tokens 1 12; printf '\n\n'; arabic_tokens 13 24; printf '\n'; } > "$T/en/cols.md"
cols_layout() { # TYPE KEY VALUE [DIRECTION]
    cat <<EOF
[page]
description = right-to-left columns
size = 6in x 6in
margin = 0.25in

[cols]
type = $1
x = 0.5in
y = 0.5in
width = 5in
height = 5in
columns = 2
$2 = $3
size = 12pt
font = Noto Sans Arabic
${4:+direction = $4}
EOF
}
cols_layout text text "$(arabic_tokens 1 24)" > "$P/layouts/cols-text.ini"
cols_layout markdown file cols.md rtl > "$P/layouts/cols-md.ini"
# the middle of the box: 0.5in + 2.5in = 216 pt from the page's left
for spec in "text:ar:a text element, Arabic content set" "md:en:a Markdown element, direction = rtl"; do
    kind=${spec%%:*} rest=${spec#*:} set=${rest%%:*} what=${rest#*:}
    if ! handout build "$P/layouts/cols-$kind.ini" "$T/$set" -o "$T/cols-$kind.pdf" > /dev/null 2> "$T/cols-$kind.err"; then
        fail "right-to-left columns: $what builds" "$(head -n 3 "$T/cols-$kind.err" | one_line)"
        continue
    fi
    order=$(pdftotext -bbox "$T/cols-$kind.pdf" - 2> /dev/null | awk -F'"' '/>W[0-9][0-9]</ {
        t = $0; sub(/.*>W/, "", t); sub(/<.*/, "", t); print t + 0, ((($2 + $6) / 2 > 216) ? "R" : "L") }' | sort -n | awk '{ printf "%s", $2 }')
    if [ "${#order}" -eq 24 ] && [[ $order =~ ^R+L+$ ]]; then
        ok "right-to-left columns: $what fills the right column first (tokens W01..W24 by column: $order)"
    else
        fail "right-to-left columns: $what fills the right column first" "tokens W01..W24 by column (R right, L left of the box's middle): '$order'"
    fi
done

# ---------------------------------------------------------------------------------------------
# 4. Right-to-left lists: in an Arabic Markdown list (content set ar, 10 pt, list_indent 1.5: 15
#    pt a level, the box's right edge at 396 pt), pdftotext -bbox finds every line's text ending
#    at the box's right edge less the item's indent (381 pt, 366 pt for the nested item), each
#    marker right of its line's text and inside the box, and each number right of its full stop
#    (it reads ".1" from the left, "1." from the right), the numbers 1 to 10 from the top.
{
    printf -- '- %s\n' "$(arabic_tokens 1 6)"
    printf -- '- البند الثاني\n  - البند الفرعي\n\n'
    for n in أولا ثانيا ثالثا رابعا خامسا سادسا سابعا ثامنا تاسعا عاشرا; do printf '1. البند %s\n' "$n"; done
} > "$T/ar/list.md"
cat > "$P/layouts/list.ini" <<'EOF'
[page]
description = right-to-left list
size = 6in x 5in
margin = 0.25in

[list]
type = markdown
x = 0.5in
y = 0.5in
width = 5in
height = 4in
file = list.md
size = 10pt
font = Noto Sans Arabic
EOF
if handout build "$P/layouts/list.ini" "$T/ar" -o "$T/list.pdf" > /dev/null 2> "$T/list.err"; then
    # the words grouped into lines by their vertical middles (a bullet's box is shorter than a
    # letter's); per line its markers (bullets, digits, full stops) and the rest
    res=$(pdftotext -bbox "$T/list.pdf" - 2> /dev/null | awk -F'"' '/<word / {
        w = $0; sub(/.*">/, "", w); sub(/<.*/, "", w)
        n++; txt[n] = w; x0[n] = $2 + 0; x1[n] = $6 + 0; mid[n] = ($4 + $8) / 2
    }
    END {
        for (i = 2; i <= n; i++)  # by their middles, top first
            for (j = i; j > 1 && mid[j] < mid[j - 1]; j--) {
                t = txt[j]; txt[j] = txt[j - 1]; txt[j - 1] = t; t = x0[j]; x0[j] = x0[j - 1]; x0[j - 1] = t
                t = x1[j]; x1[j] = x1[j - 1]; x1[j - 1] = t; t = mid[j]; mid[j] = mid[j - 1]; mid[j - 1] = t
            }
        nl = 0
        for (i = 1; i <= n; i++) {
            if (i == 1 || mid[i] - mid[i - 1] > 5) nl++
            y = nl; w = txt[i]
            if (w == "•" || w ~ /^[0-9]+$/ || w == ".") {
                if (w == ".") { dot[y] = x0[i]; dotx[y] = x1[i] }
                else { mk[y] = w; mx0[y] = x0[i]; mx1[y] = x1[i] }
            } else if (!(y in tx1) || x1[i] > tx1[y]) tx1[y] = x1[i]
        }
        bad = ""; nums = ""; ends = ""
        for (y = 1; y <= nl; y++) {
            e = sprintf("%.2f", tx1[y]); ends = ends " " e
            if (e != "381.00" && e != "366.00") bad = bad " line " y " ends at " e
            if (!(y in mk)) continue
            if (mx0[y] <= tx1[y] || mx1[y] > 396.01) bad = bad " marker " mk[y] " at " mx0[y] ".." mx1[y] " (text ends " tx1[y] ")"
            if (mk[y] ~ /^[0-9]+$/) {
                nums = nums (nums == "" ? "" : ",") mk[y]
                if (!(y in dot) || dotx[y] > mx0[y] + 0.01 || dot[y] <= tx1[y]) bad = bad " number " mk[y] " not right of its full stop"
            }
        }
        printf "%s|%s|%s\n", bad, nums, ends
    }')
    IFS='|' read -r bad nums ends <<< "$res"
    if [ -z "$bad" ] && [ "$nums" = "1,2,3,4,5,6,7,8,9,10" ]; then
        ok "right-to-left list: markers right of their items, numbers right of their full stops (1..10), lines ending at 381 or 366 pt"
    else
        fail "right-to-left list" "${bad:-} numbers '$nums', line ends$ends"
    fi
else
    fail "right-to-left list: the layout builds" "$(head -n 3 "$T/list.err" | one_line)"
fi

# ---------------------------------------------------------------------------------------------
# 5. Spaces between right-to-left words in tagged text: the flyer's Arabic paragraph (content/ar
#    what-is.md, its first paragraph), justified so that each word is a fragment of its own, in
#    a narrow box. pdfinfo -struct-text gives right-to-left text in the order it is drawn (from
#    the left, each word's letters reversed), so its words are compared with the paragraph's as
#    sets of letters: the same words, none joined to the next (the text gave them one long word).
para=$(awk 'NR > 1 && NF { print; exit }' content/ar/what-is.md)
printf '%s\n' "$para" > "$T/ar/para.md"
cat > "$P/layouts/para.ini" <<'EOF'
[page]
description = right-to-left words in tagged text
size = 6in x 6in
margin = 0.25in

[para]
type = markdown
x = 0.5in
y = 0.5in
width = 3in
height = 5in
align = justify
file = para.md
size = 11pt
font = Noto Sans Arabic
EOF
if handout build "$P/layouts/para.ini" "$T/ar" -o "$T/para.pdf" --dump "$T/para.dump" > /dev/null 2> "$T/para.err"; then
    pdfinfo -struct-text "$T/para.pdf" 2> /dev/null | awk '/^ *"/ { t = $0; sub(/^ *"/, "", t); sub(/"$/, "", t); print t }' > "$T/para.struct"
    lines=$(awk '$1 == "text" { print $8 }' "$T/para.dump")
    got=$(python3 - "$T/para.struct" "$T/ar/para.md" <<'PY'
import sys
def sig(text):
    return sorted(''.join(sorted(w)) for w in text.split())
struct, src = open(sys.argv[1], encoding='utf-8').read(), open(sys.argv[2], encoding='utf-8').read()
src = src.replace('*', '')  # Markdown's emphasis marks print nothing
a, b = sig(struct), sig(src)
print('same' if a == b else '%d words in the structure, %d in the paragraph' % (len(a), len(b)))
PY
)
    if [ "${lines:-0}" -ge 3 ] && [ "$got" = same ]; then
        ok "right-to-left words in tagged text: the paragraph over $lines justified lines has its $(wc -w < "$T/ar/para.md") words apart"
    else
        fail "right-to-left words in tagged text" "${lines:-no} lines; $got: $(head -c 300 "$T/para.struct")"
    fi
else
    fail "right-to-left words in tagged text: the layout builds" "$(head -n 3 "$T/para.err" | one_line)"
fi

summary
