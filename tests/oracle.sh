# tests/oracle.sh -- what the tests know without asking the program under test, sourced by
# tests/run.sh and tests/regen.sh after tests/lib.sh:
#   - the fields of a content set and placeholder expansion (load_fields, expand, field), a value
#     of an INI file (ini_value), a record of a CSV file (load_record), and the QR codes a layout
#     asks for with the payload each must carry (layout_qr_templates, layout_qr_elements,
#     qr_payload_of), read from the layout, content and data files by this script, not from the
#     program's --dump;
#   - the golden dumps (tests/golden/): the pairs `make run` builds (golden_pairs), a pair's
#     golden file (golden_file) and a dump as the golden file keeps it (golden_normalise);
#   - the QR codes a dump places, each with the payload derived for its element, item and page
#     (qr_expected), for decoding;
#   - PDF checks with the real tools: check_qpdf, check_fonts (report with ok and fail), and QR
#     decoding at 300 dpi (crop_decode_all; oracle_pgmcrop DIR builds its cropping helper).
# shellcheck shell=bash

# ---------------------------------------------------------------------------------------------
# Reading a content set: content.ini fields into the associative array FIELDS, and placeholder
# expansion as design.md describes it ({name}, {{ and }}, nested fields).

declare -A FIELDS
FIELDS_DIR=.
load_fields() { # load_fields CONTENT_DIR [key=value (the --set overrides)]...
    local dir=$1 key val; shift
    FIELDS=() FIELDS_DIR=$dir
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
expand() { # expand STRING -> the string with every {field} replaced (unknown fields: empty);
    #   {field@lang} is the field of the sibling content set FIELDS_DIR/../lang (docs/compliance.md)
    local s=$1 k l v i=0
    s=${s//'{{'/$'\x01'}; s=${s//'}}'/$'\x02'}
    while [[ $s =~ \{([a-z0-9_]+)@([a-z0-9_-]+)\} ]] && [ $i -lt 100 ]; do
        k=${BASH_REMATCH[1]} l=${BASH_REMATCH[2]}
        v=$(load_fields "$FIELDS_DIR/../$l" 2>/dev/null && field "$k")
        s=${s//"{$k@$l}"/$v}
        i=$((i + 1))
    done
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
    awk -v want_sec="$2" -v want_key="$3" -v unquote=1 -f "$ROOT/tools/ini-value.awk" "$1"
}

# The QR codes a layout asks for, read from the layout itself (not from the program): one line per
# qr element, "KIND<TAB>TEMPLATE<TAB>SMS_BODY", KIND the key that holds the payload (payload, url,
# tel, sms, link_file). qr_payload_of turns one into the payload a phone must read, by the rules
# of docs/formats.md written again here: tel as an RFC 3966 global number (a 10-digit number
# without + is a US one), sms as SMSTO:NUMBER[:BODY], url and payload as they are.
layout_qr_templates() {
    awk '
        function flush() { if (qr && kind != "") printf "%s\t%s\t%s\n", kind, tmpl, body }
        /^[[:space:]]*[;#]/ { next }
        /^[[:space:]]*\[/ { flush(); qr = 0; kind = ""; tmpl = ""; body = ""; next }
        index($0, "=") {
            key = substr($0, 1, index($0, "=") - 1); val = substr($0, index($0, "=") + 1)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", key); gsub(/^[[:space:]]+|[[:space:]]+$/, "", val)
            if (val ~ /^".*"$/) val = substr(val, 2, length(val) - 2)
            key = tolower(key)
            if (key == "type" && val == "qr") qr = 1
            if (key ~ /^(payload|url|tel|sms|link_file)$/) { kind = key; tmpl = val }
            if (key == "sms_body") body = val
        }
        END { flush() }' "$1"
}
qr_payload_of() { # qr_payload_of KIND TEMPLATE SMS_BODY (with FIELDS loaded) -> the payload, or nothing
    local kind=$1 v digits
    v=$(expand "$2")
    case $kind in
        tel)
            digits=${v//[^0-9]/}
            if [[ $v == +* ]]; then printf 'tel:+%s' "$digits"
            elif [ ${#digits} -eq 10 ]; then printf 'tel:+1%s' "$digits"
            elif [ ${#digits} -eq 11 ] && [[ $digits == 1* ]]; then printf 'tel:+%s' "$digits"
            fi ;;
        sms) local body; body=$(expand "$3"); printf 'SMSTO:%s%s' "$v" "${body:+:$body}" ;;
        url|payload) printf '%s' "$v" ;;
    esac
}

# layout_qr_elements LAYOUT -> one line per qr element: "NAME<TAB>SIDE<TAB>KIND<TAB>TEMPLATE<TAB>
#   SMS_BODY", SIDE front or back (the side key; front when absent), KIND as layout_qr_templates
layout_qr_elements() {
    awk '
        function flush() { if (qr && kind != "") printf "%s\t%s\t%s\t%s\t%s\n", name, side, kind, tmpl, body }
        /^[[:space:]]*[;#]/ { next }
        /^[[:space:]]*\[/ {
            flush(); qr = 0; kind = ""; tmpl = ""; body = ""; side = "front"
            name = $0; gsub(/^[[:space:]]*\[[[:space:]]*|[[:space:]]*\][[:space:]]*$/, "", name); next
        }
        index($0, "=") {
            key = substr($0, 1, index($0, "=") - 1); val = substr($0, index($0, "=") + 1)
            gsub(/^[[:space:]]+|[[:space:]]+$/, "", key); gsub(/^[[:space:]]+|[[:space:]]+$/, "", val)
            if (val ~ /^".*"$/) val = substr(val, 2, length(val) - 2)
            key = tolower(key)
            if (key == "type" && val == "qr") qr = 1
            if (key == "side") side = val
            if (key ~ /^(payload|url|tel|sms|link_file)$/) { kind = key; tmpl = val }
            if (key == "sms_body") body = val
        }
        END { flush() }' "$1"
}

# csv_records FILE.csv -> the number of records (RFC 4180: a quoted value may hold commas, doubled
#   quotes and line ends; blank lines at the end do not count)
# load_record FILE.csv N -> adds record N (from 1) to FIELDS, each column by its header name
#   (trimmed, lower-cased), over a content field of that name (docs/formats.md, data files):
#   an unquoted value trimmed, a quoted one as written with each doubled quote made one
# shellcheck disable=SC2016  # awk's own $ fields
csv_awk='
    function field_end() { vals[++nf] = quoted ? cur : trim(cur); cur = ""; quoted = 0 }
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    function record(line,    i, c, n) {
        nf = 0; cur = ""; quoted = 0; inq = 0; n = length(line)
        for (i = 1; i <= n; i++) {
            c = substr(line, i, 1)
            if (inq) {
                if (c == "\"" && substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ }
                else if (c == "\"") inq = 0
                else cur = cur c
            } else if (c == "\"") { inq = 1; quoted = 1; cur = "" }
            else if (c == ",") field_end()
            else cur = cur c
        }
        field_end()
    }
    NR == 1 { sub(/^\xef\xbb\xbf/, "") }
    { sub(/\r$/, ""); buf = (open ? buf "\n" : "") $0; q = gsub(/"/, "\"", $0); open = (open + q) % 2; if (open) next }
    { line = buf; buf = "" }
    rec == 0 { record(line); for (i = 1; i <= nf; i++) { name[i] = tolower(trim(vals[i])) }; cols = nf; rec = 1; next }
    line == "" { blank++; next }
    { rec++; blank = 0 }
'
csv_records() { awk "$csv_awk"' END { print rec - 1 }' "$1"; }
load_record() {
    local key val
    while IFS=$'\t' read -r key val; do
        [ -n "$key" ] && FIELDS[$key]=$val
    done < <(awk -v want="$2" "$csv_awk"'
        rec - 1 == want { record(line); for (i = 1; i <= cols; i++) print name[i] "\t" vals[i]; exit }' "$1")
}

# ---------------------------------------------------------------------------------------------
# The golden dumps: tests/golden/LAYOUT-CONTENT.dump for each pair `make run` builds, the dump of
# `handout build LAYOUT CONTENT --dump FILE` with SOURCE_DATE_EPOCH=GOLDEN_EPOCH, run from the
# repository's root. Written by `make regen` (tests/regen.sh) only after checks that do not read
# the dump's values; compared by tests/run.sh.

# shellcheck disable=SC2034  # used by the scripts that source this one
GOLDEN_EPOCH=1700000000

# golden_pairs -> "LAYOUT CONTENT_DIR NAME" per line, the builds `make run` makes (the Makefile's
#   list: output/NAME.pdf)
golden_pairs() { (cd "$ROOT" && env -u MAKEFLAGS -u MAKELEVEL make -s --no-print-directory run-pairs); }

# golden_file LAYOUT CONTENT_DIR [NAME] -> tests/golden/NAME.dump (the name `make run` gives the
#   PDF; without NAME, LAYOUT-CONTENT)
golden_file() {
    local l=${1##*/} c=${2%/}
    if [ -n "${3:-}" ]; then printf 'tests/golden/%s.dump' "$3"
    else printf 'tests/golden/%s-%s.dump' "${l%.ini}" "${c##*/}"; fi
}

# golden_normalise DUMP -> the dump as the golden file keeps it. Every line stays but the inputs
#   read from outside the repository (an absolute path: the fonts fontconfig found): their folder
#   depends on the machine's fontconfig and their digest on the package's build, so they become
#   "input system NAME", the file's name alone; the font's metrics are in the frag lines anyway.
#   The input lines are sorted by their path (or name), since an absolute path's folder decides
#   where it sorts.
golden_normalise() {
    grep -v '^input ' "$1"
    awk '$1 == "input" {
            path = $0; sub(/^input [^ ]+ /, "", path)
            if (substr(path, 1, 1) == "/") { n = split(path, p, "/"); print "input system " p[n] } else print
        }' "$1" | LC_ALL=C sort -k 3
}

# qr_expected DUMP LAYOUT CONTENT_DIR OUT -> OUT: one line per QR code the dump places, "PAGE<TAB>
#   X<TAB>Y<TAB>SIZE<TAB>PAYLOAD" as crop_decode_all reads them, the position from the dump and the
#   payload derived here for the code's element from the layout and the content: the item's
#   record of the layout's data file ([page] data, from the project folder), or the content set of
#   the item's language ([page] languages: item N is the N-th language, content/<lang>/ beside
#   CONTENT_DIR), or CONTENT_DIR. Prints one line per problem: a payload that cannot be derived,
#   an item side whose codes are not the layout's qr elements of that side, or a number of items
#   other than the records, the languages or the cells of the layout's sheet. False on any.
qr_expected() {
    local dump=$1 layout=$2 cdir=${3%/} out=$4 proj data langs sheet want got=0 problems=0
    local tag page item side name x y size q kind tmpl body fdir key
    local -A KIND=() TMPL=() BODY=() SIDES=() HAVE=()
    local -a LANG=()
    proj=$(dirname "$layout")/..
    while IFS=$'\t' read -r name side kind tmpl body; do
        KIND[$name]=$kind TMPL[$name]=$tmpl BODY[$name]=$body
        SIDES[$side]+=" $name"
    done < <(layout_qr_elements "$layout")
    data=$(ini_value "$layout" page data)
    langs=$(ini_value "$layout" page languages)
    sheet=$(ini_value "$layout" page sheet)
    [ -z "$data" ] || data=$proj/$data
    IFS=', ' read -r -a LANG <<< "$langs"
    if [ -n "$data" ]; then want=$(csv_records "$data")
    elif [ ${#LANG[@]} -gt 0 ]; then want=${#LANG[@]}
    elif [ -n "$sheet" ]; then
        case $sheet in */*) ;; *) sheet=$proj/sheets/$sheet.ini ;; esac
        want=$(( $(ini_value "$sheet" sheet columns) * $(ini_value "$sheet" sheet rows) ))
    else want=1; fi
    : > "$out"
    # "I PAGE ITEM SIDE" for each item side, "Q PAGE ITEM SIDE NAME X Y SIZE" for each code in it
    while IFS=$'\t' read -r tag page item side name x y size; do
        key="$item $side"
        if [ "$tag" = I ]; then
            [ -n "${HAVE[$key]+x}" ] || HAVE[$key]=""
            [ "$item" -le "$got" ] || got=$item
            continue
        fi
        HAVE[$key]+=" $name"
        if [ -z "${KIND[$name]+x}" ]; then
            echo "page $page item $item: [$name] is not a qr element of $layout;"; problems=1; continue
        fi
        if [ -n "$data" ]; then fdir=$cdir
        elif [ ${#LANG[@]} -gt 0 ]; then fdir=$(dirname "$cdir")/${LANG[item - 1]:-?}
        else fdir=$cdir; fi
        if [ "$fdir" != "$FIELDS_DIR" ] || [ -n "$data" ]; then load_fields "$fdir"; fi
        [ -z "$data" ] || load_record "$data" "$item"
        FIELDS[serial]=$item
        q=$(qr_payload_of "${KIND[$name]}" "${TMPL[$name]}" "${BODY[$name]}")
        if [ -z "$q" ]; then
            echo "page $page item $item: no payload derived for [$name] (${KIND[$name]} = ${TMPL[$name]});"; problems=1; continue
        fi
        printf '%s\t%s\t%s\t%s\t%s\n' "$page" "$x" "$y" "$size" "$q" >> "$out"
    done < <(awk '
        $1 == "page" { page++ }
        $1 == "item" { item = $2; side = $3; printf "I\t%d\t%s\t%s\n", page, item, side }
        $1 == "qr" {
            x = y = size = ""
            for (i = 3; i < NF; i++) {
                if ($i == "x" && x == "") x = $(i + 1)
                else if ($i == "y" && y == "") y = $(i + 1)
                else if ($i == "size" && size == "") size = $(i + 1)
            }
            printf "Q\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", page, item, side, $2, x, y, size
        }' "$dump")
    for key in "${!HAVE[@]}"; do
        side=${key#* }
        if [ "$(tr ' ' '\n' <<< "${HAVE[$key]}" | sort | tr '\n' ' ')" != "$(tr ' ' '\n' <<< "${SIDES[$side]-}" | sort | tr '\n' ' ')" ]; then
            echo "item ${key% *} $side: codes [${HAVE[$key]# }], the layout's qr elements of that side [${SIDES[$side]# }];"; problems=1
        fi
    done
    if [ "$got" != "$want" ]; then
        echo "$got items, expected $want (${data:+the records of $data}${langs:+the languages $langs}${sheet:+the cells of $sheet});"; problems=1
    fi
    [ $problems = 0 ]
}

# ---------------------------------------------------------------------------------------------
# PDF checks with the real tools. Each takes a test name and the PDF, and reports (ok, fail).

check_qpdf() { # NAME PDF
    local out
    out=$(run qpdf --check "$2" 2>&1)
    local rc=$?
    if [ $rc -ne 0 ]; then fail "$1" "qpdf --check exit $rc: $(echo "$out" | tail -n 2 | one_line)"
    elif echo "$out" | grep -qi 'warning'; then fail "$1" "qpdf --check warns: $(echo "$out" | grep -i warning | head -n 2 | one_line)"
    else ok "$1"; fi
}

check_fonts() { # NAME PDF  -- at least one font, every one embedded; and every one a subset (a
    # tag of six capital letters), Type 0 with CIDFontType2 or CIDFontType0C outlines, Identity-H,
    # no two with one name (the subset tags tell the subsets apart)
    local out rows bad
    out=$(pdffonts "$2" 2>&1)
    # fields read from the right (a long name pushes the columns out of line): ... type encoding emb
    # sub uni object-number generation; the name is the first field and the type what lies between
    rows=$(echo "$out" | awk '
        /^-+ -+/ { dash = 1; next }
        dash && NF >= 8 { t = $2; for (i = 3; i <= NF - 6; i++) t = t " " $i
                          print $(NF - 4) "\t" $1 "\t" $(NF - 2) "\t" t "\t" $(NF - 5) }')
    if [ -z "$rows" ]; then fail "$1" "pdffonts lists no font"; return; fi
    bad=$(echo "$rows" | awk -F'\t' '$1 != "yes" { print $2 }' | one_line)
    if [ -n "$bad" ]; then fail "$1" "font not embedded: $bad"; return; fi
    bad=$(echo "$rows" | awk -F'\t' '$3 != "yes" || $2 !~ /^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/ { print $2 }' | one_line)
    if [ -n "$bad" ]; then fail "$1" "font not a tagged subset: $bad"; return; fi
    bad=$(echo "$rows" | awk -F'\t' '($4 != "CID TrueType" && $4 != "CID Type 0C") || $5 != "Identity-H" { print $2 " (" $4 ", " $5 ")" }' | one_line)
    if [ -n "$bad" ]; then fail "$1" "font not Type 0 CID with Identity-H: $bad"; return; fi
    bad=$(echo "$rows" | awk -F'\t' '{ print $2 }' | sort | uniq -d | one_line)
    if [ -n "$bad" ]; then fail "$1" "two fonts named alike: $bad"; else ok "$1"; fi
}

# oracle_pgmcrop DIR -> PGMCROP: tests/tools/pgmcrop.c built in DIR, which cuts QR codes out of a
#   rendered sheet for crop_decode_all (none when there is no C compiler: one pdftoppm per code)
PGMCROP=none
oracle_pgmcrop() {
    if command -v cc >/dev/null 2>&1 && cc -O2 -o "$1/pgmcrop" "$ROOT/tests/tools/pgmcrop.c" 2> "$1/pgmcrop.err"; then
        PGMCROP=$1/pgmcrop
    else
        note "tests/tools/pgmcrop.c not built: one pdftoppm per QR code crop ($(head -n 2 "$1/pgmcrop.err" 2>/dev/null | one_line))"
    fi
}

# pt100 VAR VALUE -- sets VAR to VALUE ("315.00", "12.5", "-3") in hundredths of a point, in bash
#   alone (these helpers run once per QR code: no process to start)
pt100() {
    local v=$2 i f sign=1
    [[ $v == -* ]] && { sign=-1; v=${v#-}; }
    i=${v%%.*}; f=""; [[ $v == *.* ]] && f=${v#*.}
    f=${f}00; f=${f:0:2}
    printf -v "$1" '%d' $(( sign * (10#${i:-0} * 100 + 10#$f) ))
}

# crop_decode_all PDF QRS STEM -> decodes every code listed in QRS (lines "PAGE<TAB>X<TAB>Y<TAB>SIZE
#   <TAB>PAYLOAD", as dump_qrs writes them: x, y, size in pt from the page's top-left corner) alone,
#   from a 300 dpi crop of its box plus 3 pt all round; what the N-th code reads goes to
#   STEM.crop.N.got, and all of it to STEM.got.  Prints one line per code that does not read
#   exactly its own payload.  Each page is rendered once (the area holding its codes) and cut up
#   by tests/tools/pgmcrop.c; without it, pdftoppm renders each crop, PAR at a time.  One
#   zbarimg --xml reads all the crops.
PAR=$(nproc 2>/dev/null || echo 1); [ "$PAR" -ge 1 ] 2>/dev/null || PAR=1; [ "$PAR" -le 4 ] || PAR=4
crop_decode_all() {
    local pdf=$1 qrs=$2 stem=$3 k=0 n total pg x y s q got px py pw files=() args
    local -A x0=() y0=() x1=() y1=() codes=()
    while IFS=$'\t' read -r pg x y s q; do
        k=$((k + 1))
        pt100 x "$x"; pt100 y "$y"; pt100 s "$s"
        px=$(( (x - 300) * 300 / 7200 )); py=$(( (y - 300) * 300 / 7200 )); pw=$(( (s + 600) * 300 / 7200 + 1 ))
        [ "$px" -ge 0 ] || px=0; [ "$py" -ge 0 ] || py=0
        : > "$stem.crop.$k.err"
        if [ "$PGMCROP" = none ]; then
            run pdftoppm -r 300 -gray -f "$pg" -l "$pg" -x "$px" -y "$py" -W "$pw" -H "$pw" \
                -singlefile "$pdf" "$stem.crop.$k" 2> "$stem.crop.$k.err" < /dev/null &
            [ $((k % PAR)) -ne 0 ] || wait
            continue
        fi
        # the page's area holding its codes, and each code's rectangle in it
        if [ -z "${codes[$pg]:-}" ]; then x0[$pg]=$px y0[$pg]=$py x1[$pg]=$((px + pw)) y1[$pg]=$((py + pw)); fi
        [ "$px" -ge "${x0[$pg]}" ] || x0[$pg]=$px
        [ "$py" -ge "${y0[$pg]}" ] || y0[$pg]=$py
        [ $((px + pw)) -le "${x1[$pg]}" ] || x1[$pg]=$((px + pw))
        [ $((py + pw)) -le "${y1[$pg]}" ] || y1[$pg]=$((py + pw))
        codes[$pg]+="$k $px $py $pw "
    done < "$qrs"
    total=$k
    wait
    if [ "$PGMCROP" != none ]; then
        n=0
        for pg in "${!codes[@]}"; do
            n=$((n + 1))
            run pdftoppm -r 300 -gray -f "$pg" -l "$pg" -x "${x0[$pg]}" -y "${y0[$pg]}" \
                -W $((x1[$pg] - x0[$pg])) -H $((y1[$pg] - y0[$pg])) -singlefile "$pdf" "$stem.page.$pg" \
                2> "$stem.page.$pg.err" < /dev/null &
            [ $((n % PAR)) -ne 0 ] || wait
        done
        wait
        for pg in "${!codes[@]}"; do
            args=()
            # shellcheck disable=SC2086  # groups of four numbers
            set -- ${codes[$pg]}
            while [ $# -ge 4 ]; do
                args+=("$stem.crop.$1.pgm" $(($2 - x0[$pg])) $(($3 - y0[$pg])) "$4" "$4")
                shift 4
            done
            [ ! -s "$stem.page.$pg.pgm" ] || run "$PGMCROP" "$stem.page.$pg.pgm" "${args[@]}" 2>> "$stem.page.$pg.err"
            [ ! -s "$stem.page.$pg.err" ] || cat "$stem.page.$pg.err" >&2
        done
    fi
    for ((k = 1; k <= total; k++)); do
        : > "$stem.crop.$k.got"
        if [ -s "$stem.crop.$k.pgm" ]; then files+=("$stem.crop.$k.pgm")
        elif [ -s "$stem.crop.$k.err" ]; then cat "$stem.crop.$k.err" >&2; fi
    done
    # <source href='STEM.crop.N.pgm'> ... <data><![CDATA[PAYLOAD]]></data> ... </source>
    [ ${#files[@]} -eq 0 ] ||
    run zbarimg --xml -q --nodbus -Sdisable -Sqrcode.enable "${files[@]}" 2>/dev/null < /dev/null | awk -v files=1 -f "$ROOT/tests/tools/zbar-xml.awk"
    k=0
    : > "$stem.got"
    while IFS=$'\t' read -r pg x y s q; do
        k=$((k + 1))
        got=""; IFS= read -r -d '' got < "$stem.crop.$k.got"
        printf '%s' "$got" >> "$stem.got"
        got=${got%$'\n'}
        [ "$got" = "$q" ] || echo "page $pg code at ($x, $y) read [${got//$'\n'/ }], expected [$q];"
    done < "$qrs"
}
