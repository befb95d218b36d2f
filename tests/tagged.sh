#!/usr/bin/env bash
# tests/tagged.sh -- tagged PDF (src/tags.c; ISO 32000-1 14.7-14.8, aiming at PDF/UA-1), checked
# with tools that are not the code under test, against the layouts and content files:
#   pdfinfo    "Tagged: yes"; -struct-text: the structure with its text, compared with the
#              content: the title (content.ini) as H1, the Markdown files' headings (their '#'
#              lines) as H1..H6 in order, their list items ('- ' lines) as LBody, the text
#              elements of one {field} in the layout's order, every word pdftotext finds inside
#              some element; a section per card on a sheet, its front and back together;
#   qpdf       --check clean; the catalog (--show-object) with /Lang of content.ini's language,
#              /MarkInfo << /Marked true >>, /ViewerPreferences << /DisplayDocTitle true >>; the
#              uncompressed file (--qdf) for each QR code's /Alt (the texts of issue 14), /Lang
#              of elements with lang = es / vi, a Span with its /Lang for each {field@lang}
#              run inside a paragraph (on the element and in the content stream), and
#              /StructParents on every page;
#   jq         on qpdf --json: every marked content an element refers to (an MCID in its /K on
#              its /Pg, or an MCR) has that element at its place in the ParentTree (the page's
#              /StructParents, then the MCID): tests/tagged-parents.jq;
#   cmp        the same input with SOURCE_DATE_EPOCH gives the same bytes.
# What PDF/UA-1 asks that is not checked here (no veraPDF in Debian): see docs/accessibility.md.
set -u
. "$(dirname "$0")/lib.sh"
need_tools pdfinfo pdftotext qpdf cmp jq python3
need_handout
cd "$ROOT" || exit 2
T=$(mktemp -d /tmp/handout-tagged-sh-XXXXXX)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000

# field DIR KEY -> the value of KEY in DIR/content.ini
field() { awk -v k="$2" -F' *= *' '$1 == k { sub(/^[^=]*= */, ""); print; exit }' "$1/content.ini"; }
# struct PDF -> "ROLE<TAB>TEXT" per element with text, from pdfinfo -struct-text (document order)
struct() {
    pdfinfo -struct-text "$1" 2>/dev/null | awk '
        /^ *"/ { t = $0; sub(/^ *"/, "", t); sub(/"$/, "", t); print role "\t" t; next }
        { r = $1; role = r }'
}
# catalog PDF -> the document catalog as qpdf shows it
catalog() {
    local root
    root=$(qpdf --show-object=trailer "$1" 2>/dev/null | sed -n 's|.*/Root \([0-9]*\) 0 R.*|\1|p')
    qpdf --show-object="${root:-0}" "$1" 2>/dev/null
}
# md_headings FILE... -> "H<level><TAB>text" for each '#' line
md_headings() { awk '/^#+ / { n = index($0, " "); print "H" (n - 1) "\t" substr($0, n + 1) }' "$@"; }
# layout_md LAYOUT -> the Markdown files of its markdown elements, in file order
layout_md() { awk -F' *= *' '/^\[/ { md = 0 } /^type *= *markdown/ { md = 1 } md && $1 == "file" { print $2 }' "$1"; }
# layout_bboxes QDF -> "llx lly urx ury" of each structure element's /A << /BBox >> (%.2f each)
layout_bboxes() {
    awk '/^  \/A <<$/ { inA = 1; n = 0; b = ""; next }
         inA && /^  >>$/ { inA = 0; if (n == 4) print b; next }
         inA && /^      [-0-9.]+$/ { b = b (n ? " " : "") sprintf("%.2f", $1); n++ }' "$1"
}
# pt VALUE -> the layout length VALUE (pt, in, mm) in points
pt() { awk -v v="$1" 'BEGIN { u = v; sub(/^[-0-9.]+/, "", u); n = v + 0
    printf "%.4f\n", u == "in" ? n * 72 : u == "mm" ? n * 72 / 25.4 : n }'; }

# ---- the Letter flyer, English ----
F=$T/flyer.pdf
C=content/en
if handout build layouts/flyer.ini "$C" -o "$F" > "$T/f.out" 2> "$T/f.err"; then
    ok "tagged: build the Letter flyer"
else
    fail "tagged: build the Letter flyer" "$(cat "$T/f.err")"
fi
tagged=$(pdfinfo "$F" 2>/dev/null | awk '/^Tagged:/ { print $2 }')
[ "$tagged" = yes ] && ok "tagged: pdfinfo says the flyer is tagged" || fail "tagged: pdfinfo Tagged" "expected yes, found '$tagged'"
qpdf --check "$F" > "$T/qc" 2>&1 && ok "tagged: qpdf --check is clean on the flyer" || fail "tagged: qpdf --check" "$(tail -3 "$T/qc")"
struct "$F" > "$T/f.struct"
title=$(field "$C" title)
first=$(head -n 1 "$T/f.struct")
[ "$first" = "$(printf 'H1\t%s' "$title")" ] && ok "tagged: the flyer's structure starts with its title ($title) as H1" ||
    fail "tagged: title as H1" "expected H1 '$title' first, found '$first'"
# the Markdown headings, in the files' order (after the title)
mds=$(layout_md layouts/flyer.ini | sed "s|^|$C/|")
# shellcheck disable=SC2086
md_headings $mds > "$T/want.h"
grep -P '^H[1-6]\t' "$T/f.struct" | tail -n +2 > "$T/got.h"
if [ -s "$T/want.h" ] && cmp -s "$T/want.h" "$T/got.h"; then
    ok "tagged: the flyer's headings are its Markdown headings, levels and order kept ($(wc -l < "$T/want.h"))"
else
    fail "tagged: Markdown headings" "expected $(tr '\n\t' '| ' < "$T/want.h"), found $(tr '\n\t' '| ' < "$T/got.h")"
