#!/usr/bin/env bash
# tests/run.sh -- handout's test runner: unit tests, integration checks with the real PDF tools
# for every pair `make run` builds (each dump also against its golden dump in tests/golden/),
# make regen's own checks, determinism, --set, the iniparser traps, the bad-input table, and
# (tests/cards.sh, sourced) the imposition tests: cards on sheets, duplex, crop marks, print-shop,
# printer, CSV, serials. What the tests derive from the project's files, and the PDF checks, are
# in tests/oracle.sh (shared with tests/regen.sh).
#
# usage: tests/run.sh [--full]    (from the repository root)
#   environment: HANDOUT (default ./handout in the repository), UNIT (default tests/unit),
#   HANDOUT_WRAP (a command such as valgrind put in front of every run of both),
#   BIG_ROWS (records in the large data-merge test; default 10000, 1000 under a sanitizer)
#   --full   render and decode every page of every PDF (default: first, middle and last page;
#            a sheet of cards is two pages, so only longer outputs are sampled).
#
# Each check prints "ok - NAME" or "FAIL - NAME: reason"; lines starting with "#" are notes.
# The last line is "N passed, M failed"; the exit status is non-zero when M > 0.
# Needs poppler-utils (pdfinfo, pdffonts, pdftotext, pdftoppm), qpdf and zbar-tools
# (tools/deps.sh installs them); with a C compiler, tests/tools/pgmcrop.c makes decoding sheets
# of QR codes faster.  Bad-input cases live in tests/bad/cases.txt.

set -u
export LC_ALL=C.UTF-8 TZ=UTC
unset SOURCE_DATE_EPOCH

FULL=0
for arg in "$@"; do
    case $arg in
        --full) FULL=1 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "tests/run.sh: unknown argument \"$arg\" (usage: tests/run.sh [--full])" >&2; exit 2 ;;
    esac
done

# START_DIR, ROOT, HANDOUT, and ok, fail, note, lap, summary
. "$(dirname "$0")/lib.sh"
# what the tests derive from the project's files, and the PDF checks with the real tools
. "$(dirname "$0")/oracle.sh"
UNIT=${UNIT:-$ROOT/tests/unit}
case $UNIT in /*) ;; *) UNIT=$START_DIR/$UNIT ;; esac
cd "$ROOT" || exit 2

T=$(mktemp -d "${TMPDIR:-/tmp}/handout-tests.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

check() { # check NAME REASON-IF-FAILED COMMAND...
    local name=$1 why=$2; shift 2
    if "$@"; then ok "$name"; else fail "$name" "$why"; fi
}

# HANDOUT_WRAP (lib.sh): a command put in front of every run of handout and of the unit tests
# (UNIT), e.g. "valgrind -q --error-exitcode=99" (make check-valgrind).
squash() { # squash VAR STRING -> VAR = STRING with whitespace normalised as one_line does (bash
    #   alone, for short strings; no extglob: +(...) replacement is quadratic in bash)
    local s=$2
    s=${s//$'\xc2\xa0'/ }   # a no-break space (French before ? and :) extracts as a space
    s=${s//[[:space:]]/ }
    while [[ $s == *"  "* ]]; do s=${s//"  "/" "}; done
    s=${s# }; s=${s% }
    printf -v "$1" '%s' "$s"
}

need_tools qpdf pdfinfo pdffonts pdftotext pdftoppm pdfimages zbarimg cmp od timeout
oracle_pgmcrop "$T"
need_handout

# ---------------------------------------------------------------------------------------------
# Reading a content set (load_fields, expand, field, ini_value) and the QR codes a layout asks for
# (layout_qr_templates, qr_payload_of): tests/oracle.sh.

# The .md files used by a layout's markdown elements (placeholders in `file` expanded).
layout_md_files() { # layout_md_files LAYOUT CONTENT_DIR
    local f
    awk '
        /^[[:space:]]*[;#]/ { next }
        /^[[:space:]]*\[/ { if (md && file != "") print file; md = 0; file = ""; next }
        index($0, "=") {
            key = substr($0, 1, index($0, "=") - 1); val = substr($0, index($0, "=") + 1)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", key); gsub(/^[[:space:]]+|[[:space:]]+$/, "", val)
            if (val ~ /^".*"$/) val = substr(val, 2, length(val) - 2)
            key = tolower(key)
            if (key == "type" && val == "markdown") md = 1
            if (key == "file") file = val
        }
        END { if (md && file != "") print file }' "$1" |
    while IFS= read -r f; do printf '%s\n' "$2/$(expand "$f")"; done
}

# Heading texts of a Markdown file: "# Text ##" -> "Text", inline markup stripped.
md_headings() {
    sed -n -e 's/^ \{0,3\}#\{1,6\}[[:space:]]\{1,\}//p' "$1" |
    sed -e 's/[[:space:]]\{1,\}#\{1,\}[[:space:]]*$//' -e 's/\[\([^]]*\)\]([^)]*)/\1/g' \
        -e 's/\*\*//g' -e 's/\*//g' -e 's/`//g' -e 's/\\\(.\)/\1/g'
}

# ---------------------------------------------------------------------------------------------
# The --dump format (written by src/render.c).  Two readers, kept here in one place:
#   "page N W H"                                                  (one line per page, in pt)
#   "qr NAME x X y Y size S version V modules M quiet Q module U runs R payload PAYLOAD..."
#                           ("... runs R eci 26 payload ...": the code is marked as UTF-8, ECI 000026)
#   dump_page_size DUMP  -> "W H" of the first page
#   dump_qrs DUMP        -> one line per QR code: "PAGE<TAB>X<TAB>Y<TAB>SIZE<TAB>PAYLOAD"
#                           (x, y from the top-left corner of the page, in pt; SIZE with quiet zone;
#                           PAYLOAD is the rest of the dump line, as written)

dump_page_size() {
    awk '$1 == "page" && NF >= 4 { print $3, $4; exit }' "$1"
}

dump_qrs() {
    awk '
        $1 == "page" { page++ }
        $1 == "qr" {
            x = y = size = ""
            for (i = 3; i < NF; i++) {
                if ($i == "x" && x == "") x = $(i + 1)
                else if ($i == "y" && y == "") y = $(i + 1)
                else if ($i == "size" && size == "") size = $(i + 1)
            }
            p = index($0, " payload ")
            if (p) printf "%d\t%s\t%s\t%s\t%s\n", (page ? page : 1), x, y, size, substr($0, p + 9)
        }' "$1"
}

# Imposed output (items on sheets, print-shop pages) adds these lines:
#   "item I front|back x X y Y width W height H"   the item's trim box on the page
#   "mark X1 Y1 X2 Y2"                             a crop-mark segment (printer adjustment applied)
#   "placed I front|back x X y Y"                  with --printer: the item's corner as printed
#   dump_pages DUMP      -> "N<TAB>W<TAB>H" per page
#   dump_items DUMP      -> "PAGE<TAB>ITEM<TAB>SIDE<TAB>X<TAB>Y<TAB>W<TAB>H" per item side
#   dump_marks DUMP      -> "PAGE<TAB>X1<TAB>Y1<TAB>X2<TAB>Y2" per mark segment
#   dump_placed DUMP     -> "PAGE<TAB>ITEM<TAB>SIDE<TAB>X<TAB>Y" per placed line
#   dump_qr_items DUMP   -> "PAGE<TAB>ITEM<TAB>SIDE<TAB>X<TAB>Y<TAB>SIZE<TAB>PAYLOAD": each QR code
#                           with the item (and side) it belongs to (ITEM 0, SIDE - outside items)
# PAGE is the page's position in the dump (1, 2, ...), as in dump_qrs.

dump_pages() {
    awk '$1 == "page" && NF >= 4 { n++; printf "%d\t%s\t%s\n", n, $3, $4 }' "$1"
}

dump_items() {
    awk '
        $1 == "page" { page++ }
        $1 == "item" && NF >= 11 { printf "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", (page ? page : 1), $2, $3, $5, $7, $9, $11 }' "$1"
}

dump_marks() {
    awk '
        $1 == "page" { page++ }
        $1 == "mark" && NF >= 5 { printf "%d\t%s\t%s\t%s\t%s\n", (page ? page : 1), $2, $3, $4, $5 }' "$1"
}

dump_placed() {
    awk '
        $1 == "page" { page++ }
        $1 == "placed" && NF >= 7 { printf "%d\t%s\t%s\t%s\t%s\n", (page ? page : 1), $2, $3, $5, $7 }' "$1"
}

dump_qr_items() {
    awk '
        $1 == "page" { page++; item = 0; side = "-" }
        $1 == "item" { item = $2; side = $3 }
        $1 == "qr" {
            x = y = size = ""
            for (i = 3; i < NF; i++) {
                if ($i == "x" && x == "") x = $(i + 1)
                else if ($i == "y" && y == "") y = $(i + 1)
                else if ($i == "size" && size == "") size = $(i + 1)
            }
            p = index($0, " payload ")
            if (p) printf "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", (page ? page : 1), item, side, x, y, size, substr($0, p + 9)
        }' "$1"
}

