#!/usr/bin/env bash
# tests/text.sh -- the text, language, compliance, poster and tiling tests of issue 4, with the real
# PDF tools and the binary's --dump output.
#
# usage: tests/text.sh    (from any folder; it works from the repository root)
#   environment: HANDOUT (default ./handout in the repository), HANDOUT_WRAP (a command such as
#   valgrind put in front of every run of handout)
#
# Each check prints "ok - NAME" or "FAIL - NAME: reason"; lines starting with "#" are notes.
# The last line is "N passed, M failed"; the exit status is non-zero when M > 0.
# Needs poppler-utils (pdfinfo, pdffonts, pdftotext, pdftoppm), qpdf, zbar-tools, od and awk.
# Fixtures: tests/fixtures/text/ (a Korean and an English content set, and layouts for font
# fallback, balanced columns and line breaking).  Broken copies of the real layouts are written to
# a temporary project folder whose content/, data/, profiles/... link to the repository's.
#
#  1. text extraction, Spanish and Vietnamese        7. fit groups equal
#  2. Korean through a fallback font                 8. balanced columns, no widowed heading
#  3. right-to-left and shaped scripts refused       9. total-fit vs greedy line breaking
#  4. compliance profiles, passing and failing      10. hyphenation
#  5. tiles joining at the overlap                  11. known numbers (near misses)
#  6. posters and the scan distance                 12. handout check (layouts and job files)
# 13. composite glyphs, Hindi                        14. fallback by script (fontconfig's choice)
# 17. vertical metrics (stacked accents)        18. tear-off tabs equal, cut lines to the edge
# 19. every code of a tiled poster whole on a tile

set -u
export LC_ALL=C.UTF-8 TZ=UTC
unset SOURCE_DATE_EPOCH

# START_DIR, ROOT, HANDOUT, and ok, fail, note, lap, summary
. "$(dirname "$0")/lib.sh"
suite_takes_no_arguments tests/text.sh "$@"
cd "$ROOT" || exit 2

