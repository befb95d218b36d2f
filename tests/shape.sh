#!/usr/bin/env bash
# tests/shape.sh -- the text layer's sample page (tests/shape_sample.c: one line in each of Latin,
# Arabic, Devanagari, Thai, Khmer, Myanmar, Simplified Chinese and Korean, shaped by src/shape.c
# and embedded by src/fontembed.c), checked with tools that are not the code under test:
#   pdffonts   every font embedded, subset (TAG+Name), Type 0 over CID TrueType or CID Type 0C,
#              Identity-H, with a ToUnicode map, tags unique; a tag is the same for the same glyph
#              set of a face in another document and differs for another glyph set;
#   qpdf       --check passes; the lam-alef ligature's ToUnicode entry is lam, alef (logical);
#   pdftotext  gives each line's text in logical order (Arabic with poppler's one quirk, below);
#   pdftoppm   renders the page without a word on stderr (the picture itself is looked at by a
#              person when the text layer changes: see the closing note of the commit);
#   cmp        the same input, with SOURCE_DATE_EPOCH, gives the same bytes.
#   environment: SHAPE_SAMPLE (default build/shape-sample), HANDOUT_WRAP (e.g. valgrind).
set -u
. "$(dirname "$0")/lib.sh"
SAMPLE=${SHAPE_SAMPLE:-$ROOT/build/shape-sample}
case $SAMPLE in /*) ;; *) SAMPLE=$START_DIR/$SAMPLE ;; esac
need_tools pdffonts pdftotext pdftoppm qpdf
if [ ! -x "$SAMPLE" ]; then
    fail "shape-sample" "$SAMPLE does not exist or is not executable (run make)"
    summary
fi
T=$(mktemp -d /tmp/handout-shape-sh-XXXXXX)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
# shellcheck disable=SC2086  # HANDOUT_WRAP is a command line
sample() { timeout "$TMO" $HANDOUT_WRAP "$SAMPLE" "$@"; }

if sample "$T/a.pdf" 2> "$T/a.err" && [ -s "$T/a.pdf" ] && [ ! -s "$T/a.err" ]; then
    ok "shape-sample writes the page of eight scripts"
else
    fail "shape-sample writes the page of eight scripts" "$(head -c 300 "$T/a.err" | one_line)"
    summary
fi

# --- pdffonts
pdffonts "$T/a.pdf" > "$T/fonts" 2> "$T/fonts.err"
tail -n +3 "$T/fonts" > "$T/rows"
n=$(wc -l < "$T/rows")
[ "$n" -eq 8 ] && ok "pdffonts: eight fonts" || fail "pdffonts: eight fonts" "found $n: $(one_line < "$T/fonts")"
want_names="LiberationSans NotoSansArabic-Regular NotoSansDevanagari-Regular NotoSansThai-Regular
NotoSansKhmer-Regular NotoSansMyanmar-Regular NotoSansCJKsc-Regular-Identity-H NotoSansCJKkr-Regular-Identity-H"
i=0
for want in $want_names; do
    i=$((i + 1))
    row=$(sed -n "${i}p" "$T/rows")
    name=${row%% *}
    case $want in *CJK*) type="CID Type 0C" ;; *) type="CID TrueType" ;; esac
    if [[ $name =~ ^[A-Z]{6}\+(.*)$ ]] && [ "${BASH_REMATCH[1]}" = "$want" ] &&
        [[ $row == *"$type "*"Identity-H"*" yes yes yes "* ]]; then
        ok "pdffonts: $want embedded, subset, $type, Identity-H, with ToUnicode"
    else
        fail "pdffonts: $want embedded, subset, $type, Identity-H, with ToUnicode" "row: $row"
    fi
done
tags=$(cut -c1-6 "$T/rows" | sort | uniq | wc -l)
[ "$tags" -eq 8 ] && ok "pdffonts: eight different subset tags" ||
    fail "pdffonts: eight different subset tags" "$(cut -c1-6 "$T/rows" | one_line)"
[ ! -s "$T/fonts.err" ] && ok "pdffonts: no warning" || fail "pdffonts: no warning" "$(one_line < "$T/fonts.err")"

# the same glyph set of a face in another document: the same tag; another glyph set: another
latin_tag=$(grep -E '^[A-Z]{6}\+LiberationSans ' "$T/rows" | cut -c1-6)
sample "$T/b.pdf" Latn 2> /dev/null
sample "$T/c.pdf" "Latn=Call or text, any time." 2> /dev/null
tag_b=$(pdffonts "$T/b.pdf" 2> /dev/null | tail -n +3 | cut -c1-6)
tag_c=$(pdffonts "$T/c.pdf" 2> /dev/null | tail -n +3 | cut -c1-6)
if [ -n "$latin_tag" ] && [ "$tag_b" = "$latin_tag" ] && [ -n "$tag_c" ] && [ "$tag_c" != "$latin_tag" ]; then
    ok "subset tags: the same Latin line alone keeps its tag ($latin_tag), another line gets another ($tag_c)"
else
    fail "subset tags: the same Latin line alone keeps its tag, another line gets another" \
        "page $latin_tag, the same line alone ${tag_b:-none}, another line ${tag_c:-none}"
fi

# --- qpdf
if qpdf --check "$T/a.pdf" > "$T/check" 2>&1 && grep -q "No syntax or stream encoding errors found" "$T/check"; then
    ok "qpdf --check passes"
else
    fail "qpdf --check passes" "$(tail -n 3 "$T/check" | one_line)"
fi
qpdf --qdf --object-streams=disable "$T/a.pdf" "$T/q.pdf" 2> /dev/null
# a bfchar from a glyph to U+0644 U+0627 (lam, alef: logical order)
if grep -a -q -i -E '^<[0-9A-F]{4}> <06440627>$' "$T/q.pdf"; then
    ok "ToUnicode: the lam-alef ligature maps to lam, alef (U+0644 U+0627)"
else
    fail "ToUnicode: the lam-alef ligature maps to lam, alef (U+0644 U+0627)" "no such bfchar in the ToUnicode maps"
fi

# --- pdftotext: each line as drawn, in logical order. The embedding marks poppler puts around a
# right-to-left line (U+202B ... U+202C) are dropped. Arabic: poppler adds the characters of a
# glyph that maps to several (lam-alef) left to right and then reverses the line, so lam-alef
# comes out alef-lam, whatever the PDF says (ActualText alike; pdf.js gets it right); see
# tests/unit_shape.c.
pdftotext "$T/a.pdf" - 2> "$T/text.err" | LC_ALL=C sed -e 's/\xe2\x80[\xaa-\xae]//g' -e 's/[[:space:]]*$//' |
    grep -v '^$' > "$T/text"
sample --lines > "$T/lines"
i=0
while IFS=$'\t' read -r script _font _index text; do
    i=$((i + 1))
    want=$text
    [ "$script" = Arab ] && want=$(printf '%s' "$text" | sed 's/لا/ال/g')
    got=$(sed -n "${i}p" "$T/text")
    if [ "$got" = "$want" ]; then
        ok "pdftotext: the $script line in logical order"
    else
        fail "pdftotext: the $script line in logical order" "got \"$got\", expected \"$want\""
    fi
done < "$T/lines"
[ ! -s "$T/text.err" ] && ok "pdftotext: no warning" || fail "pdftotext: no warning" "$(one_line < "$T/text.err")"

# --- pdftoppm
if pdftoppm -r 150 -png "$T/a.pdf" "$T/page" 2> "$T/ppm.err" && [ -s "$T/page-1.png" ] && [ ! -s "$T/ppm.err" ]; then
    ok "pdftoppm renders the page at 150 dpi without a warning"
else
    fail "pdftoppm renders the page at 150 dpi without a warning" "$(one_line < "$T/ppm.err")"
fi

# --- the same bytes
sample "$T/a2.pdf" 2> /dev/null
if cmp -s "$T/a.pdf" "$T/a2.pdf"; then
    ok "the same input gives the same bytes (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
else
    fail "the same input gives the same bytes" "$(cmp "$T/a.pdf" "$T/a2.pdf" 2>&1 | one_line)"
fi

summary
