#!/usr/bin/env bash
# tests/run.sh -- handout's test runner: unit tests, integration checks with the real PDF tools,
# determinism, --set, the iniparser traps and the bad-input table.
#
# usage: tests/run.sh [--full]    (from the repository root)
#   environment: HANDOUT (default ./handout in the repository), UNIT (default tests/unit),
#   HANDOUT_WRAP (a command such as valgrind put in front of every run of both)
#   --full   render and decode every page of every PDF (default: first, middle and last page;
#            the flyers are one page each, so today both modes check everything).
#
# Each check prints "ok - NAME" or "FAIL - NAME: reason"; lines starting with "#" are notes.
# The last line is "N passed, M failed"; the exit status is non-zero when M > 0.
# Needs poppler-utils (pdfinfo, pdffonts, pdftotext, pdftoppm), qpdf and zbar-tools
# (tools/deps.sh installs them).  Bad-input cases live in tests/bad/cases.txt.

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

START_DIR=$(pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HANDOUT=${HANDOUT:-$ROOT/handout}
case $HANDOUT in
    /*) ;;
    */*) HANDOUT=$START_DIR/$HANDOUT ;;
    *) HANDOUT=$(command -v "$HANDOUT" || echo "$START_DIR/$HANDOUT") ;;
esac
UNIT=${UNIT:-$ROOT/tests/unit}
case $UNIT in /*) ;; *) UNIT=$START_DIR/$UNIT ;; esac
cd "$ROOT" || exit 2

T=$(mktemp -d "${TMPDIR:-/tmp}/handout-tests.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

PASSED=0
FAILED=0
ok()   { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $1: $2"; }
note() { echo "# $*"; }
check() { # check NAME REASON-IF-FAILED COMMAND...
    local name=$1 why=$2; shift 2
    if "$@"; then ok "$name"; else fail "$name" "$why"; fi
}
summary() { echo "$PASSED passed, $FAILED failed"; [ "$FAILED" -eq 0 ]; exit $?; }

# UNIT: the unit-test binary.  HANDOUT_WRAP: a command put in front of every
# run of handout and of the unit tests, e.g. "valgrind -q --error-exitcode=99" (make check-valgrind).
HANDOUT_WRAP=${HANDOUT_WRAP:-}
TMO=60   # seconds allowed for any one command
[ -z "$HANDOUT_WRAP" ] || TMO=600
run() { timeout "$TMO" "$@"; }
# shellcheck disable=SC2086  # HANDOUT_WRAP is a command line: split it
handout() { timeout "$TMO" $HANDOUT_WRAP "$HANDOUT" "$@"; }

# poppler prints this for libharu's UTF-8 fonts and works anyway (shared/LIBRARIES.md)
poppler_noise() { grep -v -e "Invalid 'begincidrange' operator in ToUnicode CMap" || true; }

one_line() { tr -s '[:space:]' ' ' | sed -e 's/^ //' -e 's/ $//'; }   # normalise whitespace

for tool in qpdf pdfinfo pdffonts pdftotext pdftoppm zbarimg cmp od timeout; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        fail "tool $tool" "not installed (run tools/deps.sh)"
        summary
    fi
done
if [ ! -x "$HANDOUT" ]; then
    fail "handout binary" "$HANDOUT does not exist or is not executable (run make)"
    summary
fi

# ---------------------------------------------------------------------------------------------
# Reading a content set: content.ini fields into the associative array FIELDS, and placeholder
# expansion as design.md describes it ({name}, {{ and }}, nested fields).

declare -A FIELDS
load_fields() { # load_fields CONTENT_DIR [key=value (the --set overrides)]...
    local dir=$1 key val; shift
    FIELDS=()
    while IFS=$'\t' read -r key val; do
        [ -n "$key" ] && FIELDS[$key]=$val
    done < <(awk '
        /^[[:space:]]*[;#]/ || /^[[:space:]]*$/ { next }
        /^[[:space:]]*\[/ { sec = tolower($0); gsub(/[[:space:]\[\]]/, "", sec); next }
        sec == "content" && index($0, "=") {
            key = substr($0, 1, index($0, "=") - 1); val = substr($0, index($0, "=") + 1)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", key); gsub(/^[[:space:]]+|[[:space:]]+$/, "", val)
            if (val ~ /^".*"$/) val = substr(val, 2, length(val) - 2)
            print tolower(key) "\t" val
        }' "$dir/content.ini")
    for kv in "$@"; do FIELDS[${kv%%=*}]=${kv#*=}; done
}
expand() { # expand STRING -> the string with every {field} replaced (unknown fields: empty)
    local s=$1 k i=0
    s=${s//'{{'/$'\x01'}; s=${s//'}}'/$'\x02'}
    while [[ $s =~ \{([a-z0-9_]+)\} ]] && [ $i -lt 100 ]; do
        k=${BASH_REMATCH[1]}
        s=${s//"{$k}"/${FIELDS[$k]-}}
        i=$((i + 1))
    done
    s=${s//$'\x01'/'{'}; s=${s//$'\x02'/'}'}
    printf '%s' "$s"
}
field() { expand "${FIELDS[$1]-}"; }

# ini_value FILE SECTION KEY -> the value (quotes removed), empty when absent
ini_value() {
    awk -v want_sec="$2" -v want_key="$3" '
        /^[[:space:]]*[;#]/ { next }
        /^[[:space:]]*\[/ { sec = tolower($0); gsub(/[[:space:]\[\]]/, "", sec); next }
        sec == want_sec && index($0, "=") {
            key = substr($0, 1, index($0, "=") - 1); val = substr($0, index($0, "=") + 1)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", key); gsub(/^[[:space:]]+|[[:space:]]+$/, "", val)
            if (val ~ /^".*"$/) val = substr(val, 2, length(val) - 2)
            if (tolower(key) == want_key) { print val; exit }
        }' "$1"
}

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

# ---------------------------------------------------------------------------------------------
# PDF checks with the real tools.  Each takes a test-name prefix and the PDF.

pdf_pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

check_qpdf() { # NAME PDF
    local out
    out=$(run qpdf --check "$2" 2>&1)
    local rc=$?
    if [ $rc -ne 0 ]; then fail "$1" "qpdf --check exit $rc: $(echo "$out" | tail -n 2 | one_line)"
    elif echo "$out" | grep -qi 'warning'; then fail "$1" "qpdf --check warns: $(echo "$out" | grep -i warning | head -n 2 | one_line)"
    else ok "$1"; fi
}

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

check_fonts() { # NAME PDF  -- at least one font, every one embedded
    local out rows bad
    out=$(pdffonts "$2" 2>&1 | poppler_noise)
    # column positions come from the dashes line: name type encoding emb sub uni object ID
    rows=$(echo "$out" | awk '
        /^-+ -+/ { s = 1; for (i = 1; i <= NF; i++) { start[i] = s; len[i] = length($i); s += len[i] + 1 } dash = 1; next }
        dash && NF { e = substr($0, start[4], len[4]); gsub(/ /, "", e); print e "\t" substr($0, 1, len[1]) }')
    if [ -z "$rows" ]; then fail "$1" "pdffonts lists no font"; return; fi
    bad=$(echo "$rows" | awk -F'\t' '$1 != "yes" { print $2 }' | one_line)
    if [ -n "$bad" ]; then fail "$1" "font not embedded: $bad"; else ok "$1"; fi
}

# check_text NAME PDF NEEDLE...  -- every needle in pdftotext output, whitespace normalised
check_text() {
    local name=$1 pdf=$2 text raw missing=() n; shift 2
    text=$(pdftotext -enc UTF-8 "$pdf" - 2>/dev/null | one_line)
    raw=$(pdftotext -raw -enc UTF-8 "$pdf" - 2>/dev/null | one_line)
    for n in "$@"; do
        n=$(printf '%s' "$n" | one_line)
        [ -z "$n" ] && continue
        case $text in *"$n"*) continue ;; esac
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

# decode_qr NAME PDF DUMP [REQUIRED-PAYLOAD...]
#   The payloads decoded from the sampled pages must equal, as a multiset, the payloads the dump
#   lists for those pages (codes missed on a whole page are retried one by one from a crop of
#   their box); every REQUIRED-PAYLOAD must be among them.
decode_qr() {
    local name=$1 pdf=$2 dump=$3; shift 3
    local d=$T/qr.$RANDOM$RANDOM pages p missing extra q
    mkdir -p "$d"
    dump_qrs "$dump" > "$d/qrs"
    if [ ! -s "$d/qrs" ]; then fail "$name" "the dump lists no QR code"; return; fi
    pages=$(sample_pages "$(pdf_pages "$pdf")")
    : > "$d/expected"; : > "$d/got"
    for p in $pages; do
        awk -F'\t' -v p="$p" '$1 == p { print $5 }' "$d/qrs" >> "$d/expected"
        run pdftoppm -r 300 -gray -png -f "$p" -l "$p" -singlefile "$pdf" "$d/page-$p" 2>&1 | poppler_noise >&2
        run zbarimg --raw -q --nodbus "$d/page-$p.png" >> "$d/got" 2>/dev/null
    done
    sort -o "$d/expected" "$d/expected"; sort -o "$d/got" "$d/got"
    if ! cmp -s "$d/expected" "$d/got"; then
        # retry: crop each code's box (plus 3 pt) and decode it alone
        note "$name: whole-page decode gave [$(one_line < "$d/got")], retrying code by code"
        : > "$d/got"
        local pg x y s px py pw
        while IFS=$'\t' read -r pg x y s q; do
            grep -qx -- "$pg" <<< "$pages" || continue
            px=$(awk -v v="$x" 'BEGIN { v = (v - 3) * 300 / 72; print (v < 0 ? 0 : int(v)) }')
            py=$(awk -v v="$y" 'BEGIN { v = (v - 3) * 300 / 72; print (v < 0 ? 0 : int(v)) }')
            pw=$(awk -v v="$s" 'BEGIN { print int((v + 6) * 300 / 72 + 1) }')
            run pdftoppm -r 300 -gray -png -f "$pg" -l "$pg" -x "$px" -y "$py" -W "$pw" -H "$pw" \
                -singlefile "$pdf" "$d/crop" 2>&1 < /dev/null | poppler_noise >&2
            run zbarimg --raw -q --nodbus "$d/crop.png" >> "$d/got" 2>/dev/null < /dev/null
        done < "$d/qrs"
        sort -o "$d/got" "$d/got"
    fi
    missing=$(comm -23 "$d/expected" "$d/got" | one_line)
    extra=$(comm -13 "$d/expected" "$d/got" | one_line)
    local absent=()
    for q in "$@"; do grep -qxF -- "$q" "$d/got" || absent+=("$q"); done
    if [ -n "$missing$extra" ]; then
        fail "$name" "decoded payloads differ from the dump: not decoded [$missing], unexpected [$extra]"
    elif [ ${#absent[@]} -gt 0 ]; then
        fail "$name" "no QR code decodes to ${absent[*]} (decoded: $(one_line < "$d/got"))"
    else
        ok "$name"
    fi
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

FIRST_PAIR=""
for layout in layouts/*.ini; do
    [ -f "$layout" ] || continue
    lname=$(basename "$layout" .ini)
    for cdir in content/*/; do
        cdir=${cdir%/}
        [ -f "$cdir/content.ini" ] || continue
        cname=$(basename "$cdir")
        tn="$lname+$cname"
        out=$T/$tn.pdf dump=$T/$tn.dump
        build "build $tn" "$layout" "$cdir" "$out" "$dump" || continue
        [ -n "$FIRST_PAIR" ] || FIRST_PAIR="$layout $cdir"
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

        load_fields "$cdir"
        needles=()
        mds=$(layout_md_files "$layout" "$cdir")
        while IFS= read -r md; do
            [ -n "$md" ] || continue
            if [ ! -f "$md" ]; then fail "markdown file $tn" "$md (named by $layout) not found"; continue; fi
            while IFS= read -r h; do needles+=("$(expand "$h")"); done < <(md_headings "$md")
        done <<< "$mds"
        # the hotline and the title: always on the flyers; elsewhere when the layout uses them
        # shellcheck disable=SC2086  # one path per line
        uses=$(cat "$layout" $mds 2>/dev/null; printf '%s\n' "${FIELDS[@]}")
        for f in hotline title; do
            if [[ $lname == flyer-* ]] || [[ $uses == *"{$f}"* ]]; then
                v=$(field "$f")
                if [ -z "$v" ]; then fail "field $f $tn" "$cdir/content.ini has no $f"; else needles+=("$v"); fi
            fi
        done
        if [ "$cname" = en ] && [[ $lname == flyer-* ]] && [ "$(field hotline)" != "1-888-373-7888" ]; then
            fail "hotline $tn" "content/en hotline is \"$(field hotline)\", expected 1-888-373-7888"
        fi
        check_text "text $tn (${#needles[@]} strings)" "$out" "${needles[@]}"

        want=$(expand "$(ini_value "$layout" page title)")
        if [ -n "$want" ]; then
            got=$(pdfinfo -enc UTF-8 "$out" 2>/dev/null | sed -n 's/^Title: *//p')
            check "PDF title $tn" "pdfinfo Title \"$got\", expected \"$want\"" test "$got" = "$want"
        fi

        required=()
        if [ "$cname" = en ] && [[ $lname == flyer-* ]]; then
            required=("tel:+18883737888" "$(field donate_url)")
        fi
        decode_qr "qr $tn" "$out" "$dump" "${required[@]}"
        if [ ${#required[@]} -gt 0 ]; then
            n=$(dump_qrs "$dump" | wc -l)
            check "qr count $tn" "the dump lists $n QR codes, expected exactly 2 (hotline, donation)" [ "$n" -eq 2 ]
        fi
    done
done
[ -n "$FIRST_PAIR" ] || note "no layouts/*.ini with a content/*/content.ini built: integration part had nothing to run"

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

# ---------------------------------------------------------------------------------------------
# d) --set

out=$T/set.pdf
if build "build with --set (fixture)" tests/fixtures/basic.ini tests/fixtures/content "$out" "$T/set.dump" \
        --set donate_url=https://example.org/give; then
    decode_qr "--set donate_url decodes (fixture)" "$out" "$T/set.dump" "https://example.org/give"
    check "--set donate_url replaces the content value (fixture)" "the dump still has https://example.org/donate" \
        eval "! dump_qrs '$T/set.dump' | grep -qF 'https://example.org/donate'"
fi
layout=layouts/flyer-letter.ini
if [ ! -f "$layout" ] || [ ! -f content/en/content.ini ]; then
    note "no layouts/flyer-letter.ini + content/en: flyer --set test skipped"
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
    run pdftoppm -r 72 -f 1 -l 1 -singlefile "$out" "$T/traps" 2>&1 | poppler_noise >&2
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
n=0
while IFS= read -r line || [ -n "$line" ]; do
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    IFS='|' read -r name status file msg args <<< "$line"
    name=$(trim "$name"); status=$(trim "$status"); file=$(trim "$file"); msg=$(trim "$msg"); args=$(trim "$args")
    n=$((n + 1))
    d=$T/bad/$n; mkdir -p "$d/out"
    out=$d/out/out.pdf
    read -r -a argv <<< "${args//@OUT@/$out}"
    handout "${argv[@]}" < /dev/null > "$d/stdout" 2> "$d/stderr"
    rc=$?
    why=()
    [ "$rc" = "$status" ] || why+=("exit $rc, expected $status")
    if [ "$status" = 0 ]; then stream=$d/stdout; else stream=$d/stderr; fi
    rest=$msg
    while [ -n "$rest" ]; do
        sub=${rest%% && *}
        if [ "$sub" = "$rest" ]; then rest=""; else rest=${rest#* && }; fi
        if [ "$file" = - ]; then
            grep -qF -- "$sub" "$stream" || why+=("no \"$sub\"")
        else
            grep -F -- "$file" "$stream" | grep -qF -- "$sub" || why+=("no line with \"$file\" and \"$sub\"")
        fi
    done
    if [ "$status" = 1 ] || [ "$status" = 3 ]; then
        grep -q '^handout: error: ' "$d/stderr" || why+=("no \"handout: error: \" line")
    fi
    dup=$(grep '^handout: ' "$d/stderr" | sort | uniq -d | head -n 1)
    [ -z "$dup" ] || why+=("line printed twice: $dup")
    if [ "$status" != 0 ]; then
        [ ! -e "$out" ] || why+=("wrote $out anyway")
        left=$(ls -A "$d/out")
        [ -z "$left" ] || why+=("left files behind: $left")
    fi
    if [ ${#why[@]} -eq 0 ]; then
        ok "bad input: $name"
    else
        fail "bad input: $name" "$(IFS=';'; echo "${why[*]}") -- stderr: $(head -c 400 "$d/stderr" | one_line)"
    fi
done < tests/bad/cases.txt
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

summary