T=$(mktemp -d "${TMPDIR:-/tmp}/handout-text.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

# ---------------------------------------------------------------------------------------------
# Helpers (the shared ones are in tests/lib.sh)

need_tools qpdf pdfinfo pdffonts pdftotext pdftoppm zbarimg od awk timeout
need_handout

FIX=tests/fixtures/text

# A project folder for edited copies of layouts: a layout's project folder is the folder above
# its own, so copies go in $P/layouts and $P/content, $P/profiles... link to the repository's.
P=$T/proj
mkdir -p "$P/layouts"
for d in content data fonts profiles sheets printers themes; do
    [ -e "$ROOT/$d" ] && ln -s "$ROOT/$d" "$P/$d"
done

# copy_layout SRC DST AWK-PROGRAM -- DST = SRC edited by an awk program that sees the current
#   section (lower case, without brackets) in `sec`; the program prints the lines to keep.
copy_layout() {
    awk -v q='"' '/^[[:space:]]*\[/ { sec = tolower($0); gsub(/[[:space:]\[\]]/, "", sec) } '"$3" "$1" > "$2"
}

# build_ok NAME LAYOUT CONTENT OUT.pdf DUMP [args...] -> ok/fail; stderr in OUT.pdf.err; status
build_ok() {
    local name=$1 layout=$2 content=$3 out=$4 dump=$5 rc; shift 5
    handout build "$layout" "$content" -o "$out" --dump "$dump" "$@" >/dev/null 2>"$out.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        fail "$name" "handout build $layout $content $* exit $rc: $(head -n 3 "$out.err" | one_line)"
    elif [ ! -s "$out" ] || [ ! -s "$dump" ]; then
        fail "$name" "exit 0 but no PDF or no dump"; rc=99
    else
        ok "$name"
    fi
    return $rc
}

# build_fails NAME LAYOUT CONTENT NEEDLES ABSENT [args...] -- the build must exit 1, write no PDF,
#   and its stderr must hold every needle of NEEDLES (separated by "|") and none of ABSENT ("|"
#   separated, may be empty).  stderr is kept in the file LAST_ERR names.
LAST_ERR=""
build_fails() {
    local name=$1 layout=$2 content=$3 needles=$4 absent=$5 rc out err n missing=() found=()
    shift 5
    out=$T/fails.$RANDOM$RANDOM.pdf
    err=$T/fails.$RANDOM$RANDOM.err
    LAST_ERR=$err
    handout build "$layout" "$content" -o "$out" "$@" >/dev/null 2>"$err"
    rc=$?
    IFS='|' read -r -a needles_a <<< "$needles"
    for n in "${needles_a[@]}"; do grep -qF -- "$n" "$err" || missing+=("\"$n\""); done
    if [ -n "$absent" ]; then
        IFS='|' read -r -a absent_a <<< "$absent"
        for n in "${absent_a[@]}"; do ! grep -qF -- "$n" "$err" || found+=("\"$n\""); done
    fi
    if [ $rc -ne 1 ]; then
        fail "$name" "handout build $layout $content $* exit $rc, expected 1: $(head -n 2 "$err" | one_line)"
    elif [ -e "$out" ]; then
        fail "$name" "exit 1 but a PDF was written"
    elif [ ${#missing[@]} -gt 0 ]; then
        fail "$name" "message lacks ${missing[*]}: $(head -n 3 "$err" | one_line)"
    elif [ ${#found[@]} -gt 0 ]; then
        fail "$name" "message should not name ${found[*]}: $(head -n 3 "$err" | one_line)"
    else
        ok "$name"
    fi
}

check_qpdf() { # NAME PDF
    local out rc
    out=$(run qpdf --check "$2" 2>&1); rc=$?
    if [ $rc -ne 0 ]; then fail "$1" "qpdf --check exit $rc: $(echo "$out" | tail -n 2 | one_line)"
    elif echo "$out" | grep -qi 'warning'; then fail "$1" "qpdf --check warns: $(echo "$out" | grep -i warning | head -n 2 | one_line)"
    else ok "$1"; fi
}

# page_sizes PDF -> "WHAT W H" per page: its size, then its TrimBox's, as pdfinfo -box gives them
page_sizes() {
    pdfinfo -box -f 1 -l 9999 "$1" 2>/dev/null | awk '
        /^Page +[0-9]+ size:/ { print "size", $4, $6 }
        /^Page +[0-9]+ TrimBox:/ { print "TrimBox", $6 - $4, $7 - $5 }'
}
check_pages() { # NAME PDF COUNT W H  -- COUNT pages, every one (and its TrimBox) W x H pt (to 0.01 pt)
    local sizes n bad
    sizes=$(page_sizes "$2"); n=$(printf '%s\n' "$sizes" | grep -c '^size')
    bad=$(printf '%s\n' "$sizes" | awk -v w="$4" -v h="$5" '
        function abs(v) { return v < 0 ? -v : v }
        NF && (abs($2 - w) > 0.01 || abs($3 - h) > 0.01) { print $1 " " $2 " x " $3; exit }')
    if [ "$n" -ne "$3" ]; then fail "$1" "pdfinfo shows $n pages, expected $3"
    elif [ "$(printf '%s\n' "$sizes" | grep -c '^TrimBox')" -ne "$3" ]; then fail "$1" "pdfinfo -box shows no TrimBox for every page"
    elif [ -n "$bad" ]; then fail "$1" "pdfinfo -box: $bad pt, expected $4 x $5"
    else ok "$1"; fi
}

# pdf_text PDF [pdftotext options] -> the text, whitespace normalised
pdf_text() { local f=$1; shift; pdftotext -enc UTF-8 "$@" "$f" - 2>/dev/null | one_line; }
# pdf_text_dehyph PDF -> the text with words hyphenated at line ends joined ("ame-\nnazas")
pdf_text_dehyph() { pdftotext -enc UTF-8 "$1" - 2>/dev/null | sed -z 's/-\n//g' | one_line; }

# has_all NAME HAYSTACK WHAT NEEDLE... -- ok when every needle (whitespace normalised) is in HAYSTACK
has_all() {
    local name=$1 hay=$2 what=$3 n missing=(); shift 3
    for n in "$@"; do
        n=$(printf '%s' "$n" | one_line)
        case $hay in *"$n"*) ;; *) missing+=("\"$n\"") ;; esac
    done
    if [ ${#missing[@]} -gt 0 ]; then fail "$name" "$what lacks ${missing[*]}"; else ok "$name"; fi
}

# The --dump format (src/render.c):
#   "page N W H"; "text NAME size S scale X lines N height H badness B";
#   "frag NAME x X baseline Y width W size S font F \"TEXT\""; "qr NAME x X y Y size S version V
#   modules M quiet Q module U runs R [eci 26] payload P" (eci 26: marked as UTF-8); "tile R C of ROWS COLS window X Y W H";
#   "register X Y".  Lines of imposed output ("item ...", "element ...") are ignored here.
# dump_text_value DUMP NAME KEY -> the value of KEY on the "text NAME" line (first page)
dump_text_value() {
    awk -v n="$2" -v k="$3" '$1 == "text" && $2 == n { for (i = 3; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' "$1"
}
# dump_frags DUMP [NAME] -> "PAGE<TAB>NAME<TAB>X<TAB>BASELINE<TAB>WIDTH<TAB>SIZE<TAB>FONT<TAB>TEXT"
dump_frags() {
    awk -v want="${2:-}" '
        $1 == "page" { page++ }
        $1 == "frag" && (want == "" || $2 == want) {
            t = $0; i = index(t, " \""); t = substr(t, i + 2); sub(/"$/, "", t)
            printf "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (page ? page : 1), $2, $4, $6, $8, $10, $12, t
        }' "$1"
}

# pgm_diff A.pgm B.pgm same|flip TOL [X0 X1 [Y0 Y1]] -> "DIFFERING TOTAL": the pixels of A (in
#   columns X0..X1 and rows Y0..Y1, default all) that differ by more than TOL from B's pixel at
#   the same place ("same") or at the mirrored column ("flip": B turned left to right).  Reads the
#   binary PGM (P5) that pdftoppm -gray writes, through od.  "-1 0" when the sizes differ.
pgm_diff() {
    awk -v mode="$3" -v tol="$4" -v x0="${5:-0}" -v x1="${6:--1}" -v y0="${7:-0}" -v y1="${8:--1}" '
        FNR == 1 { f++; tok = 0; cur = ""; hdr = 1; n = 0 }
        {
            for (i = 1; i <= NF; i++) {
                b = $i
                if (hdr) {   # "P5", width, height, maxval, each followed by one white-space byte
                    if (b == 9 || b == 10 || b == 13 || b == 32) {
                        if (cur != "") { H[f, ++tok] = cur; cur = ""; if (tok == 4) hdr = 0 }
                    } else cur = cur sprintf("%c", b)
                    continue
                }
                px[f, n++] = b
            }
        }
        END {
            w = H[1, 2] + 0; h = H[1, 3] + 0
            if (f != 2 || H[2, 2] + 0 != w || H[2, 3] + 0 != h || w == 0) { print "-1 0"; exit }
            if (x1 < 0) x1 = w - 1
            if (y1 < 0) y1 = h - 1
            for (y = y0 + 0; y <= y1 + 0; y++) for (x = x0 + 0; x <= x1 + 0; x++) {
                a = px[1, y * w + x]; c = (mode == "flip") ? px[2, y * w + w - 1 - x] : px[2, y * w + x]
                d = a - c; if (d < 0) d = -d
                if (d > tol) bad++
                tot++
            }
            print bad + 0, tot + 0
        }' <(od -An -v -tu1 "$1") <(od -An -v -tu1 "$2")
}
# pgm_dark PGM -> how many pixels are darker than mid-grey (the header bytes are all above 127)
pgm_dark() { od -An -v -tu1 "$1" | awk '{ for (i = 1; i <= NF; i++) if ($i < 128) n++ } END { print n + 0 }'; }

# render_crop PDF PAGE X Y W H OUT-PREFIX -> OUT-PREFIX.pgm at 72 dpi (1 pixel = 1 pt)
render_crop() {
    run pdftoppm -r 72 -gray -f "$2" -l "$2" -x "$3" -y "$4" -W "$5" -H "$6" -singlefile "$1" "$7" >&2
}

# =============================================================================================
# 1. Text extraction in each language: Spanish and Vietnamese on the Letter flyer.  The words are
#    taken from headings, fields and short words of content/<lang>/ (checked to be there first).

declare -A WORDS
WORDS[es]='¿Qué es la trata sexual?|Prevención|Intervención|Difusión y apoyo|Línea Nacional contra la Trata de Personas|también|niño|señales|policía|Sepa qué es, cómo reconocerla y cómo puede ayudar.'
WORDS[vi]='Buôn người vì mục đích tình dục là gì?|Phòng ngừa|Can thiệp|Lan tỏa|Hãy lên tiếng|những|xảy ra ở đây|Đường dây nóng quốc gia chống buôn người|công việc của chúng tôi|miễn phí'

for lang in es vi; do
    IFS='|' read -r -a words <<< "${WORDS[$lang]}"
    src=$(cat "content/$lang/content.ini" "content/$lang"/*.md | sed 's/\\n/ /g' | one_line)
    absent=()
    for w in "${words[@]}"; do case $src in *"$w"*) ;; *) absent+=("\"$w\"") ;; esac; done
    if [ ${#absent[@]} -gt 0 ]; then
        fail "text $lang: words chosen from content/$lang" "no longer in content/$lang: ${absent[*]} (update tests/text.sh)"
    fi
    pdf=$T/flyer-$lang.pdf
    if build_ok "text $lang: flyer-letter builds" layouts/flyer.ini "content/$lang" "$pdf" "$T/flyer-$lang.dump"; then
        check_qpdf "text $lang: qpdf --check" "$pdf"
        txt=$(pdf_text "$pdf"); dtxt=$(pdf_text_dehyph "$pdf")
        missing=()
        for w in "${words[@]}"; do
            case $txt in *"$w"*) continue ;; esac
            case $dtxt in *"$w"*) continue ;; esac
            missing+=("\"$w\"")
        done
        if [ ${#missing[@]} -gt 0 ]; then fail "text $lang: pdftotext gives back the words with their accents" "missing ${missing[*]}"
        else ok "text $lang: pdftotext gives back the words with their accents (${#words[@]} words)"; fi
    fi
done
# Vietnamese letters beyond Latin-1 (ệ ế ở ữ ạ đ), each in a word of the PDF
if [ -s "$T/flyer-vi.pdf" ]; then
    has_all "text vi: letters ệ ế ở ữ ạ Đ" "$(pdf_text "$T/flyer-vi.pdf")" "pdftotext" \
        "thiệp" "tiếng" "ở mọi" "những" "Nạn buôn" "Đường"
fi

# =============================================================================================
# 2. Korean through a fallback font list (Liberation Sans, NanumGothic)

KO_LAYOUT=$FIX/layouts/ko-fallback.ini
KO=$FIX/content/ko
pdf=$T/ko.pdf
if build_ok "cjk: Korean fixture builds with font = Liberation Sans, NanumGothic" "$KO_LAYOUT" "$KO" "$pdf" "$T/ko.dump"; then
    check_qpdf "cjk: qpdf --check" "$pdf"
    fonts=$(pdffonts "$pdf" 2>&1)
    emb=$(echo "$fonts" | awk '
        /^-+ -+/ { s = 1; for (i = 1; i <= NF; i++) { start[i] = s; len[i] = length($i); s += len[i] + 1 } dash = 1; next }
        dash && NF { e = substr($0, start[4], len[4]); gsub(/ /, "", e); n = $1; sub(/^[A-Z]+\+/, "", n); print n, e }')
    bad=$(echo "$emb" | awk '$2 != "yes"' | one_line)
    if ! echo "$emb" | grep -q '^NanumGothic yes' || ! echo "$emb" | grep -q '^LiberationSans yes'; then
        fail "cjk: pdffonts lists NanumGothic and LiberationSans, embedded" "pdffonts: $(echo "$emb" | one_line)"
    elif [ -n "$bad" ]; then
        fail "cjk: pdffonts lists NanumGothic and LiberationSans, embedded" "not embedded: $bad"
    else
        ok "cjk: pdffonts lists NanumGothic and LiberationSans, embedded"
    fi
    # the exact Korean of the content set, field by field and the Markdown's heading and sentences
    title=$(awk -F' = ' '$1 ~ /^title/ { print $2 }' "$KO/content.ini")
    notice=$(awk -F' = ' '$1 ~ /^notice/ { print $2 }' "$KO/content.ini")
    has_all "cjk: pdftotext returns the Korean exactly" "$(pdf_text "$pdf")" "pdftotext" \
        "$title" "$notice" "도움을 받을 수 있습니다" \
        "누군가 당신에게 일이나 성매매를 강요하고 있다면 1-888-373-7888 번으로 전화하세요." \
        "통화는 무료이며 비밀이 보장되고, 하루 24시간 여러 언어로 도움을 받을 수 있습니다."
    # fragments of one element in two fonts: Hangul and digits/punctuation
    ids=$(dump_frags "$T/ko.dump" notice | cut -f7 | sort -u | one_line)
    hangul_font=$(dump_frags "$T/ko.dump" notice | awk -F'\t' '$8 ~ /강제로/ { print $7; exit }')
    digit_font=$(dump_frags "$T/ko.dump" notice | awk -F'\t' '$8 == "1-888-373-7888" { print $7; exit }')
    if [ "$(echo "$ids" | wc -w)" -ge 2 ] && [ -n "$hangul_font" ] && [ -n "$digit_font" ] && [ "$hangul_font" != "$digit_font" ]; then
        ok "cjk: dump shows [notice] in two fonts (Hangul font $hangul_font, digits font $digit_font)"
    else
        fail "cjk: dump shows [notice] in two fonts" "font ids [$ids], Hangul in [$hangul_font], the number in [$digit_font]"
    fi
fi
# the same without the fallback font and with fontconfig's fallback off (font_fallback = no: with it
# on, Hangul takes the font fontconfig chooses, section 14): an error naming U+XXXX, the element
# and the font tried
copy_layout "$KO_LAYOUT" "$P/layouts/ko-nofallback.ini" '/^font[[:space:]]*=/ { print "font   = Liberation Sans"; print "font_fallback = no"; next } { print }'
first=$(awk -F' = ' '$1 ~ /^title/ { print $2 }' "$KO/content.ini" | cut -c1-3)   # 3 bytes: one Hangul syllable
cp=$(printf '%s' "$first" | iconv -f UTF-8 -t UTF-32BE 2>/dev/null | od -An -tx1 | tr -d ' \n' | sed 's/^0*//' | tr 'a-f' 'A-F')
build_fails "cjk: font = Liberation Sans alone fails naming U+$cp, [title] and the font" \
    "$P/layouts/ko-nofallback.ini" "$KO" "U+$cp|element [title]|\"Liberation Sans Regular\"|has no glyph|font_fallback = no: no other font was tried" "NanumGothic"

# =============================================================================================
# 3. Scripts that are refused: right-to-left scripts not yet tried (Syriac; Arabic and Hebrew are
#    set since issue 12, item 1: section 15) and others not yet tried (Tibetan; Thai, Lao, Khmer
#    and Myanmar are set since issue 12, item 3: section 14), in a --set field and in content.ini.
#    (Devanagari is set since issue 12, step 2: section 13.) Hebrew, which Liberation Sans has,
#    now builds, and pdftotext gives it back in logical order.

build_fails "script: Syriac in --set title fails naming U+0710 and right-to-left" \
    layouts/flyer.ini content/en "U+0710|Syriac|right-to-left|title" "" --set 'title=ܐܠܗܐ'
if build_ok "script: Hebrew in --set title builds (Liberation Sans has it)" layouts/flyer.ini content/en \
    "$T/he.pdf" "$T/he.dump" --set 'title=שלום לכם'; then
    pdftotext -enc UTF-8 "$T/he.pdf" - 2> /dev/null | LC_ALL=C sed 's/\xE2\x80[\xAA-\xAE]//g' | grep -qF 'שלום לכם' &&
        ok "script: pdftotext gives the Hebrew title in logical order" ||
        fail "script: Hebrew in logical order" "$(pdftotext -enc UTF-8 "$T/he.pdf" - 2> /dev/null | head -n 3 | one_line)"
fi
build_fails "script: Tibetan in --set title fails naming U+0F56 and shaping" \
    layouts/flyer.ini content/en "U+0F56|Tibetan|shap" "" --set 'title=བཀྲ'
for spec in "syr|ܐܠܗܐ ܫܠܡ|U+0710|Syriac"; do
    IFS='|' read -r code text cpt script <<< "$spec"
    mkdir -p "$T/content-$code"
    cp "$KO"/*.md "$T/content-$code/"
    awk -v t="$text" '/^title[[:space:]]*=/ { print "title       = " t; next } { print }' "$KO/content.ini" > "$T/content-$code/content.ini"
    line=$(grep -n '^title' "$T/content-$code/content.ini" | cut -d: -f1)
    build_fails "script: $script in content.ini fails naming the file, $cpt and right-to-left" \
        "$KO_LAYOUT" "$T/content-$code" "content.ini:$line|$cpt|$script|right-to-left" ""
done

# =============================================================================================
# 4. Compliance profiles: the three notices pass, with the page size, the smallest type and the
#    hotline the profile demands; deliberately broken copies fail naming the rule and citation.

# min_frag_size DUMP -> the smallest size of the frag lines
min_frag_size() { awk '$1 == "frag" { for (i = 3; i < NF; i++) if ($i == "size") { s = $(i + 1) + 0; if (m == "" || s < m) m = s; break } } END { print m }' "$1"; }

for spec in "ca-letter|1|612|792|16" "tx-tabloid|2|792|1224|16" "ky-cling|1|216|216|10"; do
    IFS='|' read -r n pages w h mintype <<< "$spec"
    pdf=$T/notice-$n.pdf dump=$T/notice-$n.dump
    build_ok "compliance $n: builds" "layouts/notice-$n.ini" content/en "$pdf" "$dump" || continue
    check_pages "compliance $n: $pages page(s) of $w x $h pt, TrimBox too" "$pdf" "$pages" "$w" "$h"
    small=$(min_frag_size "$dump")
    if awk -v s="$small" -v m="$mintype" 'BEGIN { exit !(s != "" && s + 0 >= m - 0.005) }'; then
        ok "compliance $n: smallest type $small pt >= $mintype pt"
    else
        fail "compliance $n: smallest type >= $mintype pt" "the dump's smallest frag is $small pt"
    fi
    check_qpdf "compliance $n: qpdf --check" "$pdf"
done
if [ -s "$T/notice-ca-letter.pdf" ]; then
    has_all "compliance ca-letter: hotline, text number and three languages in pdftotext" \
        "$(pdf_text "$T/notice-ca-letter.pdf")" "pdftotext" "1-888-373-7888" "233-733" \
        "Línea Nacional contra la Trata de Personas" "Đường dây nóng quốc gia"
fi
if [ -s "$T/notice-tx-tabloid.pdf" ]; then
    has_all "compliance tx-tabloid: page 1 English with the hotline" "$(pdf_text "$T/notice-tx-tabloid.pdf" -f 1 -l 1)" \
        "pdftotext -f 1 -l 1" "1-888-373-7888" "National Human Trafficking Hotline"
    has_all "compliance tx-tabloid: page 2 Spanish with the hotline" "$(pdf_text "$T/notice-tx-tabloid.pdf" -f 2 -l 2)" \
        "pdftotext -f 2 -l 2" "1-888-373-7888" "Línea Nacional contra la Trata de Personas"
fi
if [ -s "$T/notice-ky-cling.pdf" ]; then
    # the cling is read from the side it is applied on (issue 13): pdftotext reads the hotline
    has_all "compliance ky-cling: pdftotext holds the hotline and text number, unmirrored" \
        "$(pdf_text "$T/notice-ky-cling.pdf")" "pdftotext" "1-888-373-7888" "233-733"
    # mirroring, a layout's choice for a cling read through the glass: a mirrored copy against the cling
    copy_layout layouts/notice-ky-cling.ini "$P/layouts/ky-mirrored.ini" '
        /^mirror[[:space:]]*=/ { print "mirror      = yes"; next } { print }'
    if build_ok "compliance ky-cling: a mirrored copy builds" "$P/layouts/ky-mirrored.ini" "$P/content/en" "$T/ky-m.pdf" "$T/ky-m.dump"; then
        if cmp -s "$T/ky-m.pdf" "$T/notice-ky-cling.pdf"; then
            fail "compliance ky-cling: the mirrored PDF differs from the unmirrored one" "identical files"
        else
            ok "compliance ky-cling: the mirrored PDF differs from the unmirrored one"
        fi
        has_all "compliance ky-cling: pdftotext of the mirrored copy, each line reversed, holds the hotline" \
            "$(pdftotext -enc UTF-8 "$T/ky-m.pdf" - 2>/dev/null | rev | one_line)" "pdftotext | rev" "1-888-373-7888"
        run pdftoppm -r 72 -gray -singlefile "$T/ky-m.pdf" "$T/ky-m" >&2
        run pdftoppm -r 72 -gray -singlefile "$T/notice-ky-cling.pdf" "$T/ky-p" >&2
        # anti-aliasing differs slightly between a glyph and its mirror image: count only pixels
        # more than 64 grey levels apart, and allow 1 % of them
        read -r flipbad total < <(pgm_diff "$T/ky-m.pgm" "$T/ky-p.pgm" flip 64)
        read -r samebad _ < <(pgm_diff "$T/ky-m.pgm" "$T/ky-p.pgm" same 64)
        if [ "$total" -gt 0 ] && [ "$flipbad" -le $((total / 100)) ] && [ "$samebad" -gt $((total / 100)) ]; then
            ok "compliance ky-cling: the mirrored render equals the cling's turned left to right ($flipbad of $total pixels differ; unturned: $samebad)"
        else
            fail "compliance ky-cling: the mirrored render equals the cling's turned left to right" \
                "$flipbad of $total pixels differ from the turned render (at most $((total / 100)) allowed), $samebad from the unturned one (more expected)"
        fi
    fi
fi

# broken copies
CA=layouts/notice-ca-letter.ini
copy_layout "$CA" "$P/layouts/ca-small-type.ini" '
    sec == "english" && /^size[[:space:]]*=/ { print "size          = 12pt"; next }
    sec == "english" && /^min_size[[:space:]]*=/ { print "min_size      = 12pt"; next } { print }'
build_fails "compliance ca: 12 pt type fails naming rule min_type and the citation" \
    "$P/layouts/ca-small-type.ini" "$P/content/en" "rule min_type|Cal. Civ. Code sec. 52.6|ca-civ-52.6|12 pt|[english]" ""
# a page a little under 8.5 x 11 in, with margins narrowed so that every element still fits
copy_layout "$CA" "$P/layouts/ca-small-page.ini" '
    sec == "page" && /^size[[:space:]]*=/ { print "size        = " q "8.4in x 10.9in" q; next }
    sec == "page" && /^margin[[:space:]]*=/ { print "margin      = 0.2in"; next } { print }'
build_fails "compliance ca: an 8.4 x 10.9 in page fails naming min_width/min_height" \
    "$P/layouts/ca-small-page.ini" "$P/content/en" "rule min_width/min_height|Cal. Civ. Code sec. 52.6|8.5 x 11 in" ""
copy_layout "$CA" "$P/layouts/ca-a5.ini" 'sec == "page" && /^size[[:space:]]*=/ { print "size        = a5"; next } { print }'
build_fails "compliance ca: an A5 page fails" "$P/layouts/ca-a5.ini" "$P/content/en" "inside the page (419.5 x 595.3 pt)" ""
grep -qF "min_width" "$LAST_ERR" 2>/dev/null ||
    note "an A5 copy of $CA fails on its elements leaving the page, without naming the profile's rule min_width/min_height (the compliance check runs only on a laid-out page)"
copy_layout "$CA" "$P/layouts/ca-no-es.ini" '/^[[:space:]]*\[/ { skip = (sec ~ /^spanish/) } !skip { print }'
build_fails "compliance ca: no Spanish blocks fails naming rule languages and es" \
    "$P/layouts/ca-no-es.ini" "$P/content/en" "rule languages|\"es\"|Cal. Civ. Code sec. 52.6" ""
# the Kentucky profile's rules (transparent, sizes) and the mirror rule are tested in tests/laws.sh
copy_layout layouts/notice-tx-tabloid.ini "$P/layouts/tx-en.ini" '/^languages[[:space:]]*=/ { print "languages   = en"; next } { print }'
build_fails "compliance tx: languages = en passes one_language_per_page, fails languages (es)" \
    "$P/layouts/tx-en.ini" "$P/content/en" "rule languages|\"es\"|1 Tex. Admin. Code sec. 54.103" "one_language_per_page"
# and one_language_per_page can fail: a Vietnamese line added to each sheet
copy_layout layouts/notice-tx-tabloid.ini "$P/layouts/tx-mixed.ini" '{ print }
    END { print ""; print "[other_language]"; print "type   = text"; print "x      = 0.5in"; print "y      = 440pt"
          print "width  = 10in"; print "height = 28pt"; print "text   = {notice_title@vi}"; print "size   = 20pt"; print "lang   = vi" }'
build_fails "compliance tx: two languages on a sheet fails naming rule one_language_per_page" \
    "$P/layouts/tx-mixed.ini" "$P/content/en" "rule one_language_per_page|en and vi|1 Tex. Admin. Code sec. 54.103" ""

# =============================================================================================
# 5. Tiles: the Tabloid poster on 2 x 2 Letter sheets, overlapping by 0.5 in (36 pt)

pdf=$T/tiles.pdf dump=$T/tiles.dump
if build_ok "tiles: poster-tabloid --tile letter --overlap 0.5in builds" layouts/poster.ini content/en \
        "$pdf" "$dump" --tile letter --overlap 0.5in; then
    check_pages "tiles: 4 pages of 612 x 792 pt" "$pdf" 4 612 792
    check_qpdf "tiles: qpdf --check" "$pdf"
    # tile lines: "tile R C of ROWS COLS window X Y W H", one per page
    awk '$1 == "page" { p++ } $1 == "tile" { print p, $2, $3, $5, $6, $8, $9, $10, $11 }' "$dump" > "$T/tiles.txt"
    geo=$(awk -v pw=792 -v ph=1224 -v ov=36 '
        function abs(v) { return v < 0 ? -v : v }
        { n++; P[$2, $3] = $1; X[$2, $3] = $6; Y[$2, $3] = $7; W[$2, $3] = $8; H[$2, $3] = $9; R = $4; C = $5 }
        END {
            if (n != 4 || R != 2 || C != 2) { print "expected 4 tiles of 2 x 2, found " n " of " R " x " C; exit }
            minx = miny = 1e9; maxx = maxy = -1e9
            for (r = 1; r <= R; r++) for (c = 1; c <= C; c++) {
                if (!((r, c) in X)) { print "no tile " r " " c; exit }
                if (X[r, c] < minx) minx = X[r, c]; if (Y[r, c] < miny) miny = Y[r, c]
                if (X[r, c] + W[r, c] > maxx) maxx = X[r, c] + W[r, c]; if (Y[r, c] + H[r, c] > maxy) maxy = Y[r, c] + H[r, c]
                if (c > 1 && abs(X[r, c - 1] + W[r, c - 1] - X[r, c] - ov) > 0.01) { print "tiles " r "," c - 1 " and " r "," c " overlap by " X[r, c - 1] + W[r, c - 1] - X[r, c] " pt"; exit }
                if (r > 1 && abs(Y[r - 1, c] + H[r - 1, c] - Y[r, c] - ov) > 0.01) { print "tiles " r - 1 "," c " and " r "," c " overlap by " Y[r - 1, c] + H[r - 1, c] - Y[r, c] " pt"; exit }
                if (c > 1 && abs(Y[r, c] - Y[r, c - 1]) > 0.01) { print "tiles of row " r " not level"; exit }
                if (r > 1 && abs(X[r, c] - X[r - 1, c]) > 0.01) { print "tiles of column " c " not aligned"; exit }
            }
            if (minx > 0.01 || miny > 0.01 || maxx < pw - 0.01 || maxy < ph - 0.01)
                print "windows cover " minx ".." maxx " x " miny ".." maxy ", not the poster " pw " x " ph
        }' "$T/tiles.txt")
    if [ -z "$geo" ]; then ok "tiles: windows cover 792 x 1224 pt, neighbours overlapping by exactly 36 pt"
    else fail "tiles: windows cover the poster, neighbours overlapping by 36 pt" "$geo"; fi

    # registration marks (poster coordinates) on the overlap shared by two neighbours are the same
    marks_in() { # marks_in PAGE X0 X1 Y0 Y1 -> the page's register marks inside that poster rectangle
        awk -v p="$1" -v x0="$2" -v x1="$3" -v y0="$4" -v y1="$5" '
            $1 == "page" { n++ } n == p && $1 == "register" && $2 >= x0 - 0.01 && $2 <= x1 + 0.01 && $3 >= y0 - 0.01 && $3 <= y1 + 0.01 { print $2, $3 }' "$dump" | sort
    }
    read -r _ _ _ _ _ x1 y1 w1 h1 < <(awk '$2 == 1 && $3 == 1' "$T/tiles.txt")
    read -r p2 _ _ _ _ x2 y2 _ _ < <(awk '$2 == 1 && $3 == 2' "$T/tiles.txt")
    read -r p3 _ _ _ _ x3 y3 _ _ < <(awk '$2 == 2 && $3 == 1' "$T/tiles.txt")
    p1=$(awk '$2 == 1 && $3 == 1 { print $1 }' "$T/tiles.txt")
    ox0=$x2; ox1=$(awk -v a="$x1" -v b="$w1" 'BEGIN { print a + b }')     # overlap of tiles (1,1), (1,2)
    oy0=$y3; oy1=$(awk -v a="$y1" -v b="$h1" 'BEGIN { print a + b }')     # overlap of tiles (1,1), (2,1)
    m1=$(marks_in "$p1" "$ox0" "$ox1" "$y2" 99999); m2=$(marks_in "$p2" "$ox0" "$ox1" "$y2" 99999)
    m3=$(marks_in "$p1" "$x3" 99999 "$oy0" "$oy1"); m4=$(marks_in "$p3" "$x3" 99999 "$oy0" "$oy1")
    if [ -n "$m1" ] && [ "$m1" = "$m2" ] && [ -n "$m3" ] && [ "$m3" = "$m4" ]; then
        ok "tiles: neighbours' register marks at the same poster coordinates ($(echo "$m1" | one_line); $(echo "$m3" | one_line))"
    else
        fail "tiles: neighbours' register marks at the same poster coordinates" \
            "across: [$(echo "$m1" | one_line)] vs [$(echo "$m2" | one_line)]; down: [$(echo "$m3" | one_line)] vs [$(echo "$m4" | one_line)]"
    fi

    # the content joins exactly: the overlap strip rendered from each neighbour at 72 dpi (1 px =
    # 1 pt).  A window sits centred on the sheet ((612 - 540) / 2 = 36 pt margin).  The first and
    # last pixel column (row) of a strip touch a tile's frame line and are left out.
    mx=$(awk -v a=612 -v b="$w1" 'BEGIN { printf "%d", (a - b) / 2 }'); my=$(awk -v a=792 -v b="$h1" 'BEGIN { printf "%d", (a - b) / 2 }')
    ow=$(awk -v a="$ox1" -v b="$ox0" 'BEGIN { printf "%d", a - b }'); oh=$(awk -v a="$oy1" -v b="$oy0" 'BEGIN { printf "%d", a - b }')
    sx1=$(awk -v m="$mx" -v a="$ox0" -v b="$x1" 'BEGIN { printf "%d", m + a - b }')
    sy3=$(awk -v m="$my" -v a="$oy0" -v b="$y1" 'BEGIN { printf "%d", m + a - b }')
    wh=$(printf '%.0f' "$h1"); ww=$(printf '%.0f' "$w1")
    render_crop "$pdf" "$p1" "$sx1" "$my" "$ow" "$wh" "$T/strip-a1"     # tile (1,1): its window's rightmost 36 pt
    render_crop "$pdf" "$p2" "$mx" "$my" "$ow" "$wh" "$T/strip-a2"      # tile (1,2): its window's leftmost 36 pt
    render_crop "$pdf" "$p2" $((mx + 3)) "$my" "$ow" "$wh" "$T/strip-a2s"   # 3 pt off: must not match
    render_crop "$pdf" "$p1" "$mx" "$sy3" "$ww" "$oh" "$T/strip-d1"     # tile (1,1): bottom 36 pt
    render_crop "$pdf" "$p3" "$mx" "$my" "$ww" "$oh" "$T/strip-d3"      # tile (2,1): top 36 pt
    read -r bad tot < <(pgm_diff "$T/strip-a1.pgm" "$T/strip-a2.pgm" same 0 1 $((ow - 2)))
    read -r sbad stot < <(pgm_diff "$T/strip-a1.pgm" "$T/strip-a2s.pgm" same 0 1 $((ow - 2)))
    dark=$(pgm_dark "$T/strip-a1.pgm")
    if [ "$tot" -gt 0 ] && [ "$bad" -le $((tot / 100)) ] && [ "$dark" -gt 200 ] && [ "$sbad" -gt $((stot / 100)) ]; then
        ok "tiles: tiles (1,1) and (1,2) show the same pixels in their 36 pt overlap ($bad of $tot differ; $dark dark pixels; 3 pt off: $sbad differ)"
    else
        fail "tiles: tiles (1,1) and (1,2) show the same pixels in their overlap" \
            "$bad of $tot pixels differ (at most 1 % allowed), $dark dark pixels in the strip, $sbad differ when shifted 3 pt (more than 1 % expected)"
    fi
    read -r bad tot < <(pgm_diff "$T/strip-d1.pgm" "$T/strip-d3.pgm" same 0 1 $((ww - 2)) 1 $((oh - 2)))
    dark=$(pgm_dark "$T/strip-d1.pgm")
    if [ "$tot" -gt 0 ] && [ "$bad" -le $((tot / 100)) ] && [ "$dark" -gt 200 ]; then
        ok "tiles: tiles (1,1) and (2,1) show the same pixels in their 36 pt overlap ($bad of $tot differ; $dark dark pixels)"
    else
        fail "tiles: tiles (1,1) and (2,1) show the same pixels in their overlap" "$bad of $tot pixels differ (at most 1 % allowed), $dark dark pixels in the strip"
    fi
    has_all "tiles: page 2 labelled \"row 1, column 2 of 2 x 2\"" "$(pdf_text "$pdf" -f 2 -l 2)" "pdftotext -f 2 -l 2" "row 1, column 2 of 2 x 2"
    has_all "tiles: page 4 labelled \"row 2, column 2 of 2 x 2\"" "$(pdf_text "$pdf" -f 4 -l 4)" "pdftotext -f 4 -l 4" "row 2, column 2 of 2 x 2"
    # the codes land whole on the lower tiles and scan from them
    for spec in "3|tel:+18883737888" "4|https://example.org/help"; do
        IFS='|' read -r pg want <<< "$spec"
        run pdftoppm -r 72 -gray -f "$pg" -l "$pg" -singlefile "$pdf" "$T/tile-$pg" >&2
        got=$(run zbarimg --raw -q --nodbus "$T/tile-$pg.pgm" 2>/dev/null)
        if printf '%s\n' "$got" | grep -qxF -- "$want"; then ok "tiles: page $pg's QR code scans as $want"
        else fail "tiles: page $pg's QR code scans as $want" "zbarimg read [$(printf '%s' "$got" | one_line)]"; fi
    done
fi

# =============================================================================================
# 6. Posters and the scan distance: every QR symbol (without its quiet zone) is at least a tenth
#    of the layout's scan_distance

# distance_pt "0.4m" -> points
distance_pt() {
    awk -v d="$1" 'BEGIN {
        gsub(/[[:space:]"]/, "", d); n = d; sub(/[a-z]+$/, "", n); u = substr(d, length(n) + 1)
        f = u == "m" ? 72 / 0.0254 : u == "cm" ? 72 / 2.54 : u == "mm" ? 72 / 25.4 : u == "ft" ? 864 : u == "in" ? 72 : -1
        print (f < 0 ? -1 : n * f) }'
}
# the poster at each of its sizes ([page] sizes): the scan distance grows with the size, by the
# ratio of the page widths (tests/tools/layout_geom.py works it out from the layout's own numbers)
layout=layouts/poster.ini
for size in $(awk -F= '/^\[/ { s = $0 } s == "[page]" && $1 ~ /^sizes[[:space:]]*$/ { print $2 }' "$layout" | tr ',' '\n' | sed 's/:.*//; s/^ *//; s/ *$//'); do
    n=poster-$size
    pdf=$T/$n.pdf dump=$T/$n.dump
    build_ok "poster $n: builds with content/en" "$layout" content/en "$pdf" "$dump" --size "$size" || continue
    sd=$(awk '/^[[:space:]]*\[/ { s = tolower($0) } s ~ /page/ && /^scan_distance[[:space:]]*=/ { sub(/^[^=]*=[[:space:]]*/, ""); print; exit }' "$layout")
    if [ -z "$sd" ]; then fail "poster $n: states a scan_distance" "none in [page]"; continue; fi
    ratio=$(python3 tests/tools/layout_geom.py "$layout" "$size" | awk '$1 == "page" { print $4 }')
    need=$(awk -v d="$(distance_pt "$sd")" -v r="$ratio" 'BEGIN { print d * r }')
    res=$(awk -v need="$need" '$1 == "qr" {
            for (i = 3; i < NF; i++) { if ($i == "size") s = $(i + 1); if ($i == "modules") m = $(i + 1); if ($i == "quiet") q = $(i + 1) }
            sym = s * m / (m + 2 * q); k++
            if (sym < need / 10 - 0.01) printf "%s symbol %.1f pt < %.1f pt; ", $2, sym, need / 10
            else printf "%s%s %.1f pt", (k > 1 ? ", " : ""), $2, sym > "/dev/stderr"
        } END { if (!k) print "no QR code in the dump" }' "$dump" 2>"$T/$n.sym")
    if [ -z "$res" ]; then ok "poster $n: every QR symbol >= a tenth of $sd ($(awk -v n="$need" 'BEGIN { printf "%.1f", n / 10 }') pt): $(one_line < "$T/$n.sym")"
    else fail "poster $n: every QR symbol >= a tenth of $sd" "$res"; fi
    check_qpdf "poster $n: qpdf --check" "$pdf"
    # render at about 5 pixels per module and scan
    mod=$(awk '$1 == "qr" { for (i = 3; i < NF; i++) if ($i == "module") { v = $(i + 1); if (m == "" || v < m) m = v } } END { print m }' "$dump")
    dpi=$(awk -v m="$mod" 'BEGIN { d = int(360 / m); print (d < 20 ? 20 : d > 150 ? 150 : d) }')
    run pdftoppm -r "$dpi" -gray -singlefile "$pdf" "$T/$n-page" >&2
    got=$(run zbarimg --raw -q --nodbus "$T/$n-page.pgm" 2>/dev/null | sort | one_line)
    want=$(awk '$1 == "qr" { p = index($0, " payload "); print substr($0, p + 9) }' "$dump" | sort | one_line)
    if [ "$got" = "$want" ]; then ok "poster $n: zbarimg reads every code at $dpi dpi ($got)"
    else fail "poster $n: zbarimg reads every code" "read [$got] at $dpi dpi, expected [$want]"; fi
    rm -f "$T/$n-page.pgm"
done
copy_layout layouts/poster.ini "$P/layouts/poster-3m.ini" '/^scan_distance[[:space:]]*=/ { print "scan_distance    = 3m"; next } { print }'
build_fails "poster: scan_distance = 3m fails naming the QR element and a tenth of the scan distance" \
    "$P/layouts/poster-3m.ini" "$P/content/en" "[call_qr] size|a tenth of the scan distance|3.00 m" ""

# =============================================================================================
# 7. Fit groups: [what] and [act] of the flyer share fit_group = body, so one size

FLYER=layouts/flyer.ini
copy_layout "$FLYER" "$P/layouts/flyer-nogroup.ini" '/^fit_group[[:space:]]*=/ { next } { print }'
copy_layout "$FLYER" "$P/layouts/flyer-greedy.ini" '{ print } /^\[act\]/ { print "breaking      = greedy" }'
copy_layout "$FLYER" "$P/layouts/flyer-nohyph.ini" '{ print } /^\[act\]/ { print "hyphenate     = no" }'
[ -s "$T/flyer-es.dump" ] || handout build "$FLYER" content/es -o "$T/flyer-es.pdf" --dump "$T/flyer-es.dump" >/dev/null 2>&1
[ -s "$T/flyer-vi.dump" ] || handout build "$FLYER" content/vi -o "$T/flyer-vi.pdf" --dump "$T/flyer-vi.dump" >/dev/null 2>&1
handout build "$FLYER" content/en -o "$T/flyer-en.pdf" --dump "$T/flyer-en.dump" >/dev/null 2>"$T/flyer-en.err" ||
    fail "flyer en builds" "$(head -n 2 "$T/flyer-en.err" | one_line)"
differ=""
for lang in en es vi; do
    a=$(dump_text_value "$T/flyer-$lang.dump" what size); b=$(dump_text_value "$T/flyer-$lang.dump" act size)
    if [ -n "$a" ] && [ "$a" = "$b" ]; then ok "fit group $lang: [what] and [act] at one size ($a pt)"
    else fail "fit group $lang: [what] and [act] at one size" "what [$a] pt, act [$b] pt"; fi
    handout build "$P/layouts/flyer-nogroup.ini" "content/$lang" -o "$T/nogroup-$lang.pdf" --dump "$T/nogroup-$lang.dump" >/dev/null 2>&1
    a=$(dump_text_value "$T/nogroup-$lang.dump" what size); b=$(dump_text_value "$T/nogroup-$lang.dump" act size)
    [ -n "$a" ] && [ "$a" != "$b" ] && differ+="$lang ($a / $b) "
done
if [ -n "$differ" ]; then ok "fit group: without fit_group the sizes differ for ${differ% }"
else fail "fit group: without fit_group the sizes differ for some content set" "the same sizes for en, es and vi (the check above could not fail)"; fi

# =============================================================================================
# 8. Balanced columns, no widowed heading

COLS=$FIX/layouts/columns.ini
if build_ok "columns: fixture builds" "$COLS" "$FIX/content/en" "$T/columns.pdf" "$T/columns.dump"; then
    # the premise: set in one column, the paragraph and the heading fit the 80 pt box, the next line
    # does not (a line's box ends 0.3 x size below its baseline at line_height 1.2)
    read -r bx by bw bh < <(awk '$1 == "element" && $2 == "columns" { print $5, $7, $9, $11 }' "$T/columns.dump")
    gap=$(awk '/^\[columns\]/ { s = 1 } /^\[reference\]/ { s = 0 } s && /^column_gap/ { print $3 }' "$COLS"); gap=${gap:-18pt}; gap=${gap%pt}
    prem=$(dump_frags "$T/columns.dump" reference | awk -F'\t' -v top="$by" -v h="$bh" '
        $8 == "Where to call" { hb = $4 + 0.3 * $6 - top; found = 1; next }
        found && nb == "" { nb = $4 + 0.3 * $6 - top }
        END { if (!found) print "no heading"; else if (!(hb <= h && nb > h)) printf "heading ends %.1f pt, next line %.1f pt down, box %s pt", hb, nb, h }')
    if [ -z "$prem" ]; then ok "columns: a greedy split of the 80 pt box would end column 1 with the heading"
    else fail "columns: a greedy split of the 80 pt box would end column 1 with the heading" "$prem (fixture no longer proves it)"; fi
    res=$(dump_frags "$T/columns.dump" columns | awk -F'\t' -v x0="$bx" -v w="$bw" -v gap="$gap" -v top="$by" '
        { col = ($3 + 0 >= x0 + (w - gap) / 2 + gap / 2) ? 2 : 1; b = $4 + 0.3 * $6 - top
          if (b > bot[col]) bot[col] = b; n[col]++; last[col] = $8; lastsize[col] = $6
          if ($8 == "Where to call") hcol = col }
        END {
            if (!n[1] || !n[2]) { print "not two columns: " n[1] + 0 " and " n[2] + 0 " lines"; exit }
            if (hcol == "") { print "no heading fragment"; exit }
            if (hcol == 1 && last[1] == "Where to call") { print "the heading is the last line of column 1"; exit }
            d = bot[1] - bot[2]; if (d < 0) d = -d
            if (d > 12 + 0.01) printf "columns end %.1f and %.1f pt down: %.1f pt apart, more than one 12 pt line", bot[1], bot[2], d
            else printf "ok heading in column %d, columns end %.1f and %.1f pt down", hcol, bot[1], bot[2]
        }')
    case $res in
        ok*) ok "columns: heading not at the foot of column 1, columns within one line (${res#ok })" ;;
        *) fail "columns: heading not at the foot of column 1, columns within one line" "$res" ;;
    esac
fi
# the 24 x 36 poster: [what] in two columns
L=layouts/poster.ini
if [ -s "$T/poster-24x36.dump" ]; then
    # the design's gap (pt, at its size), scaled to 24 x 36 in by the ratio of the page widths
    gap=$(awk '/^\[what\]/ { s = 1; next } /^\[/ { s = 0 } s && /^column_gap/ { print $3 }' "$L"); gap=${gap%pt}
    gap=$(awk -v g="$gap" -v r="$(python3 tests/tools/layout_geom.py "$L" 24x36 | awk '$1 == "page" { print $4 }')" 'BEGIN { print g * r }')
    ncol=$(awk '/^\[what\]/ { s = 1; next } /^\[/ { s = 0 } s && /^columns/ { print $3 }' "$L")
    read -r bx bw < <(awk '$1 == "element" && $2 == "what" { print $5, $9 }' "$T/poster-24x36.dump")
    res=$(dump_frags "$T/poster-24x36.dump" what | awk -F'\t' -v x0="$bx" -v w="$bw" -v gap="${gap:-18}" '
        { cw = (w - gap) / 2; if ($3 + 0 < x0 + cw + 0.01 && $3 + $5 <= x0 + cw + 0.05) a++; else if ($3 + 0 >= x0 + cw + gap - 0.01) b++; else o++ }
        END { printf "%d %d %d", a, b, o }')
    read -r a b o <<< "$res"
    if [ "$ncol" = 2 ] && [ "$a" -gt 0 ] && [ "$b" -gt 0 ] && [ "$o" -eq 0 ]; then
        ok "columns: poster-24x36 [what] in two columns ($a and $b fragments)"
    else
        fail "columns: poster-24x36 [what] in two columns" "columns = [$ncol]; $a fragments in column 1, $b in column 2, $o across the gap"
    fi
fi

# =============================================================================================
# 9. Total-fit vs greedy line breaking: badness from the dump

J=$FIX/layouts/justify.ini
if build_ok "breaking: justified fixture builds" "$J" "$FIX/content/en" "$T/justify.pdf" "$T/justify.dump"; then
    g=$(dump_text_value "$T/justify.dump" greedy badness); t=$(dump_text_value "$T/justify.dump" total badness)
    if [ -n "$g" ] && [ -n "$t" ] && awk -v g="$g" -v t="$t" 'BEGIN { exit !(t + 0 <= g + 0) }'; then
        ok "breaking: fixture total-fit badness $t <= greedy $g"
    else
        fail "breaking: fixture total-fit badness <= greedy" "total-fit [$t], greedy [$g]"
    fi
fi
lower=""
for lang in en es vi; do
    handout build "$P/layouts/flyer-greedy.ini" "content/$lang" -o "$T/greedy-$lang.pdf" --dump "$T/greedy-$lang.dump" >/dev/null 2>"$T/greedy-$lang.err"
    g=$(dump_text_value "$T/greedy-$lang.dump" act badness); t=$(dump_text_value "$T/flyer-$lang.dump" act badness)
    if [ -n "$g" ] && [ -n "$t" ] && awk -v g="$g" -v t="$t" 'BEGIN { exit !(t + 0 <= g + 0) }'; then
        ok "breaking $lang: flyer [act] total-fit badness $t <= greedy $g"
        awk -v g="$g" -v t="$t" 'BEGIN { exit !(t + 0 < g + 0) }' && lower+="$lang ($t < $g) "
    else
        fail "breaking $lang: flyer [act] total-fit badness <= greedy" "total-fit [$t], greedy [$g] $(head -n 1 "$T/greedy-$lang.err" | one_line)"
    fi
done
if [ -n "$lower" ]; then ok "breaking: total-fit strictly better for ${lower% }"
else fail "breaking: total-fit strictly better for at least one content set" "equal for en, es and vi"; fi

# =============================================================================================
# 10. Hyphenation: justified Spanish hyphenates; hyphenate = no stops it

hy=$(dump_frags "$T/flyer-es.dump" act | awk -F'\t' '$8 == "-"' | wc -l)
if [ "$hy" -ge 1 ]; then ok "hyphenation es: flyer [act] has $hy \"-\" fragment(s)"
else fail "hyphenation es: flyer [act] has a \"-\" fragment" "none in the dump"; fi
if handout build "$P/layouts/flyer-nohyph.ini" content/es -o "$T/nohyph.pdf" --dump "$T/nohyph.dump" >/dev/null 2>"$T/nohyph.err"; then
    hy=$(dump_frags "$T/nohyph.dump" act | awk -F'\t' '$8 == "-"' | wc -l)
    if [ "$hy" -eq 0 ]; then ok "hyphenation es: hyphenate = no leaves no \"-\" fragment in [act]"
    else fail "hyphenation es: hyphenate = no leaves no \"-\" fragment in [act]" "$hy found"; fi
else
    fail "hyphenation es: hyphenate = no copy builds" "$(head -n 2 "$T/nohyph.err" | one_line)"
fi

# Justified text is hyphenated only where it sets loosely without: where every word space of a
# paragraph stays within 1.5 times its natural width unbroken, its words stay whole (TeX's first
# pass; the dictionary is not read then). Read on paper with pdftotext -bbox-layout: the gaps
# between the words of each line, against the natural space of the same text set flush left.
# gap_stats PDF -> "WIDEST NARROWEST HYPHENS": word gaps in points, and how many lines end in '-'
gap_stats() {
    pdftotext -bbox-layout "$1" - 2>/dev/null | awk '
        /<line / { prev = ""; last = "" }
        /<word / {
            match($0, /xMin="[0-9.]+"/); x0 = substr($0, RSTART + 6, RLENGTH - 7) + 0
            match($0, /xMax="[0-9.]+"/); x1 = substr($0, RSTART + 6, RLENGTH - 7) + 0
            w = $0; sub(/^.*">/, "", w); sub(/<\/word>.*$/, "", w)
            if (prev != "") { g = x0 - prev; if (g > max) max = g; if (min == "" || g < min) min = g }
            prev = x1; last = w
        }
        /<\/line>/ { if (last ~ /-$/) hy++ }
        END { if (min == "") print "none none 0"; else printf "%.3f %.3f %d\n", max, min, hy }'
}
# para_layout OUT ALIGN HYPHENATE WIDTH SIZE LANG TEXT [KEY-LINE...] -> a layout of one text element
para_layout() {
    local out=$1 al=$2 hy=$3 w=$4 sz=$5 lg=$6 tx=$7; shift 7
    printf '%s\n' "[page]" "size = 8.5in x 4in" "margin = 0.25in" "title = {title}" "" "[para]" "type = text" \
        "x = 36pt" "y = 36pt" "width = $w" "height = 2.5in" "size = $sz" "lang = $lg" "align = $al" "hyphenate = $hy" \
        "text = $tx" "$@" > "$out"
}
# ratio WIDEST NATURAL -> WIDEST / NATURAL, or "none"
ratio() { case "$1$2" in *none*) echo none ;; *) awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }' ;; esac; }
mkdir -p "$P/layouts"
# 1. The first paragraph of the Spanish flyer's [act] (content/es/act.md) as the A4 flyer sets it
# (184 mm at 11.75 pt): whole, its widest space stays within 1.5 x, so it has no hyphen (before
# the first pass it broke "apo-ye").
WHOLE="La mayoría de las víctimas sufren explotación por primera vez cuando aún son niños. Acérquese a los jóvenes de su entorno: ofrézcase como voluntario en un programa para después de clases, apoye a los padres que pasan por momentos difíciles o piense en ser familia de acogida. Un niño que se sabe amado de verdad no se deja engañar tan fácilmente por el falso cariño de un tratante."
# 2. A paragraph 2.2 in wide at 11 pt, loose unless hyphenated.
LOOSE="Trafficking investigations require coordination between organizations, communities, and compassionate volunteers everywhere."
for spec in "whole|521.57pt|11.75pt|es|$WHOLE" "loose|2.2in|11pt|en|$LOOSE"; do
    IFS='|' read -r name width size lang text <<< "$spec"
    for v in justify-auto justify-no left-no; do
        # justify_limit = 10: stretched as far as the line needs (the limit has checks of its own below)
        para_layout "$P/layouts/$name-$v.ini" "${v%-*}" "${v#*-}" "$width" "$size" "$lang" "$text" "justify_limit = 10"
        handout build "$P/layouts/$name-$v.ini" "$P/content/en" -o "$T/$name-$v.pdf" >/dev/null 2>"$T/$name-$v.err" ||
            fail "hyphenation: the $name paragraph ($v) builds" "$(head -n 2 "$T/$name-$v.err" | one_line)"
    done
done
read -r _ nat _ <<< "$(gap_stats "$T/whole-left-no.pdf")"
read -r wide _ hy <<< "$(gap_stats "$T/whole-justify-auto.pdf")"
r=$(ratio "$wide" "$nat")
if [ "$hy" = 0 ] && [ "$r" != none ] && awk -v r="$r" 'BEGIN { exit !(r <= 1.5) }'; then
    ok "hyphenation: a paragraph that sets within 1.5 x whole keeps its words whole (widest space $r x natural)"
else fail "hyphenation: a paragraph that sets within 1.5 x whole keeps its words whole" "$hy line(s) end in '-', widest space $r x natural"; fi
read -r _ nat _ <<< "$(gap_stats "$T/loose-left-no.pdf")"
read -r wide _ _ <<< "$(gap_stats "$T/loose-justify-no.pdf")"
r=$(ratio "$wide" "$nat")
if [ "$r" != none ] && awk -v r="$r" 'BEGIN { exit !(r > 1.5) }'; then ok "hyphenation: unhyphenated, the loose paragraph's widest space is $r x natural"
else fail "hyphenation: unhyphenated, the loose paragraph is loose (over 1.5 x natural)" "got $r"; fi
read -r _ _ hy <<< "$(gap_stats "$T/loose-justify-auto.pdf")"
if [ "$hy" -ge 1 ] 2>/dev/null; then ok "hyphenation: the loose paragraph is hyphenated ($hy line(s) end in '-')"
else fail "hyphenation: the loose paragraph is hyphenated" "no line ends in '-'"; fi

# The justification limit (issue 16): no word space stretched past justify_limit (1.5 x by
# default) times its natural width; a line still looser once hyphenated is set ragged. On paper
# (pdftotext -bbox-layout): the loose paragraph's widest gap against the natural gap of the same
# text set flush left, unhyphenated (hyphenate = no: only the ragged fallback can keep it in) and
# hyphenated (auto), and with justify_limit = 2.
read -r _ nat _ <<< "$(gap_stats "$T/loose-left-no.pdf")"
for v in "no|1.5|" "auto|1.5|" "no|2|justify_limit = 2"; do
    IFS='|' read -r hyv lim key <<< "$v"
    para_layout "$P/layouts/limit-$hyv-$lim.ini" justify "$hyv" 2.2in 11pt en "$LOOSE" ${key:+"$key"}
    if handout build "$P/layouts/limit-$hyv-$lim.ini" "$P/content/en" -o "$T/limit-$hyv-$lim.pdf" >/dev/null 2>"$T/limit.err"; then
        read -r wide _ _ <<< "$(gap_stats "$T/limit-$hyv-$lim.pdf")"
        r=$(ratio "$wide" "$nat")
        if [ "$r" != none ] && awk -v r="$r" -v l="$lim" 'BEGIN { exit !(r <= l + 0.02) }'; then
            ok "justify_limit $lim (hyphenate = $hyv): the loose paragraph's widest space is $r x natural"
        else fail "justify_limit $lim (hyphenate = $hyv): widest space within $lim x natural" "got $r"; fi
    else fail "justify_limit $lim (hyphenate = $hyv) builds" "$(head -n 2 "$T/limit.err" | one_line)"; fi
done
# the ragged fallback keeps the text: every word of the paragraph is on paper, in order
got=$(pdftotext "$T/limit-no-1.5.pdf" - 2>/dev/null | tr -s ' \n\f' '   ' | sed 's/ *$//')
if [ "$got" = "$LOOSE" ]; then ok "justify_limit: the ragged lines hold the paragraph's words in order"
else fail "justify_limit: the ragged lines hold the paragraph's words" "got [$got]"; fi
para_layout "$P/layouts/limit-bad.ini" justify no 2.2in 11pt en "$LOOSE" "justify_limit = 0.9"
build_fails "justify_limit: 0.9 is refused" "$P/layouts/limit-bad.ini" "$P/content/en" \
    "justify_limit: expected a number from 1 to 10, found \"0.9\"" ""

# =============================================================================================
# 10b. Balanced titles and widows (issue 16): the poster's title and question (text elements,
# balanced by default) end on a line of more than one word in English, Spanish and Vietnamese
# ("too", "personas", "ở đây", "sex?" stood alone before); a paragraph that is not balanced and
# ends on a lone short word is a warning (text-widow), an error with --strict.

# last_line_words PDF LAST-WORD -> the number of words on the line of PDF that ends with LAST-WORD
last_line_words() {
    pdftotext -bbox-layout "$1" - 2>/dev/null | awk -v last="$2" '
        /<line / { n = 0; w = "" }
        /<word / { n++; w = $0; sub(/^.*">/, "", w); sub(/<\/word>.*$/, "", w) }
        /<\/line>/ { if (w == last) { print n; exit } }'
}
for lang in en es vi; do
    handout build layouts/poster.ini "content/$lang" -o "$T/bal-$lang.pdf" >/dev/null 2>"$T/bal.err" ||
        { fail "balance $lang: the poster builds" "$(head -n 2 "$T/bal.err" | one_line)"; continue; }
    for field in title poster_question; do
        text=$(sed -n "s/^$field *= *//p" "content/$lang/content.ini")
        lastw=${text##* }
        n=$(last_line_words "$T/bal-$lang.pdf" "$lastw")
        if [ -n "$n" ] && [ "$n" -ge 2 ]; then ok "balance $lang: the poster's $field ends on a line of $n words (\"$lastw\" not alone)"
        else fail "balance $lang: the poster's $field ends on a line of more than one word" "the line ending \"$lastw\" holds ${n:-no} word(s)"; fi
    done
done
# balance = no: the English title breaks greedily, its last line "here too" alone under
# "Human trafficking happens" (what the issue saw); balanced, that line holds more words
copy_layout layouts/poster.ini "$P/layouts/poster-nobal.ini" '{ print } sec == "title" && /^type/ { print "balance = no" }'
if handout build "$P/layouts/poster-nobal.ini" "$P/content/en" -o "$T/nobal.pdf" >/dev/null 2>"$T/nobal.err"; then
    n=$(last_line_words "$T/nobal.pdf" too)
    b=$(last_line_words "$T/bal-en.pdf" too)
    if [ "$n" = 2 ] && [ -n "$b" ] && [ "$b" -gt "$n" ]; then ok "balance = no: the title's last line is \"here too\" ($n words); balanced it holds $b"
    else fail "balance = no: the title set greedily ends \"here too\", balanced longer" "greedy ${n:-no} word(s), balanced ${b:-no}"; fi
else fail "balance = no: the poster builds" "$(head -n 2 "$T/nobal.err" | one_line)"; fi
# widows: ragged text that would end on a lone short word is balanced instead (even with
# balance = no), so nothing warns; one the breaking cannot avoid (a first line that one long word
# fills) warns in check and build, and fails check --strict
WIDOW="Call the hotline any hour of the day or night, every day of the year, free of charge."
para_layout "$P/layouts/widow-greedy.ini" left auto 3in 12pt en "$WIDOW" "balance = no"
para_layout "$P/layouts/widow.ini" left auto 1.7in 12pt en "Incomprehensibilities ok."
handout check "$P/layouts/widow.ini" "$P/content/en" >"$T/widow.out" 2>&1; rc=$?
handout check --strict "$P/layouts/widow.ini" "$P/content/en" >"$T/widow-strict.out" 2>&1; rc2=$?
handout check "$P/layouts/widow-greedy.ini" "$P/content/en" >"$T/widow-greedy.out" 2>&1; rc3=$?
handout build "$P/layouts/widow.ini" "$P/content/en" -o "$T/widow.pdf" >/dev/null 2>"$T/widow-build.err"
handout build "$P/layouts/widow-greedy.ini" "$P/content/en" -o "$T/widow-greedy.pdf" >/dev/null 2>&1
lw=$(last_line_words "$T/widow.pdf" ok.)
lb=$(last_line_words "$T/widow-greedy.pdf" charge.)
if [ $rc -eq 0 ] && [ "$lw" = 1 ] && grep -q 'warning: .*widow.ini:[0-9]*: \[para\] text: expected the last line of each paragraph of \[para\] to hold more than one short word, found "ok." alone on it' "$T/widow.out" &&
   grep -q 'found "ok." alone' "$T/widow-build.err" && [ $rc2 -ne 0 ]; then
    ok "widow: \"ok.\" alone on the last line (pdftotext) warns in check and build, fails check --strict (exit $rc2)"
else fail "widow: a lone last word warns" "exit $rc/$rc2, last line $lw word(s): $(head -n 2 "$T/widow.out" | one_line)"; fi
if [ $rc3 -eq 0 ] && ! grep -q widow "$T/widow-greedy.out" && [ -n "$lb" ] && [ "$lb" -ge 2 ]; then
    ok "widow: ragged text that would end on \"charge.\" alone ends on a line of $lb words, and nothing warns"
else fail "widow: avoided in ragged text" "exit $rc3, last line ${lb:-?} word(s): $(head -n 2 "$T/widow-greedy.out" | one_line)"; fi

# =============================================================================================
# 10c. Filling the box (issue 16): fit = grow sets the text at the largest size that fits, up to
# max_size; on paper (pdftotext -bbox) the widest word near the box's width when the width limits
# it, the last line's bottom near the box's bottom when the height does.

# bbox_extent PDF -> "WIDEST-LINE BOTTOM": the widest line's width and the lowest word's yMax
bbox_extent() {
    pdftotext -bbox-layout "$1" - 2>/dev/null | awk '
        /<line / { lx0 = ""; }
        /<word / {
            match($0, /xMin="[0-9.]+"/); x0 = substr($0, RSTART + 6, RLENGTH - 7) + 0
            match($0, /xMax="[0-9.]+"/); x1 = substr($0, RSTART + 6, RLENGTH - 7) + 0
            match($0, /yMax="[0-9.]+"/); y1 = substr($0, RSTART + 6, RLENGTH - 7) + 0
            if (lx0 == "" || x0 < lx0) lx0 = x0
            lx1 = x1; if (y1 > bot) bot = y1
        }
        /<\/line>/ { if (lx1 - lx0 > wide) wide = lx1 - lx0 }
        END { printf "%.2f %.2f\n", wide, bot }'
}
grow_layout() { # OUT TEXT WIDTH HEIGHT FIT [KEY-LINE...]
    local out=$1 tx=$2 w=$3 h=$4 fit=$5; shift 5
    printf '%s\n' "[page]" "size = 8.5in x 11in" "margin = 0.25in" "title = {title}" "" "[grow]" "type = text" \
        "x = 36pt" "y = 36pt" "width = $w" "height = $h" "size = 12pt" "min_size = 8pt" "fit = $fit" "text = $tx" \
        "${@:-max_size = 300pt}" > "$out"
}
# the hotline number (never broken inside) in a 4 in x 3 in box: its width limits it
grow_layout "$P/layouts/grow-w.ini" "1-888-373-7888" 288pt 216pt grow
# five words in a 7 in x 0.75 in box: one line, its height limits it
grow_layout "$P/layouts/grow-h.ini" "Help is one call away" 504pt 54pt both
grow_layout "$P/layouts/grow-none.ini" "Help is one call away" 504pt 54pt shrink
for g in w h none; do
    handout build "$P/layouts/grow-$g.ini" "$P/content/en" -o "$T/grow-$g.pdf" >/dev/null 2>"$T/grow-$g.err" ||
        fail "fit = grow: grow-$g builds" "$(head -n 2 "$T/grow-$g.err" | one_line)"
done
read -r wide _ <<< "$(bbox_extent "$T/grow-w.pdf")"
if awk -v w="$wide" 'BEGIN { exit !(w <= 288.5 && w >= 288 * 0.97) }'; then
    ok "fit = grow: the number fills the box's width ($wide of 288 pt)"
else fail "fit = grow: the number fills the box's width (97 % of 288 pt)" "widest line $wide pt"; fi
read -r wide bot <<< "$(bbox_extent "$T/grow-h.pdf")"
read -r _ bot0 <<< "$(bbox_extent "$T/grow-none.pdf")"
# the box runs from y = 36 to 90 pt; the words' boxes (pdftotext: the font's descent below the
# baseline) end a little above the line's bottom, 1.2 x the size below its top
if awk -v b="$bot" 'BEGIN { exit !(b <= 90.5 && b >= 90 - 0.15 * 54) }' && awk -v b="$bot0" 'BEGIN { exit !(b < 70) }'; then
    ok "fit = both: the line reaches $bot pt, near the box's bottom at 90 pt (at 12 pt: $bot0), $wide pt wide of 504"
else fail "fit = both: the text fills the box's height" "last line's bottom $bot pt (box 36 to 90 pt), at 12 pt $bot0"; fi
grow_layout "$P/layouts/grow-bad.ini" "Help" 504pt 54pt grow "max_size = 10pt"
build_fails "fit = grow: max_size under size is refused" "$P/layouts/grow-bad.ini" "$P/content/en" \
    "max_size: expected a size from the element's size up to 1000pt, found \"10pt\"" ""

# =============================================================================================
# 11. Known numbers: a number one keystroke from the hotline or the text line is an error

build_fails "known numbers: hotline 1-888-373-7887 fails" "$FLYER" content/en \
    "National Human Trafficking Hotline|1-888-373-7888|\"1-888-373-7887\"|one keystroke away|[hotline] text" "" --set hotline=1-888-373-7887
build_fails "known numbers: text line 233773 fails" "$FLYER" content/en \
    "National Human Trafficking Hotline text line|233733|\"233773\"|one keystroke away|[textline] text" "" --set 'textline_label=Text HELP to 233773'
build_ok "known numbers: the correct numbers pass" "$FLYER" content/en "$T/known.pdf" "$T/known.dump" \
    --set hotline=1-888-373-7888 --set 'textline_label=Text HELP to 233733'

# =============================================================================================
# 12. handout check

handout check layouts/*.ini > "$T/check.out" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q ': 0 with errors' "$T/check.out"; then ok "check: handout check layouts/*.ini exits 0 with 0 with errors"
else fail "check: handout check layouts/*.ini exits 0 with 0 with errors" "exit $rc: $(tail -n 2 "$T/check.out" | one_line)"; fi
# a project with every layout, the flyer's footer at 5 pt.  Checked with all the layouts (so that no
# field is unused) and one content set; first the unchanged copy, strictly, as the control.
C=$T/chk
mkdir -p "$C/layouts"
for d in content data fonts profiles sheets printers themes; do [ -e "$ROOT/$d" ] && ln -s "$ROOT/$d" "$C/$d"; done
cp layouts/*.ini "$C/layouts/"
# a layout that reads a draft translation itself (Louisiana's notice, its French) warns that it is
# a draft by design: left out of the strict control
draft_langs=$(grep -l '^status *= *draft' content/*/content.ini | sed 's|content/\([^/]*\)/content.ini|\1|' | paste -sd'|')
reads_draft() { [ -n "$draft_langs" ] && grep -Eq "\.\./($draft_langs)/|@($draft_langs)\}" "$1"; }
for f in "$C"/layouts/*.ini; do if reads_draft "$f"; then rm -f "$f"; fi; done
handout check --strict "$C"/layouts/*.ini --content "$C/content/en" > "$T/chk0.out" 2>&1; rc=$?
if [ $rc -eq 0 ]; then ok "check: unchanged copy of the layouts passes --strict (control)"
else fail "check: unchanged copy of the layouts passes --strict (control)" "exit $rc: $(grep -m 2 -e warning -e error "$T/chk0.out" | one_line)"; fi
copy_layout "$FLYER" "$C/layouts/flyer.ini" '
    sec == "footer" && /^size[[:space:]]*=/ { print "size     = 5pt"; next }
    sec == "footer" && /^min_size[[:space:]]*=/ { print "min_size = 5pt"; next } { print }'
handout check "$C"/layouts/*.ini --content "$C/content/en" > "$T/chk1.out" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q 'warning: .*flyer.ini:[0-9]*: \[footer\].*under 6 pt' "$T/chk1.out" && grep -q ': 0 with errors' "$T/chk1.out"; then
    ok "check: a 5 pt footer warns \"under 6 pt\", exit 0"
else
    fail "check: a 5 pt footer warns \"under 6 pt\", exit 0" "exit $rc: $(grep -m 2 -e warning -e error -e checked "$T/chk1.out" | one_line)"
fi
handout check --strict "$C"/layouts/*.ini --content "$C/content/en" > "$T/chk2.out" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q 'under 6 pt' "$T/chk2.out"; then ok "check: a 5 pt footer with --strict exits 1"
else fail "check: a 5 pt footer with --strict exits 1" "exit $rc: $(tail -n 1 "$T/chk2.out" | one_line)"; fi

# handout check on job files: each item as the batch would build it, its findings headed by the
# job file and the item.  First the project's own jobs, alone and mixed with a layout.
njobs=$(ls jobs/*.ini | wc -l)
nitems=$(cat jobs/*.ini | grep -c -E '^\['); nitems=$((nitems - njobs))   # every section but [job]
handout check --strict jobs/*.ini > "$T/chkjobs.out" 2>&1; rc=$?
want="handout: checked $nitems items of $njobs job files: 0 with errors, 0 warnings"
if [ $rc -eq 0 ] && [ "$(tail -n 1 "$T/chkjobs.out")" = "$want" ] && [ "$(wc -l < "$T/chkjobs.out")" -eq 1 ]; then
    ok "check jobs: the project's jobs pass --strict ($nitems items, no finding)"
else fail "check jobs: the project's jobs pass --strict" "exit $rc: $(head -c 600 "$T/chkjobs.out" | one_line)"; fi
handout check layouts/wallet-card-us.ini jobs/partner-order.ini > "$T/chkmix.out" 2>&1; rc=$?
n=$(grep -c -E '^\[' jobs/partner-order.ini); n=$((n - 1))
if [ $rc -eq 0 ] && tail -n 1 "$T/chkmix.out" | grep -qE "^handout: checked 1 layout x [0-9]+ content sets and $n items of 1 job file: 0 with errors, [0-9]+ warnings\$"; then
    ok "check jobs: a layout and a job file on one command line, each checked as what it is"
else fail "check jobs: a layout and a job file mixed" "exit $rc: $(tail -n 1 "$T/chkmix.out")"; fi

# a job with a set_ value too long for its box, an unknown layout, and a good item
mkdir -p "$C/jobs"
long=$(printf 'Resources and help for anyone who is being forced to work or to trade sex, %.0s' 1 2 3 4)
cat > "$C/jobs/check.ini" <<EOF
[job]
name = Check test
kind = event
date = 2025-03-14
place = Hall

[posters-en]
layout    = poster-tabloid
language  = en
quantity  = 2
set_title = $long

[unknown]
layout   = no-such-layout
language = en
quantity = 1

[good]
layout   = wallet-card-us
language = es
quantity = 12
EOF
handout check "$C/jobs/check.ini" > "$T/chkjob.out" 2>&1; rc=$?
errs=""
[ $rc -eq 1 ] || errs="exit $rc, expected 1;"
grep -qE "^handout: error: $C/jobs/check.ini:7: \[posters-en\]: $C/layouts/poster.ini:[0-9]+: \[title\] text: expected the text to fit its box" "$T/chkjob.out" ||
    errs="$errs no overflow line naming the job file, [posters-en] and the layout's [title];"
grep -qE "^handout: error: $C/jobs/check.ini:14: \[unknown\] layout: expected a layout \(a name in layouts/ or a path\), found \"no-such-layout\"" "$T/chkjob.out" ||
    errs="$errs no line naming [unknown] and its layout;"
! grep -q '\[good\]' "$T/chkjob.out" || errs="$errs a finding for [good];"
[ "$(tail -n 1 "$T/chkjob.out")" = "handout: checked 3 items of 1 job file: 2 with errors, 0 warnings" ] || errs="$errs summary \"$(tail -n 1 "$T/chkjob.out")\";"
if [ -z "$errs" ]; then ok "check jobs: a too-long set_ value and an unknown layout fail, each naming the job file and the item; the good item passes"
else fail "check jobs: broken items" "$errs -- $(head -c 700 "$T/chkjob.out" | one_line)"; fi

# set_<column> replaces a data column in every record, as in a batch: an agency name too long for
# the card fails; the same value for a field that is not a column is not used by the card (control)
cat > "$C/jobs/column.ini" <<EOF
[job]
name = Column test
kind = order
date = 2025-03-14
partner = Coalition

[cards]
layout     = partner-card-us
language   = en
quantity   = 30
set_agency = $long
EOF
sed 's/^set_agency/set_agency_note/' "$C/jobs/column.ini" > "$C/jobs/column-control.ini"
handout check "$C/jobs/column.ini" > "$T/chkcol.out" 2>&1; rc=$?
handout check "$C/jobs/column-control.ini" > "$T/chkcol0.out" 2>&1; rc0=$?
if [ $rc -eq 1 ] && grep -qE "^handout: error: $C/jobs/column.ini:7: \[cards\]: .*partner-card-us.ini:[0-9]+: \[agency\] text: expected the text to fit" "$T/chkcol.out" && [ $rc0 -eq 0 ]; then
    ok "check jobs: set_agency replaces the data column agency in every record (too long: fails; control passes)"
else fail "check jobs: set_<column> replaces the column" "exit $rc and $rc0 (control): $(head -c 500 "$T/chkcol.out" | one_line) / $(head -c 300 "$T/chkcol0.out" | one_line)"; fi

# warnings of an item (the 5 pt footer of the changed flyer above) count with --strict only
printf '[job]\nname = W\nkind = event\ndate = 2025-03-14\nplace = Hall\n\n[flyers]\nlayout = flyer-letter\nlanguage = en\nquantity = 3\n' > "$C/jobs/warn.ini"
handout check "$C/jobs/warn.ini" > "$T/chkw.out" 2>&1; rc=$?
handout check --strict "$C/jobs/warn.ini" > "$T/chkw2.out" 2>&1; rc2=$?
if [ $rc -eq 0 ] && [ $rc2 -eq 1 ] && grep -qE "^handout: warning: $C/jobs/warn.ini:7: \[flyers\]: .*flyer.ini:[0-9]+: \[footer\] .*under 6 pt" "$T/chkw.out"; then
    ok "check jobs: an item's warning is headed by the job and item; exit 0, and 1 with --strict"
else fail "check jobs: an item's warning" "exit $rc and $rc2 (--strict): $(head -c 500 "$T/chkw.out" | one_line)"; fi

# a [job] section that is invalid: the job counts as one failure, the next job is still checked
printf '[job]\nname = X\nkind = meeting\ndate = 2025-03-14\nplace = Hall\n\n[a]\nlayout = flyer-a4\nlanguage = en\nquantity = 1\n' > "$C/jobs/bad-kind.ini"
handout check "$C/jobs/bad-kind.ini" "$C/jobs/column-control.ini" > "$T/chkk.out" 2>&1; rc=$?
if [ $rc -eq 1 ] && grep -q "^handout: error: $C/jobs/bad-kind.ini:3: \[job\] kind: expected event or order, found \"meeting\"" "$T/chkk.out" &&
   [ "$(tail -n 1 "$T/chkk.out")" = "handout: checked 1 item of 2 job files: 1 with errors, 0 warnings" ]; then
    ok "check jobs: an invalid [job] section fails its job; the next job is checked"
else fail "check jobs: an invalid [job] section" "exit $rc: $(head -c 500 "$T/chkk.out" | one_line)"; fi

# check's list of files grows with the command line: 300 are all checked (a fixed list once
# overflowed past 256, then stopped at 250 with a usage error)
mapfile -t many < <(for _ in $(seq 300); do echo tests/fixtures/basic.ini; done)
handout check "${many[@]}" tests/fixtures/content > "$T/chkmany.out" 2>&1; rc=$?
if [ $rc -eq 0 ] && [ "$(tail -n 1 "$T/chkmany.out")" = "handout: checked 300 layouts x 1 content set: 0 with errors, 0 warnings" ]; then
    ok "check: 300 files are all checked (no limit; 300 layouts x 1 content set)"
else fail "check: 300 files" "exit $rc: $(tail -c 300 "$T/chkmany.out" | one_line)"; fi

# --- 13. a Markdown link carried by a QR code (link_file, link) ---------------------------------
F=tests/fixtures/text
if run "$HANDOUT" build $F/layouts/links.ini $F/content/links -o "$T/links.pdf" > "$T/links.err" 2>&1; then
    pdftoppm -r 300 -gray -png "$T/links.pdf" "$T/links" 2>/dev/null
    got=$(zbarimg --raw -q --nodbus "$T"/links-1.png 2>/dev/null | sort | one_line)
    want="https://example.org/Guide?lang=en tel:+18883737888"
    if [ "$got" = "$want" ]; then ok "links: QR codes carry the Markdown's links, case kept ($got)"
    else fail "links: QR codes carry the Markdown's links" "read [$got], expected [$want]"; fi
else
    fail "links: the fixture builds" "$(one_line < "$T/links.err")"
fi
sed 's/^link = 2/link = 3/' $F/layouts/links.ini > "$F/layouts/.links3.ini"
run "$HANDOUT" build "$F/layouts/.links3.ini" $F/content/links -o "$T/links3.pdf" > "$T/links3.err" 2>&1; rc=$?
rm -f "$F/layouts/.links3.ini"
if [ $rc -eq 1 ] && grep -q 'expected link 3 of .*found 2 links' "$T/links3.err" && [ ! -e "$T/links3.pdf" ]; then
    ok "links: a link number past the file's links is an error naming both"
else fail "links: a link number past the file's links is an error" "exit $rc: $(one_line < "$T/links3.err")"; fi

# --- 14. compliance: a rule that demands bold --------------------------------------------------
F=tests/fixtures/text
if run "$HANDOUT" build $F/layouts/bold-notice.ini $F/content/links -o "$T/bold.pdf" > "$T/bold.err" 2>&1 &&
   pdffonts "$T/bold.pdf" 2>/dev/null | grep -q 'LiberationSans-Bold'; then
    ok "compliance: a bold hotline passes a profile's bold rule (and the PDF embeds the bold face)"
else fail "compliance: a bold hotline passes the bold rule" "$(one_line < "$T/bold.err")"; fi
sed 's/^font   = Liberation Sans:bold/font   = Liberation Sans/' $F/layouts/bold-notice.ini > "$F/layouts/.regular.ini"
run "$HANDOUT" build "$F/layouts/.regular.ini" $F/content/links -o "$T/regular.pdf" > "$T/regular.err" 2>&1; rc=$?
rm -f "$F/layouts/.regular.ini"
if [ $rc -eq 1 ] && grep -q 'rule bold: expected "1-888-373-7888" in a bold weight' "$T/regular.err" && [ ! -e "$T/regular.pdf" ]; then
    ok "compliance: the same hotline in a regular weight fails the bold rule, naming it"
else fail "compliance: a regular hotline fails the bold rule" "exit $rc: $(one_line < "$T/regular.err")"; fi

# --- 15. an interrupted run leaves nothing half-written --------------------------------------------
# 10,000 cards, 10-up: 1,000 pages, two files of 500; with -j 2, a build process for each file.
# The processes of one run are found by its output path (pgrep -f), which no other run uses.
awk 'BEGIN { print "url"; for (i = 1; i <= 10000; i++) printf "https://example.org/c/%07d?k=abcdefghijklmnop\n", i }' > "$T/int.csv"
# int_start DIR [ARGS...]: starts the -j 2 build into DIR/cards.pdf (pid in INT_PID; after the
# command INT_WRAP, such as nohup, when set) and waits (at most TMO s) until its two build
# processes run; INT_SEEN is then how many processes it has
int_start() {
    local dir=$1 i
    shift
    mkdir -p "$dir"
    # shellcheck disable=SC2086  # INT_WRAP is a command line: split it
    ${INT_WRAP:-} "$HANDOUT" build tests/bench/card.ini content/en --data "$T/int.csv" -j 2 -o "$dir/cards.pdf" "$@" > /dev/null 2> "$dir.err" &
    INT_PID=$!
    for ((i = 0; i < TMO * 20; i++)); do
        INT_SEEN=$(pgrep -f -- "-o $dir/cards[.]pdf" | wc -l)
        [ "$INT_SEEN" -ge 3 ] && break
        kill -0 "$INT_PID" 2> /dev/null || break
        sleep 0.05
    done
}
# int_left DIR: the processes of that run still there once it has ended, stopped once named (a
# build waits for its build processes before it ends, so there is no grace time)
int_left() {
    local left
    left=$(pgrep -f -- "-o $1/cards[.]pdf" | one_line)
    # shellcheck disable=SC2086  # pids
    [ -z "$left" ] || kill -KILL $left 2> /dev/null
    echo "$left"
}
for sig in INT TERM; do
    int_start "$T/int-$sig"
    kill -"$sig" "$INT_PID" 2> /dev/null
    wait "$INT_PID"; rc=$?
    procs=$(int_left "$T/int-$sig")
    sleep 1 # let anything that was to appear later appear (there should be nothing)
    left=$(ls -A "$T/int-$sig" | one_line)
    if [ "$INT_SEEN" -ge 3 ] && [ -z "$left" ] && [ -z "$procs" ] && [ "$rc" -eq $((128 + $(kill -l "$sig"))) ]; then
        ok "interrupt: SIG$sig during a -j 2 run (exit $rc) leaves no file, no temporary file and no build process"
    else fail "interrupt: SIG$sig during a -j 2 run leaves nothing" "exit $rc, $INT_SEEN processes seen, files left: [$left], processes left: [$procs]"; fi
done
# started under nohup (SIGHUP ignored): a hangup to the build and its build processes passes by
INT_WRAP=nohup int_start "$T/int-nohup" --dump "$T/int-nohup/cards.dump"
# shellcheck disable=SC2046  # pids
kill -HUP $(pgrep -f -- "-o $T/int-nohup/cards[.]pdf") 2> /dev/null
wait "$INT_PID"; rc=$?
files=$(ls -A "$T/int-nohup" | one_line)
pages=$(grep -c '^page ' "$T/int-nohup/cards.dump" 2> /dev/null)
if [ "$INT_SEEN" -ge 3 ] && [ $rc -eq 0 ] && [ "$files" = ".cards.pdf.parts cards-001.pdf cards-002.pdf cards.dump" ] && [ "$pages" = 1000 ]; then
    ok "interrupt: started with SIGHUP ignored (nohup), a -j 2 run given SIGHUP finishes: exit 0, both files, 1000 pages"
else fail "interrupt: a run under nohup ignores SIGHUP" "exit $rc, $INT_SEEN processes seen, files [$files], $pages pages: $(head -c 300 "$T/int-nohup.err" | one_line)"; fi
# a build process that fails: the build ends with the most severe of their statuses and writes
# nothing, its parts all or none (record 1 is no web address: the first file's process fails at
# once, the second's draws its 5,000 cards; an old cards-002.pdf keeps its bytes)
awk 'NR == 2 { print "tel:+18883737888"; next } { print }' "$T/int.csv" > "$T/int-bad.csv"
# bad_start DIR: starts that build into DIR (pid in BAD_PID), DIR holding an old cards-002.pdf
bad_start() {
    mkdir -p "$1"
    echo "old part" > "$1/cards-002.pdf"
    "$HANDOUT" build tests/bench/card.ini content/en --data "$T/int-bad.csv" -j 2 -o "$1/cards.pdf" > /dev/null 2> "$1.err" &
    BAD_PID=$!
}
bad_start "$T/bad-one"
wait "$BAD_PID"; rc=$?
files=$(ls -A "$T/bad-one" | one_line)
if [ $rc -eq 1 ] && [ "$files" = "cards-002.pdf" ] && [ "$(cat "$T/bad-one/cards-002.pdf")" = "old part" ] &&
   grep -q 'found "tel:+18883737888"' "$T/bad-one.err" && grep -q 'a build process failed (status 1)' "$T/bad-one.err"; then
    ok "-j 2: one build process fails on record 1: exit 1, the record named, no file written, the old second part kept"
else fail "-j 2: one build process fails" "exit $rc, files [$files]: $(head -c 400 "$T/bad-one.err" | one_line)"; fi
# the same, the second process killed once the first has failed: internal (4), the more severe
bad_start "$T/bad-two"
kids=""
for ((i = 0; i < TMO * 20; i++)); do
    kids=$(pgrep -P "$BAD_PID" | one_line)
    grep -q 'status 1)' "$T/bad-two.err" 2> /dev/null && [ -n "$kids" ] && break
    kill -0 "$BAD_PID" 2> /dev/null || break
    sleep 0.05
done
# shellcheck disable=SC2086  # pids
[ -n "$kids" ] && kill -KILL $kids 2> /dev/null
wait "$BAD_PID"; rc=$?
files=$(ls -A "$T/bad-two" | one_line)
if [ -n "$kids" ] && [ $rc -eq 4 ] && [ "$files" = "cards-002.pdf" ] && [ "$(cat "$T/bad-two/cards-002.pdf")" = "old part" ] &&
   grep -q 'a build process failed (status 1)' "$T/bad-two.err" && grep -q 'a build process failed (status 4)' "$T/bad-two.err"; then
    ok "-j 2: one build process fails (1), the other is killed (4): exit 4, both reported, no file written"
else fail "-j 2: the most severe status of two failed build processes" "exit $rc, killed [$kids], files [$files]: $(head -c 400 "$T/bad-two.err" | one_line)"; fi

# --- 16. text drawn wrong without a word (issue 18, class 8) -------------------------------------
# What lands on paper, read with pdftotext and pdftoppm (never the --dump): a soft hyphen is a
# place to break, invisible elsewhere; text is set in NFC; U+FEFF and U+2060 print nothing; an
# element that prints nothing is a warning. tests/fixtures/basic.ini sets {title} in [heading]
# and body.md in [body]; the Markdown cases use copies of tests/fixtures/content.
B=tests/fixtures/basic.ini FC=tests/fixtures/content
SHY=$(printf '\302\255') ACUTE=$(printf '\314\201') BOM=$(printf '\357\273\277') WJ=$(printf '\342\201\240')
# md_set NAME TEXT -> a copy of the fixture content set whose body.md is TEXT (printf format)
md_set() { mkdir -p "$T/$1"; cp "$FC/content.ini" "$T/$1/"; printf "$2" > "$T/$1/body.md"; echo "$T/$1"; }
# lacks NAME HAYSTACK WHAT NEEDLE... -- ok when no needle is in HAYSTACK
lacks() {
    local name=$1 hay=$2 what=$3 n found=(); shift 3
    for n in "$@"; do case $hay in *"$n"*) found+=("\"$n\"") ;; esac; done
    if [ ${#found[@]} -gt 0 ]; then fail "$name" "$what holds ${found[*]}: $hay"; else ok "$name"; fi
}

# a soft hyphen mid-line prints nothing: the word reads whole, with no '-' and no U+00AD
if build_ok "soft hyphen: a title with one builds" $B $FC "$T/shy.pdf" "$T/shy.dump" --set "title=Infor${SHY}mation desk"; then
    t=$(pdf_text "$T/shy.pdf")
    has_all "soft hyphen: mid-line it is invisible (pdftotext reads \"Information desk\")" "$t" pdftotext "Information desk"
    lacks "soft hyphen: mid-line no '-' and no U+00AD reach the page" "$t" pdftotext "Infor-" "$SHY"
fi
# where the line breaks at it, the line ends with a hyphen: [heading] 1.6 in wide at 14 pt, no
# shrinking, so "Antitraffickinghotline" (about 130 pt) must break at a soft hyphen to fit
copy_layout $B "$P/layouts/shy-narrow.ini" '
    sec == "heading" && /^width[[:space:]]*=/ { print "width = 1.6in"; next }
    sec == "heading" && /^size[[:space:]]*=/ { print "size = 14pt"; next }
    sec == "heading" && /^(fit|min_size)[[:space:]]*=/ { next } { print }'
if build_ok "soft hyphen: a word too wide for its box breaks at one" "$P/layouts/shy-narrow.ini" $FC "$T/shy2.pdf" "$T/shy2.dump" \
        --set "title=Anti${SHY}trafficking${SHY}hotline now"; then
    l1=$(pdftotext -enc UTF-8 -raw "$T/shy2.pdf" - | sed -n 1p) l2=$(pdftotext -enc UTF-8 -raw "$T/shy2.pdf" - | sed -n 2p)
    case $l1 in
        Anti-|Antitrafficking-)
            if [ "${l1%-}$l2" = "Antitraffickinghotline now" ]; then ok "soft hyphen: the line that breaks there ends with '-' (\"$l1\" / \"$l2\")"
            else fail "soft hyphen: the line that breaks there ends with '-'" "lines \"$l1\" / \"$l2\""; fi ;;
        *) fail "soft hyphen: the line that breaks there ends with '-'" "first line \"$l1\", second \"$l2\"" ;;
    esac
fi
# in Markdown, across a change of style too
S=$(md_set shy-md "Call the **counter**${SHY}trafficking line, or the counter${SHY}trafficking desk.\n")
if build_ok "soft hyphen: Markdown with soft hyphens builds" $B "$S" "$T/shy3.pdf" "$T/shy3.dump"; then
    t=$(pdf_text "$T/shy3.pdf")
    has_all "soft hyphen: in Markdown invisible mid-line, in bold and plain" "$t" pdftotext "Call the countertrafficking line, or the countertrafficking desk."
fi
# known numbers read the number as printed: a soft hyphen does not hide a near miss
build_fails "soft hyphen: a near miss of the hotline with one inside is still an error" "$FLYER" content/en \
    "one keystroke away|1-888-373-7888" "" --set "hotline=1-888-373-78${SHY}87"

# a word whose style changes more than 64 times: every letter is set (the 65th on were measured
# but never drawn)
S=$(md_set many-pieces "$(awk 'BEGIN { printf "i"; for (i = 0; i < 40; i++) printf "**i**l"; print "" }')\n")
if build_ok "many styles: a word of 81 letters in 81 pieces builds" $B "$S" "$T/many.pdf" "$T/many.dump"; then
    want=$(awk 'BEGIN { printf "i"; for (i = 0; i < 40; i++) printf "il"; print "" }')
    has_all "many styles: pdftotext reads all 81 letters" "$(pdf_text "$T/many.pdf")" pdftotext "$want"
fi

# NFC: e + U+0301 is set as U+00E9, on paper (the same pixels as the precomposed letter) and in
# the text layer; in Markdown, e + U+0323 + U+0302 is U+1EC7 (Vietnamese), as UAX #15 composes
if build_ok "nfc: a decomposed accent builds" $B $FC "$T/nfc1.pdf" "$T/nfc1.dump" --set "title=Cafe${ACUTE} para todos"; then
    t=$(pdf_text "$T/nfc1.pdf")
    has_all "nfc: pdftotext reads the precomposed U+00E9" "$t" pdftotext "$(printf 'Caf\303\251 para todos')"
    lacks "nfc: no lone U+0301 in the text layer" "$t" pdftotext "$ACUTE"
    if build_ok "nfc: the precomposed title builds (control)" $B $FC "$T/nfc0.pdf" "$T/nfc0.dump" --set "title=$(printf 'Caf\303\251') para todos"; then
        pdftoppm -gray -r 96 -f 1 -l 1 "$T/nfc0.pdf" "$T/nfc0" && pdftoppm -gray -r 96 -f 1 -l 1 "$T/nfc1.pdf" "$T/nfc1"
        if cmp -s "$T/nfc0-1.pgm" "$T/nfc1-1.pgm"; then ok "nfc: the page is pixel for pixel the page of the precomposed letter"
        else fail "nfc: the page is pixel for pixel the page of the precomposed letter" "pdftoppm pages differ"; fi
    fi
fi
S=$(md_set nfc-md "# Vie\314\243\314\202t Nam\n\nLi\303\252n he\314\243\314\202 ngay.\n")
if build_ok "nfc: decomposed Vietnamese in Markdown builds" $B "$S" "$T/nfc2.pdf" "$T/nfc2.dump"; then
    has_all "nfc: Markdown is set in NFC (U+1EC7)" "$(pdf_text "$T/nfc2.pdf")" pdftotext \
        "$(printf 'Vi\341\273\207t Nam')" "$(printf 'Li\303\252n h\341\273\207 ngay.')"
fi

# U+FEFF (a byte order mark pasted inside text) and U+2060 WORD JOINER print nothing, on purpose
for spec in "U+FEFF|$BOM" "U+2060|$WJ"; do
    cpn=${spec%%|*} ch=${spec#*|}
    if build_ok "invisible: $cpn inside a title builds" $B $FC "$T/inv.pdf" "$T/inv.dump" --set "title=Free${ch}help 24/7"; then
        t=$(pdf_text "$T/inv.pdf")
        has_all "invisible: $cpn prints nothing" "$t" pdftotext "Freehelp 24/7"
        lacks "invisible: $cpn is not named as Arabic, nor reaches the page" "$t$(cat "$T/inv.pdf.err")" "output" "Arabic" "$ch"
    fi
done

# an element that prints nothing: a warning naming the element, its key and the placeholder, and
# the PDF still written; the same for blank text, text of soft hyphens only, and an empty Markdown
tline=$(grep -n '^text = {title}' $B | cut -d: -f1)
for spec in "empty|" "blank|   " "invisible|$SHY$BOM"; do
    what=${spec%%|*} val=${spec#*|}
    handout build $B $FC -o "$T/empty.pdf" --set "title=$val" > /dev/null 2> "$T/empty.err"; rc=$?
    want="warning: $B:$tline: [heading] text: expected text to print, found none once {title} is filled"
    if [ $rc -eq 0 ] && [ -s "$T/empty.pdf" ] && grep -qF "$want" "$T/empty.err" && grep -qF "prints nothing" "$T/empty.err"; then
        ok "empty text: {title} $what: a warning naming [heading] text and {title}, exit 0"
    else fail "empty text: {title} $what: a warning naming [heading] text and {title}" "exit $rc: $(one_line < "$T/empty.err")"; fi
    rm -f "$T/empty.pdf"
done
S=$(md_set empty-md "{intro}\n")
printf 'intro =\n' >> "$S/content.ini"
mline=$(grep -n '^file = body.md' $B | cut -d: -f1)
handout build $B "$S" -o "$T/empty-md.pdf" > /dev/null 2> "$T/empty-md.err"; rc=$?
if [ $rc -eq 0 ] && grep -qF "warning: $B:$mline: [body] file: expected text to print, found none in $S/body.md" "$T/empty-md.err"; then
    ok "empty text: a Markdown file empty once {intro} is filled warns naming [body] and the file"
else fail "empty text: an empty Markdown file warns" "exit $rc: $(one_line < "$T/empty-md.err")"; fi
# and the project's own layouts print something in every element, with every content set
# (--strict for the sets that are not drafts; the drafts' only warnings are that they are drafts)
# (a set that lists its layouts, [content] layouts, is checked with those alone)
strict_sets=()
listed_sets=()
for ini in content/*/content.ini; do
    grep -q '^status *= *draft' "$ini" || grep -q '^scope *= *reference' "$ini" || {
        if grep -q '^layouts *=' "$ini"; then listed_sets+=("${ini%/content.ini}")
        else strict_sets+=(--content "${ini%/content.ini}"); fi
    }
done
strict_layouts=()
for f in layouts/*.ini; do reads_draft "$f" || strict_layouts+=("$f"); done
handout check --strict "${strict_layouts[@]}" "${strict_sets[@]}" > "$T/quiet.out" 2>&1; rc=$?
for set in "${listed_sets[@]}"; do
    mine=()
    for name in $(awk -F'=' '/^layouts *=/ { gsub(/,/, " ", $2); print $2 }' "$set/content.ini"); do
        [ -f "layouts/$name.ini" ] && ! reads_draft "layouts/$name.ini" && mine+=("layouts/$name.ini")
    done
    [ ${#mine[@]} -eq 0 ] && continue
    handout check --strict "${mine[@]}" --content "$set" >> "$T/quiet.out" 2>&1 || rc=1
done
handout check layouts/*.ini > "$T/quiet2.out" 2>&1; rc2=$?
if [ $rc -eq 0 ] && ! grep -q 'expected text to print' "$T/quiet.out" && [ $rc2 -eq 0 ] &&
   ! grep '^handout: warning' "$T/quiet2.out" | grep -vq 'status: expected a translation a native speaker has reviewed'; then
    ok "empty text: every layout with every content set passes check --strict (no element prints nothing)"
else fail "empty text: the project's layouts stay quiet" "exits $rc, $rc2: $(grep -h -m 2 -e warning -e error "$T/quiet.out" "$T/quiet2.out" | one_line)"; fi

# =============================================================================================
# 13. Composite glyphs (issue 12): DejaVu Sans draws Vietnamese ế and ệ as composites (e and its
#     marks, a mark itself a composite); libharu's subsetter kept only the direct components, so ế
#     printed as é and ệ as ẹ (LIBRARIES.md). The text layer's subsets (hb-subset) keep them all:
#     the ink of ế over é, and of ệ over ẹ, in handout's PDF (pdftoppm) is what it is in hb-view's
#     rendering of the same words in the same font (cairo's own embedding), within 8 %.
if command -v hb-view > /dev/null 2>&1 && fc-list 'DejaVu Sans' file | grep -q .; then
    cat > "$P/layouts/composite.ini" <<'INI'
[page]
description = Composite glyphs in DejaVu Sans
size = 6in x 1.5in
margin = 0.1in
title = composite

[word]
type = text
x = 0.25in
y = 0.25in
width = 5.5in
height = 1in
text = {title}
font = DejaVu Sans
size = 48pt
INI
    dv=$(fc-match -f '%{file}' 'DejaVu Sans')
    declare -A INK_OURS INK_REF
    for w in éééé ếếếế ẹẹẹẹ ệệệệ; do
        INK_OURS[$w]=0 INK_REF[$w]=0
        if handout build "$P/layouts/composite.ini" tests/fixtures/content -o "$T/comp-$w.pdf" --set "title=$w" > /dev/null 2> "$T/comp-$w.err" &&
           pdftoppm -r 72 -gray -singlefile "$T/comp-$w.pdf" "$T/comp-$w" 2> /dev/null; then
            INK_OURS[$w]=$(pgm_dark "$T/comp-$w.pgm")
        fi
        if hb-view --font-size=48 --output-format=pdf -o "$T/ref-$w.pdf" "$dv" "$w" 2> /dev/null &&
           pdftoppm -r 72 -gray -singlefile "$T/ref-$w.pdf" "$T/ref-$w" 2> /dev/null; then
            INK_REF[$w]=$(pgm_dark "$T/ref-$w.pgm")
        fi
    done
    for pair in "éééé ếếếế" "ẹẹẹẹ ệệệệ"; do
        set -- $pair
        if awk -v a="${INK_OURS[$1]}" -v b="${INK_OURS[$2]}" -v ra="${INK_REF[$1]}" -v rb="${INK_REF[$2]}" 'BEGIN {
               if (a <= 0 || ra <= 0) exit 1
               o = b / a; r = rb / ra; d = o - r; if (d < 0) d = -d
               exit !(r > 1.05 && d <= 0.08 * r) }'; then
            ok "composite glyphs: $2 in DejaVu Sans keeps every mark (ink over $1: ours ${INK_OURS[$2]}/${INK_OURS[$1]}, hb-view ${INK_REF[$2]}/${INK_REF[$1]})"
        else
            fail "composite glyphs: $2 in DejaVu Sans keeps every mark" "ink over $1: ours ${INK_OURS[$2]}/${INK_OURS[$1]}, hb-view ${INK_REF[$2]}/${INK_REF[$1]}: $(head -c 200 "$T/comp-$2.err" | one_line)"
        fi
    done
else
    fail "composite glyphs" "hb-view (libharfbuzz-bin) or DejaVu Sans (fonts-dejavu-core) is missing"
fi

# Noto Sans CJK SC (fonts-noto-cjk): CID-keyed CFF outlines in a .ttc, which fonts.c used to refuse,
# embedded as CID Type 0C (pdffonts); pdftotext gives the text back.
if fc-list 'Noto Sans CJK SC' file | grep -q .; then
    sed 's/^font = DejaVu Sans$/font = Noto Sans CJK SC/' "$P/layouts/composite.ini" > "$P/layouts/cjk.ini"
    zh='人口贩运热线 求助'
    if handout build "$P/layouts/cjk.ini" tests/fixtures/content -o "$T/cjk.pdf" --set "title=$zh" > /dev/null 2> "$T/cjk.err"; then
        ftype=$(pdffonts "$T/cjk.pdf" 2> /dev/null | awk 'NR == 3 { print ($2 ~ /NotoSansCJK/ || $1 ~ /NotoSansCJK/) ? "cjk" : $1 }')
        if [ "$ftype" = cjk ] && pdffonts "$T/cjk.pdf" | grep -q 'CID Type 0C' && [ "$(pdf_text "$T/cjk.pdf")" = "$zh" ]; then
            ok "CFF: Noto Sans CJK SC embeds as CID Type 0C and pdftotext gives \"$zh\""
        else fail "CFF: Noto Sans CJK SC" "$(pdffonts "$T/cjk.pdf" 2>&1 | tail -n +3 | one_line); text: $(pdf_text "$T/cjk.pdf")"; fi
    else fail "CFF: Noto Sans CJK SC builds" "$(head -n 2 "$T/cjk.err" | one_line)"; fi
else
    fail "CFF: Noto Sans CJK SC" "fonts-noto-cjk is missing"
fi

# Hindi (Devanagari, issue 12, step 2): each word shaped by HarfBuzz in Noto Sans Devanagari, the
# second font of the list. The fragment's width is the sum of hb-shape's advances for its words and
# spaces (at 10000 units to the em), the glyphs are drawn (pdftoppm: ink in the box), and pdftotext
# gives the words back.
if fc-list 'Noto Sans Devanagari' file | grep -q .; then
    sed 's/^font = DejaVu Sans$/font = Liberation Sans, Noto Sans Devanagari/; s/^size = 48pt$/size = 30pt/' \
        "$P/layouts/composite.ini" > "$P/layouts/hindi.ini"
    hi='मानव तस्करी हॉटलाइन'
    if build_ok "Hindi: a Devanagari title builds (Liberation Sans, Noto Sans Devanagari)" "$P/layouts/hindi.ini" \
        tests/fixtures/content "$T/hi.pdf" "$T/hi.dump" --set "title=$hi"; then
        dv=$(fc-match -f '%{file}' 'Noto Sans Devanagari')
        want=0
        for w in मानव ' ' तस्करी ' ' हॉटलाइन; do
            a=$(hb-shape --no-glyph-names --no-clusters --font-size=10000 "$dv" "$w" |
                awk '{ gsub(/[\[\]]/, ""); n = split($0, g, "|"); s = 0; for (i = 1; i <= n; i++) { k = split(g[i], p, "+"); s += p[k] } print s }')
            want=$((want + a))
        done
        got=$(dump_frags "$T/hi.dump" word | awk -F'\t' -v t="$hi" '$8 == t { print $5 }')
        if [ -n "$got" ] && awk -v g="$got" -v w="$want" 'BEGIN { d = g - w * 30 / 10000; exit !(d < 0.02 && d > -0.02) }'; then
            ok "Hindi: the fragment \"$hi\" is $got pt wide, hb-shape's advances ($want/10000 em at 30 pt)"
        else fail "Hindi: width from hb-shape" "dump $got pt, hb-shape $want/10000 em at 30 pt: $(grep '^frag' "$T/hi.dump" | one_line)"; fi
        if [ "$(pdf_text "$T/hi.pdf")" = "$hi" ] && pdffonts "$T/hi.pdf" | grep -q NotoSansDevanagari; then
            ok "Hindi: pdftotext gives \"$hi\", set in Noto Sans Devanagari"
        else fail "Hindi: pdftotext" "$(pdf_text "$T/hi.pdf"); $(pdffonts "$T/hi.pdf" 2>&1 | tail -n +3 | one_line)"; fi
        pdftoppm -r 72 -gray -singlefile "$T/hi.pdf" "$T/hi" 2> /dev/null
        ink=$(pgm_dark "$T/hi.pgm")
        [ "$ink" -gt 500 ] && ok "Hindi: the glyphs are drawn ($ink dark pixels)" || fail "Hindi: the glyphs are drawn" "$ink dark pixels"
    fi
else
    fail "Hindi" "fonts-noto-core (Noto Sans Devanagari) is missing"
fi

# =============================================================================================
# 14. Line breaking by UAX #14 (issue 12, item 3; ICU's line break iterator and its dictionaries).
#     A narrow box (pdftotext gives its lines): Thai, written without spaces, breaks only between
#     the words of a segmentation checked by hand; Chinese breaks between ideographs but never
#     before "，" or "。"; a Latin compound breaks after its hyphen; phone numbers and URLs are
#     never split.
# lb_layout NAME FONT WIDTH -> $P/layouts/lb-NAME.ini, a 12 pt text element WIDTH wide
lb_layout() {
    cat > "$P/layouts/lb-$1.ini" <<INI
[page]
description = Line breaking: $1
size = 3in x 4in
margin = 0.1in
title = lb

[word]
type = text
x = 0.2in
y = 0.2in
width = $3
height = 3.5in
text = {title}
font = $2
size = 12pt
INI
}
# lines_of PDF -> its text lines (pdftotext), empty lines dropped
lines_of() { pdftotext -raw -enc UTF-8 "$1" - 2> /dev/null | grep -v '^[[:space:]]*$'; }

if fc-list 'Noto Sans Thai' file | grep -q .; then
    # "Thailand has Thai as its official language", twice: ประเทศ (country) ไทย (Thai) มี (has)
    # ภาษา (language) ไทย เป็น (is) ภาษา ราชการ (official)
    th_words='ประเทศ|ไทย|มี|ภาษา|ไทย|เป็น|ภาษา|ราชการ'
    th_one=${th_words//|/}
    lb_layout thai 'Noto Sans Thai' 1.2in
    if build_ok "line breaking: Thai without spaces in a 1.2 in box builds" "$P/layouts/lb-thai.ini" \
        tests/fixtures/content "$T/lb-thai.pdf" "$T/lb-thai.dump" --set "title=$th_one $th_one"; then
        lines=$(lines_of "$T/lb-thai.pdf")
        n=$(printf '%s\n' "$lines" | wc -l)
        bad=$(printf '%s\n' "$lines" | grep -Ev "^($th_words)+\$" | one_line)
        joined=$(printf '%s' "$lines" | tr -d '\n ')
        if [ "$n" -ge 4 ] && [ -z "$bad" ] && [ "$joined" = "$th_one$th_one" ]; then
            ok "line breaking: Thai in $n lines, each whole words of ประเทศ|ไทย|มี|ภาษา|ไทย|เป็น|ภาษา|ราชการ"
        else
            fail "line breaking: Thai breaks between words" "$n lines; not whole words: [$bad]; text [$joined]"
        fi
    fi
else
    fail "line breaking: Thai" "fonts-noto-core (Noto Sans Thai) is missing"
fi

if fc-list 'Noto Sans CJK SC' file | grep -q .; then
    # 12 pt ideographs in 61 pt: five to a line; "，" and "。" fall where a breaker that breaks
    # anywhere would start a line with them
    zh='我们帮助你，通话免费且保密。我们全天候提供帮助。'
    lb_layout zh 'Noto Sans CJK SC' 61pt
    if build_ok "line breaking: Chinese in a 61 pt box builds" "$P/layouts/lb-zh.ini" tests/fixtures/content \
        "$T/lb-zh.pdf" "$T/lb-zh.dump" --set "title=$zh"; then
        lines=$(lines_of "$T/lb-zh.pdf")
        n=$(printf '%s\n' "$lines" | wc -l)
        lead=$(printf '%s\n' "$lines" | grep -E '^(，|。)' | one_line)
        joined=$(printf '%s' "$lines" | tr -d '\n ')
        if [ "$n" -ge 5 ] && [ -z "$lead" ] && [ "$joined" = "$zh" ]; then
            ok "line breaking: Chinese in $n lines between ideographs, none starting with ， or 。"
        else
            fail "line breaking: Chinese" "$n lines; starting with punctuation: [$lead]; text [$joined]"
        fi
    fi
else
    fail "line breaking: Chinese" "fonts-noto-cjk (Noto Sans CJK SC) is missing"
fi

# Liberation Sans 12 pt in 90 pt: "Call the anti-" fits, "Call the anti-trafficking" does not
lb_layout en 'Liberation Sans' 90pt
if build_ok "line breaking: a hyphenated compound builds" "$P/layouts/lb-en.ini" tests/fixtures/content \
    "$T/lb-en.pdf" "$T/lb-en.dump" --set 'title=Call the anti-trafficking hotline now'; then
    # the first line ends at the hyphen (the lines are balanced: "trafficking" may stand alone)
    first=$(lines_of "$T/lb-en.pdf" | head -n 2 | one_line)
    [ "${first%% trafficking*}" = "Call the anti-" ] && ok "line breaking: \"anti-trafficking\" breaks after its hyphen" ||
        fail "line breaking: after a hyphen" "first two lines [$first]"
fi
# numbers and a URL: in a box just wider than the number they stay whole; narrower, the build
# fails naming the number rather than splitting it
lb_layout num 'Liberation Sans' 92pt
if build_ok "line breaking: numbers and a URL build" "$P/layouts/lb-num.ini" tests/fixtures/content \
    "$T/lb-num.pdf" "$T/lb-num.dump" --set 'title=Call 1-888-373-7888 or text 233733 to 233-733 at https://ex.org/a-b now'; then
    lines=$(lines_of "$T/lb-num.pdf")
    if printf '%s\n' "$lines" | grep -qx '1-888-373-7888' && printf '%s\n' "$lines" | grep -q '233-733' &&
       printf '%s\n' "$lines" | grep -q 'https://ex.org/a-b'; then
        ok "line breaking: 1-888-373-7888, 233-733 and https://ex.org/a-b each on one line"
    else fail "line breaking: numbers whole" "lines: $(printf '%s\n' "$lines" | tr '\n' '|')"; fi
fi
lb_layout narrow 'Liberation Sans' 60pt
build_fails "line breaking: 1-888-373-7888 wider than the box is an error, never split" "$P/layouts/lb-narrow.ini" \
    tests/fixtures/content '"1-888-373-7888"|wider' "" --set 'title=Call 1-888-373-7888'

# =============================================================================================
# 15. Bidi (UAX #9, issue 12, item 1): an Arabic paragraph holding the hotline and a URL, on one
#     line of a 6.5 in box. By UAX #9 the paragraph is right to left (lang = ar, and its first
#     strong letter is Arabic); its words read from the right; the number and the URL are
#     left-to-right runs (level 2) where they stand. Worked out by hand, from the left:
#       https://example.org/donate الموقع عبر تبرع أو 1-888-373-7888 بالرقم اتصل
#     (handout keeps the number whole: plain UAX #9 would show its groups as 7888-373-888-1).
#     pdftotext -bbox-layout gives each word's box (and an Arabic word's letters in visual
#     order, so they are compared reversed); plain pdftotext gives the logical text. No word
#     here has a lam-alef ligature, which poppler reverses (tests/shape.sh).
if fc-list 'Noto Sans Arabic' file | grep -q .; then
    # bidi_layout NAME WIDTH EXTRA-KEYS -> $P/layouts/bidi-NAME.ini
    bidi_layout() {
        cat > "$P/layouts/bidi-$1.ini" <<INI
[page]
description = Bidi: $1
size = 7in x 2in
margin = 0.1in
title = bidi

[word]
type = text
x = 0.25in
y = 0.25in
width = $2
height = 1.5in
text = {title}
font = Noto Sans Arabic, Liberation Sans
size = 12pt
lang = ar
$3
INI
    }
    # word_boxes PDF -> "xMin xMax text" per word, from the left
    word_boxes() {
        pdftotext -bbox-layout "$1" - 2> /dev/null |
            sed -n 's/.*<word xMin="\([0-9.]*\)" yMin="[0-9.]*" xMax="\([0-9.]*\)" yMax="[0-9.]*">\(.*\)<\/word>.*/\1 \2 \3/p' |
            sort -n -k1,1
    }
    ar='اتصل بالرقم 1-888-373-7888 أو تبرع عبر الموقع https://example.org/donate'
    want='https://example.org/donate الموقع عبر تبرع أو 1-888-373-7888 بالرقم اتصل'
    # each word as -bbox-layout writes it: Arabic letters reversed, Latin and digits as they are
    want_boxes=$(for w in $want; do case $w in *[a-z0-9]*) printf '%s ' "$w" ;; *) printf '%s ' "$(printf '%s' "$w" | rev)" ;; esac; done)
    bidi_layout para 6.5in ''
    if build_ok "bidi: an Arabic paragraph with the hotline and a URL builds" "$P/layouts/bidi-para.ini" \
        tests/fixtures/content "$T/bidi.pdf" "$T/bidi.dump" --set "title=$ar"; then
        got=$(word_boxes "$T/bidi.pdf" | cut -d' ' -f3- | one_line)
        [ "$got " = "$want_boxes" ] && ok "bidi: words from the left are the URL, الموقع عبر تبرع أو, the number, بالرقم اتصل (UAX #9)" ||
            fail "bidi: visual order" "from the left [$got], expected [$want_boxes]"
        # the first logical word is the rightmost, at the box's right edge (align = start)
        right=$(word_boxes "$T/bidi.pdf" | tail -n 1)
        awk -v r="${right%% *}" -v x="$(echo "$right" | cut -d' ' -f2)" 'BEGIN { exit !(x > 486 - 1 && x <= 486 + 0.5) }' &&
            ok "bidi: the first word ends at the box's right edge (486 pt): align start is right in an RTL paragraph" ||
            fail "bidi: start is the right edge" "rightmost word: $right"
        logical=$(pdftotext -enc UTF-8 "$T/bidi.pdf" - 2> /dev/null | LC_ALL=C sed 's/\xE2\x80[\xAA-\xAE]//g' | tr -d '[:space:]')
        [ "$logical" = "$(printf '%s' "$ar" | tr -d ' ')" ] && ok "bidi: pdftotext gives the logical text (spaces aside, which poppler moves at a change of direction)" ||
            fail "bidi: logical text" "[$logical]"
    fi
    # align = end: the line starts at the box's left edge (18 pt); a Latin text forced right to
    # left (direction = rtl) with align = start ends at the right edge
    bidi_layout end 6.5in 'align = end'
    if build_ok "bidi: align = end builds" "$P/layouts/bidi-end.ini" tests/fixtures/content "$T/bidi-end.pdf" \
        "$T/bidi-end.dump" --set "title=$ar"; then
        left=$(word_boxes "$T/bidi-end.pdf" | head -n 1)
        awk -v x="${left%% *}" 'BEGIN { exit !(x >= 18 - 0.5 && x < 18 + 1) }' &&
            ok "bidi: align = end puts an RTL line at the box's left edge (18 pt)" || fail "bidi: end is the left edge" "leftmost word: $left"
    fi
    # justified in a 2.5 in box (18 to 198 pt): a full line spans the box; the last line ends at
    # the right edge, not the left
    # (justify_limit = 10: stretched as far as it takes; the limit's own checks are in section 10)
    bidi_layout just 2.5in 'align = justify
justify_limit = 10'
    if build_ok "bidi: justified Arabic builds" "$P/layouts/bidi-just.ini" tests/fixtures/content "$T/bidi-just.pdf" \
        "$T/bidi-just.dump" --set "title=$ar"; then
        # lines by their words' yMin (pdftotext -bbox-layout), each as "xMin xMax" of the line
        lines=$(pdftotext -bbox-layout "$T/bidi-just.pdf" - 2> /dev/null |
            sed -n 's/.*<word xMin="\([0-9.]*\)" yMin="\([0-9.]*\)" xMax="\([0-9.]*\)".*/\2 \1 \3/p' |
            awk '{ y = int($1 / 5); if (!(y in lo) || $2 < lo[y]) lo[y] = $2; if ($3 > hi[y]) hi[y] = $3; if (!(y in seen)) { seen[y] = 1; order[++n] = y } }
                 END { for (i = 1; i <= n; i++) print lo[order[i]], hi[order[i]] }')
        first=$(printf '%s\n' "$lines" | head -n 1) last=$(printf '%s\n' "$lines" | tail -n 1)
        if [ "$(printf '%s\n' "$lines" | wc -l)" -ge 2 ] &&
           awk -v f="$first" -v l="$last" 'BEGIN { split(f, a, " "); split(l, b, " ");
               exit !(a[1] < 18 + 1 && a[2] > 198 - 1 && b[2] > 198 - 1 && b[1] > 18 + 20) }'; then
            ok "bidi: justified Arabic: a full line spans 18 to 198 pt ($first), the last ends at the right ($last)"
        else fail "bidi: justified RTL" "lines (xMin xMax): $(printf '%s\n' "$lines" | tr '\n' '|')"; fi
    fi
    bidi_layout ltr 6.5in 'direction = rtl'
    if build_ok "bidi: direction = rtl on Latin text builds" "$P/layouts/bidi-ltr.ini" tests/fixtures/content \
        "$T/bidi-ltr.pdf" "$T/bidi-ltr.dump" --set "title=Call now"; then
        boxes=$(word_boxes "$T/bidi-ltr.pdf" | one_line)
        set -- $boxes
        [ "${3:-}" = Call ] && [ "${6:-}" = now ] && awk -v x="${5:-0}" 'BEGIN { exit !(x > 485 && x <= 486.5) }' &&
            ok "bidi: Latin in an RTL paragraph reads left to right, at the right edge ($boxes)" ||
            fail "bidi: direction = rtl" "$boxes"
    fi
    # the glyphs of one word: ids and advances as hb-shape gives them (right to left, Arabic)
    bidi_layout word 6.5in ''
    if build_ok "bidi: one Arabic word builds" "$P/layouts/bidi-word.ini" tests/fixtures/content "$T/bidi-w.pdf" \
        "$T/bidi-w.dump" --set "title=بالرقم"; then
        nf=$(fc-match -f '%{file}' 'Noto Sans Arabic')
        want=$(hb-shape --direction=rtl --script=arab --language=ar --no-glyph-names --no-clusters "$nf" "بالرقم")
        qpdf --qdf --object-streams=disable "$T/bidi-w.pdf" "$T/bidi-wq.pdf" 2> /dev/null
        # /W gives each glyph's width (1/1000 em; the font has 1000 units to the em); a number
        # after a glyph in the TJ array takes that much off its advance
        got=$(awk '
            /\/W \[/ { w = 1 }
            w { line = line " " $0 } w && /^  \]/ { w = 0 }
            /TJ$/ { tj = $0 }
            END {
                gsub(/[\[\]]/, " ", line); n = split(line, t, " ")
                for (i = 2; i + 1 <= n; i += 2) width[t[i] + 0] = t[i + 1]
                s = tj; sub(/\] TJ$/, "", s); sub(/^\[/, "", s); out = ""; last = ""
                while (length(s) > 0) {
                    if (substr(s, 1, 1) == "<") {
                        e = index(s, ">"); hex = substr(s, 2, e - 2); s = substr(s, e + 1)
                        for (k = 1; k <= length(hex); k += 4) {
                            g = 0; for (m = 0; m < 4; m++) g = g * 16 + index("0123456789abcdef", tolower(substr(hex, k + m, 1))) - 1
                            adv[++ng] = width[g]; gid[ng] = g
                        }
                    } else {
                        match(s, /^-?[0-9.]+/); adv[ng] -= substr(s, 1, RLENGTH) + 0; s = substr(s, RLENGTH + 1)
                    }
                    sub(/^ +/, "", s)
                }
                for (i = 1; i <= ng; i++) out = out (i > 1 ? "|" : "") gid[i] "+" adv[i]
                print "[" out "]"
            }' "$T/bidi-wq.pdf")
        [ -n "$want" ] && [ "$got" = "$want" ] && ok "bidi: بالرقم's glyph ids and advances are hb-shape's, right to left ($got)" ||
            fail "bidi: glyphs from hb-shape" "PDF $got, hb-shape $want"
    fi
    # explicit bidi controls order the text and print nothing: "ab" with an Arabic word isolated
    # right to left between them (U+2067 ... U+2069) in a left-to-right paragraph
    bidi_layout iso 6.5in 'direction = ltr'
    if build_ok "bidi: the isolate U+2067 ... U+2069 builds" "$P/layouts/bidi-iso.ini" tests/fixtures/content \
        "$T/bidi-iso.pdf" "$T/bidi-iso.dump" --set "title=a $(printf '\u2067')اتصل بالرقم$(printf '\u2069') b"; then
        got=$(word_boxes "$T/bidi-iso.pdf" | cut -d' ' -f3- | LC_ALL=C sed 's/\xE2\x81[\xA6-\xA9]//g' | one_line)
        want="a $(printf 'بالرقم' | rev) $(printf 'اتصل' | rev) b"
        [ "$got" = "$want" ] && ok "bidi: an isolated Arabic pair of words reads right to left between a and b ($got)" ||
            fail "bidi: isolate" "[$got], expected [$want]"
    fi
    # a Markdown list in Arabic: the marker hangs on the right of its item
    mkdir -p "$T/content-ar"
    printf '[content]\ndescription = Arabic list\nlanguage = ar\ntitle = t\n' > "$T/content-ar/content.ini"
    printf -- '- اتصل بالرقم\n- تبرع عبر الموقع\n' > "$T/content-ar/list.md"
    sed 's/^type = text$/type = markdown/; s/^text = {title}$/file = list.md/' "$P/layouts/bidi-para.ini" > "$P/layouts/bidi-md.ini"
    if build_ok "bidi: an Arabic Markdown list builds" "$P/layouts/bidi-md.ini" "$T/content-ar" "$T/bidi-md.pdf" "$T/bidi-md.dump"; then
        boxes=$(word_boxes "$T/bidi-md.pdf")
        marker=$(printf '%s\n' "$boxes" | awk '$3 == "•" { print $1; exit }')
        word=$(printf '%s\n' "$boxes" | awk -v w="$(printf 'اتصل' | rev)" '$3 == w { print $2; exit }')
        [ -n "$marker" ] && [ -n "$word" ] && awk -v m="$marker" -v w="$word" 'BEGIN { exit !(m > w) }' &&
            ok "bidi: the list marker hangs right of its RTL item (marker at $marker pt, item's first word ends at $word pt)" ||
            fail "bidi: the marker on the right" "$(printf '%s\n' "$boxes" | one_line)"
    fi
else
    fail "bidi" "fonts-noto-core (Noto Sans Arabic) is missing"
fi

# ---------------------------------------------------------------------------------------------
# 16. fallback by script (issue 12, item 5): an element whose only font is Liberation Sans sets
# Hindi, Korean and Chinese in the fonts fontconfig itself chooses for them (fc-match with the
# character and the language: the outside oracle), embeds them, and gives the text back.
cat > "$P/layouts/fallback.ini" <<'EOF'
[page]
description = font fallback by script
size = 6in x 3in
margin = 0.25in

[mix]
type = text
x = 0.25in
y = 0.25in
width = 5.5in
height = 1.5in
text = Help is here. मदद यहाँ है। 도움이 여기 있습니다. 帮助就在这里。
size = 16pt
font = Liberation Sans

[ja]
type = text
x = 0.25in
y = 2in
width = 5.5in
height = 0.75in
text = 助けがあります
size = 16pt
font = Liberation Sans
lang = ja
EOF
mkdir -p "$T/fb-content"
printf '[content]\ndescription = fallback\nlanguage = en\n' > "$T/fb-content/content.ini"
if build_ok "fallback: Hindi, Korean and Chinese with only Liberation Sans in the list" "$P/layouts/fallback.ini" \
    "$T/fb-content" "$T/fb.pdf" "$T/fb.dump"; then
    fonts=$(pdffonts "$T/fb.pdf" 2>&1 | tail -n +3 | awk '{ print $1 }' | sed 's/^[A-Z]*+//' | tr 'A-Z' 'a-z' | tr '\n' ' ')
    # the pattern handout gives fontconfig (docs/formats.md, Fallback by script): the element's
    # family, then the family made for the script, the character and the language
    for q in "Noto Sans Devanagari:charset=0915:lang=hi|मदद" "Noto Sans CJK KR:charset=d55c:lang=ko|도움이" \
             "Noto Sans CJK SC:charset=4e2d:lang=zh-cn|帮助" "Noto Sans CJK JP:charset=52a9:lang=ja|助けがあります"; do
        fam=$(fc-match -f '%{family[0]}' "Liberation Sans,${q%%|*}")
        word=${q#*|}
        cp=${q#*charset=}; cp=${cp%%:*}
        covers=$(fc-list ":charset=$cp" family | tr ',' '\n' | grep -cxF "$fam")
        ps=$(printf '%s' "$fam" | tr -d ' ' | tr 'A-Z' 'a-z')
        read -r el font <<< "$(dump_frags "$T/fb.dump" | awk -F'\t' -v w="$word" 'index($8, w) { print $2, $7; exit }')"
        named=$(awk -v e="$el" -v f="$font" '$1 == "fallback" && $2 == e && $4 == f { sub(/^[^"]*"/, ""); sub(/"$/, ""); print; exit }' "$T/fb.dump")
        if [ -n "$fam" ] && [ "$covers" -gt 0 ] && case " $fonts" in *" $ps"*) true ;; *) false ;; esac &&
           case "$named" in "$fam"*) true ;; *) false ;; esac; then
            ok "fallback: \"$word\" in $named, fc-match's choice for \"Liberation Sans,${q%%|*}\", which fc-list says has U+$cp, embedded"
        else fail "fallback: \"$word\" in fc-match's font" "fc-match: \"$fam\" (fc-list :charset=$cp lists it $covers times); dump: font $font \"$named\"; pdffonts: $fonts"; fi
    done
    # Chinese breaks between ideographs (UAX #14), so its line may end inside the phrase: the
    # text is compared with spaces and line ends taken out
    got=$(pdf_text "$T/fb.pdf")
    case "$(printf '%s' "$got" | tr -d ' \n')" in
        *"Helpishere.मददयहाँहै।도움이여기있습니다.帮助就在这里。"*"助けがあります"*) ok "fallback: pdftotext gives the text back" ;;
        *) fail "fallback: pdftotext gives the text back" "$got" ;;
    esac
    pdftoppm -r 72 -gray -singlefile "$T/fb.pdf" "$T/fb" 2> /dev/null
    ink=$(pgm_dark "$T/fb.pgm")
    [ "$ink" -gt 1500 ] && ok "fallback: the glyphs are drawn ($ink dark pixels)" || fail "fallback: the glyphs are drawn" "$ink dark pixels"
fi

# ---------------------------------------------------------------------------------------------
# 17. vertical metrics (issue 12, item 7): Vietnamese capitals with two stacked accents and
# letters with descenders, three lines at line_height 1.0, rendered at 300 dpi: the rows of ink
# of the three lines never touch (the page has three times the groups of ink rows one line alone
# has: a line touching the next would merge two), and no ink lies outside the box.
# ink_rows PGM -> "GROUPS TOP BOTTOM LEFT RIGHT": groups of consecutive rows with a dark pixel, and
#   the dark pixels' bounds (pdftoppm -gray's binary PGM; python3 without modules)
ink_rows() {
    PGM_DIR=$ROOT/tests/tools python3 - "$1" <<'PY'
import os, sys
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.environ['PGM_DIR'])
from pgm import read_pgm
w, h, px = read_pgm(sys.argv[1])
groups, prev, top, bottom, left, right = 0, False, -1, -1, w, -1
for y in range(h):
    row = px[y * w:(y + 1) * w]
    dark = [x for x in range(w) if row[x] < 128]
    if dark:
        if not prev:
            groups += 1
        if top < 0:
            top = y
        bottom = y
        left, right = min(left, dark[0]), max(right, dark[-1])
    prev = bool(dark)
print(groups, top, bottom, left, right)
PY
}
stack_layout() { # TEXT -> a layout with a 4in x 3in box at (0.5in, 0.5in): rows and columns 150..1350, 150..1050 at 300 dpi
    cat <<EOF
[page]
description = stacked diacritics
size = 5in x 4in
margin = 0.25in

[stack]
type = text
x = 0.5in
y = 0.5in
width = 4in
height = 3in
text = $1
size = 40pt
line_height = 1.0
font = Liberation Sans
EOF
}
mkdir -p "$T/vi-content"
printf '[content]\ndescription = stacks\nlanguage = vi\n' > "$T/vi-content/content.ini"
stack_layout 'ỞẨỄ gjpq' > "$P/layouts/stack1.ini"
stack_layout 'ỞẨỄ gjpq\nỞẨỄ gjpq\nỞẨỄ gjpq' > "$P/layouts/stack3.ini"
if build_ok "vertical metrics: one line of stacked Vietnamese capitals" "$P/layouts/stack1.ini" "$T/vi-content" "$T/stack1.pdf" "$T/stack1.dump" &&
   build_ok "vertical metrics: three lines at line_height 1.0" "$P/layouts/stack3.ini" "$T/vi-content" "$T/stack3.pdf" "$T/stack3.dump"; then
    pdftoppm -r 300 -gray -singlefile "$T/stack1.pdf" "$T/stack1" 2> /dev/null
    pdftoppm -r 300 -gray -singlefile "$T/stack3.pdf" "$T/stack3" 2> /dev/null
    read -r g1 _ _ _ _ <<< "$(ink_rows "$T/stack1.pgm")"
    read -r g3 top bottom left right <<< "$(ink_rows "$T/stack3.pgm")"
    if [ "$g1" -gt 0 ] && [ "$g3" -eq $((3 * g1)) ]; then
        ok "vertical metrics: the three lines' ink never touches ($g3 groups of ink rows, $g1 for one line)"
    else fail "vertical metrics: the lines' ink never touches" "$g3 groups of ink rows for three lines, $g1 for one line alone"; fi
    if [ "$top" -ge 150 ] && [ "$bottom" -le 1050 ] && [ "$left" -ge 150 ] && [ "$right" -le 1350 ]; then
        ok "vertical metrics: all the ink inside the box (rows $top..$bottom of 150..1050)"
    else fail "vertical metrics: all the ink inside the box" "ink rows $top..$bottom, columns $left..$right; the box is rows 150..1050, columns 150..1350"; fi
fi

# 18. Tear-off tabs (issue 15, item 6): the flyer rendered at 72 dpi (one pixel a point) by
# pdftoppm; the dashed cut lines are the ink columns in the strip below the tabs' text, within
# 1/8 in of the bottom edge (the old cut lines stopped half an inch above it). The page's edges and
# the cut lines split the width into ten tabs of equal width, and pdftotext -bbox puts each tab's
# hotline number in the middle of its own tab.
tear_geometry() { # PGM BBOX.html -> "ok ..." or the reason
    PGM_DIR=$ROOT/tests/tools python3 - "$1" "$2" <<'PY'
import os, re, sys
sys.dont_write_bytecode = True  # no __pycache__ in the tree
sys.path.insert(0, os.environ['PGM_DIR'])
from pgm import read_pgm
w, h, px = read_pgm(sys.argv[1])
inked = [x for x in range(w) if any(px[y * w + x] < 200 for y in range(h - 9, h))]
cuts, run = [], []
for x in inked:
    if run and x != run[-1] + 1:
        cuts.append(sum(run) / len(run)); run = []
    run.append(x)
if run:
    cuts.append(sum(run) / len(run))
if len(cuts) != 9:
    print("expected 9 cut lines reaching the bottom edge, found %d at x %s" % (len(cuts), cuts)); sys.exit()
edges = [0.0] + [c + 0.5 for c in cuts] + [float(w)]
widths = [edges[i + 1] - edges[i] for i in range(10)]
if max(widths) - min(widths) > 1.5:
    print("expected ten tabs of equal width, found %s pt" % ["%.1f" % v for v in widths]); sys.exit()
html = open(sys.argv[2], encoding='utf-8').read()
mids = sorted((float(a) + float(b)) / 2 for a, y, b in
              re.findall(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="[0-9.]+">1-888-373-7888</word>', html)
              if float(y) > 612)
if len(mids) != 10:
    print("expected the hotline number on ten tabs, found it %d times" % len(mids)); sys.exit()
for i, m in enumerate(mids):
    centre = (edges[i] + edges[i + 1]) / 2
    if abs(m - centre) > 12:
        print("tab %d's text is centred at x %.1f, its tab at %.1f" % (i + 1, m, centre)); sys.exit()
print("ok tabs %s pt wide, cut lines at x %s" % ("/".join("%.1f" % v for v in widths), " ".join("%.0f" % c for c in cuts)))
PY
}
if build_ok "tear-off: tearoff-letter in English builds" layouts/tearoff-letter.ini content/en "$T/tear.pdf" "$T/tear.dump"; then
    pdftoppm -r 72 -gray -singlefile "$T/tear.pdf" "$T/tear" 2> /dev/null
    pdftotext -bbox "$T/tear.pdf" "$T/tear.html" 2> /dev/null
    res=$(tear_geometry "$T/tear.pgm" "$T/tear.html" 2>&1)
    case $res in
        ok*) ok "tear-off: ten equal tabs and cut lines to the page's edge, each tab's text in its middle (${res#ok })" ;;
        *) fail "tear-off: ten equal tabs and cut lines to the page's edge" "$res" ;;
    esac
fi

# 19. Tiled posters (issue 15, item 6): every QR code of every poster decodes whole from at least
# one tile. Each poster in Vietnamese on Letter tiles (and the A-size ones on A4 as well), every
# tile rendered at 300 dpi and read by zbarimg; the payloads expected are zbarimg's reading of the
# untiled poster, as many as the layout has [qr] sections. (One language, for the time.)
for spec in 18x24:letter 24x36:letter a2:letter a2:a4 a3:letter a3:a4 tabloid:letter; do
    poster=${spec%%:*} paper=${spec#*:} base=$T/tile-$poster-$paper
    if ! handout build layouts/poster.ini content/vi --size "$poster" -o "$base-whole.pdf" > /dev/null 2>&1 ||
       ! handout build layouts/poster.ini content/vi --size "$poster" --tile "$paper" -o "$base.pdf" --dump "$base.dump" > /dev/null 2> "$base.err"; then
        fail "tiles: poster-$poster on $paper tiles builds" "$(head -n 3 "$base.err" | one_line)"; continue
    fi
    pdftoppm -r 100 -gray -singlefile "$base-whole.pdf" "$base-whole" 2> /dev/null
    want=$(zbarimg -q --raw "$base-whole.pgm" 2> /dev/null | sort -u)
    nqr=$(grep -c '^[[:space:]]*type[[:space:]]*=[[:space:]]*qr' layouts/poster.ini)
    pdftoppm -r 300 -gray "$base.pdf" "$base-t" 2> /dev/null
    got=$(for f in "$base"-t-*.pgm; do zbarimg -q --raw "$f" 2> /dev/null; done | sort -u)
    rm -f "$base"-t-*.pgm
    ntile=$(grep -c '^tile ' "$base.dump")
    missing=$(comm -23 <(printf '%s\n' "$want") <(printf '%s\n' "$got") | one_line)
    if [ "$(printf '%s\n' "$want" | grep -c .)" -ne "$nqr" ]; then
        fail "tiles: poster-$poster on $paper, every code whole on a tile" "the untiled poster gave $(printf '%s\n' "$want" | grep -c .) payloads, the layout has $nqr codes"
    elif [ -z "$missing" ]; then
        ok "tiles: poster-$poster on $paper, each of its $nqr codes decodes whole from one of its $ntile tiles"
    else
        fail "tiles: poster-$poster on $paper, every code whole on a tile" "no tile of $ntile decodes: $missing"
    fi
    # the registration marks (crosses in squares 0.8 x the overlap across, 36 pt here: the dump's
    # "register X Y" lines, poster points) against the codes' boxes, quiet zones included, as the
    # layout file gives them (x, y, size of each [qr] section, in pt, at this size: worked out from
    # the layout's own numbers by tests/tools/layout_geom.py)
    hit=$(awk -v a=14.4 '
        FNR == 1 { f++ }
        f == 1 && $2 == "qr" { sec = $1; q[sec] = 1; val[sec, "x"] = $3; val[sec, "y"] = $4; val[sec, "size"] = $5 }
        f == 2 && $1 == "register" {
            n++
            for (s in q)
                if ($2 + a > val[s, "x"] && $2 - a < val[s, "x"] + val[s, "size"] && $3 + a > val[s, "y"] && $3 - a < val[s, "y"] + val[s, "size"])
                    { print "mark at " $2 "," $3 " on " s; exit }
        }
        END { if (n == 0) print "no registration marks" }' <(python3 tests/tools/layout_geom.py layouts/poster.ini "$poster") "$base.dump")
    if [ -z "$hit" ]; then ok "tiles: poster-$poster on $paper, its $(grep -c '^register ' "$base.dump") registration marks clear of every code's quiet zone"
    else fail "tiles: poster-$poster on $paper, registration marks clear of every quiet zone" "$hit"; fi
done

summary