# layout_data_file LAYOUT CONTENT_DIR -> a data/*.csv for a data-merge layout, else nothing.
#   Needs FIELDS loaded (load_fields CONTENT_DIR).  A layout needs a data file when some of its
#   placeholders (in the layout or its Markdown files) name no content field; the first data/*.csv
#   whose header has every such name as a column is the one to use.
csv_columns() { # csv_columns FILE.csv -> the header's column names, one a line, as handout reads them
    head -n 1 "$1" | sed -e 's/^\xef\xbb\xbf//' -e 's/\r$//' | tr ',' '\n' |
        sed -e 's/^[[:space:]"]*//' -e 's/[[:space:]"]*$//' | tr 'A-Z' 'a-z'
}
layout_data_file() {
    local layout=$1 cdir=$2 names=() n csv cols missing
    # shellcheck disable=SC2046  # one path per line
    while IFS= read -r n; do
        [ -n "$n" ] && [ "$n" != serial ] && [ -z "${FIELDS[$n]+x}" ] && names+=("$n")
    done < <({ grep -v '^[[:space:]]*[;#]' "$layout"; cat $(layout_md_files "$layout" "$cdir"); } 2>/dev/null |
             sed -e 's/{{//g' | grep -o '{[a-z0-9_]*\(:[0-9]*\)\{0,1\}}' | sed -e 's/[{}]//g' -e 's/:.*//' | sort -u)
    [ ${#names[@]} -gt 0 ] || return 0
    for csv in data/*.csv; do
        [ -f "$csv" ] || continue
        cols=$(csv_columns "$csv")
        missing=0
        for n in "${names[@]}"; do grep -qxF -- "$n" <<< "$cols" || missing=1; done
        if [ $missing -eq 0 ]; then printf '%s\n' "$csv"; return 0; fi
    done
}

# ---------------------------------------------------------------------------------------------
# PDF checks with the real tools.  Each takes a test-name prefix and the PDF.

pdf_pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

check_page_size() { # NAME PDF EXPECTED_W EXPECTED_H   (all pages; exact to 0.01 pt)
    local sizes bad
    sizes=$(pdfinfo -f 1 -l 9999 "$2" 2>/dev/null | awk '/^Page +[0-9]+ size:/ { print $4, $6 }')
    [ -n "$sizes" ] || sizes=$(pdfinfo "$2" 2>/dev/null | awk '/^Page size:/ { print $3, $5 }')
    if [ -z "$sizes" ]; then fail "$1" "pdfinfo shows no page size"; return; fi
    bad=$(echo "$sizes" | awk -v w="$3" -v h="$4" '
        function abs(v) { return v < 0 ? -v : v }
        abs($1 - w) > 0.01 || abs($2 - h) > 0.01 { print $1 " x " $2; exit }')
    if [ -n "$bad" ]; then fail "$1" "pdfinfo page size $bad pt, expected $3 x $4"; else ok "$1"; fi
}

# check_text NAME PDF NEEDLE...  -- every needle in pdftotext output, whitespace normalised
#   With TEXT_MIRRORED=1 (a layout with mirror = yes: pdftotext reads each line backwards) every
#   line pdftotext gives is reversed first.
#   TEXT_SCRIPT (the content set's language) tells how poppler reads what the text layer wrote:
#   ar, fa, ur: the embedding marks poppler puts around a right-to-left line (U+202A..U+202E) are
#   dropped, the needle's lam-alef ligatures (lam with alef, alef with hamza or madda) are read as
#   poppler gives them, alef then lam (see tests/shape.sh), and the vowel marks (harakat, U+064B..
#   U+065F, U+0670) are left out of both: poppler 22.12 puts a word with a raised mark on a line
#   of its own and leaves the mark behind (an open question for the text layer, issue 12);
#   th, km, lo, my, zh, ja (written without spaces): the text lines break between words where
#   pdftotext sees a line end or a gap, so text and needles are compared with all spaces taken out.
TEXT_MIRRORED=0 TEXT_SCRIPT=""
text_norm() { # stdin -> the text as TEXT_SCRIPT compares it
    case $TEXT_SCRIPT in
        ar | fa | ur) perl -CSD -pe 's/[\x{202A}-\x{202E}\x{064B}-\x{065F}\x{0670}]//g' | one_line ;;
        th | km | lo | my | zh | ja) tr -d ' \n\t' ;;
        *) one_line ;;
    esac
}
check_text() {
    local name=$1 pdf=$2 text raw missing=() n unmirror=cat; shift 2
    [ "$TEXT_MIRRORED" != 1 ] || unmirror=rev
    text=$(pdftotext -enc UTF-8 "$pdf" - 2>/dev/null | $unmirror | text_norm)
    raw=""   # pdftotext -raw (content-stream order), read only when a needle is not in the layout text
    for n in "$@"; do
        squash n "$n"
        case $TEXT_SCRIPT in
            ar | fa | ur) n=$(printf '%s' "$n" | perl -CSD -pe 's/[\x{064B}-\x{065F}\x{0670}]//g; s/\x{0644}([\x{0622}\x{0623}\x{0625}\x{0627}])/$1\x{0644}/g') ;;
            th | km | lo | my | zh | ja) n=${n// /} ;;
        esac
        [ -z "$n" ] && continue
        case $text in *"$n"*) continue ;; esac
        [ -n "$raw" ] || raw=$(pdftotext -raw -enc UTF-8 "$pdf" - 2>/dev/null | $unmirror | text_norm)
        case $raw in *"$n"*) continue ;; esac
        missing+=("\"$n\"")
    done
    if [ ${#missing[@]} -gt 0 ]; then fail "$name" "pdftotext lacks ${missing[*]}"; else ok "$name"; fi
}

# Pages to render: all with --full, else first, middle and last.
sample_pages() {
    local n=$1
    if [ "$FULL" -eq 1 ] || [ "$n" -le 3 ]; then seq 1 "$n"
    else printf '%s\n' 1 $(( (n + 1) / 2 )) "$n"; fi
}

# The decoding helpers below run once per QR code or page: they avoid starting processes where bash
# can do the work (process start-up is most of the cost of this suite).

# count_lines VAR FILE -- VAR = the number of lines of FILE
count_lines() { local _l; mapfile -t _l < "$2"; printf -v "$1" '%d' "${#_l[@]}"; }

# same_multiset A B -- true when files A and B hold the same lines, each as often (any order);
#   prints nothing.  MISSING and EXTRA are set to the lines of A not in B and of B not in A.
MISSING="" EXTRA=""
same_multiset() {
    local -A cnt=()
    local line k
    MISSING="" EXTRA=""
    while IFS= read -r line; do cnt["x$line"]=$(( ${cnt["x$line"]:-0} + 1 )); done < "$1"
    while IFS= read -r line; do cnt["x$line"]=$(( ${cnt["x$line"]:-0} - 1 )); done < "$2"
    for k in "${!cnt[@]}"; do
        if [ "${cnt[$k]}" -gt 0 ]; then MISSING+="${k#x} "; elif [ "${cnt[$k]}" -lt 0 ]; then EXTRA+="${k#x} "; fi
    done
    MISSING=${MISSING% } EXTRA=${EXTRA% }
    [ -z "$MISSING$EXTRA" ]
}

# decode_qr NAME PDF DUMP [REQUIRED-PAYLOAD...]
#   On each sampled page that has codes, the payloads decoded must equal, as a multiset, the payloads
#   the dump lists for that page (decode_page_qrs); every REQUIRED-PAYLOAD must be among them.
decode_qr() {
    local name=$1 pdf=$2 dump=$3; shift 3
    local d=$T/qr.$BASHPID.$RANDOM np p module q misplaced="" total=0 pages
    np=$(pdf_pages "$pdf")
    pages=" $(sample_pages "${np:-0}" | tr '\n' ' ') "
    # the codes of the sampled pages, page by page (d.qrs-P, as dump_qrs writes them), and the
    # smallest module on each (d.module-P); d.total: how many codes the dump lists in all
    awk -v d="$d" -v want="$pages" '
        $1 == "page" { page++ }
        $1 == "qr" {
            total++; p = page ? page : 1
            if (index(want, " " p " ") == 0) next
            x = y = size = mod = ""
            for (i = 3; i < NF; i++) {
                if ($i == "x" && x == "") x = $(i + 1)
                else if ($i == "y" && y == "") y = $(i + 1)
                else if ($i == "size" && size == "") size = $(i + 1)
                else if ($i == "module" && mod == "") mod = $(i + 1)
            }
            k = index($0, " payload ")
            if (k) printf "%d\t%s\t%s\t%s\t%s\n", p, x, y, size, substr($0, k + 9) > (d ".qrs-" p)
            if (mod != "" && (!(p in m) || mod + 0 < m[p])) m[p] = mod + 0
        }
        END { for (p in m) print m[p] > (d ".module-" p); print total + 0 > (d ".total") }' "$dump"
    read -r total < "$d.total"
    if [ "${total:-0}" -eq 0 ]; then fail "$name" "the dump lists no QR code"; return; fi
    : > "$d.expected"; : > "$d.got"
    for p in $pages; do
        [ -s "$d.qrs-$p" ] || continue
        module=2; [ ! -s "$d.module-$p" ] || read -r module < "$d.module-$p"
        decode_page_qrs "$name" "$pdf" "$p" "$d.qrs-$p" "$d.p$p" "$module"
        cat "$d.p$p.expected" >> "$d.expected"; cat "$d.p$p.got" >> "$d.got"
        [ ! -s "$d.p$p.misread" ] || misplaced+=$(head -n 3 "$d.p$p.misread" | one_line)
    done
    local absent=()
    for q in "$@"; do grep -qxF -- "$q" "$d.got" || absent+=("$q"); done
    if ! same_multiset "$d.expected" "$d.got"; then
        fail "$name" "decoded payloads differ from the dump: not decoded [$MISSING], unexpected [$EXTRA]"
    elif [ -n "$misplaced" ]; then
        fail "$name" "a code's crop reads another payload: $misplaced"
    elif [ ${#absent[@]} -gt 0 ]; then
        fail "$name" "no QR code decodes to ${absent[*]} (decoded: $(one_line < "$d.got"))"
    else
        ok "$name"
    fi
}

# decode_page_qrs NAME PDF PAGE QRS STEM [MODULE] -> STEM.got: the payloads decoded from page PAGE,
#   whose codes QRS lists (dump_qrs lines, PAGE numbered as in the PDF); STEM.expected: theirs in
#   the dump; MODULE is the smallest module on the page in pt (default 2).  A page with at most 4
#   codes is decoded whole at about 5 pixels per module (60 to 300 dpi), then once more at 1.3 times
#   that.  On a sheet of 8 or 10 codes zbarimg misses one or two at any resolution, so a page with
#   more than 4 codes, or one where both whole-page tries missed, is decoded code by code
#   (crop_decode_all): each code must read exactly its own payload, and mismatches go to
#   STEM.misread.
decode_page_qrs() {
    local name=$1 pdf=$2 p=$3 qrs=$4 stem=$5 m=${6:-2} dpi t n line tries=""
    : > "$stem.misread"; : > "$stem.expected"
    n=0
    while IFS=$'\t' read -r _ _ _ _ line; do printf '%s\n' "$line" >> "$stem.expected"; n=$((n + 1)); done < "$qrs"
    if [ "$n" -le 4 ]; then
        pt100 m "$m"
        dpi=$(( m > 0 ? 36000 / m : 180 )); [ "$dpi" -ge 60 ] || dpi=60; [ "$dpi" -le 300 ] || dpi=300
        for t in "$dpi" $(( dpi * 13 / 10 > 300 ? 300 : dpi * 13 / 10 )); do
            run pdftoppm -r "$t" -gray -f "$p" -l "$p" -singlefile "$pdf" "$stem.page" 2> "$stem.err" < /dev/null
            [ ! -s "$stem.err" ] || cat "$stem.err" >&2
            run zbarimg --raw -q --nodbus -Sdisable -Sqrcode.enable "$stem.page.pgm" > "$stem.got" 2>/dev/null < /dev/null
            same_multiset "$stem.expected" "$stem.got" && return 0
            tries+="$t "
        done
        note "$name: page $p decoded whole at ${tries}dpi gave [$(one_line < "$stem.got")], decoding code by code"
    fi
    crop_decode_all "$pdf" "$qrs" "$stem" > "$stem.misread"
}

# build NAME LAYOUT CONTENT OUT.pdf DUMP [extra args]...  -> status of handout; stderr kept in OUT.err
build() {
    local name=$1 layout=$2 content=$3 out=$4 dump=$5 rc; shift 5
    handout build "$layout" "$content" -o "$out" --dump "$dump" "$@" >"$out.stdout" 2>"$out.err"
    rc=$?
    if [ $rc -ne 0 ]; then
        fail "$name" "exit $rc: $(head -n 3 "$out.err" | one_line)"
    elif [ ! -s "$out" ]; then
        fail "$name" "exit 0 but no PDF at $out"; rc=99
    elif [ ! -s "$dump" ]; then
        fail "$name" "exit 0 but no dump at $dump"; rc=99
    else
        local pages; pages=$(pdf_pages "$out")
        if ! grep -qF "handout: wrote $out ($pages page" "$out.err"; then
            fail "$name" "stderr lacks \"handout: wrote $out ($pages page...\": $(head -n 2 "$out.err" | one_line)"; rc=98
        else
            ok "$name"
        fi
    fi
    return $rc
}

# ---------------------------------------------------------------------------------------------
# a) unit tests

if [ -x "$UNIT" ]; then
    # shellcheck disable=SC2086
    timeout "$TMO" $HANDOUT_WRAP "$UNIT" > "$T/unit.out" 2> "$T/unit.err"
    rc=$?
    grep -E '^(ok|FAIL) - ' "$T/unit.out"
    last=$(tail -n 1 "$T/unit.out")
    if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        PASSED=$((PASSED + BASH_REMATCH[1]))
        FAILED=$((FAILED + BASH_REMATCH[2]))
        if [ $rc -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ]; then
            fail "unit tests" "$UNIT exited $rc although it reports no failure: $(tail -n 3 "$T/unit.err" | one_line)"
        fi
    else
        if [ $rc -ne 0 ]; then
            fail "unit tests" "$UNIT exited $rc without a summary: $(cat "$T/unit.out" "$T/unit.err" | tail -n 3 | one_line)"
        else
            fail "unit tests" "$UNIT printed no \"N passed, M failed\" line"
        fi
    fi
else
    note "$UNIT not built: unit tests skipped"
fi

# ---------------------------------------------------------------------------------------------
# b) integration: every layout with every content set
#
# Each pair is checked in its own subshell, PAR at a time, its output kept in a file; the files
# are then printed in order, and each subshell's counts (its last line, "@@counts PASSED FAILED")
# added to the totals.

check_pair() { # check_pair LAYOUT CONTENT_DIR [NAME [SIZE]] -- every check of one layout with one
    #   content set (NAME: the golden dump's, as make run-pairs gives it; SIZE: built with --size)
    local layout=$1 cdir=$2 gname=${3:-} size=${4:-} lname cname tn out dump data data_args dw dh needles mds md h uses f v want got required n
    lname=${layout##*/}; lname=${lname%.ini}${size:+-$size}
    cname=${cdir##*/}
    tn="$lname+$cname"
    out=$T/$tn.pdf dump=$T/$tn.dump
    # built at a size, the field {size_name} holds its name (docs/formats.md)
    load_fields "$cdir" ${size:+"size_name=$size"}
    data_args=()
    data=$(layout_data_file "$layout" "$cdir")
    if [ -n "$data" ]; then
        # a layout naming its own data file ([page] data) is built as `make run` builds it
        [ -n "$(ini_value "$layout" page data)" ] || data_args=(--data "$data")
        f=${data##*/}; tn+="+${f%.csv}"
    fi
    SOURCE_DATE_EPOCH=$GOLDEN_EPOCH build "build $tn" "$layout" "$cdir" "$out" "$dump" "${data_args[@]}" ${size:+--size "$size"} || return 0
    # the dump against the golden one (tests/golden/, written by make regen after checks of its own)
    local golden
    golden=$(golden_file "$layout" "$cdir" "$gname")
    if [ ${#data_args[@]} -gt 0 ]; then
        note "golden dump $tn: none (make run builds the layout without --data)"
    elif [ ! -f "$golden" ]; then
        fail "golden dump $tn" "$golden is missing: make regen writes it once the PDF passes its checks"
    else
        golden_normalise "$dump" > "$dump.golden"
        if cmp -s "$dump.golden" "$golden"; then ok "golden dump $tn: the dump is $golden"
        else fail "golden dump $tn" "the dump differs from $golden (make regen rewrites it once the PDF passes its checks): $(diff "$golden" "$dump.golden" | grep '^[<>]' | head -n 4 | one_line | head -c 500)"; fi
    fi
    check_qpdf "qpdf --check $tn" "$out"

    dw="" dh=""
    read -r dw dh < <(dump_page_size "$dump")
    if [ -z "${dw:-}" ]; then
        fail "page size $tn" "no page size found in the dump"
    else
        check_page_size "page size $tn (dump: $dw x $dh)" "$out" "$dw" "$dh"
    fi
    case $lname in
        flyer-letter) check_page_size "page size $tn is Letter" "$out" 612 792 ;;
        flyer-a4)     check_page_size "page size $tn is A4" "$out" 595.276 841.89 ;;
    esac

    check_fonts "fonts embedded $tn" "$out"

    needles=()
    mds=$(layout_md_files "$layout" "$cdir")
    while IFS= read -r md; do
        [ -n "$md" ] || continue
        if [ ! -f "$md" ]; then fail "markdown file $tn" "$md (named by $layout) not found"; continue; fi
        while IFS= read -r h; do needles+=("$(expand "$h")"); done < <(md_headings "$md")
    done <<< "$mds"
    # the hotline and the title: always on the flyers; elsewhere when the layout uses them
    # shellcheck disable=SC2086  # one path per line
    # (the [page] title is only the PDF's title, checked below: not printed text)
    uses=$(awk '/^[[:space:]]*\[/ { pg = tolower($0) ~ /^[[:space:]]*\[page\]/ } !pg' "$layout"
           cat $mds 2>/dev/null; printf '%s\n' "${FIELDS[@]}")
    for f in hotline title; do
        if [[ $lname == flyer-* ]] || [[ $uses == *"{$f}"* ]]; then
            v=$(field "$f")
            if [ -z "$v" ]; then fail "field $f $tn" "$cdir/content.ini has no $f"; else needles+=("$v"); fi
        fi
    done
    # the text line: its number and keyword, wherever the layout prints {textline_label} or {tab_text}
    if [[ $uses == *"{textline_label}"* || $uses == *"{tab_text}"* ]]; then
        for f in textline textline_keyword; do
            v=$(field "$f")
            if [ -z "$v" ]; then fail "field $f $tn" "$cdir/content.ini has no $f"; else needles+=("$v"); fi
        done
    fi
    if [ "$cname" = en ] && [[ $lname == flyer-* ]] && [ "$(field hotline)" != "1-888-373-7888" ]; then
        fail "hotline $tn" "content/en hotline is \"$(field hotline)\", expected 1-888-373-7888"
    fi
    # [page] title, mirror and languages, in one read
    local ptitle="" pmirror="" plangs=""
    IFS=$'\t' read -r ptitle pmirror plangs < <(awk '
        /^[[:space:]]*[;#]/ { next }
        /^[[:space:]]*\[/ { sec = tolower($0); gsub(/[[:space:]\[\]]/, "", sec); next }
        sec == "page" && index($0, "=") {
            key = substr($0, 1, index($0, "=") - 1); val = substr($0, index($0, "=") + 1)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", key); gsub(/^[[:space:]]+|[[:space:]]+$/, "", val)
            if (val ~ /^".*"$/) val = substr(val, 2, length(val) - 2)
            v[tolower(key)] = val
        }
        END { printf "%s\t%s\t%s\n", (v["title"] == "" ? "-" : v["title"]), (v["mirror"] == "" ? "-" : v["mirror"]), (v["languages"] == "" ? "-" : v["languages"]) }' "$layout")
    [ "$ptitle" != - ] || ptitle=""; [ "$plangs" != - ] || plangs=""
    TEXT_MIRRORED=0; [ "$pmirror" != yes ] || TEXT_MIRRORED=1
    TEXT_SCRIPT=$cname
    check_text "text $tn (${#needles[@]} strings)" "$out" "${needles[@]}"
    TEXT_MIRRORED=0 TEXT_SCRIPT=""

    want=$(expand "$ptitle")
    if [ -n "$want" ] && [ -n "$plangs" ]; then
        note "PDF title $tn: not checked ([page] languages: one PDF for several content sets)"
    elif [ -n "$want" ]; then
        got=$(pdfinfo -enc UTF-8 "$out" 2>/dev/null | sed -n 's/^Title: *//p')
        check "PDF title $tn" "pdfinfo Title \"$got\", expected \"$want\"" test "$got" = "$want"
    fi

    required=()
    if [ "$cname" = en ] && [[ $lname == flyer-* ]]; then
        required=("tel:+18883737888" "$(field donate_url)")
    fi
    # every code the layout asks for, its payload made from the content set by this script: on a
    # layout of one content set without a data file, each must decode from the sampled pages
    local kind tmpl body q derived=0
    if [ -z "$data" ] && [ -z "$plangs" ]; then
        while IFS=$'\t' read -r kind tmpl body; do
            [ -n "$kind" ] || continue
            q=$(qr_payload_of "$kind" "$tmpl" "$body")
            if [ -n "$q" ]; then required+=("$q"); derived=$((derived + 1)); fi
        done < <(layout_qr_templates "$layout")
    fi
    if ! grep -q '^qr ' "$dump" && ! grep -qiE '^[[:space:]]*type[[:space:]]*=[[:space:]]*"?qr"?[[:space:]]*$' "$layout"; then
        note "qr $tn: the layout has no QR code"
    else
        decode_qr "qr $tn ($derived payloads made from the layout and $cname/content.ini)" "$out" "$dump" "${required[@]}"
    fi
    if [ "$cname" = en ] && [[ $lname == flyer-* ]]; then
        n=$(dump_qrs "$dump" | wc -l)
        check "qr count $tn" "the dump lists $n QR codes, expected exactly 2 (hotline, donation)" [ "$n" -eq 2 ]
    fi
}

# the pairs `make run` builds (make run-pairs: each layout with the content sets that go into it, a
# layout holding its own languages once)
pairs=()
mapfile -t pairs < <(golden_pairs)
running=0 i=0
for pair in "${pairs[@]}"; do
    i=$((i + 1))
    # shellcheck disable=SC2086  # two words: layout and content folder
    ( p0=$PASSED f0=$FAILED; check_pair $pair; echo "@@counts $((PASSED - p0)) $((FAILED - f0))" ) \
        > "$T/pair.$i.out" 2>&1 < /dev/null &
    running=$((running + 1))
    if [ "$running" -ge "$PAR" ]; then wait -n; running=$((running - 1)); fi
done
wait
FIRST_PAIR="" i=0
for pair in "${pairs[@]}"; do
    i=$((i + 1))
    counted=0
    while IFS= read -r line; do
        if [[ $line =~ ^@@counts\ ([0-9]+)\ ([0-9]+)$ ]]; then
            PASSED=$((PASSED + BASH_REMATCH[1])); FAILED=$((FAILED + BASH_REMATCH[2])); counted=1
        else
            printf '%s\n' "$line"
            [ -n "$FIRST_PAIR" ] || [[ $line != "ok - build "* ]] || FIRST_PAIR=$pair
        fi
    done < "$T/pair.$i.out"
    [ $counted -eq 1 ] || fail "checks of $pair" "ended without reporting its counts"
done
[ -n "$FIRST_PAIR" ] || note "no layouts/*.ini with a content/*/content.ini built: integration part had nothing to run"
# a golden dump whose pair make run no longer builds (make regen removes it)
declare -A GOLDEN_OF=()
for pair in "${pairs[@]}"; do
    # shellcheck disable=SC2086  # two words: layout and content folder
    GOLDEN_OF[$(golden_file $pair)]=1
done
stale=""
for g in tests/golden/*.dump; do [ ! -e "$g" ] || [ -n "${GOLDEN_OF[$g]:-}" ] || stale+=" $g"; done
check "golden dumps: one for each pair make run builds, no other (${#pairs[@]} pairs)" \
    "no pair for$stale: run make regen" test -z "$stale"

# ---------------------------------------------------------------------------------------------
# c) determinism

det() { # det NAME LAYOUT CONTENT
    local name=$1 a=$T/det-a.pdf b=$T/det-b.pdf c=$T/det-c.pdf
    if handout build "$2" "$3" -o "$a" 2>/dev/null && handout build "$2" "$3" -o "$b" 2>/dev/null; then
        check "deterministic $name" "two builds differ: $(cmp "$a" "$b" 2>&1)" cmp -s "$a" "$b"
        check "no CreationDate without SOURCE_DATE_EPOCH $name" "pdfinfo shows $(pdfinfo "$a" 2>/dev/null | grep CreationDate | one_line)" \
            eval "! pdfinfo '$a' 2>/dev/null | grep -q '^CreationDate:'"
    else
        fail "deterministic $name" "build failed"
    fi
    if SOURCE_DATE_EPOCH=1700000000 handout build "$2" "$3" -o "$c" 2>/dev/null; then
        local cdate; cdate=$(pdfinfo "$c" 2>/dev/null | grep '^CreationDate:' | one_line)
        check "SOURCE_DATE_EPOCH sets CreationDate $name" "expected 2023-11-14, pdfinfo shows \"$cdate\"" \
            eval '[[ "$cdate" == *"Nov 14"*"2023"* ]]'
        SOURCE_DATE_EPOCH=1700000000 handout build "$2" "$3" -o "$b" 2>/dev/null
        check "deterministic with SOURCE_DATE_EPOCH $name" "two builds differ" cmp -s "$c" "$b"
    else
        fail "SOURCE_DATE_EPOCH sets CreationDate $name" "build failed"
    fi
}
det "fixture" tests/fixtures/basic.ini tests/fixtures/content
if [ -n "$FIRST_PAIR" ]; then
    # shellcheck disable=SC2086  # two words: layout and content folder
    set -- $FIRST_PAIR
    det "$(basename "$1" .ini)+$(basename "$2")" "$1" "$2"
fi

# --dump - writes the same text to stdout
if handout build tests/fixtures/basic.ini tests/fixtures/content -o "$T/d1.pdf" --dump "$T/d1.dump" 2>/dev/null &&
   handout build tests/fixtures/basic.ini tests/fixtures/content -o "$T/d2.pdf" --dump - > "$T/d2.dump" 2>/dev/null; then
    check "--dump - writes the dump to stdout" "stdout differs from the dump file" cmp -s "$T/d1.dump" "$T/d2.dump"
else
    fail "--dump - writes the dump to stdout" "build failed"
fi

# default output path: output/<layout>-<content>.pdf under the current folder
mkdir -p "$T/cwd/output"
(cd "$T/cwd" && handout build "$ROOT/tests/fixtures/basic.ini" "$ROOT/tests/fixtures/content" >/dev/null 2>"$T/cwd.err")
check "default output path output/basic-content.pdf" "not written ($(ls "$T/cwd/output" | one_line); $(one_line < "$T/cwd.err"))" \
    test -s "$T/cwd/output/basic-content.pdf"

# make regen (tests/regen.sh) itself. With one pair it writes the golden dump kept here. When a PDF
# fails a check it writes nothing and names the check: the failing PDFs come from a stand-in for
# handout that misbehaves by layout (the flyer's donation code carries another address than
# content/en gives: the QR decode; the poster's PDF cut short: qpdf --check; the tear-off's PDF
# replaced by one whose font is not embedded: pdffonts).
RG=$T/regen
mkdir -p "$RG/good" "$RG/bad"
REGEN_PAIRS="layouts/flyer.ini content/en flyer-letter-en letter" GOLDEN_DIR=$RG/good HANDOUT=$HANDOUT tests/regen.sh > "$RG/good.out" 2>&1
rc=$?
if [ $rc -eq 0 ] && cmp -s "$RG/good/flyer-letter-en.dump" tests/golden/flyer-letter-en.dump &&
   grep -q '^ok - qr flyer-letter+en: all 2 codes decode at 300 dpi' "$RG/good.out"; then
    ok "make regen, one pair: its checks pass and it writes the golden dump kept in tests/golden/"
else fail "make regen, one pair" "exit $rc: $(grep -v '^ok' "$RG/good.out" | head -n 4 | one_line)"; fi
cat > "$RG/handout" <<EOF
#!/bin/sh
# a stand-in for handout (tests/run.sh, the test of make regen): builds, then spoils the PDF
real='$HANDOUT' out= prev=
for a; do [ "\$prev" != -o ] || out=\$a; prev=\$a; done
case \$2 in *flyer.ini) exec "\$real" "\$@" --set donate_url=https://example.org/other ;; esac
"\$real" "\$@" || exit \$?
case \$2 in
    *poster.ini) head -c 3000 "\$out" > "\$out.cut" && mv "\$out.cut" "\$out" ;;
    *tearoff-letter.ini) cp '$ROOT/tests/fixtures/font-not-embedded.pdf' "\$out" ;;
esac
EOF
chmod +x "$RG/handout"
printf 'kept as it was\n' > "$RG/bad/flyer-letter-en.dump"
REGEN_PAIRS=$'layouts/flyer.ini content/en flyer-letter-en letter\nlayouts/poster.ini content/en poster-a3-en a3\nlayouts/tearoff-letter.ini content/en' \
    GOLDEN_DIR=$RG/bad HANDOUT=$RG/handout HANDOUT_WRAP="" tests/regen.sh > "$RG/bad.out" 2>&1
rc=$?
if [ $rc -eq 1 ] && [ "$(ls "$RG/bad")" = flyer-letter-en.dump ] && [ "$(cat "$RG/bad/flyer-letter-en.dump")" = "kept as it was" ] &&
   grep -q '^FAIL - qr flyer-letter+en: .*read \[https://example.org/other\], expected \[https://example.org/donate\]' "$RG/bad.out" &&
   grep -q '^FAIL - qpdf --check poster-a3+en: ' "$RG/bad.out" &&
   grep -q '^FAIL - pdffonts tearoff-letter+en: every font embedded: font not embedded: Helvetica' "$RG/bad.out" &&
   grep -q 'nothing written' "$RG/bad.out"; then
    ok "make regen: a wrong QR payload, a damaged PDF and a font not embedded each fail their check, and nothing is written"
else fail "make regen: failing checks write nothing" "exit $rc, left $(ls "$RG/bad" | one_line): $(grep -v '^ok' "$RG/bad.out" | head -n 5 | one_line | head -c 600)"; fi

# ---------------------------------------------------------------------------------------------
# d) --set

out=$T/set.pdf
if build "build with --set (fixture)" tests/fixtures/basic.ini tests/fixtures/content "$out" "$T/set.dump" \
        --set donate_url=https://example.org/give; then
    decode_qr "--set donate_url decodes (fixture)" "$out" "$T/set.dump" "https://example.org/give"
    check "--set donate_url replaces the content value (fixture)" "the dump still has https://example.org/donate" \
        eval "! dump_qrs '$T/set.dump' | grep -qF 'https://example.org/donate'"
fi
layout=layouts/flyer.ini
if [ ! -f "$layout" ] || [ ! -f content/en/content.ini ]; then
    note "no layouts/flyer.ini + content/en: flyer --set test skipped"
else
    out=$T/set-flyer.pdf
    if build "build with --set (flyer-letter+en)" "$layout" content/en "$out" "$T/set-flyer.dump" \
            --set donate_url=https://example.org/give; then
        decode_qr "--set donate_url decodes (flyer-letter+en)" "$out" "$T/set-flyer.dump" \
            "tel:+18883737888" "https://example.org/give"
        got=$(dump_qrs "$T/set-flyer.dump" | cut -f5 | sort | one_line)
        check "--set flyer QR payloads are exactly hotline + given URL" "dump payloads: $got" \
            test "$got" = "https://example.org/give tel:+18883737888"
    fi
fi

# ---------------------------------------------------------------------------------------------
# e) the iniparser traps: a quoted colour and a quoted URL with a #fragment

out=$T/traps.pdf
if build "build tests/fixtures/traps.ini" tests/fixtures/traps.ini tests/fixtures/content "$out" "$T/traps.dump"; then
    decode_qr "quoted URL keeps its #fragment" "$out" "$T/traps.dump" "https://example.org/a#frag"
    got=$(dump_qrs "$T/traps.dump" | cut -f5 | one_line)
    check "dump payload is the whole URL" "dump payload \"$got\"" test "$got" = "https://example.org/a#frag"
    # box 0.5in..2in x 0.5in..1.5in: centre (90, 72) pt = pixel (90, 72) at 72 dpi
    pixel() { # pixel PPM X Y -> "r g b" in hex
        local hdr w
        hdr=$(head -n 3 "$1" | wc -c)
        w=$(sed -n 2p "$1" | awk '{ print $1 }')
        od -An -tx1 -j $((hdr + ($3 * w + $2) * 3)) -N 3 "$1" | one_line
    }
    run pdftoppm -r 72 -f 1 -l 1 -singlefile "$out" "$T/traps" >&2
    if [ -s "$T/traps.ppm" ] && [ "$(head -c 2 "$T/traps.ppm")" = P6 ]; then
        c=$(pixel "$T/traps.ppm" 90 72)
        check "quoted box colour is #1a2b3c" "box centre pixel is #${c// /}" test "$c" = "1a 2b 3c"
        c=$(pixel "$T/traps.ppm" 10 10)
        check "page outside the box stays white" "pixel (10,10) is #${c// /}" test "$c" = "ff ff ff"
    else
        fail "quoted box colour is #1a2b3c" "pdftoppm made no PPM"
    fi
fi

# ---------------------------------------------------------------------------------------------
# f) bad input: tests/bad/cases.txt

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }
# the fixtures too large to keep in the repository, for @GEN@
GEN=$T/gen
sh tests/bad/generate.sh "$GEN" || fail "bad input: tests/bad/generate.sh" "exit $?"
# bad_case DIR STATUS ID FILE MESSAGE ARGS: runs one case of tests/bad/cases.txt in DIR and sets
# WHY to the reasons it failed (empty: it passed). With an ID, the command (build or check) runs
# with --diagnostics DIR/records and each id must be that of an error record.
bad_case() {
    local d=$1 status=$2 id=$3 file=$4 msg=$5 args=$6 out rc stream rest sub dup san left cmd ids
    WHY=()
    mkdir -p "$d/out"
    out=$d/out/out.pdf
    read -r -a argv <<< "${args//@OUT@/$out}"
    cmd=${argv[0]-}
    if [ "$id" != - ]; then
        if [ "$cmd" = build ] || [ "$cmd" = check ]; then argv+=(--diagnostics "$d/records")
        else WHY+=("an id is asserted through --diagnostics records, which $cmd does not write; write -"); fi
    fi
    handout "${argv[@]}" < /dev/null > "$d/stdout" 2> "$d/stderr"
    rc=$?
    [ "$rc" = "$status" ] || WHY+=("exit $rc, expected $status")
    if [ "$status" = 0 ]; then stream=$d/stdout; else stream=$d/stderr; fi
    rest=$msg
    while [ -n "$rest" ]; do
        sub=${rest%% && *}
        if [ "$sub" = "$rest" ]; then rest=""; else rest=${rest#* && }; fi
        if [ "$file" = - ]; then
            grep -qF -- "$sub" "$stream" || WHY+=("no \"$sub\"")
        else
            grep -F -- "$file" "$stream" | grep -qF -- "$sub" || WHY+=("no line with \"$file\" and \"$sub\"")
        fi
    done
    if [ "$id" != - ]; then
        ids=$(awk -F '\t' '$1 == "error" && NF == 9 { print $2 }' "$d/records" 2>/dev/null | sort -u | one_line)
        rest=$id
        while [ -n "$rest" ]; do
            sub=${rest%% && *}
            if [ "$sub" = "$rest" ]; then rest=""; else rest=${rest#* && }; fi
            grep -qxF -- "$sub" < <(tr ' ' '\n' <<< "$ids") || WHY+=("no error record with the id $sub (ids: ${ids:-none})")
        done
    fi
    if [ "$status" = 1 ] || [ "$status" = 3 ]; then
        grep -q '^handout: error: ' "$d/stderr" || WHY+=("no \"handout: error: \" line")
    fi
    dup=$(grep '^handout: ' "$d/stderr" | sort | uniq -d | head -n 1)
    [ -z "$dup" ] || WHY+=("line printed twice: $dup")
    # docs/errors.md, Messages: no control character reaches the terminal through a message (C0 but
    # the newline that ends each line, DEL, C1), whatever the input quoted in it holds
    ! LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$d/stderr" &&
        ! LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$d/stderr" ||
        WHY+=("a raw control character on stderr: $(LC_ALL=C grep -m 1 "$(printf '[\001-\011\013-\037\177]\\|\302[\200-\237]')" "$d/stderr" | od -c | head -n 2 | one_line)")
    # under make check-asan: a leak or an error on the way out is a failure even when the status
    # is right (LeakSanitizer keeps a non-zero status as it is)
    san=$(grep -m 1 -E 'ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:' "$d/stderr")
    [ -z "$san" ] || WHY+=("sanitizer: $san")
    if [ "$status" != 0 ]; then
        [ ! -e "$out" ] || WHY+=("wrote $out anyway")
        left=$(ls -A "$d/out")
        [ -z "$left" ] || WHY+=("left files behind: $left")
    fi
}

n=0
while IFS= read -r line || [ -n "$line" ]; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    IFS='|' read -r name status id file msg args <<< "$line"
    name=$(trim "$name"); status=$(trim "$status"); id=$(trim "$id"); file=$(trim "$file"); msg=$(trim "$msg"); args=$(trim "$args")
    file=${file//@GEN@/$GEN}; args=${args//@GEN@/$GEN}
    n=$((n + 1))
    bad_case "$T/bad/$n" "$status" "$id" "$file" "$msg" "$args"
    if [ ${#WHY[@]} -eq 0 ]; then
        if [ "$id" = - ]; then ok "bad input: $name"; else ok "bad input: $name ($id)"; fi
    else
        fail "bad input: $name" "$(IFS=';'; echo "${WHY[*]}") -- stderr: $(head -c 400 "$T/bad/$n/stderr" | one_line)"
    fi
done < tests/bad/cases.txt
# the runner itself: a row with the right message and a wrong id fails, and names the id found
bad_case "$T/bad/wrong-id" 1 layout-unknown-key tests/bad/unknown-type.ini "expected a section type" \
    "build tests/bad/unknown-type.ini tests/fixtures/content -o @OUT@"
if [ ${#WHY[@]} -eq 1 ] && [[ ${WHY[0]} == "no error record with the id layout-unknown-key (ids: layout-unknown-type)" ]]; then
    ok "bad input: a row with a wrong id fails (layout-unknown-key for an unknown type)"
else fail "bad input: a row with a wrong id fails" "reasons: ${WHY[*]:-none}"; fi
[ "$n" -gt 0 ] || fail "bad input" "tests/bad/cases.txt has no case"

# a failed build leaves an existing good file at the output path untouched
mkdir -p "$T/keep"
if handout build tests/fixtures/basic.ini tests/fixtures/content -o "$T/keep/x.pdf" 2>/dev/null; then
    cp "$T/keep/x.pdf" "$T/keep.orig"
    handout build tests/bad/length-no-unit.ini tests/fixtures/content -o "$T/keep/x.pdf" >/dev/null 2>&1
    rc=$?
    if [ $rc -ne 1 ]; then fail "failed build keeps the existing output" "bad build exited $rc, expected 1"
    elif ! cmp -s "$T/keep/x.pdf" "$T/keep.orig"; then fail "failed build keeps the existing output" "the existing PDF was changed"
    elif [ "$(ls -A "$T/keep")" != x.pdf ]; then fail "failed build keeps the existing output" "left files: $(ls -A "$T/keep" | one_line)"
    else ok "failed build keeps the existing output"; fi
else
    fail "failed build keeps the existing output" "the good build failed"
fi

# where a build may write: never onto its inputs, devices, FIFOs or links; parts all or none
if [ -f tests/outputs.sh ]; then
    # shellcheck source=tests/outputs.sh
    . tests/outputs.sh
else
    fail "output safety tests" "tests/outputs.sh is missing"
fi

# ---------------------------------------------------------------------------------------------
# g) imposition: cards on sheets, duplex, crop marks, print-shop, printer, CSV merge, serials

if [ -f tests/cards.sh ]; then
    # shellcheck source=tests/cards.sh
    . tests/cards.sh
else
    fail "imposition tests" "tests/cards.sh is missing"
fi
if [ -f tests/stock.sh ]; then
    # shellcheck source=tests/stock.sh
    . tests/stock.sh
else
    fail "stock preset tests" "tests/stock.sh is missing"
fi

# `handout list` names every layout and content set
if handout list > "$T/list" 2> "$T/list.err"; then
    missing=()
    for layout in layouts/*.ini; do
        [ -f "$layout" ] || continue
        grep -qE "^layout +$layout( |$)" "$T/list" || missing+=("$layout")
    done
    for cdir in content/*/; do
        cdir=${cdir%/}
        [ -f "$cdir/content.ini" ] || continue
        grep -qE "^content +$cdir( |$)" "$T/list" || missing+=("$cdir")
    done
    check "list names every layout and content set" "missing: ${missing[*]:-}" test ${#missing[@]} -eq 0
else
    fail "list names every layout and content set" "handout list failed: $(one_line < "$T/list.err")"
fi


# ---------------------------------------------------------------------------------------------
# h) one command line (issue 11, item 5): one option table and one parser for every command, one
#    order of severity where exit statuses meet, and check taking its arguments as build does

CL=$T/cli
mkdir -p "$CL"
# --opt=value is --opt value, for every command: serve's own loop once knew only "--port 9999"
handout serve --port=abc > "$CL/serve.out" 2> "$CL/serve.err"; rc=$?
if [ $rc -eq 2 ] && grep -q '^handout: serve: --port: expected a value in range, found abc$' "$CL/serve.err"; then
    ok "cli --opt=value: serve --port=abc is read as --port abc (status 2, the value named)"
else fail "cli --opt=value: serve --port=abc" "exit $rc: $(head -n 2 "$CL/serve.err" | one_line)"; fi
handout serve --output x > /dev/null 2> "$CL/serve2.err"; rc=$?
if [ $rc -eq 2 ] && grep -q '^handout: serve: option --output is for build, calibrate, batch, report, orders and proof$' "$CL/serve2.err"; then
    ok "cli option table: an option of other commands names them (serve --output: build, calibrate, batch, report, orders and proof)"
else fail "cli option table: serve --output" "exit $rc: $(head -n 1 "$CL/serve2.err" | one_line)"; fi
errs=""
handout build tests/fixtures/basic.ini tests/fixtures/content --output "$CL/b1.pdf" --count 2 --dump "$CL/b1.dump" > /dev/null 2>&1 || errs="$errs build (spaces) failed;"
handout build tests/fixtures/basic.ini tests/fixtures/content --output="$CL/b2.pdf" --count=2 --dump="$CL/b2.dump" --jobs=1 --max-pages=10 > /dev/null 2>&1 || errs="$errs build (=) failed;"
cmp -s "$CL/b1.pdf" "$CL/b2.pdf" || errs="$errs build: the PDFs differ;"
handout check --content=tests/fixtures/content --count=1 --set=title=Hello tests/fixtures/basic.ini > /dev/null 2>&1 || errs="$errs check failed;"
handout calibrate layouts/wallet-card-us.ini --sheet=letter-10up-cards --output="$CL/cal.pdf" > /dev/null 2>&1 && [ -s "$CL/cal.pdf" ] || errs="$errs calibrate failed;"
[ "$(handout list --root=. 2>&1)" = "$(handout list --root . 2>&1)" ] || errs="$errs list --root=. differs from --root .;"
handout batch --sha256 --jobs=2 --shard=1/1 --quiet README.md > "$CL/sha.out" 2>&1 && grep -q '  README.md$' "$CL/sha.out" || errs="$errs batch failed;"
handout report data/distribution-example.csv --output="$CL/dist.pdf" > /dev/null 2>&1 && [ -s "$CL/dist.pdf" ] || errs="$errs report failed;"
if [ -z "$errs" ]; then ok "cli --opt=value: build, check, calibrate, list, batch and report take every value joined with '=' (the build's PDF is the same)"
else fail "cli --opt=value: every command" "$errs"; fi

# check LAYOUT... CONTENT_DIR..., as build takes them: a folder holding content.ini is a content set
handout check layouts/flyer.ini content/en > "$CL/pos.out" 2>&1; rc=$?
if [ $rc -eq 0 ] && [ "$(tail -n 1 "$CL/pos.out")" = "handout: checked 1 layout x 1 content set: 0 with errors, 0 warnings" ] &&
   ! grep -q 'expected a layout file' "$CL/pos.out"; then
    ok "cli check positional: check layouts/flyer.ini content/en checks 1 layout x 1 content set"
else fail "cli check positional: check LAYOUT CONTENT_DIR" "exit $rc: $(head -c 400 "$CL/pos.out" | one_line)"; fi
# one layout checked is not every layout: the fields only other layouts use are not its warnings
handout check layouts/flyer.ini --content content/en > "$CL/one.out" 2>&1; rc=$?
n=$(grep -c 'expected every field to be used' "$CL/one.out")
if [ $rc -eq 0 ] && [ "$n" -eq 0 ] && [ "$(tail -n 1 "$CL/one.out")" = "handout: checked 1 layout x 1 content set: 0 with errors, 0 warnings" ]; then
    ok "cli check unused fields: one layout with --content reports no field that other layouts use"
else fail "cli check unused fields: one layout with --content" "exit $rc, $n unused-field warnings: $(tail -n 1 "$CL/one.out")"; fi
handout check layouts/flyer.ini --content content/en --unused > "$CL/unused.out" 2>&1; rc=$?
n=$(grep -c '^handout: warning: content/en/content.ini:[0-9]*: \[content\] [a-z0-9_]*: expected every field to be used by a layout checked, found none using it' "$CL/unused.out")
if [ $rc -eq 0 ] && [ "$n" -gt 0 ] && tail -n 1 "$CL/unused.out" | grep -q ": 0 with errors, $n warnings\$"; then
    ok "cli check --unused: one layout lists the $n fields it does not use (warnings, exit 0)"
else fail "cli check --unused" "exit $rc, $n unused-field warnings: $(tail -n 1 "$CL/unused.out")"; fi
# every layout: with no layout named (the current folder's layouts/), or all of a folder's
PJ=$CL/project
mkdir -p "$PJ"
for d in data fonts profiles sheets printers themes; do ln -s "$ROOT/$d" "$PJ/$d"; done
cp -r layouts content "$PJ/"   # copies: the test adds a field to a content set
printf 'unused_by_all = not printed anywhere\n' >> "$PJ/content/en/content.ini"
nl=$(find layouts -maxdepth 1 -name "[!.]*.ini" | wc -l)
(cd "$PJ" && handout check > "$CL/all.out" 2>&1); rc=$?
(cd "$PJ" && handout check "$PJ"/layouts/*.ini > "$CL/all2.out" 2>&1); rc2=$?
(cd "$PJ" && handout check layouts/flyer.ini layouts/poster.ini > "$CL/some.out" 2>&1); rc3=$?
want="content/en/content.ini:[0-9]*: \[content\] unused_by_all: expected every field to be used by a layout checked"
# every set but the reference ones; the warnings: that field, and one per draft set in each layout it lists
ncs=$(grep -L -E '^scope *= *reference' "$PJ"/content/*/content.ini | wc -l)
ndw=$(grep -c '\[content\] status: expected a translation a native speaker has reviewed' "$CL/all.out")
nw="$((ndw + 1)) warning"; [ "$ndw" = 0 ] || nw+=s
if [ $rc -eq 0 ] && grep -q "^handout: warning: $want" "$CL/all.out" && grep -q "^handout: checked $nl layouts x $ncs content sets: 0 with errors, $nw\$" "$CL/all.out" &&
   [ $rc2 -eq 0 ] && grep -q "^handout: warning: $PJ/$want" "$CL/all2.out" &&
   [ $rc3 -eq 0 ] && ! grep -q 'expected every field to be used' "$CL/some.out"; then
    ok "cli check unused fields: reported when every layout is checked (no layout named: all $nl; or all of layouts/*.ini), not for two"
else fail "cli check unused fields: every layout" "exits $rc, $rc2, $rc3: $(grep -m 1 unused_by_all "$CL/all.out") / $(tail -n 1 "$CL/all.out") / $(tail -n 1 "$CL/all2.out") / $(tail -n 1 "$CL/some.out")"; fi

# where statuses meet, the most severe counts (status.h): in one check, a usage error (--count
# past a data file's records, 2) in one layout and invalid input (1) in another is status 2
printf 'code,name,note\nA1,Ann,one\nB2,Bo,two\n' > "$CL/two.csv"
handout check tests/fixtures/merge.ini tests/bad/length-no-unit.ini --content tests/fixtures/content \
    --data "$CL/two.csv" --count 5 > "$CL/worst.out" 2>&1; rc=$?
if [ $rc -eq 2 ] && grep -q -e '--count: expected at most the 2 records' "$CL/worst.out" &&
   grep -q '^handout: error: tests/bad/length-no-unit.ini:[0-9]*: .*expected a length with a unit' "$CL/worst.out" &&
   [ "$(tail -n 1 "$CL/worst.out")" = "handout: checked 2 layouts x 1 content set: 2 with errors, 0 warnings" ]; then
    ok "cli exit status: the most severe where statuses meet (a usage error 2 and an input error 1 in one check: 2)"
else fail "cli exit status: the most severe" "exit $rc, expected 2: $(tail -n 3 "$CL/worst.out" | one_line)"; fi

# Diagnostic ids (issue 11): every id written in src/*.c is listed in docs/errors.md with the level
# it is reported at, every id listed is reported, all are well formed (tools/diag-ids.pl). First
# the checker itself, on a small source that breaks each rule once: it must find every break.
mkdir -p "$T/ids"
cat > "$T/ids/a.c" <<'EOF_C'
static void pass_on(diag *d, const char *id, diag_loc loc) { diag_error(d, id, loc, "x"); }
static void f(diag *d, diag_loc loc)
{
    diag_error(d, "ini-known", loc, "expected a, found b");
    diag_warn(d, "ini-known", loc, "a warning under an error's id");
    diag_error(d, "ini-undocumented", loc, "x");
    diag_error(d, "Bad_Id", loc, "x");
    diag_error(d, loc, "a call without an id");
    pass_on(d, "ini-passed-on", loc);
    pass_on(d, "nowhere-area", loc);
}
EOF_C
printf '%s\n' '# x' '## Diagnostic ids' '| Area | x |' '|---|---|' '| `ini-` | the INI reader |' '' \
    '| Id | Level | x | y |' '|---|---|---|---|' '| `ini-known` | error | x | y |' '| `ini-passed-on` | error | x | y |' \
    '| `ini-unused` | error | x | y |' '| `ini-passed-on` | error | twice | y |' > "$T/ids/errors.md"
perl tools/diag-ids.pl --check --docs "$T/ids/errors.md" "$T/ids/a.c" > "$T/ids/out" 2>&1
rc=$?
want=("FAIL - diagnostic ids are well formed: .*Bad_Id.*nowhere-area" "FAIL - every reporting call names its id: .*a.c:8: diag_error: expected an id"
      "FAIL - every diagnostic id used is documented: .*ini-undocumented" "FAIL - every diagnostic id documented is used: .*ini-unused"
      "FAIL - each diagnostic id is documented once: twice: ini-passed-on" "FAIL - each diagnostic id's documented level is the one used: ini-known: documented \"error\", used as \"error, warning\"")
missing=()
for w in "${want[@]}"; do grep -q -- "$w" "$T/ids/out" || missing+=("$w"); done
if [ $rc = 1 ] && [ ${#missing[@]} = 0 ]; then
    ok "tools/diag-ids.pl finds each kind of break in a small source (malformed, no id, undocumented, unused, twice, wrong level)"
else fail "tools/diag-ids.pl finds each kind of break" "exit $rc; missing: ${missing[*]} -- $(one_line < "$T/ids/out")"; fi
# then the real sources and docs/errors.md
perl tools/diag-ids.pl --check > "$T/ids/real" 2>&1
rc=$?
while IFS= read -r line; do
    case $line in
        "ok - "*) ok "diagnostic ids: ${line#ok - }" ;;
        "FAIL - "*) l=${line#FAIL - }; fail "diagnostic ids: ${l%%: *}" "${l#*: }" ;;
    esac
done < "$T/ids/real"
grep -q '^ok - every diagnostic id used is documented' "$T/ids/real" && [ $rc = 0 ] ||
    fail "diagnostic ids: tools/diag-ids.pl --check" "exit $rc: $(tail -n 3 "$T/ids/real" | one_line)"

# docs/bad-inputs.md is the table of tests/bad/cases.txt: regenerated, it must not change
if [ -f docs/bad-inputs.md ]; then
    cp docs/bad-inputs.md "$T/bad-inputs.before"
    sh tools/bad-inputs-doc.sh
    if cmp -s "$T/bad-inputs.before" docs/bad-inputs.md; then
        ok "docs/bad-inputs.md lists every case of tests/bad/cases.txt ($(grep -c '^| [a-z]' docs/bad-inputs.md) rows)"
    else
        cp "$T/bad-inputs.before" docs/bad-inputs.md
        fail "docs/bad-inputs.md is up to date" "run tools/bad-inputs-doc.sh after changing tests/bad/cases.txt"
    fi
else
    fail "docs/bad-inputs.md is up to date" "docs/bad-inputs.md is missing: run tools/bad-inputs-doc.sh"
fi

# The Unicode map of every font (fontembed.c): a ToUnicode CMap of type 2 (9.10.3) that maps each
# glyph drawn to its characters (bfchar), never an encoding CMap (begincidrange); poppler reads it
# without a warning, and the text comes out whole.
for lc in flyer:vi notice-ca-ko-letter:en wallet-card-eu:es; do
    l=${lc%%:*} c=${lc#*:}
    if handout build "layouts/$l.ini" "content/$c" -o "$T/tu-$l.pdf" > /dev/null 2>&1 &&
       qpdf --qdf --object-streams=disable "$T/tu-$l.pdf" "$T/tu-$l.qdf" 2> /dev/null; then
        maps=$(grep -ac '^/CMapType 2 def' "$T/tu-$l.qdf")
        fonts=$(grep -ac '^ */ToUnicode [0-9]* 0 R' "$T/tu-$l.qdf")
        cid=$(grep -ac 'begincidrange' "$T/tu-$l.qdf")
        chars=$(awk '/beginbfchar/ { n += $1 } END { print n + 0 }' "$T/tu-$l.qdf")
        warn=$(pdftotext "$T/tu-$l.pdf" "$T/tu-$l.txt" 2>&1)
        if [ "$fonts" -ge 1 ] && [ "$maps" = "$fonts" ] && [ "$cid" = 0 ] && [ "$chars" -ge "$fonts" ] && [ -z "$warn" ]; then
            ok "ToUnicode $l $c: $fonts fonts, each a type 2 map ($chars glyphs mapped, no begincidrange); pdftotext warns of nothing"
        else fail "ToUnicode $l $c" "fonts $fonts, type 2 maps $maps, begincidrange $cid, glyphs mapped $chars, pdftotext: $warn"; fi
    else fail "ToUnicode $l $c" "the build or qpdf failed"; fi
done
if grep -qF 'Nạn buôn người cũng xảy ra ở đây' "$T/tu-flyer.txt" 2>/dev/null &&
   grep -qF "$(sed -n 's/^notice_title *= *//p' content/ko/content.ini)" "$T/tu-notice-ca-ko-letter.txt" 2>/dev/null; then
    ok "ToUnicode: Vietnamese and Korean text extracts whole through the new maps"
else fail "ToUnicode: text extraction" "$(head -c 200 "$T/tu-flyer.txt" 2>/dev/null | one_line)"; fi

# --- issue 18, class 10: a FIFO (or a device, a folder) where an input file belongs ------------------
# Every input is refused by its kind before it is opened, so nothing waits on a FIFO that no one
# writes to, and the kind is named (not "a folder" for a FIFO); list names what it skips and shows
# a description's control characters escaped, never raw to a terminal. In a copy of the project
# under $T; every run is bounded (a hang is a failure with status 124, not a stuck suite).
FP=$T/fifo-project
mkdir -p "$FP/out" "$FP/jobs"
cp -r layouts content sheets data printers themes "$FP"/
FT=20
[ -z "$HANDOUT_WRAP" ] || FT=300
# shellcheck disable=SC2086  # HANDOUT_WRAP is a command line: split it
in_fp() { (cd "$FP" && timeout "$FT" $HANDOUT_WRAP "$HANDOUT" "$@" < /dev/null > "$T/fifo.out" 2> "$T/fifo.err"); }
# fifo_case NAME STATUS TEXT ARGS...: exits with STATUS within the bound, TEXT on a line of stderr
# (of stdout for STATUS 0; "A && B": both on one line), and no PDF at out/x.pdf
fifo_case() {
    local name=$1 want=$2 text=$3 rc stream=$T/fifo.err lines sub rest; shift 3
    rm -f "$FP/out/x.pdf"
    in_fp "$@"; rc=$?
    [ "$want" != 0 ] || stream=$T/fifo.out
    lines=$(cat "$stream")
    rest=$text
    while [ -n "$rest" ]; do
        sub=${rest%% && *}
        if [ "$sub" = "$rest" ]; then rest=""; else rest=${rest#* && }; fi
        lines=$(printf '%s\n' "$lines" | grep -F -- "$sub")
    done
    if [ $rc = "$want" ] && [ -n "$lines" ] && { [ "$want" = 0 ] || [ ! -e "$FP/out/x.pdf" ]; } &&
       ! grep -qE 'ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:' "$T/fifo.err"; then
        ok "FIFO: $name"
    else fail "FIFO: $name" "exit $rc (124: it hung), expected $want and \"$text\": $(head -c 300 "$stream" | one_line)"; fi
}
mkfifo "$FP/fifo.ini" "$FP/fifo.csv" "$FP/jobs/fifo.ini" "$FP/layouts/zz-fifo.ini"
fifo_case "build FIFO content/en: the layout is named a FIFO, not a folder" 1 \
    'fifo.ini: expected a layout file, found a named pipe (FIFO)' build fifo.ini content/en -o out/x.pdf
fifo_case "check FIFO: refused by its kind, without waiting" 1 \
    'fifo.ini: expected a layout file, found a named pipe (FIFO)' check fifo.ini --content content/en
fifo_case "list with a FIFO in layouts/: it ends and names it" 0 \
    'layout   layouts/zz-fifo.ini && (skipped: a named pipe (FIFO), not a regular file)' list
if grep -q '^layout   layouts/flyer.ini ' "$T/fifo.out"; then ok "FIFO: list goes on past it (the other layouts are listed)"
else fail "FIFO: list goes on past it" "$(head -c 300 "$T/fifo.out" | one_line)"; fi
rm -f "$FP/layouts/zz-fifo.ini"
fifo_case "--data FIFO: one sentence, the file named once" 1 'error: fifo.csv: expected a CSV file, found a named pipe (FIFO)' \
    build layouts/partner-card-us.ini content/en --data fifo.csv -o out/x.pdf
fifo_case "--sheet FIFO" 1 'expected a regular file, found ./fifo.ini, a named pipe (FIFO)' \
    build layouts/wallet-card-us.ini content/en --sheet ./fifo.ini -o out/x.pdf
fifo_case "--printer FIFO" 1 'expected a regular file, found fifo.ini, a named pipe (FIFO)' \
    build layouts/wallet-card-us.ini content/en --printer fifo.ini -o out/x.pdf
fifo_case "batch jobs/FIFO.ini: the job file" 1 'jobs/fifo.ini: expected a regular file, found jobs/fifo.ini, a named pipe (FIFO)' \
    batch jobs/fifo.ini -o out/batch
fifo_case "check jobs/FIFO.ini: the job file" 1 'jobs/fifo.ini: expected a regular file, found jobs/fifo.ini, a named pipe (FIFO)' \
    check jobs/fifo.ini
# a job item's layout, data file or content.ini that is a FIFO is named so, not "does not exist"
mkfifo "$FP/layouts/item-fifo.ini"
mkdir -p "$FP/content/zq" && mkfifo "$FP/content/zq/content.ini"
printf '[job]\nname = Fifo items\nkind = event\ndate = 2025-03-14\nplace = Hall\n\n[a]\nlayout = item-fifo\nlanguage = en\nquantity = 1\n\n[b]\nlayout = flyer-letter\nlanguage = en\nquantity = 1\ndata = fifo.csv\n\n[c]\nlayout = flyer-letter\nlanguage = zq\nquantity = 1\n' > "$FP/jobs/fifo-items.ini"
fifo_case "check a job item whose layout is a FIFO: named by its kind" 1 \
    'jobs/fifo-items.ini:8: [a] layout: expected a layout file, found layouts/item-fifo.ini, a named pipe (FIFO)' check jobs/fifo-items.ini
fifo_case "check a job item whose data file is a FIFO" 1 \
    'jobs/fifo-items.ini:16: [b] data: expected a CSV file, found fifo.csv, a named pipe (FIFO)' check jobs/fifo-items.ini
fifo_case "batch a job item whose content.ini is a FIFO" 1 \
    "jobs/fifo-items.ini:20: [c] language: expected a content set's content.ini file, found content/zq/content.ini, a named pipe (FIFO)" \
    batch jobs/fifo-items.ini -o out/batch
if ! grep -q 'does not exist\|no such file\|did you mean' "$T/fifo.err"; then ok "FIFO: job items: no \"does not exist\", no suggestion"
else fail "FIFO: job items: no \"does not exist\"" "$(grep 'does not exist\|no such file\|did you mean' "$T/fifo.err" | one_line)"; fi
rm -rf "$FP/layouts/item-fifo.ini" "$FP/content/zq" "$FP/jobs/fifo-items.ini" "$FP/out/batch"
cp -r "$FP/content/en" "$FP/content/zz"
rm "$FP/content/zz/content.ini" && mkfifo "$FP/content/zz/content.ini"
fifo_case "build with content.ini a FIFO" 1 'content/zz/content.ini: expected a regular file, found content/zz/content.ini, a named pipe (FIFO)' \
    build layouts/flyer.ini content/zz -o out/x.pdf
fifo_case "list with content/zz/content.ini a FIFO" 0 \
    'content  content/zz && (skipped: a named pipe (FIFO), not a regular file)' list
rm -rf "$FP/content/zz"
cp -r "$FP/content/en" "$FP/content/zz"
rm "$FP/content/zz/what-is.md" && mkfifo "$FP/content/zz/what-is.md"
fifo_case "build with a Markdown file a FIFO: one sentence" 1 '[what] file: expected a text file, found content/zz/what-is.md, a named pipe (FIFO)' \
    build layouts/flyer.ini content/zz -o out/x.pdf
rm -rf "$FP/content/zz"
mkfifo "$FP/content/fifo-set" "$FP/logo-fifo.png"
fifo_case "build with the content folder a FIFO: named by its kind" 1 \
    'content/fifo-set: expected a content folder (such as content/en), found a named pipe (FIFO)' \
    build layouts/flyer.ini content/fifo-set -o out/x.pdf
rm -f "$FP/content/fifo-set"
sed 's/^text   = {name}$/text   = {title}/; s|^file   = {logo}$|file   = ../../logo-fifo.png|' "$ROOT/tests/fixtures/merge-image.ini" > "$FP/layouts/logo-fifo.ini"
fifo_case "build with an image a FIFO: refused without waiting" 1 \
    'expected a regular file, found content/en/../../logo-fifo.png, a named pipe (FIFO)' \
    build layouts/logo-fifo.ini content/en -o out/x.pdf
rm -f "$FP/logo-fifo.png" "$FP/layouts/logo-fifo.ini"
# list: a description's escape codes (colour, clear screen, a C1 CSI, a right-to-left override) and
# a layout's file name holding one are shown escaped; stdout holds no control byte but newlines
esc=$(printf '\033')
sed "s/^description *=.*/description = ${esc}[31mRED${esc}[0m $(printf '\302\233')2J $(printf '\342\200\256')evil/" \
    "$FP/layouts/flyer.ini" > "$FP/layouts/flyer-esc.ini"
cp "$FP/layouts/flyer.ini" "$FP/layouts/name${esc}[2J.ini"
in_fp list; rc=$?
if [ $rc = 0 ] && grep -F 'layouts/flyer-esc.ini ' "$T/fifo.out" | grep -qF ' \x1B[31mRED\x1B[0m \u009B2J \u202Eevil' &&
   grep -qF 'layouts/name\x1B[2J.ini' "$T/fifo.out" && ! LC_ALL=C grep -q "$(printf '[\001-\011\013-\037\177]')" "$T/fifo.out" &&
   ! LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$T/fifo.out"; then
    ok "list: control characters of a description and a file name are shown escaped (\\x1B, \\u009B, \\u202E), none raw"
else fail "list: control characters shown escaped" "exit $rc: $(grep -a 'esc\|name' "$T/fifo.out" | od -c | head -n 6 | one_line)"; fi
rm -f "$FP/layouts/flyer-esc.ini" "$FP/layouts/name${esc}[2J.ini"

# ---------------------------------------------------------------------------------------------
# g) the content sets (issue 12): every set has en's fields and files, the facts exact, the draft
#    marking; draft warnings by audience; the status error; what make run builds

# ini_keys FILE -> the keys of its [content] section, one a line, sorted
ini_keys() {
    awk '/^[[:space:]]*[;#]/ { next } /^[[:space:]]*\[/ { sec = tolower($0); gsub(/[[:space:]\[\]]/, "", sec); next }
         sec == "content" && index($0, "=") { k = substr($0, 1, index($0, "=") - 1); gsub(/[[:space:]]/, "", k); print tolower(k) }' "$1" | sort -u
}
# the notices' own fields and files (notice.md, notice-STATE.md: a statute's text, whose numbers
# are written as the law writes them) belong to the notices, which hold their languages, not to a set;
# the restroom sticker's messages (restroom-women.md, restroom-men.md) to the sets that take that
# layout (a set whose layouts list leaves it out has none)
ini_keys content/en/content.ini | grep -v '^notice_' > "$T/en.keys"
EN_FILES=$(cd content/en && ls ./*.md | grep -Ev '^\./(notice(-[a-z-]+)?|restroom-[a-z]+)\.md$' | sed 's|^\./||')
nsets=0
for ini in content/*/content.ini; do
    cdir=${ini%/content.ini} code=${ini#content/}; code=${code%%/*}
    [ "$code" != en ] && [ "$(ini_value "$ini" content scope)" != reference ] || continue
    nsets=$((nsets + 1))
    ini_keys "$ini" > "$T/$code.keys"
    missing=$(comm -23 "$T/en.keys" "$T/$code.keys" | one_line)
    for f in $EN_FILES; do [ -s "$cdir/$f" ] || missing+=" $f"; done
    check "content $code: every field of content/en (but notice_*) and every Markdown file (but the notices')" \
        "missing:$missing" test -z "$missing"
    # the facts, exactly; digits in ASCII only (no Devanagari, Thai, Khmer, Myanmar, Arabic-Indic,
    # Persian or full-width digits anywhere in the set)
    load_fields "$cdir"
    bad=""
    for kv in hotline=1-888-373-7888 hotline_tel=tel:+18883737888 textline=233733; do
        [ "${FIELDS[${kv%%=*}]-}" = "${kv#*=}" ] || bad+=" ${kv%%=*} is \"${FIELDS[${kv%%=*}]-}\";"
    done
    for k in donate_url info_url; do [[ ${FIELDS[$k]-} == https://example.org/* ]] || bad+=" $k is \"${FIELDS[$k]-}\";"; done
    if grep -qP '[\x{0660}-\x{0669}\x{06F0}-\x{06F9}\x{0966}-\x{096F}\x{0E50}-\x{0E59}\x{17E0}-\x{17E9}\x{1040}-\x{1049}\x{FF10}-\x{FF19}]' "$cdir"/*; then
        bad+=" digits other than ASCII in $(grep -lP '[\x{0660}-\x{0669}\x{06F0}-\x{06F9}\x{0966}-\x{096F}\x{0E50}-\x{0E59}\x{17E0}-\x{17E9}\x{1040}-\x{1049}\x{FF10}-\x{FF19}]' "$cdir"/* | one_line);"
    fi
    # a number that looks like a phone number in the Markdown files: only {hotline} may print one
    if grep -qE '[0-9]{3}[-. ][0-9]{3}[-. ][0-9]{4}' $(printf "$cdir/%s " $EN_FILES); then bad+=" a phone number written out in a Markdown file;"; fi
    check "content $code: hotline 1-888-373-7888, tel:+18883737888, text line 233733, addresses, ASCII digits" "$bad" test -z "$bad"
    if [ -n "$(ini_value "$ini" content status)" ]; then
        # a set that says what it is: the keyword the hotline documents (HELP or INFO) on the tab and
        # in the field; status draft or reviewed, with its source, and reviewed_by when reviewed
        bad=""
        kw=${FIELDS[textline_keyword]-}
        [ "$kw" = HELP ] || [ "$kw" = INFO ] || bad+=" textline_keyword is \"$kw\";"
        [[ ${FIELDS[tab_text]-} == *"$kw"* && ${FIELDS[tab_text]-} == *233733* ]] || bad+=" tab_text \"${FIELDS[tab_text]-}\" lacks $kw or 233733;"
        st=${FIELDS[status]-}
        [ -n "${FIELDS[source]-}" ] || bad+=" no source;"
        case $st in
            draft) grep -qi 'native speaker must review' "$ini" || bad+=" no comment that a native speaker must review it;" ;;
            reviewed) [ -n "${FIELDS[reviewed_by]-}" ] || bad+=" reviewed, but reviewed_by is empty;" ;;
            *) bad+=" status \"$st\";" ;;
        esac
        check "content $code: keyword $kw, status $st with source$( [ "$st" = reviewed ] && echo ' and reviewed_by')" "$bad" test -z "$bad"
    fi
done
note "content sets: $nsets besides content/en checked against its fields and files"

# draft warnings: a draft set in a layout for the public or victims warns, naming content.ini's
# status line and the language; a reviewed set does not; a layout for donors does not
DW=$T/draft
mkdir -p "$DW/content"
cp -r content/fr "$DW/content/fr"
cp -r content/fr "$DW/content/rv"
sed -i 's/^status .*/status = reviewed/; s/^reviewed_by .*/reviewed_by = A. Reviewer, 2026-12-01/' "$DW/content/rv/content.ini"
sline=$(grep -n '^status' content/fr/content.ini | cut -d: -f1)
handout build layouts/flyer.ini "$DW/content/fr" -o "$DW/a.pdf" > /dev/null 2> "$DW/a.err"; rc=$?
want="handout: warning: $DW/content/fr/content.ini:$sline: [content] status: expected a translation a native speaker has reviewed in layouts/flyer.ini (audience = public: read by victims and the public), found a draft: language fr (Français) is not yet reviewed"
if [ $rc = 0 ] && grep -qF "$want" "$DW/a.err" && [ "$(grep -c 'content/fr/content.ini' "$DW/a.err")" = 1 ]; then
    ok "draft warning: a draft set (content/fr) in a public layout warns once, naming content.ini:$sline [content] status and the language"
else fail "draft warning: a draft set in a public layout" "exit $rc: $(one_line < "$DW/a.err" | head -c 500)"; fi
handout check layouts/wallet-card-us.ini "$DW/content/fr" > "$DW/b.out" 2>&1; rc=$?
if [ $rc = 0 ] && grep -qF "content/fr/content.ini:$sline: [content] status: expected a translation a native speaker has reviewed in layouts/wallet-card-us.ini (audience = victim" "$DW/b.out"; then
    ok "draft warning: check warns too, for a layout for victims (audience = victim)"
else fail "draft warning: check, audience = victim" "exit $rc: $(one_line < "$DW/b.out" | head -c 500)"; fi
handout build layouts/flyer.ini "$DW/content/rv" -o "$DW/c.pdf" > /dev/null 2> "$DW/c.err"; rc=$?
sed 's/^\[page\]$/[page]\naudience = donor/' layouts/flyer.ini > "$DW/donor.ini"
handout build "$DW/donor.ini" "$DW/content/fr" -o "$DW/d.pdf" > /dev/null 2> "$DW/d.err"; rc2=$?
if [ $rc = 0 ] && [ $rc2 = 0 ] && ! grep -q 'status' "$DW/c.err" "$DW/d.err"; then
    ok "draft warning: none for a reviewed set, none for a layout for donors (audience = donor)"
else fail "draft warning: none when reviewed or for donors" "exits $rc, $rc2: $(cat "$DW/c.err" "$DW/d.err" | one_line | head -c 500)"; fi
# a status other than draft or reviewed: an error naming the file, the line, the section and key
sed -i 's/^status .*/status = drafted/' "$DW/content/rv/content.ini"
handout build layouts/flyer.ini "$DW/content/rv" -o "$DW/e.pdf" > /dev/null 2> "$DW/e.err"; rc=$?
if [ $rc = 1 ] && grep -qF "handout: error: $DW/content/rv/content.ini:$sline: [content] status: expected draft or reviewed, found \"drafted\"" "$DW/e.err" && [ ! -e "$DW/e.pdf" ]; then
    ok "status: \"drafted\" is an error naming content.ini:$sline [content] status, expected and found; no PDF"
else fail "status: a bad value" "exit $rc: $(one_line < "$DW/e.err" | head -c 400)"; fi

# what make run builds (make run-pairs), from the files: each layout holding its own languages
# ([page] languages, {field@LANG}, ../LANG/) once, named after them; every other layout with each
# set that takes it (a set's layouts key, or none: every layout); no reference set
mapfile -t RP < <(golden_pairs)
bad="" want=0
for l in layouts/*.ini; do
    n=$(basename "$l" .ini)
    langs=$(ini_value "$l" page languages | tr -d ' ' | tr ',' '-')
    [ -n "$langs" ] || langs=$(grep -v '^[[:space:]]*;' "$l" | grep -oE '\{[a-z0-9_]+@[a-z-]+\}|\.\./[a-z-]+/' | sed -E 's/.*@([a-z-]+)\}/\1/; s|\.\./([a-z-]+)/|\1|' | awk '!s[$0]++' | paste -sd-)
    if [ -n "$langs" ]; then
        want=$((want + 1))
        got=$(printf '%s\n' "${RP[@]}" | grep -c "^$l ")
        printf '%s\n' "${RP[@]}" | grep -qx "$l content/${langs%%-*} $n-$langs" && [ "$got" = 1 ] || bad+=" $n: not once as $n-$langs ($got);"
        continue
    fi
    # a layout made for several sizes: at each, named LAYOUT-SIZE (a set may list either name)
    szs=$(ini_value "$l" page sizes | tr ',' '\n' | sed 's/:.*//; s/^ *//; s/ *$//')
    for sz in ${szs:-""}; do
        for ini in content/*/content.ini; do
            c=${ini%/content.ini}
            [ "$(ini_value "$ini" content scope)" != reference ] || continue
            lay=$(ini_value "$ini" content layouts)
            if grep -q '^[[:space:]]*layouts[[:space:]]*=' "$ini" && [[ " ${lay//,/ } " != *" $n "* ]] &&
               [[ -z $sz || " ${lay//,/ } " != *" $n-$sz "* ]]; then
                printf '%s\n' "${RP[@]}" | grep -q "^$l $c $n${sz:+-$sz}-" && bad+=" $n${sz:+-$sz} with $c, which does not list it;"
                continue
            fi
            want=$((want + 1))
            printf '%s\n' "${RP[@]}" | grep -qx "$l $c $n${sz:+-$sz}-${c#content/}${sz:+ $sz}" || bad+=" $n${sz:+-$sz} with $c missing;"
        done
    done
done
[ "${#RP[@]}" = "$want" ] || bad+=" ${#RP[@]} lines, expected $want;"
check "make run-pairs: the notices once each, named after their languages; each set only in the layouts it lists ($want builds)" \
    "$bad" test -z "$bad"


# The outreach products of issue 15, each against its content files:
# - the restroom sticker (layouts/restroom-sticker.ini) in its two variants, the sizes women and
#   men: each prints the words of its own Markdown file of the set (restroom-women.md or
#   restroom-men.md, markup taken out) and none of the other's, with the set's hotline and text line;
# - the truck-window sticker: the set's hotline as one word of type at least 96 pt (its box, from
#   pdftotext -bbox, is font size x 1.117 for Liberation Sans: over 107 pt tall), the text line too;
# - the soap-wrapper label: 30 items on the Avery 5160 sheet, each with the set's hotline.
md_plain() { sed -e 's/\*\*//g; s/\*//g' "$1" | tr -s '[:space:]' ' ' | sed 's/^ //; s/ $//'; }
pdf_words() { pdftotext -enc UTF-8 -raw "$1" - 2>/dev/null | tr -s '[:space:]' ' '; }
for cset in en es vi; do
    [ -f layouts/restroom-sticker.ini ] && [ -f content/$cset/restroom-women.md ] || continue
    load_fields content/$cset
    hot=$(field hotline) tl=$(field textline_label)
    for v in women men; do
        other=men; [ $v = women ] || other=women
        out=$T/restroom-$v-$cset.pdf
        if handout build layouts/restroom-sticker.ini content/$cset --size $v --sheet none -o "$out" > "$T/rr.out" 2>&1; then
            got=$(pdf_words "$out") want=$(md_plain content/$cset/restroom-$v.md) nope=$(md_plain content/$cset/restroom-$other.md)
            check "restroom sticker $v ($cset): the words of restroom-$v.md, not of restroom-$other.md, the hotline and text line" \
                "pdftotext: \"$got\"; expected \"$want\", \"$hot\" and \"$tl\", not \"$nope\"" \
                eval '[[ $got == *"$want"* && $got != *"$nope"* && $got == *"$hot"* && $got == *"$tl"* ]]'
            unemb=$(pdffonts "$out" 2>/dev/null | awk 'NR > 2 && $(NF - 4) != "yes" { print $1 }' | one_line)
            check "restroom sticker $v ($cset): every font embedded (pdffonts)" "not embedded: $unemb" test -z "$unemb"
        else
            fail "restroom sticker $v ($cset)" "build failed: $(head -c 300 "$T/rr.out")"
        fi
    done
    out=$T/truck-$cset.pdf
    if handout build layouts/truck-sticker-us.ini content/$cset -o "$out" > "$T/tr.out" 2>&1; then
        h=$(pdftotext -bbox "$out" - 2>/dev/null | awk -v w="$hot" 'index($0, ">" w "</word>") {
                match($0, /yMin="[0-9.]+"/); y0 = substr($0, RSTART + 6, RLENGTH - 7)
                match($0, /yMax="[0-9.]+"/); y1 = substr($0, RSTART + 6, RLENGTH - 7); print y1 - y0; exit }')
        got=$(pdf_words "$out")
        check "truck sticker ($cset): the hotline $hot as one word over 107 pt tall, and \"$tl\"" \
            "box height \"$h\" pt; text \"$got\"" \
            eval '[ -n "$h" ] && awk -v h="$h" "BEGIN { exit !(h > 107) }" && [[ $got == *"$tl"* ]]'
    else
        fail "truck sticker ($cset)" "build failed: $(head -c 300 "$T/tr.out")"
    fi
    out=$T/soap-$cset.pdf
    if handout build layouts/soap-label-us.ini content/$cset -o "$out" > "$T/so.out" 2>&1; then
        n=$(pdftotext -raw "$out" - 2>/dev/null | grep -oF -- "$hot" | wc -l)
        check "soap label ($cset): 30 labels on one Letter sheet of Avery 5160, each with $hot" \
            "$n hotlines; $(pdfinfo "$out" 2>/dev/null | grep -E '^(Pages|Page size)' | tr -s ' \n' ' ')" \
            eval '[ "$n" = 30 ] && pdfinfo "$out" | grep -q "^Page size: *612 x 792"'
    else
        fail "soap label ($cset)" "build failed: $(head -c 300 "$T/so.out")"
    fi
done

# The stickers' and the soap label's codes, on the sheets `make run` prints: each item carries one
# code, the call code (the set's hotline_tel), and no other. The wallet cards' second code, the text
# code SMSTO:{textline}:{textline_keyword}, does not fit them at the size their scan distance needs
# (the layouts' comments say why). Each sheet rendered at 300 dpi, zbarimg reads exactly that code
# once per cell of the layout's sheet file (columns x rows): a code missing, or one more, fails.
SHEET_N=0
sheet_codes() { # sheet_codes NAME LAYOUT CONTENT_DIR [build options]... -> SHEET_PER (items per
    #   sheet), SHEET_PDF (the sheet built)
    local name=$1 lay=$2 cdir=$3 sheet per want got out; shift 3
    load_fields "$cdir"
    sheet=sheets/$(ini_value "$lay" page sheet).ini
    per=$(( $(ini_value "$sheet" sheet columns) * $(ini_value "$sheet" sheet rows) ))
    want=$(printf '%7d %s\n' "$per" "$(field hotline_tel)" | one_line)
    SHEET_N=$((SHEET_N + 1)); out=$T/codes-$SHEET_N.pdf
    SHEET_PER=$per SHEET_PDF=$out
    if handout build "$lay" "$cdir" "$@" -o "$out" > "$out.err" 2>&1; then
        pdftoppm -r 300 -gray -f 1 -l 1 -singlefile "$out" "$out" 2>/dev/null < /dev/null
        got=$(zbarimg -q --raw --nodbus -Sdisable -Sqrcode.enable "$out.pgm" 2>/dev/null < /dev/null | sort | uniq -c | one_line)
        check "$name: $per to a sheet, each with exactly the call code $(field hotline_tel) (zbarimg at 300 dpi)" \
            "zbarimg [$got], expected [$want]" test "$got" = "$want"
    else
        fail "$name: codes on its sheet" "build failed: $(head -c 300 "$out.err")"
    fi
}
for cset in en es vi; do
    sheet_codes "sticker-us ($cset)" layouts/sticker-us.ini content/$cset
    for v in women men; do sheet_codes "restroom sticker $v ($cset)" layouts/restroom-sticker.ini content/$cset --size $v; done
    sheet_codes "soap label ($cset)" layouts/soap-label-us.ini content/$cset
done
# with a partner's logo in the stickers' co-branding area (issue 16): the same codes read, and the logo
# (the fixture's 300 x 300 image, pdfimages) is on every item of the sheet
LOGO_FIX=$ROOT/tests/fixtures/stripes-rgb8.png
for lay in sticker-us restroom-sticker; do # the soap label has no logo area (its header comment)
    sz=(); [ $lay != restroom-sticker ] || sz=(--size women)
    sheet_codes "$lay (en) with a logo" layouts/$lay.ini content/en "${sz[@]}" --set logo="$LOGO_FIX"
    n=$(pdfimages -list "$SHEET_PDF" 2>/dev/null | awk 'NR > 2 && $3 == "image" && $4 == 300 && $5 == 300' | wc -l)
    check "$lay (en) with a logo: the logo on each of the $SHEET_PER items (pdfimages)" "$n images of 300 x 300" test "$n" = "$SHEET_PER"
done

summary