fi
# the text elements of one {field}, in the layout's order
awk -F' *= *' '/^\[/ { tx = 0 } /^type *= *text/ { tx = 1 } tx && $1 == "text" && $2 ~ /^\{[a-z_]+\}$/ { gsub(/[{}]/, "", $2); print $2 }' \
    layouts/flyer.ini > "$T/fields"
: > "$T/want.t"
while read -r k; do
    v=$(field "$C" "$k")
    case $v in *"{"*|"") ;; *) echo "$v" >> "$T/want.t" ;; esac
done < "$T/fields"
cut -f2 "$T/f.struct" > "$T/got.t"
missing=$(awk 'NR == FNR { want[++n] = $0; next } i < n && index($0, want[i + 1]) { i++ } END { for (k = i + 1; k <= n; k++) print want[k] }' "$T/want.t" "$T/got.t")
if [ "$(wc -l < "$T/want.t")" -ge 4 ] && [ -z "$missing" ]; then
    ok "tagged: the flyer's text elements come in the layout's order ($(wc -l < "$T/want.t") checked)"
else
    fail "tagged: reading order of text elements" "not found in order: $missing"
fi
# every word on the page is inside an element
pdftotext "$F" - 2>/dev/null | tr -s '[:space:]' '\n' | sed '/^$/d' | sort -u > "$T/w.page"
cut -f2 "$T/f.struct" | tr -s '[:space:]' '\n' | sed '/^$/d' | sort -u > "$T/w.struct"
untagged=$(comm -23 "$T/w.page" "$T/w.struct" | head -5 | tr '\n' ' ')
[ -s "$T/w.page" ] && [ -z "$untagged" ] && ok "tagged: every word pdftotext finds on the flyer is in the structure ($(wc -l < "$T/w.page") words)" ||
    fail "tagged: untagged words" "found outside the structure: $untagged"
catalog "$F" > "$T/cat"
lang=$(field "$C" language)
grep -q "/Lang ($lang)" "$T/cat" && ok "tagged: the catalog's /Lang is the content's language ($lang)" || fail "tagged: catalog /Lang" "expected ($lang), found: $(cat "$T/cat")"
grep -q '/MarkInfo << /Marked true >>' "$T/cat" && ok "tagged: /MarkInfo << /Marked true >>" || fail "tagged: MarkInfo" "$(cat "$T/cat")"
grep -q '/ViewerPreferences << /DisplayDocTitle true >>' "$T/cat" && ok "tagged: /ViewerPreferences << /DisplayDocTitle true >>" || fail "tagged: DisplayDocTitle" "$(cat "$T/cat")"
ptitle=$(pdfinfo "$F" 2>/dev/null | sed -n 's/^Title: *//p')
[ "$ptitle" = "$title" ] && ok "tagged: the document's title is the content's title" || fail "tagged: Title" "expected '$title', found '$ptitle'"
# PDF/UA-1 identification (ISO 14289-1 5): the XMP packet says part 1 and has dc:title
pdfinfo -meta "$F" > "$T/f.meta" 2>/dev/null
part=$(sed -n 's|.*<pdfuaid:part>\(.*\)</pdfuaid:part>.*|\1|p' "$T/f.meta")
[ "$part" = 1 ] && grep -q 'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"' "$T/f.meta" &&
    ok "tagged: the XMP metadata says PDF/UA-1 (pdfuaid:part 1)" || fail "tagged: pdfuaid:part" "expected 1, found '$part'"
mtitle=$(sed -n 's|.*<dc:title><rdf:Alt><rdf:li xml:lang="x-default">\(.*\)</rdf:li>.*|\1|p' "$T/f.meta")
[ "$mtitle" = "$title" ] && ok "tagged: the XMP dc:title is the content's title" || fail "tagged: dc:title" "expected '$title', found '$mtitle'"
qpdf --qdf --object-streams=disable "$F" "$T/f.qdf" 2>/dev/null
for alt in "QR code: call 1-888-373-7888" "QR code: example.org/donate"; do
    n=$(grep -a -c -F "/Alt ($alt)" "$T/f.qdf")
    [ "$n" = 1 ] && ok "tagged: a Figure with /Alt ($alt)" || fail "tagged: QR alt text" "expected one /Alt ($alt), found $n"
done
# each QR code's Figure has /A << /O /Layout /BBox >>: the layout's x, y and size, turned into
# PDF's bottom-left frame of the Letter page (792 pt high, from pdfinfo) here
ph=$(pdfinfo "$F" 2>/dev/null | awk '/^Page size:/ { print $5 }')
# (the flyer places its codes from other elements: tests/tools/layout_geom.py works their places
# out from the file's own numbers, apart from handout's code)
python3 tests/tools/layout_geom.py layouts/flyer.ini | awk '$2 == "qr" { print $3, $4, $7 }' | while read -r x y sz; do
    awk -v x="$x" -v y="$y" -v s="$sz" -v h="$ph" 'BEGIN { printf "%.2f %.2f %.2f %.2f\n", x, h - y - s, x + s, h - y }'
done | sort > "$T/f.bbox.want"
layout_bboxes "$T/f.qdf" | sort > "$T/f.bbox.got"
[ -s "$T/f.bbox.want" ] && cmp -s "$T/f.bbox.want" "$T/f.bbox.got" && grep -a -q '^    /O /Layout$' "$T/f.qdf" &&
    ok "tagged: each QR code's Figure has /A << /O /Layout /BBox >> at its layout place ($(tr '\n' ';' < "$T/f.bbox.want"))" ||
    fail "tagged: Figure BBox" "expected $(tr '\n' ';' < "$T/f.bbox.want"), found $(tr '\n' ';' < "$T/f.bbox.got")"
nqr=$(grep -c '^type *= *qr' layouts/flyer.ini)
nfig=$(pdfinfo -struct "$F" 2>/dev/null | grep -c '^ *Figure')
[ "$nfig" = "$nqr" ] && ok "tagged: a Figure per QR code of the layout ($nqr)" || fail "tagged: Figures" "expected $nqr, found $nfig"
npages=$(pdfinfo "$F" 2>/dev/null | awk '/^Pages:/ { print $2 }')
nsp=$(grep -a -c '^  /StructParents ' "$T/f.qdf")
[ "$nsp" = "$npages" ] && ok "tagged: every page has /StructParents" || fail "tagged: StructParents" "expected $npages, found $nsp"
grep -a -q '^/Artifact BMC' "$T/f.qdf" && ok "tagged: the band and rules are artifacts" || fail "tagged: artifacts" "no /Artifact BMC in the content"
handout build layouts/flyer.ini "$C" -o "$T/flyer2.pdf" > /dev/null 2>&1
cmp -s "$F" "$T/flyer2.pdf" && ok "tagged: the same input gives the same bytes" || fail "tagged: reproducible" "two builds differ"

# ---- order: a reading order other than the file's (hotline, then title, then the rest) ----
awk '/^\[hotline\]$/ { print; print "order = 1"; next } /^\[title\]$/ { print; print "order = 2"; next } 1' \
    layouts/flyer.ini > "$T/ord.ini"
if handout build "$T/ord.ini" "$C" -o "$T/ord.pdf" > /dev/null 2> "$T/ord.err"; then
    struct "$T/ord.pdf" | head -n 3 > "$T/ord.got"
    printf 'P\t%s\nH1\t%s\nP\t%s\n' "$(field "$C" hotline)" "$title" "$(field "$C" subtitle)" > "$T/ord.want"
    cmp -s "$T/ord.want" "$T/ord.got" && ok "tagged: order = 1 and 2 put the hotline, then the title first; the rest follow in file order" ||
        fail "tagged: order" "expected $(tr '\n\t' '| ' < "$T/ord.want"), found $(tr '\n\t' '| ' < "$T/ord.got")"
    struct "$T/ord.pdf" | sort > "$T/ord.all"
    sort "$T/f.struct" | cmp -s - "$T/ord.all" && ok "tagged: order changes the order alone (the same elements and text)" ||
        fail "tagged: order keeps the elements" "the structure's elements differ from the flyer's"
else
    fail "tagged: build with order" "$(cat "$T/ord.err")"
fi
printf '[page]\nsize = letter\n[t]\ntype = text\nx = 1in\ny = 1in\nwidth = 2in\nheight = 1in\ntext = x\norder = first\n' > "$T/bad-order.ini"
if ! handout build "$T/bad-order.ini" "$C" -o "$T/bad-order.pdf" > /dev/null 2> "$T/bo.err" && grep -q 'layout-bad-number\|\[t\] order: expected' "$T/bo.err"; then
    ok "tagged: order = first is an error naming the key"
else
    fail "tagged: bad order" "$(cat "$T/bo.err")"
fi

# parents PDF NAME -> the parent tree checked against the elements' marked content
parents() {
    local out
    out=$(qpdf --json "$1" 2>/dev/null | jq -r -f tests/tagged-parents.jq 2>&1)
    case $out in
        "checked "[1-9]*) ok "tagged: the parent tree of the $2 names each marked content's element (${out#checked } checked)" ;;
        *) fail "tagged: parent tree of the $2" "$(echo "$out" | head -3 | tr '\n' ' ')" ;;
    esac
}
parents "$F" flyer
[ -s "$T/ord.pdf" ] && parents "$T/ord.pdf" "flyer with order"

# ---- the California notice: three languages on one page ----
N=$T/notice.pdf
if handout build layouts/notice-ca-letter.ini "$C" -o "$N" > "$T/n.out" 2> "$T/n.err"; then
    struct "$N" > "$T/n.struct"
    qpdf --qdf --object-streams=disable "$N" "$T/n.qdf" 2>/dev/null
    for l in es vi; do
        h=$(md_headings "content/$l/notice.md" | head -n 1 | cut -f2)
        t=$(field "content/$l" notice_title)
        if grep -a -q "/Lang ($l)" "$T/n.qdf" && grep -q -F "$t" "$T/n.struct"; then
            ok "tagged: the notice's $l text ($t) is in the structure, in an element with /Lang ($l)"
        else
            fail "tagged: notice $l" "expected /Lang ($l) and '$t' ${h:+/ '$h' }in the structure"
        fi
    done
    # the three notices' paragraphs, in the layout's order
    for l in en es vi; do awk 'NF && !/^#/ { print substr($0, 1, 40); exit }' "content/$l/notice.md"; done > "$T/want.n"
    cut -f2 "$T/n.struct" > "$T/got.n"
    missing=$(awk 'NR == FNR { want[++n] = $0; next } i < n && index($0, want[i + 1]) { i++ } END { for (k = i + 1; k <= n; k++) print want[k] }' "$T/want.n" "$T/got.n")
    [ -z "$missing" ] && ok "tagged: the notice's English, Spanish and Vietnamese text come in that order" || fail "tagged: notice order" "not found in order: $missing"
    grep -q "/Lang (en)" <(catalog "$N") && ok "tagged: the notice's catalog /Lang is en" || fail "tagged: notice /Lang" "$(catalog "$N")"
    # /Lang only where the language changes: the layout's lang = en elements inherit the
    # document's en (the catalog's is the file's one /Lang (en)); each lang = es / vi element
    # of the layout keeps its own
    nen=$(grep -a -c '/Lang (en)' "$T/n.qdf")
    for l in es vi; do
        want=$(grep -c "^lang *= *$l\$" layouts/notice-ca-letter.ini)
        got=$(grep -a -c "/Lang ($l)" "$T/n.qdf")
        [ "$got" = "$want" ] || nen="$nen; $got /Lang ($l) for $want elements"
    done
    [ "$nen" = 1 ] && ok "tagged: /Lang where the language changes only (the catalog's en; one per es and vi element)" ||
        fail "tagged: inherited /Lang" "expected one /Lang (en), found $nen"
else
    fail "tagged: build the notice" "$(cat "$T/n.err")"
fi

# ---- a run in another language inside a paragraph ({field@lang}): a Span with its own /Lang ----
# tests/fixtures/lang-span.ini with content/en: [mixed] is English with {hotline_label@es} inside,
# [same] is {hotline_label@en} (the element's own language: no Span), [spanish] (lang = es) is
# {hotline_label@es} / {hotline_label@en}. Expected: the texts of content/en and content/es; each
# Span's structure element has the /Lang of its run, and so has its marked content in the page
# (/Span <</Lang (..) /MCID n>> BDC), n being the element's /K.
if handout build tests/fixtures/lang-span.ini content/en -o "$T/ls.pdf" > /dev/null 2> "$T/ls.err"; then
    en=$(field content/en hotline_label)
    es=$(field content/es hotline_label)
    hl=$(field content/en hotline)
    printf '%s\n' 'Document' '  P (block)' '    "Call the "' '    Span (inline)' "      \"$es\"" "    \": $hl\"" \
        '  P (block)' "    \"$en\"" '  P (block)' "    \"$es / \"" '    Span (inline)' "      \"$en\"" > "$T/ls.want"
    pdfinfo -struct-text "$T/ls.pdf" 2>/dev/null > "$T/ls.got"
    if cmp -s "$T/ls.want" "$T/ls.got"; then
        ok "tagged: a Spanish field inside an English paragraph, and an English one inside a Spanish paragraph, are Spans of their paragraphs, in reading order ($es)"
    else
        fail "tagged: Span per run in another language" "expected $(tr '\n' '|' < "$T/ls.want"), found $(tr '\n' '|' < "$T/ls.got")"
    fi
    qpdf --qdf --object-streams=disable "$T/ls.pdf" "$T/ls.qdf" 2>/dev/null
    # each Span element as "LANG MCID", and each Span's marked content in the page as the same
    elems=$(awk '/^[0-9]+ 0 obj$/ { k = ""; lang = ""; s = ""; ink = 0 }
        /^  \/K \[$/ { ink = 1; next } ink && /^  \]$/ { ink = 0; next } ink && /^    [0-9]+$/ { k = k $1 }
        /^  \/Lang \(/ { lang = $2; gsub(/[()]/, "", lang) } /^  \/S \/Span$/ { s = 1 }
        /^endobj$/ { if (s) print lang " " k }' "$T/ls.qdf" | sort | tr '\n' ';')
    marks=$(grep -a -o '^/Span <</Lang ([A-Za-z-]*) /MCID [0-9]*>> BDC$' "$T/ls.qdf" |
        sed 's|^/Span <</Lang (\([^)]*\)) /MCID \([0-9]*\)>> BDC$|\1 \2|' | sort | tr '\n' ';')
    if [ "$elems" = "$marks" ] && [ "$(printf '%s' "$elems" | tr ';' '\n' | cut -d' ' -f1 | sort | tr '\n' ' ')" = "en es " ]; then
        ok "tagged: each Span has its run's /Lang, on the structure element and on its marked content ($elems)"
    else
        fail "tagged: Span /Lang" "elements (lang mcid) '$elems', marked content '$marks', expected one en and one es, the same in both"
    fi
else
    fail "tagged: build tests/fixtures/lang-span.ini" "$(cat "$T/ls.err")"
fi

# ---- the same in Markdown: a {field@lang} run in a heading, a paragraph and a list item ----
# tests/fixtures/lang-span-md.ini sets tests/fixtures/lang-span.md with content/en: English text
# holding {card_headline@es}, {hotline_label@es} and {card_subline@es}, and a list item that starts
# with {card_back_title@es}. Expected: the texts of content/es in a Span of the H1, the P and the
# LBody (the last item's LBody holding its Span first, no empty marked content before it), each
# Span's /Lang es on the structure element and on its marked content.
if handout build tests/fixtures/lang-span-md.ini content/en -o "$T/lm.pdf" > /dev/null 2> "$T/lm.err"; then
    h=$(field content/es card_headline)
    es=$(field content/es hotline_label)
    sub=$(field content/es card_subline)
    hl=$(field content/en hotline)
    bt=$(field content/es card_back_title)
    printf '%s\n' 'Document' '  H1 (block)' '    "Help: "' '    Span (inline)' "      \"$h\"" \
        '  P (block)' '    "Call the "' '    Span (inline)' "      \"$es \"" "    \"at $hl.\"" \
        '  L (block)' '    LI (block)' '      Lbl (block)' '        "•"' '      LBody (block)' \
        '        "Ask for help, "' '        Span (inline)' "          \"$sub\"" '        ", any time."' \
        '    LI (block)' '      Lbl (block)' '        "•"' '      LBody (block)' '        Span (inline)' \
        "          \"$bt\"" '        ": read them."' > "$T/lm.want"
    pdfinfo -struct-text "$T/lm.pdf" 2>/dev/null > "$T/lm.got"
    if cmp -s "$T/lm.want" "$T/lm.got"; then
        ok "tagged: Markdown: a Spanish field in an English heading, paragraph and list items is a Span of its H1, P and LBody"
    else
        fail "tagged: Markdown Span per run in another language" "expected $(tr '\n' '|' < "$T/lm.want"), found $(tr '\n' '|' < "$T/lm.got")"
    fi
    qpdf --qdf --object-streams=disable "$T/lm.pdf" "$T/lm.qdf" 2>/dev/null
    elems=$(awk '/^[0-9]+ 0 obj$/ { k = ""; lang = ""; s = ""; ink = 0 }
        /^  \/K \[$/ { ink = 1; next } ink && /^  \]$/ { ink = 0; next } ink && /^    [0-9]+$/ { k = k $1 }
        /^  \/K [0-9]+$/ { k = $2 }
        /^  \/Lang \(/ { lang = $2; gsub(/[()]/, "", lang) } /^  \/S \/Span$/ { s = 1 }
        /^endobj$/ { if (s) print lang " " k }' "$T/lm.qdf" | sort | tr '\n' ';')
    marks=$(grep -a -o '^/Span <</Lang ([A-Za-z-]*) /MCID [0-9]*>> BDC$' "$T/lm.qdf" |
        sed 's|^/Span <</Lang (\([^)]*\)) /MCID \([0-9]*\)>> BDC$|\1 \2|' | sort | tr '\n' ';')
    if [ "$elems" = "$marks" ] && [ "$(printf '%s' "$elems" | tr ';' '\n' | cut -d' ' -f1 | tr '\n' ' ')" = "es es es es " ]; then
        ok "tagged: Markdown: each Span has /Lang es on the structure element and on its marked content ($elems)"
    else
        fail "tagged: Markdown Span /Lang" "elements (lang mcid) '$elems', marked content '$marks', expected four es, the same in both"
    fi
    # set narrow, justified and hyphenated (English patterns), the Spanish runs keep their words
    # whole: every word of the content/es values is a word of pdftotext -layout's text (-layout
    # keeps a hyphen at a line's end, plain pdftotext joins the word again); with the runs'
    # language dropped, "contra" and "confidencial" are broken "con-"
    sed -e 's/^width = 4.5in/width = 1.15in/' -e 's/^size = 11pt/size = 10pt\nhyphenate = yes\nalign = justify/' \
        tests/fixtures/lang-span-md.ini > "$T/lmh.ini"
    if handout build "$T/lmh.ini" content/en -o "$T/lmh.pdf" > /dev/null 2> "$T/lmh.err"; then
        pdftotext -layout "$T/lmh.pdf" - 2>/dev/null | tr -s ' \n' '\n\n' | tr -d ',.:' > "$T/lmh.words"
        broken=""
        for w in $(printf '%s %s %s' "$h" "$es" "$sub" | tr -d ',.:'); do
            grep -q -x -F -- "$w" "$T/lmh.words" || broken="$broken $w"
        done
        [ -z "$broken" ] && ! grep -q -- '-$' "$T/lmh.words" &&
            ok "tagged: Markdown: the Spanish runs of a hyphenated English paragraph keep their words whole" ||
            fail "tagged: Markdown runs hyphenated" "words of content/es not found whole:$broken; lines: $(tr '\n' '|' < "$T/lmh.words")"
    else
        fail "tagged: build the narrow lang-span-md" "$(cat "$T/lmh.err")"
    fi
    # an autolink <{info_url@es}>: CommonMark takes no control character there, so the marks
    # would print it as text ("<https://...>"); the file is set as without marks (its runs untagged)
    printf 'See <{info_url@es}> and {card_headline@es}.\n' > "$T/auto.md"
    sed "s|^file = .*|file = $T/auto.md|" tests/fixtures/lang-span-md.ini > "$T/auto.ini"
    if handout build "$T/auto.ini" content/en -o "$T/auto.pdf" > /dev/null 2> "$T/auto.err"; then
        printf '%s\n' 'Document' '  P (block)' "    \"See $(field content/es info_url) and $h.\"" > "$T/auto.want"
        pdfinfo -struct-text "$T/auto.pdf" 2>/dev/null > "$T/auto.got"
        cmp -s "$T/auto.want" "$T/auto.got" &&
            ok "tagged: Markdown: an autolink of another language's field is a link still (the file set without Spans)" ||
            fail "tagged: Markdown autolink with {field@lang}" "expected $(tr '\n' '|' < "$T/auto.want"), found $(tr '\n' '|' < "$T/auto.got")"
    else
        fail "tagged: build the autolink Markdown" "$(cat "$T/auto.err")"
    fi
else
    fail "tagged: build tests/fixtures/lang-span-md.ini" "$(cat "$T/lm.err")"
fi

# ---- [page] languages: a page per language; its Sect has /Lang only when not the document's ----
if handout build layouts/notice-tx-tabloid.ini "$C" -o "$T/tx.pdf" > /dev/null 2> "$T/tx.err"; then
    qpdf --qdf --object-streams=disable "$T/tx.pdf" "$T/tx.qdf" 2>/dev/null
    langs=$(sed -n 's/^languages *= *//p' layouts/notice-tx-tabloid.ini | tr -d ' ')
    got=""
    for l in ${langs//,/ }; do got="$got$l:$(grep -a -c "/Lang ($l)" "$T/tx.qdf") "; done
    # en: the catalog alone; every other language: its page's Sect
    want=$(for l in ${langs//,/ }; do printf '%s:1 ' "$l"; done)
    [ "$got" = "$want" ] && grep -a -q "/Lang (en)" <(catalog "$T/tx.pdf") &&
        ok "tagged: languages = $langs: one /Lang per language (the catalog's en, the other page's Sect)" ||
        fail "tagged: language pages' /Lang" "expected $want, found $got"
else
    fail "tagged: build the Texas notice" "$(cat "$T/tx.err")"
fi

# ---- wallet cards on a sheet: a section per card, front and back together ----
W=$T/cards.pdf
if handout build layouts/wallet-card-us.ini "$C" --sheet sheets/letter-10up-cards.ini -o "$W" > "$T/w.out" 2> "$T/w.err"; then
    per=10
    pdfinfo -struct-text "$W" 2>/dev/null > "$T/w.struct"
    ns=$(grep -c '^  Sect' "$T/w.struct")
    [ "$ns" = "$per" ] && ok "tagged: a section per card on the sheet ($per)" || fail "tagged: card sections" "expected $per, found $ns"
    # each section: the front's title, then the back's list items (content/en/signs.md)
    sed -n 's/^- //p' "$C/signs.md" > "$T/items"
    bad=$(awk -v title="$(field "$C" card_headline)" 'NR == FNR { item[++n] = $0; next }
        /^  Sect/ { if (s) check(); s++; got = ""; next }
        /^ *"/ { t = $0; sub(/^ *"/, "", t); sub(/"$/, "", t); got = got "\n" t }
        function check(  i, at) { at = index(got, "\n" title); for (i = 1; i <= n; i++) if (!at || index(got, "\n" item[i]) < at) { print s; return } }
        END { if (s) check() }' "$T/items" "$T/w.struct")
    [ -s "$T/items" ] && [ -z "$bad" ] && ok "tagged: each card's section holds its front, then its back's list items" ||
        fail "tagged: card sections' content" "sections $bad lack the front's title before the list items"
    nl=$(grep -c '^ *LBody' "$T/w.struct")
    [ "$nl" = "$((per * $(wc -l < "$T/items")))" ] && ok "tagged: the list of signs as L/LI/LBody on every card ($nl items)" ||
        fail "tagged: list items" "expected $((per * $(wc -l < "$T/items"))), found $nl"
    qpdf --check "$W" > "$T/qc" 2>&1 && ok "tagged: qpdf --check is clean on the sheet" || fail "tagged: qpdf --check sheet" "$(tail -3 "$T/qc")"
    qpdf --qdf --object-streams=disable "$W" "$T/w.qdf" 2>/dev/null
    parents "$W" "card sheet"
    n=$(grep -a -c -F "/Alt (QR code: call 1-888-373-7888)" "$T/w.qdf")
    [ "$n" = "$per" ] && ok "tagged: every card's call code has its alternative text" || fail "tagged: card alt" "expected $per, found $n"
else
    fail "tagged: build the wallet card sheet" "$(cat "$T/w.err")"
fi

# ---- an SMS code's text, and images: alt, or a warning, or for victims an error ----
cat > "$T/sms.ini" <<'EOF'
[page]
size = 3.5in x 2in
margin = 0
title = {title}
[code]
type = qr
x = 10pt
y = 10pt
size = 100pt
sms = 233733
sms_body = HELP
EOF
if handout build "$T/sms.ini" "$C" -o "$T/sms.pdf" > /dev/null 2> "$T/sms.err"; then
    qpdf --qdf --object-streams=disable "$T/sms.pdf" "$T/sms.qdf" 2>/dev/null
    grep -a -q -F "/Alt (QR code: text HELP to 233733)" "$T/sms.qdf" && ok "tagged: an SMS code's /Alt (QR code: text HELP to 233733)" ||
        fail "tagged: SMS alt" "$(grep -a /Alt "$T/sms.qdf")"
else
    fail "tagged: build an SMS code" "$(cat "$T/sms.err")"
fi
LOGO=$ROOT/tests/fixtures/stripes-rgb8.png
# (the partner card's logo has alt = {agency}: the layouts here go without it, or with another)
grep -v '^alt ' layouts/partner-card-us.ini > "$T/p1.ini"
handout build "$T/p1.ini" "$C" --set "logo=$LOGO" -o "$T/p1.pdf" > /dev/null 2> "$T/p1.err"
if grep -q '^handout: warning: .*\[logo\] alt: expected alt' "$T/p1.err" && [ -s "$T/p1.pdf" ]; then
    ok "tagged: an image without alt is a warning for the public"
else
    fail "tagged: image without alt" "expected a warning, found: $(cat "$T/p1.err")"
fi
sed 's/^alt .*/alt      = The logo of the Hope Outreach Ministry/' layouts/partner-card-us.ini > "$T/p2.ini"
handout build "$T/p2.ini" "$C" --set "logo=$LOGO" -o "$T/p2.pdf" > /dev/null 2> "$T/p2.err"
qpdf --qdf --object-streams=disable "$T/p2.pdf" "$T/p2.qdf" 2>/dev/null
if grep -a -q -F "/Alt (The logo of the Hope Outreach Ministry)" "$T/p2.qdf" && ! grep -q '\[logo\] alt' "$T/p2.err"; then
    ok "tagged: an image with alt is a Figure with that /Alt"
else
    fail "tagged: image alt" "$(grep -a /Alt "$T/p2.qdf"; cat "$T/p2.err")"
fi
# (victim codes carry no tracking parameter: the partner's ?src= goes)
sed -e 's/^audience *= *public/audience = victim/' -e 's/?src={code}//' -e '/^alt /d' layouts/partner-card-us.ini > "$T/p3.ini"
handout build "$T/p3.ini" "$C" --set "logo=$LOGO" -o "$T/p3.pdf" > /dev/null 2> "$T/p3.err"
st=$?
if [ "$st" != 0 ] && [ "$(grep -c '^handout: error: ' "$T/p3.err")" = 1 ] && grep -q '^handout: error: .*\[logo\] alt: expected alt' "$T/p3.err" && [ ! -e "$T/p3.pdf" ]; then
    ok "tagged: an image without alt is an error for audience = victim (exit $st)"
else
    fail "tagged: victim image alt" "expected an error, found exit $st: $(cat "$T/p3.err")"
fi

# ---- art drawn once (src/art.c): what is the same on every card of a data merge ----
# tests/fixtures/art.ini with tests/fixtures/art.csv, 12 cards 10-up (two sheets, fronts and
# backs). The oracle of what is the same on every card: the layout file and the CSV's header,
# read here: an element whose text, url, tel, sms, sms_body, payload, file or alt names no column
# of the CSV, no {serial} and no {record_serial} (the fixture's content fields name none either),
# and that is no Markdown element. Each of those is one form XObject, placed once per card
# inside marked content of its own (a structure element, or an artifact); the rest is drawn per
# card. What each card shows is checked on the card itself (pdftotext and zbarimg on its crop),
# its structure with pdfinfo -struct-text.
AL=tests/fixtures/art.ini
AD=tests/fixtures/art.csv
AC=tests/fixtures/content
A=$T/art.pdf
cols=$(head -n 1 "$AD" | tr -d '\r' | tr ',' '|')
# same_sections SIDE -> the layout's sections on SIDE whose drawn values read no record
same_sections() {
    awk -F' *= *' -v cols="$cols" -v want="$1" '
        function flush() { if (name != "" && name != "page" && side == want && !vary && type != "markdown") print name }
        /^\[/ { flush(); name = substr($0, 2, length($0) - 2); side = "front"; vary = 0; type = ""; next }
        $1 == "type" { type = $2 }
        $1 == "side" { side = $2 }
        $1 ~ /^(text|url|tel|sms|sms_body|payload|file|alt)$/ {
            v = $0; sub(/^[^=]*= */, "", v)
            if (v ~ ("[{](" cols "|serial|record_serial)[}:]")) vary = 1
        }
        END { flush() }' "$AL"
}
nfront=$(same_sections front | wc -l)
nback=$(same_sections back | wc -l)
ncards=$(($(wc -l < "$AD") - 1))
if handout build "$AL" "$AC" --data "$AD" --sheet sheets/letter-10up-cards.ini -o "$A" --dump "$T/art.dump" > /dev/null 2> "$T/art.err"; then
    ok "art: build the merge card, $ncards cards ($nfront + $nback elements the same on every card: $(same_sections front | tr '\n' ' ')/ $(same_sections back | tr '\n' ' '))"
else
    fail "art: build the merge card" "$(cat "$T/art.err")"
fi
qpdf --check "$A" > "$T/art.qc" 2>&1 && ok "art: qpdf --check is clean" || fail "art: qpdf --check" "$(tail -3 "$T/art.qc")"
qpdf --qdf --object-streams=disable "$A" "$T/art.qdf" 2>/dev/null
nforms=$(grep -a -c '^  /Subtype /Form$' "$T/art.qdf")
# the Figures' boxes on the sheet (sheets/letter-10up-cards.ini: 2 x 5 cards of 252 x 144 pt,
# margins 0.75in left and 0.5in top, long-edge duplex: a back in the other column): the front's
# hotline code (x 171pt y 36pt size 72pt, placed from its form) and the back's code (x 9pt y 9pt
# size 90pt) of every card, from art.ini, in PDF's frame of the 792 pt page
for ((i = 0; i < ncards; i++)); do
    c=$((i % 2)) r=$((i % 10 / 2))
    awk -v cx=$((54 + c * 252)) -v bx=$((54 + (1 - c) * 252)) -v cy=$((36 + r * 144)) 'BEGIN {
        printf "%.2f %.2f %.2f %.2f\n", cx + 171, 792 - cy - 36 - 72, cx + 171 + 72, 792 - cy - 36
        printf "%.2f %.2f %.2f %.2f\n", bx + 9, 792 - cy - 9 - 90, bx + 9 + 90, 792 - cy - 9 }'
done | sort > "$T/art.bbox.want"
layout_bboxes "$T/art.qdf" | awk '{ w = $3 - $1 } w == 72 || w == 90' | sort > "$T/art.bbox.got"
cmp -s "$T/art.bbox.want" "$T/art.bbox.got" &&
    ok "art: every card's QR code Figures have their BBox on the sheet ($(wc -l < "$T/art.bbox.want") boxes, a shared code's from its placement)" ||
    fail "art: Figure BBox on the sheet" "$(diff "$T/art.bbox.want" "$T/art.bbox.got" | head -6 | tr '\n' ' ')"
[ "$nforms" = $((nfront + nback)) ] && ok "art: one form XObject per element the same on every card ($nforms)" ||
    fail "art: form XObjects" "expected $((nfront + nback)), found $nforms"
# per page: the placements ("Do" in the page's own content) and whether each lies inside marked
# content (BDC or BMC open); the cards of each page from the dump's item lines
awk '/^%% Contents for page / { pg = $5; inside = 1; depth = 0; next }
     inside && /^endstream$/ { inside = 0 }
     inside && / (BDC|BMC)$/ { depth++ }
     inside && /^EMC$/ { depth-- }
     inside && / Do$/ { n[pg]++; if (depth < 1) bare[pg]++ }
     END { for (p in n) print p, n[p], bare[p] + 0 }' "$T/art.qdf" | sort -n > "$T/art.do"
awk -v f="$nfront" -v b="$nback" '/^page / { pg = $2 } /^item / { n[pg] = n[pg] + ($3 == "front" ? f : b) }
     END { for (p in n) print p, n[p], 0 }' "$T/art.dump" | sort -n > "$T/art.want"
if [ -s "$T/art.want" ] && cmp -s "$T/art.want" "$T/art.do"; then
    ok "art: every page places each form once per card, each placement inside marked content ($(tr '\n' ';' < "$T/art.do"))"
else
    fail "art: placements" "expected (page count bare) $(tr '\n' ';' < "$T/art.want"), found $(tr '\n' ';' < "$T/art.do")"
fi
# the structure: a section per card, each with the card's own text and the text drawn once
hot=$(field "$AC" hotline)
pdfinfo -struct-text "$A" 2>/dev/null | awk '
    /^ *Sect/ { if (s != "") print s; s = ""; next }
    /^ *"/ { t = $0; sub(/^ *"/, "", t); sub(/"$/, "", t); if (t != "") s = s "|" t }
    END { if (s != "") print s }' > "$T/art.sects"
awk -F, -v hot="$hot" 'NR > 1 { sub(/\r$/, ""); printf "|Hotline %s|%s|Card No. %04d|Thank you, %s|Calls to the hotline are free\n", hot, $2, NR - 1, $2 }' "$AD" > "$T/art.sects.want"
if cmp -s "$T/art.sects.want" "$T/art.sects"; then
    ok "art: pdfinfo -struct-text gives each of the $ncards sections its card's text, the text drawn once included"
else
    fail "art: structure text" "$(diff "$T/art.sects.want" "$T/art.sects" | head -4 | one_line)"
fi
for alt in "QR code: call $hot" "$(awk -F' *= *' '/^\[logo\]/ { l = 1 } l && $1 == "alt" { print $2; exit }' "$AL")"; do
    n=$(grep -a -c -F "/Alt ($alt)" "$T/art.qdf")
    [ "$n" = "$ncards" ] && ok "art: a Figure with /Alt ($alt) per card ($n), the figure drawn once" ||
        fail "art: figure alt per card" "expected $ncards /Alt ($alt), found $n"
done
parents "$A" "art merge"
# each card on its own: its text (pdftotext) and its codes (zbarimg at 300 dpi) from its crop
bad=""
while read -r pg side item x y w h; do
    txt=$(pdftotext -f "$pg" -l "$pg" -x "$x" -y "$y" -W "$w" -H "$h" -r 72 "$A" - 2>/dev/null | one_line)
    name=$(awk -F, -v i="$item" 'NR == i + 1 { sub(/\r$/, ""); print $2 }' "$AD")
    code=$(awk -F, -v i="$item" 'NR == i + 1 { print $1 }' "$AD")
    if [ "$side" = front ]; then
        want_txt="Hotline $hot"; want_txt2="$(printf 'Card No. %04d' "$item")"; want_qr="tel:+$(echo "$hot" | tr -dc 0-9)"
    else
        want_txt="Thank you, $name"; want_txt2="Calls to the hotline are free"; want_qr="$(field "$AC" donate_url)?id=$code"
    fi
    case "$txt" in *"$want_txt"*"$want_txt2"*|*"$want_txt2"*"$want_txt"*) ;; *) bad="$bad card $item $side text '$txt';" ;; esac
    run pdftoppm -r 300 -gray -f "$pg" -l "$pg" -x $((x * 300 / 72)) -y $((y * 300 / 72)) -W $((w * 300 / 72)) -H $((h * 300 / 72)) -singlefile -png "$A" "$T/art.crop" < /dev/null
    got=$(run zbarimg --raw -q --nodbus "$T/art.crop.png" 2>/dev/null < /dev/null)
    [ "$got" = "$want_qr" ] || bad="$bad card $item $side code '$got' (expected $want_qr);"
done < <(awk '/^page / { pg = $2 } /^item / { printf "%d %s %d %d %d %d %d\n", pg, $3, $2, $5, $7, $9, $11 }' "$T/art.dump")
[ -z "$bad" ] && ok "art: every card's text and code, front and back, found on its own crop ($((ncards * 2)) crops; zbarimg gives exactly each payload)" ||
    fail "art: per card" "$bad"
nf=$(pdffonts "$A" 2>/dev/null | tail -n +3 | wc -l)
nemb=$(pdffonts "$A" 2>/dev/null | tail -n +3 | awk '$(NF - 4) == "yes"' | wc -l)
[ "$nf" -ge 1 ] && [ "$nf" = "$nemb" ] && ok "art: every font embedded ($nf)" || fail "art: fonts embedded" "$nemb of $nf"
handout build "$AL" "$AC" --data "$AD" --sheet sheets/letter-10up-cards.ini -o "$T/art2.pdf" > /dev/null 2>&1
cmp -s "$A" "$T/art2.pdf" && ok "art: the same input gives the same bytes (with --dump and without)" || fail "art: reproducible" "two builds differ"
# one card per content set: nothing is placed twice, no form is made
head -n 2 "$AD" > "$T/art1.csv"
handout build "$AL" "$AC" --data "$T/art1.csv" -o "$T/art1.pdf" > /dev/null 2> "$T/art1.err"
qpdf --qdf --object-streams=disable "$T/art1.pdf" "$T/art1.qdf" 2>/dev/null
n1=$(grep -a -c '^  /Subtype /Form$' "$T/art1.qdf")
[ -s "$T/art1.pdf" ] && [ "$n1" = 0 ] && ok "art: a build of one card makes no form XObject" || fail "art: one card" "found $n1 forms; $(cat "$T/art1.err")"
# split into files (--max-pages): a file of one card makes no form, a file of two makes its own
# forms; -j 2 writes the same bytes as -j 1
nf=""
for mp in 2 4; do
    for j in 1 2; do
        rm -rf "$T/split$mp$j" && mkdir "$T/split$mp$j"
        handout build "$AL" "$AC" --data "$AD" --max-pages "$mp" -j "$j" -o "$T/split$mp$j/c.pdf" > /dev/null 2>&1
    done
    same=yes
    for f in "$T/split${mp}1"/*.pdf; do cmp -s "$f" "$T/split${mp}2/${f##*/}" || same=no; done
    forms=$(for f in "$T/split${mp}1"/*.pdf; do qpdf --qdf --object-streams=disable "$f" - 2>/dev/null | grep -a -c '^  /Subtype /Form$'; done | sort -u | one_line)
    nf="$nf $mp:$(ls "$T/split${mp}1" | wc -l) files, forms $forms, -j 2 same: $same;"
done
[ "$nf" = " 2:12 files, forms 0, -j 2 same: yes; 4:6 files, forms $nforms, -j 2 same: yes;" ] &&
    ok "art: --max-pages 2 (a card per file) makes no form, --max-pages 4 (two per file) $nforms forms per file; -j 2 gives the same bytes" ||
    fail "art: split builds" "$nf"

summary
