#!/usr/bin/env bash
# tests/laws.sh -- issue 13: known numbers and keywords with their sources, and the posting laws'
# profiles, checked with the real PDF tools against the data files and the statutes' figures.
#
# usage: tests/laws.sh    (from any folder; it works from the repository root)
#   environment: HANDOUT (default ./handout in the repository), HANDOUT_WRAP
#
# Each check prints "ok - NAME" or "FAIL - NAME: reason"; lines starting with "#" are notes.
# The last line is "N passed, M failed"; the exit status is non-zero when M > 0.
#
#  1. every number of data/known-numbers.ini: its source and date, itself passes, a near miss fails
#  2. keywords: a keyword its number does not document fails on victim-facing items
#  3. the profiles: each notice passes its profile, each rule has a failing variant
#  4. the profiles of issue 13's further states, handout list --profiles, every wallet card's and
#     partner card's code for the hotline, and the warning for the hotline's number shown without
#     its text line and chat

set -u
export LC_ALL=C.UTF-8 TZ=UTC
unset SOURCE_DATE_EPOCH

. "$(dirname "$0")/lib.sh"
suite_takes_no_arguments tests/laws.sh "$@"
cd "$ROOT" || exit 2
need_tools pdfinfo pdftotext pdffonts pdftoppm zbarimg od awk timeout
need_handout

T=$(mktemp -d "${TMPDIR:-/tmp}/handout-laws.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

P=$T/proj
mkdir -p "$P/layouts"
for d in content data fonts profiles sheets printers posting themes; do
    [ -e "$ROOT/$d" ] && ln -s "$ROOT/$d" "$P/$d"
done
copy_layout() {
    awk -v q='"' '/^[[:space:]]*\[/ { sec = tolower($0); gsub(/[[:space:]\[\]]/, "", sec) } '"$3" "$1" > "$2"
}

# check_says NAME STATUS NEEDLES -- ARGS...: handout ARGS exits STATUS and its stderr (and the
#   records of --diagnostics $T/diag, when ARGS ask for them) holds every "|"-separated needle
check_says() {
    local name=$1 want=$2 needles=$3 rc n missing=()
    shift 4
    rm -f "$T/diag"
    handout "$@" >/dev/null 2>"$T/err"
    rc=$?
    [ -f "$T/diag" ] && cat "$T/diag" >> "$T/err" # the records (--diagnostics), with their ids
    if [ -n "$needles" ]; then
        IFS='|' read -r -a na <<< "$needles"
        for n in "${na[@]}"; do grep -qF -- "$n" "$T/err" || missing+=("\"$n\""); done
    fi
    if [ "$rc" -ne "$want" ]; then
        fail "$name" "handout $* exit $rc, expected $want: $(head -n 2 "$T/err" | one_line)"
    elif [ ${#missing[@]} -gt 0 ]; then
        fail "$name" "message lacks ${missing[*]}: $(head -n 2 "$T/err" | one_line)"
    else
        ok "$name"
    fi
}

# =============================================================================================
# 1. Known numbers: each entry names its source (an address) and the date it was checked; the
#    number as written passes; the number with two neighbouring digits swapped fails naming it.

KN=data/known-numbers.ini
# section<TAB>number<TAB>source<TAB>checked, one a line
awk '/^\[/ { if (s != "") print s "\t" num "\t" src "\t" chk; s = substr($0, 2, length($0) - 2); num = src = chk = ""; next }
     /^[a-z]+[[:space:]]*=/ { k = $0; sub(/[[:space:]]*=.*/, "", k); v = $0; sub(/^[^=]*=[[:space:]]*/, "", v)
                              if (k == "number") num = v; if (k == "source") src = v; if (k == "checked") chk = v }
     END { if (s != "") print s "\t" num "\t" src "\t" chk }' "$KN" > "$T/numbers.tsv"
count=$(wc -l < "$T/numbers.tsv")
if [ "$count" -ge 9 ]; then ok "known numbers: $count entries read from $KN"; else fail "known numbers: at least 9 entries" "$count read"; fi
while IFS=$'\t' read -r sec num src chk; do
    case $src in *https://*|*http://*) ok "known numbers [$sec]: the source names an address" ;;
        *) fail "known numbers [$sec]: the source names an address" "source = $src" ;; esac
    if [[ $chk =~ ^20[0-9][0-9]-[01][0-9]-[0-3][0-9]$ ]]; then ok "known numbers [$sec]: checked on $chk"
    else fail "known numbers [$sec]: checked = YYYY-MM-DD" "checked = $chk"; fi
    check_says "known numbers [$sec]: $num itself passes" 0 "" -- \
        check layouts/flyer.ini --content content/en --set "title=Call $num now"
    # the last two neighbouring digits that differ, swapped
    miss=$(awk -v s="$num" 'BEGIN { n = length(s)
        for (i = n - 1; i >= 1; i--) { a = substr(s, i, 1); b = substr(s, i + 1, 1)
            if (a ~ /[0-9]/ && b ~ /[0-9]/ && a != b) { print substr(s, 1, i - 1) b a substr(s, i + 2); exit } } }')
    check_says "known numbers [$sec]: $miss (two digits swapped) fails naming $num" 1 "numbers-near-miss|$num|found \"$miss\"" -- \
        check layouts/flyer.ini --content content/en --set "title=Call $miss now" --diagnostics "$T/diag"
done < "$T/numbers.tsv"
check_says "known numbers: 1-855-FLA-SAVE fails naming 1-855-FLA-SAFE" 1 "1-855-FLA-SAFE|found \"1-855-FLA-SAVE\"" -- \
    check layouts/flyer.ini --content content/en --set "title=Call 1-855-FLA-SAVE now"
check_says "known numbers: 1-888-KEY-2-FRE(EDOM) dials the CAST line and passes" 0 "" -- \
    check layouts/flyer.ini --content content/en --set "title=Call 1-888-KEY-2-FRE(EDOM) now"
check_says "known numbers: 1-888-KEY-2-FRA(EDOM) fails naming the CAST line" 1 "1-888-539-2373|found \"1-888-KEY-2-FRA\"" -- \
    check layouts/flyer.ini --content content/en --set "title=Call 1-888-KEY-2-FRA(EDOM) now"
check_says "known numbers: 1-866-ENDHTGA dials Georgia's line and passes" 0 "" -- \
    check layouts/flyer.ini --content content/en --set "title=Call 1-866-ENDHTGA now"
check_says "known numbers: 1-855-55-TNHTH dials Tennessee's line and passes" 0 "" -- \
    check layouts/flyer.ini --content content/en --set "title=Call 1-855-55-TNHTH now"
# an entry without the date its source was read
NP=$T/np
mkdir -p "$NP/layouts" "$NP/data"
for d in content fonts profiles sheets printers; do ln -s "$ROOT/$d" "$NP/$d"; done
cp layouts/flyer.ini "$NP/layouts/"
printf '[x]\nnumber = 1-888-373-7888\nlabel = hotline\nsource = https://example.org/\n' > "$NP/data/known-numbers.ini"
check_says "known numbers: an entry without checked fails (numbers-no-date)" 1 "numbers-no-date|known-numbers.ini|[x] checked: expected the date" -- \
    check "$NP/layouts/flyer.ini" --content "$NP/content/en" --diagnostics "$T/diag"
printf 'checked = 4 Dec 2026\n' >> "$NP/data/known-numbers.ini"
check_says "known numbers: checked = 4 Dec 2026 fails (numbers-no-date)" 1 "numbers-no-date|found \"4 Dec 2026\"" -- \
    check "$NP/layouts/flyer.ini" --content "$NP/content/en" --diagnostics "$T/diag"

# =============================================================================================
# 2. Keywords: 233733 documents HELP and INFO (data/known-numbers.ini, with its sources). A
#    keyword it does not document is an error on a victim-facing item and a warning elsewhere; the
#    Spanish set's keyword is one the number documents.

doc_kw=$(awk '/^\[national-human-trafficking-textline\]/ { s = 1; next } /^\[/ { s = 0 }
              s && /^keywords[[:space:]]*=/ { sub(/^[^=]*=[[:space:]]*/, ""); print }' "$KN")
if [ "$doc_kw" = "HELP, INFO" ]; then ok "keywords: 233733 documents HELP, INFO"; else fail "keywords: 233733 documents HELP, INFO" "keywords = $doc_kw"; fi
for lang in en es vi; do
    kw=$(sed -n 's/^textline_keyword *= *//p' "content/$lang/content.ini")
    case ", $doc_kw," in *", $kw,"*) ok "keywords: content/$lang's textline_keyword $kw is documented" ;;
        *) fail "keywords: content/$lang's textline_keyword is documented ($doc_kw)" "found $kw" ;; esac
done
check_says "keywords: AYUDA on a victim card (wallet-card-us, content/es) is an error" 1 \
    "numbers-keyword-undocumented|found \"AYUDA\"|HELP, INFO" -- \
    check layouts/wallet-card-us.ini --content content/es --set textline_keyword=AYUDA --diagnostics "$T/diag"
check_says "keywords: AYUDA on a public flyer is a warning" 0 "numbers-keyword-unconfirmed|found \"AYUDA\"" -- \
    check layouts/flyer.ini --content content/es --set textline_keyword=AYUDA --diagnostics "$T/diag"
check_says "keywords: INFO on a victim card passes" 0 "" -- \
    check layouts/wallet-card-us.ini --content content/es --set textline_keyword=INFO
check_says "keywords: tear-off tabs in Spanish pass" 0 "" -- check layouts/tearoff-letter.ini --content content/es
check_says "keywords: tear-off tabs with Envíe AYUDA al 233733 fail" 1 "numbers-keyword-undocumented|[tab1] text" -- \
    check layouts/tearoff-letter.ini --content content/es --set "tab_text=Envíe AYUDA al 233733" --diagnostics "$T/diag"
# the number in brackets, or by its keypad name (BeFree = 233733), is still the number
for t in "Text AYUDA to BeFree (233733)" "Text AYUDA to (233733)" "Text AYUDA to BEFREE" "Envíe AYUDA a BeFree"; do
    check_says "keywords: '$t' on a victim card fails" 1 "numbers-keyword-undocumented|[subline] text|found \"AYUDA\"" -- \
        check layouts/wallet-card-us.ini --content content/en --set "card_subline=$t" --diagnostics "$T/diag"
done
check_says "keywords: 'Text HELP to BeFree (233733)' on a victim card passes" 0 "" -- \
    check layouts/wallet-card-us.ini --content content/en --set "card_subline=Text HELP to BeFree (233733)"
# an SMS code on the victim card: SMSTO:233733:HELP decodes (zbarimg), AYUDA fails
copy_layout layouts/wallet-card-us.ini "$P/layouts/card-sms.ini" '
    sec == "call_qr" && /^tel[[:space:]]*=/ { print "sms      = {textline}"; print "sms_body = {textline_keyword}"; next } { print }'
if grep -q '^sms_body' "$P/layouts/card-sms.ini"; then
    if handout build "$P/layouts/card-sms.ini" "$P/content/es" -o "$T/card-sms.pdf" >/dev/null 2>"$T/err"; then
        pdftoppm -r 300 -png -f 1 -l 1 "$T/card-sms.pdf" "$T/card-sms" 2>/dev/null
        got=$(zbarimg -q --raw "$T"/card-sms*.png 2>/dev/null | sort -u | one_line) # one code per card of the sheet
        if [ "$got" = "SMSTO:233733:HELP" ]; then ok "keywords: the SMS code of a Spanish card decodes as SMSTO:233733:HELP (zbarimg)"
        else fail "keywords: the SMS code decodes as SMSTO:233733:HELP" "zbarimg: $got"; fi
    else
        fail "keywords: a card with an SMS code builds" "$(head -n 2 "$T/err" | one_line)"
    fi
    check_says "keywords: SMSTO:233733:AYUDA on a victim card is an error" 1 "numbers-keyword-undocumented|[call_qr] sms|found \"AYUDA\"" -- \
        build "$P/layouts/card-sms.ini" "$P/content/es" -o "$T/card-bad.pdf" --set textline_keyword=AYUDA --diagnostics "$T/diag"
else
    fail "keywords: the card copy has an SMS code" "the [call_qr] section was not found in layouts/wallet-card-us.ini"
fi

# =============================================================================================
# 3. The profiles. Each notice builds and passes its profile; pdfinfo -box gives the page size the
#    statute asks for, the dump the smallest type, pdftotext the numbers and the statute's text.
#    Each rule has a variant that fails, naming the rule, the element or value, and the statute.

# min_frag_size DUMP -> the smallest size of the frag lines
min_frag_size() { awk '$1 == "frag" { for (i = 3; i < NF; i++) if ($i == "size") { s = $(i + 1) + 0; if (m == "" || s < m) m = s; break } } END { print m }' "$1"; }
page_box() { pdfinfo -box -f 1 -l 1 "$1" 2>/dev/null | awk '/^Page +1 TrimBox:/ { printf "%g x %g", $6 - $4, $7 - $5 }'; }
# words PDF -> pdftotext's text as words: line-end hyphens joined, a hyphen between letters read
#   as a space (as norm_words reads the statute), dashes and quotes dropped
words() { pdftotext -enc UTF-8 "$1" - 2>/dev/null | sed -z 's/-\n\([a-z]\)/\1/g' | sed -e 's/\([a-z]\)-\([a-z]\)/\1 \2/g' -e 's/[—–]/ /g' -e 's/ - / /g' -e 's/[“”"]//g' | one_line; }
norm_words() { sed -e 's/\([a-z]\)-\([a-z]\)/\1 \2/g' -e 's/[—–]/ /g' -e 's/[“”"]//g' | one_line; }
profile_key() { sed -n "s/^$2[[:space:]]*=[[:space:]]*//p" "profiles/$1.ini"; }

# build_fails NAME LAYOUT CONTENT NEEDLES [args...] -- exit 1, no PDF, every "|" needle in stderr
build_fails() {
    local name=$1 layout=$2 content=$3 needles=$4 rc n missing=()
    shift 4
    rm -f "$T/fail.pdf"
    handout build "$layout" "$content" -o "$T/fail.pdf" "$@" >/dev/null 2>"$T/err"
    rc=$?
    IFS='|' read -r -a na <<< "$needles"
    for n in "${na[@]}"; do grep -qF -- "$n" "$T/err" || missing+=("\"$n\""); done
    if [ $rc -ne 1 ]; then fail "$name" "exit $rc, expected 1: $(head -n 2 "$T/err" | one_line)"
    elif [ -e "$T/fail.pdf" ]; then fail "$name" "exit 1 but a PDF was written"
    elif [ ${#missing[@]} -gt 0 ]; then fail "$name" "message lacks ${missing[*]}: $(head -n 3 "$T/err" | one_line)"
    else ok "$name"; fi
}
# notice_ok NAME LAYOUT W H MINTYPE -- builds with content/en, page W x H pt, type >= MINTYPE pt
notice_ok() {
    local name=$1 layout=$2 w=$3 h=$4 mt=$5 pdf=$T/$1.pdf
    if ! handout build "$layout" content/en -o "$pdf" --dump "$T/$1.dump" >/dev/null 2>"$T/err"; then
        fail "$name: builds and passes its profile" "$(head -n 2 "$T/err" | one_line)"; return 1
    fi
    ok "$name: builds and passes its profile"
    local box small; box=$(page_box "$pdf"); small=$(min_frag_size "$T/$1.dump")
    if [ "$box" = "$w x $h" ]; then ok "$name: pdfinfo -box TrimBox $box pt"; else fail "$name: TrimBox $w x $h pt" "pdfinfo -box: $box"; fi
    if awk -v s="$small" -v m="$mt" 'BEGIN { exit !(s != "" && s + 0 >= m - 0.005) }'; then ok "$name: smallest type $small pt >= $mt pt"
    else fail "$name: smallest type >= $mt pt" "$small pt"; fi
}

# --- Florida, Fla. Stat. 787.29(4): at least 8.5 x 11 in, at least 16-point type, English and
#     Spanish, the text of (4) with 1-855-FLA-SAFE
FL=layouts/notice-fl-letter.ini
if notice_ok fl "$FL" 612 792 16; then
    txt=$(words "$T/fl.pdf")
    statute=$(profile_key fl-stat-787.29 prescribed_text | norm_words)
    case $txt in *"$statute"*) ok "fl: pdftotext holds the statute's text of 787.29(4) word for word" ;;
        *) fail "fl: pdftotext holds the statute's text word for word" "$(echo "$statute" | cut -c1-60)... not in: $(echo "$txt" | cut -c1-200)" ;; esac
    case $txt in *"1-855-FLA-SAFE"*"Línea de Florida contra la Trata de Personas"*) ok "fl: pdftotext holds 1-855-FLA-SAFE and the Spanish text" ;;
        *) fail "fl: 1-855-FLA-SAFE and the Spanish text" "$(echo "$txt" | cut -c1-200)" ;; esac
fi
mkdir -p "$T/p2"; cp -r content profiles "$T/p2/"; for d in data fonts sheets printers posting themes; do ln -s "$ROOT/$d" "$T/p2/$d"; done
mkdir -p "$T/p2/layouts"; cp "$FL" layouts/notice-tx-tabloid.ini layouts/notice-ca-letter.ini layouts/notice-ky-cling.ini "$T/p2/layouts/"
sed -i 's/whether it is prostitution,/whether it is sex work,/' "$T/p2/content/en/notice-fl.md"
build_fails "fl: one word changed fails rule prescribed_text, quoting the statute there" "$T/p2/layouts/notice-fl-letter.ini" "$T/p2/content/en" \
    "rule prescribed_text|Fla. Stat. sec. 787.29|effective 2024-07-01|\"prostitution,|\"sex work," --diagnostics "$T/diag"
grep -q 'compliance-prescribed-text' "$T/diag" && ok "fl: the record's id is compliance-prescribed-text" || fail "fl: the record's id is compliance-prescribed-text" "$(cut -c1-120 "$T/diag")"
cp content/en/notice-fl.md "$T/p2/content/en/notice-fl.md"
sed -i 's/ and Florida law\./ law./' "$T/p2/content/en/notice-fl.md"
build_fails "fl: the last words left out fail rule prescribed_text" "$T/p2/layouts/notice-fl-letter.ini" "$T/p2/content/en" \
    "rule prescribed_text|with \"and Florida|found \"law."
cp content/en/notice-fl.md "$T/p2/content/en/notice-fl.md"
copy_layout "$FL" "$P/layouts/fl-14.ini" '
    sec == "english" && /^size/ { print "size = 14pt"; next } sec == "english" && /^min_size/ { print "min_size = 14pt"; next } { print }'
build_fails "fl: 14 pt type fails rule min_type, naming 14 pt, [english] and the statute" "$P/layouts/fl-14.ini" "$P/content/en" \
    "rule min_type|Fla. Stat. sec. 787.29|16 pt|found 14 pt in [english]"
copy_layout "$FL" "$P/layouts/fl-small.ini" 'sec == "page" && /^size/ { print "size = 8.4in x 10.9in"; next }
    sec == "page" && /^margin/ { print "margin = 0.2in"; next } { print }'
build_fails "fl: an 8.4 x 10.9 in page fails rule min_width/min_height" "$P/layouts/fl-small.ini" "$P/content/en" \
    "rule min_width/min_height|Fla. Stat. sec. 787.29|at least 8.5 x 11 in|found 8.4 x 10.9 in"
copy_layout "$FL" "$P/layouts/fl-no-es.ini" '/^[[:space:]]*\[/ { skip = (sec ~ /^spanish|channels_es/) } !skip { print }'
build_fails "fl: no Spanish fails rule languages naming es" "$P/layouts/fl-no-es.ini" "$P/content/en" "rule languages|\"es\"|Fla. Stat. sec. 787.29"
copy_layout "$FL" "$P/layouts/fl-nonumber.ini" 'sec == "hotline" && /^text/ { print "text = Call the hotline"; next } { print }'
sed -i 's/Florida Human Trafficking Hotline, 1-855-FLA-SAFE,/Florida Human Trafficking Hotline,/' "$T/p2/content/en/notice-fl.md"
sed -i 's/1-855-FLA-SAFE,/la línea,/' "$T/p2/content/es/notice-fl.md"
copy_layout "$FL" "$T/p2/layouts/fl-nonumber.ini" 'sec == "hotline" && /^text/ { print "text = Call the hotline"; next } { print }'
build_fails "fl: no 1-855-FLA-SAFE fails rule require" "$T/p2/layouts/fl-nonumber.ini" "$T/p2/content/en" "rule require|\"1-855-FLA-SAFE\"|Fla. Stat. sec. 787.29"
cp content/en/notice-fl.md "$T/p2/content/en/notice-fl.md"; cp content/es/notice-fl.md "$T/p2/content/es/notice-fl.md"
copy_layout "$FL" "$P/layouts/fl-save.ini" 'sec == "hotline" && /^text/ { print "text = 1-855-FLA-SAVE"; next } { print }'
build_fails "fl: 1-855-FLA-SAVE on the sign fails naming 1-855-FLA-SAFE" "$P/layouts/fl-save.ini" "$P/content/en" "[hotline] text|1-855-FLA-SAFE|found \"1-855-FLA-SAVE\""

# --- California, Civ. Code 52.6: the text number and CAST's line besides the national hotline
if notice_ok ca layouts/notice-ca-letter.ini 612 792 16; then
    txt=$(words "$T/ca.pdf")
    for n in 1-888-373-7888 233-733 1-888-539-2373; do
        case $txt in *"$n"*) ok "ca: pdftotext holds $n" ;; *) fail "ca: pdftotext holds $n" "$(echo "$txt" | cut -c1-160)" ;; esac
    done
fi
for l in en es vi; do sed -i 's/ \(o a la\|or the\|hoặc\) \*\*[^*]*(CAST)\*\* \(at\|al\|số\) \*\*1-888-539-2373\*\*//' "$T/p2/content/$l/notice-ca.md"; done
build_fails "ca: no CAST line fails rule element_cast_hotline" "$T/p2/layouts/notice-ca-letter.ini" "$T/p2/content/en" \
    "rule element_cast_hotline|Cal. Civ. Code sec. 52.6|1-888-539-2373|found it nowhere" --diagnostics "$T/diag"
grep -q 'compliance-element-missing' "$T/diag" && ok "ca: the record's id is compliance-element-missing" || fail "ca: the record's id is compliance-element-missing" "$(cut -c1-120 "$T/diag")"
for l in en es vi; do cp "content/$l/notice-ca.md" "$T/p2/content/$l/"; done

# --- California, 52.6's third language by county: data/ca-vra-counties.ini records Alameda County's
#     Voting Rights Act languages (the Census Bureau's 2021 section 203 list, with its source); the
#     profile names the file (county_languages), --set county=NAME asks for one of them
CV=data/ca-vra-counties.ini
al=$(sed -n '/^\[Alameda\]/,/^\[/s/^languages *= *//p' "$CV")
case $(sed -n '/^\[Alameda\]/,/^\[/s/^source *= *//p' "$CV") in
    https://*"Alameda County: Chinese (including Taiwanese), Filipino, Vietnamese"*) ok "ca county: Alameda's entry quotes its source" ;;
    *) fail "ca county: Alameda's entry quotes its source" "no source with the quotation" ;; esac
[ "$(profile_key ca-civ-52.6 county_languages)" = ca-vra-counties ] && ok "ca county: the profile names data/ca-vra-counties.ini" \
    || fail "ca county: the profile names data/ca-vra-counties.ini" "county_languages = $(profile_key ca-civ-52.6 county_languages)"
case ", $al," in *", vi,"*) ok "ca county: Alameda's languages ($al) hold Vietnamese" ;; *) fail "ca county: Alameda's languages hold vi" "languages = $al" ;; esac
case ", $al," in *", ko,"*) fail "ca county: Alameda's languages lack Korean" "languages = $al" ;; *) ok "ca county: Alameda's languages ($al) lack Korean" ;; esac
# the notice in English, Spanish and Vietnamese passes for Alameda County (pdftotext: the Vietnamese is there)
if handout build layouts/notice-ca-letter.ini content/en -o "$T/ca-al.pdf" --set county=Alameda >/dev/null 2>"$T/err"; then
    case $(words "$T/ca-al.pdf") in *"Đường dây"*|*"buôn người"*) ok "ca county: Alameda with Vietnamese passes (pdftotext finds the Vietnamese)" ;;
        *) fail "ca county: Alameda with Vietnamese passes" "pdftotext finds no Vietnamese" ;; esac
else fail "ca county: Alameda with Vietnamese passes" "$(head -n 2 "$T/err" | one_line)"; fi
# the Korean notice fails for Alameda County (Korean is not one of its languages)
build_fails "ca county: Alameda with Korean fails rule county_languages, naming the county's languages" layouts/notice-ca-ko-letter.ini content/en \
    "rule county_languages|Alameda County|($al:|found en, es, ko only|Cal. Civ. Code sec. 52.6" --set "county=Alameda County" --diagnostics "$T/diag"
grep -q 'compliance-county-language-missing' "$T/diag" && ok "ca county: the record's id is compliance-county-language-missing" \
    || fail "ca county: the record's id is compliance-county-language-missing" "$(cut -c1-120 "$T/diag")"
# English and Spanish only: fails for Alameda, passes without a county
copy_layout layouts/notice-ca-letter.ini "$P/layouts/ca-two.ini" '/^[[:space:]]*\[/ { skip = (sec ~ /^vietnamese/) } !skip { print }'
build_fails "ca county: Alameda with English and Spanish only fails rule county_languages" "$P/layouts/ca-two.ini" "$P/content/en" \
    "rule county_languages|found en, es only" --set county=alameda
check_says "ca county: English and Spanish only pass without a county" 0 "" -- build "$P/layouts/ca-two.ini" "$P/content/en" -o "$T/ca-two.pdf"
# a county the data does not record: a warning naming the data file; English and Spanish pass
check_says "ca county: an unrecorded county warns (compliance-county-unsourced) and passes with two languages" 0 \
    "compliance-county-unsourced|$CV|found \"Shasta\"" -- build "$P/layouts/ca-two.ini" "$P/content/en" -o "$T/ca-two.pdf" --set county=Shasta --diagnostics "$T/diag"
# a county whose entry says none (a project's own data): passes with two; an entry without a date fails
CP=$T/cp; mkdir -p "$CP/layouts" "$CP/data"
for d in content fonts profiles sheets printers; do ln -s "$ROOT/$d" "$CP/$d"; done
cp data/known-numbers.ini "$CP/data/"; cp "$P/layouts/ca-two.ini" "$CP/layouts/"
printf '[Testshire]\nlanguages = none\nnames = none\nsource = https://example.org/determination (a test fixture)\nchecked = 2026-12-04\n[Otherton]\nlanguages = km\nsource = https://example.org/\n' > "$CP/data/ca-vra-counties.ini"
check_says "ca county: a county with no third language passes with English and Spanish" 0 "" -- build "$CP/layouts/ca-two.ini" "$CP/content/en" -o "$T/ca-t.pdf" --set county=Testshire
check_says "ca county: an entry without checked fails (compliance-county-no-source)" 1 "compliance-county-no-source|[otherton] checked" -- \
    build "$CP/layouts/ca-two.ini" "$CP/content/en" -o "$T/ca-t.pdf" --set county=Otherton --diagnostics "$T/diag"
check_says "ca county: --set county on a profile without county data warns (compliance-county-unused)" 0 "compliance-county-unused|fl-stat-787.29" -- \
    build "$FL" content/en -o "$T/fl-county.pdf" --set county=Alameda --diagnostics "$T/diag"

# --- The staff's languages (issue 13, items 2-3): the Texas lodging rule asks for "any other
#     primary language spoken by 10 percent or more of the establishment's employees", Rhode Island
#     for "any other language spoken by at least ten percent (10%) of the employees" (as the
#     profiles quote them): staff_languages = 10% in both; --set staff_languages=CODES (the web
#     page's Staff languages) asks for each, and a layout built once per language gets a sheet each
for pr in tx-1tac-54.103 ri-gl-5-14.1-2; do
    [ "$(profile_key "$pr" staff_languages)" = "10%" ] && ok "staff: $pr has staff_languages = 10%" \
        || fail "staff: $pr has staff_languages = 10%" "staff_languages = $(profile_key "$pr" staff_languages)"
done
vi_title=$(sed -n 's/^notice_title *= *//p' content/vi/content.ini | head -n 1)
if handout build layouts/notice-tx-tabloid.ini content/en -o "$T/tx-st.pdf" --set staff_languages=vi >/dev/null 2>"$T/err"; then
    t3=$(pdftotext -enc UTF-8 -f 3 -l 3 "$T/tx-st.pdf" - 2>/dev/null | one_line)
    if [ "$(pdfinfo "$T/tx-st.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')" = 3 ] && [[ $t3 == *"$vi_title"* ]]; then
        ok "staff: Texas lodging with staff language vi passes, a third sheet opening with content/vi's title (pdftotext)"
    else fail "staff: Texas lodging with staff language vi: a third sheet" "page 3: $(head -c 160 <<< "$t3")"; fi
else fail "staff: Texas lodging with staff language vi passes" "$(head -n 2 "$T/err" | one_line)"; fi
build_fails "staff: Rhode Island's English sign with staff language vi fails rule staff_languages" layouts/notice-ri-letter.ini content/en \
    "rule staff_languages|\"vi\"|R.I. Gen. Laws sec. 5-14.1-2|10% or more of the staff" --set staff_languages=vi --diagnostics "$T/diag"
grep -q 'compliance-staff-language-missing' "$T/diag" && ok "staff: the record's id is compliance-staff-language-missing" \
    || fail "staff: the record's id is compliance-staff-language-missing" "$(cut -c1-120 "$T/diag")"
check_says "staff: --set staff_languages on a profile without the rule warns (compliance-staff-languages-unused)" 0 \
    "compliance-staff-languages-unused|fl-stat-787.29" -- build "$FL" content/en -o "$T/fl-st.pdf" --set staff_languages=vi --diagnostics "$T/diag"
check_says "staff: a value that is no list of codes is refused (compliance-bad-staff-languages)" 1 \
    "compliance-bad-staff-languages|found \"../x\"" -- build layouts/notice-tx-tabloid.ini content/en -o "$T/tx-bad.pdf" --set staff_languages=../x --diagnostics "$T/diag"

# --- Texas, 1 TAC 54.103: 11 x 17 in, 16 point, one sheet per language, and the four elements
if notice_ok tx layouts/notice-tx-tabloid.ini 792 1224 16; then
    for p in 1 2; do
        t=$(pdftotext -enc UTF-8 -f $p -l $p "$T/tx.pdf" - 2>/dev/null | one_line)
        case $p in 1) need="annual human trafficking training|retaliated against|Indicators that a person may be trafficked|Texas Department of Public Safety|1-844-643-2251|1-888-373-7888" ;;
                   2) need="capacitación anual sobre la trata de personas|represalias|Indicadores de que una persona puede ser víctima de trata|Departamento de Seguridad Pública de Texas|1-844-643-2251|1-888-373-7888" ;; esac
        IFS='|' read -r -a na <<< "$need"; miss=()
        for n in "${na[@]}"; do case $t in *"$n"*) ;; *) miss+=("$n") ;; esac; done
        if [ ${#miss[@]} -eq 0 ]; then ok "tx: page $p holds the training statement, no retaliation, indicators, DPS contact and the hotline (pdftotext)"
        else fail "tx: page $p holds every element" "missing: ${miss[*]}"; fi
    done
fi
for l in en es; do sed -i '/^\*\*How to recognize/,/^\*\*How to report/{/^\*\*How to report/!d}; /^\*\*Cómo reconocer/,/^\*\*Cómo denunciarla/{/^\*\*Cómo denunciarla/!d}' "$T/p2/content/$l/notice-tx.md"; done
build_fails "tx: no list of indicators fails rule element_indicators" "$T/p2/layouts/notice-tx-tabloid.ini" "$T/p2/content/en" \
    "rule element_indicators|1 Tex. Admin. Code sec. 54.103|found it nowhere"
for l in en es; do cp "content/$l/notice-tx.md" "$T/p2/content/$l/"; sed -i 's/Report suspicious activity.*In an emergency/In an emergency/; s/Denuncie actividades sospechosas.*En una emergencia/En una emergencia/' "$T/p2/content/$l/notice-tx.md"; done
build_fails "tx: no DPS contact fails rule element_dps_contact" "$T/p2/layouts/notice-tx-tabloid.ini" "$T/p2/content/en" \
    "rule element_dps_contact|Texas Department of Public Safety|found it nowhere"
for l in en es; do cp "content/$l/notice-tx.md" "$T/p2/content/$l/"; done

# --- Kentucky, KRS 219.085 and 281.767: a transparent cling of at least 3 x 3 in, 10 point
if notice_ok ky layouts/notice-ky-cling.ini 216 216 10; then
    t=$(pdftotext -enc UTF-8 "$T/ky.pdf" - 2>/dev/null | one_line)
    case $t in *"1-888-373-7888"*"¿Le obligan"*) ok "ky: pdftotext reads the hotline and the Spanish text, unmirrored" ;;
        *) fail "ky: pdftotext reads the hotline, unmirrored" "$t" ;; esac
    # transparent: at 72 dpi the corners and the edges are white (nothing painted behind the text)
    pdftoppm -r 72 -gray -singlefile "$T/ky.pdf" "$T/ky" 2>/dev/null
    dark=$(od -An -v -tu1 -j 15 "$T/ky.pgm" 2>/dev/null | tr -s ' ' '\n' | awk 'NF && $1 < 250 { d++ } NF { n++ } END { printf "%d %d", d, n }')
    read -r d n <<< "$dark"
    if [ "${n:-0}" -gt 0 ] && [ "$d" -lt $((n / 4)) ]; then ok "ky: most of the cling is unpainted ($d of $n pixels darker than white)"
    else fail "ky: most of the cling is unpainted" "$d of $n pixels darker than white"; fi
fi
copy_layout layouts/notice-ky-cling.ini "$P/layouts/ky-yellow.ini" '{ print }
    /^title/ && sec == "page" { print ""; print "[background]"; print "type = box"; print "x = 0"; print "y = 0"; print "width = 3in"; print "height = 3in"; print "fill = \"#ffd166\""; print "bleed = yes" }'
build_fails "ky: an opaque yellow background fails rule transparent, naming the box" "$P/layouts/ky-yellow.ini" "$P/content/en" \
    "rule transparent|Ky. Rev. Stat. sec. 219.085|[background]|100 % of the page" --diagnostics "$T/diag"
grep -q 'compliance-not-transparent' "$T/diag" && ok "ky: the record's id is compliance-not-transparent" || fail "ky: the record's id is compliance-not-transparent" "$(cut -c1-120 "$T/diag")"
copy_layout layouts/notice-ky-cling.ini "$P/layouts/ky-9.ini" '/^min_size/ { print "min_size = 9pt"; next } /^size/ && sec != "page" { print "size = 9pt"; next } { print }'
build_fails "ky: 9 pt type fails rule min_type naming 9 pt" "$P/layouts/ky-9.ini" "$P/content/en" "rule min_type|at least 10 pt|found 9 pt"
copy_layout layouts/notice-ky-cling.ini "$P/layouts/ky-4.ini" 'sec == "page" && /^size/ { print "size = 4in x 4in"; next } { print }'
check_says "ky: a 4 x 4 in cling passes (the statute says at least 3 x 3 in)" 0 "" -- build "$P/layouts/ky-4.ini" "$P/content/en" -o "$T/ky4.pdf"
copy_layout layouts/notice-ky-cling.ini "$P/layouts/ky-small.ini" 'sec == "page" && /^size/ { print "size = 2.9in x 2.9in"; next }
    sec == "page" && /^margin/ { print "margin = 0in"; next } { print }'
build_fails "ky: a 2.9 x 2.9 in cling fails rule min_width/min_height" "$P/layouts/ky-small.ini" "$P/content/en" "rule min_width/min_height|at least 3 x 3 in|found 2.9 x 2.9 in"
copy_layout layouts/notice-ky-cling.ini "$P/layouts/ky-mirror.ini" '/^mirror/ { print "mirror = yes"; next } { print }'
check_says "ky: mirroring, a layout's choice, still passes the profile" 0 "" -- build "$P/layouts/ky-mirror.ini" "$P/content/en" -o "$T/kym.pdf"
# the mirror rule, for a law that asks for it: a profile with mirror = yes fails an unmirrored cling
{ grep -v '^\(transparent\|mirror\|citation\)' profiles/ky-krs-219.085-cling.ini; echo "citation = A mirror test"; echo "mirror = yes"; } > "$T/p2/profiles/mirror-test.ini"
copy_layout layouts/notice-ky-cling.ini "$T/p2/layouts/ky-mt.ini" '/^compliance/ { print "compliance = mirror-test"; next } { print }'
build_fails "mirror = yes in a profile fails an unmirrored layout, rule mirror" "$T/p2/layouts/ky-mt.ini" "$T/p2/content/en" "rule mirror|A mirror test"
copy_layout "$T/p2/layouts/ky-mt.ini" "$T/p2/layouts/ky-mt2.ini" '/^mirror/ { print "mirror = yes"; next } { print }'
check_says "mirror = yes in a profile passes a mirrored layout" 0 "" -- build "$T/p2/layouts/ky-mt2.ini" "$T/p2/content/en" -o "$T/kmt.pdf"

# --- Michigan, MCL 752.1035: at least 8.5 x 11 in, the notice of 5(b) in bold type of at least
#     14 points, English and Spanish
MI=layouts/notice-mi-letter.ini
if notice_ok mi "$MI" 612 792 14; then
    txt=$(words "$T/mi.pdf")
    statute=$(profile_key mi-mcl-752.1035 prescribed_text | norm_words)
    case $txt in *"$statute"*) ok "mi: pdftotext holds the text of 752.1035(b) word for word" ;;
        *) fail "mi: pdftotext holds the statute's text word for word" "$(echo "$txt" | cut -c1-200)" ;; esac
    fonts=$(pdffonts "$T/mi.pdf" 2>/dev/null | awk 'NR > 2 { print $1 }' | sed 's/^[A-Z]*+//' | sort -u | one_line)
    case $fonts in *Bold*) ;; esac
    if [ -n "$fonts" ] && ! printf '%s\n' $fonts | grep -qv 'Bold'; then ok "mi: pdffonts lists bold faces only ($fonts)"
    else fail "mi: pdffonts lists bold faces only" "$fonts"; fi
fi
cp "$MI" "$T/p2/layouts/"
sed -i 's/commercial sex, housework, farm work,/commercial sex, housework,/' "$T/p2/content/en/notice-mi.md"
build_fails "mi: a word left out fails rule prescribed_text, naming farm work and the act" "$T/p2/layouts/notice-mi-letter.ini" "$T/p2/content/en" \
    "rule prescribed_text|Mich. Comp. Laws sec. 752.1035|effective 2016-07-04|with \"farm|found \"or"
cp content/en/notice-mi.md "$T/p2/content/en/"
copy_layout "$MI" "$P/layouts/mi-light.ini" 'sec == "english" && /^font/ { print "font = Liberation Sans"; next } { print }'
build_fails "mi: the English text in a regular weight fails rule bold_all, naming [english]" "$P/layouts/mi-light.ini" "$P/content/en" \
    "rule bold_all|Mich. Comp. Laws sec. 752.1035|every line in a bold weight|[english] in a lighter weight" --diagnostics "$T/diag"
grep -q 'compliance-not-bold' "$T/diag" && ok "mi: the record's id is compliance-not-bold" || fail "mi: the record's id is compliance-not-bold" "$(cut -c1-120 "$T/diag")"
copy_layout "$MI" "$P/layouts/mi-13.ini" '/^min_size/ && sec ~ /english|spanish/ { print "min_size = 13pt"; next } /^size/ && sec ~ /english|spanish/ { print "size = 13pt"; next } { print }'
build_fails "mi: 13 pt type fails rule min_type naming 13 pt and 14 pt" "$P/layouts/mi-13.ini" "$P/content/en" "rule min_type|at least 14 pt|found 13 pt"

# --- Hawaii, HRS 371-20: at least 8.5 x 11 in, English, the text of (a) word for word (its list
#     (1) to (6) included); no type size in the section
HI=layouts/notice-hi-letter.ini
if notice_ok hi "$HI" 612 792 6; then
    txt=$(words "$T/hi.pdf")
    statute=$(profile_key hi-hrs-371-20 prescribed_text | sed 's/^"//; s/"$//; s/)\([A-Z]\)/) \1/g' | norm_words)
    case $txt in *"$statute"*) ok "hi: pdftotext holds the text of 371-20(a) word for word" ;;
        *) fail "hi: pdftotext holds the statute's text word for word" "$(echo "$statute" | cut -c1-80) not in $(echo "$txt" | cut -c1-200)" ;; esac
fi
cp "$HI" "$T/p2/layouts/"
sed -i 's/one hundred seventy languages/more than 200 languages/' "$T/p2/content/en/notice-hi.md"
build_fails "hi: the list changed fails rule prescribed_text, naming one hundred seventy" "$T/p2/layouts/notice-hi-letter.ini" "$T/p2/content/en" \
    "rule prescribed_text|Haw. Rev. Stat. sec. 371-20|with \"one|found \"more"
cp content/en/notice-hi.md "$T/p2/content/en/"
sed -i '/^(6)/d' "$T/p2/content/en/notice-hi.md"
build_fails "hi: item (6) left out fails rule prescribed_text" "$T/p2/layouts/notice-hi-letter.ini" "$T/p2/content/en" "rule prescribed_text|(6)Able"
cp content/en/notice-hi.md "$T/p2/content/en/"

# --- Texas, Gov. Code 402.0351 and its rule: English and Spanish on one sign, a toll-free number
#     and a website, the DPS contact, the key indicators; no size set (the layout: 11 x 17 in)
TG=layouts/notice-tx-gov-tabloid.ini
if notice_ok txgov "$TG" 792 1224 16; then
    t=$(pdftotext -enc UTF-8 "$T/txgov.pdf" - 2>/dev/null | one_line)
    miss=()
    for n in 1-888-373-7888 humantraffickinghotline.org "Texas Department of Public Safety" "Key indicators that a person may be a victim of human trafficking" \
             "Departamento de Seguridad Pública de Texas" "Indicadores clave" 1-844-643-2251; do
        case $t in *"$n"*) ;; *) miss+=("$n") ;; esac
    done
    if [ ${#miss[@]} -eq 0 ]; then ok "txgov: pdftotext holds the number, the website, the DPS contact and the indicators, in English and Spanish"
    else fail "txgov: every element in pdftotext" "missing: ${miss[*]}"; fi
fi
cp "$TG" "$T/p2/layouts/"
for l in en es; do sed -i 's/, or visit \*\*humantraffickinghotline.org\*\*//; s/ o visite \*\*humantraffickinghotline.org\*\*//' "$T/p2/content/$l/notice-tx-gov.md"; done
build_fails "txgov: no website fails rule element_website" "$T/p2/layouts/notice-tx-gov-tabloid.ini" "$T/p2/content/en" \
    "rule element_website|Tex. Gov't Code sec. 402.0351|humantraffickinghotline.org|found it nowhere"
for l in en es; do cp "content/$l/notice-tx-gov.md" "$T/p2/content/$l/"; done
copy_layout "$TG" "$P/layouts/txgov-en.ini" '/^[[:space:]]*\[/ { skip = (sec ~ /^spanish/) } !skip { print }'
build_fails "txgov: no Spanish fails rule languages naming es" "$P/layouts/txgov-en.ini" "$P/content/en" "rule languages|\"es\"|Tex. Gov't Code sec. 402.0351"

# =============================================================================================
# 4. The profiles added for issue 13's list of states. Each notice builds and passes its profile;
#    its page size (pdfinfo -box), smallest type (the dump's frags) and text (pdftotext: the
#    statute's text, from the profile file) are read back; each rule of each profile has a
#    variant that fails naming the rule, the element or value, and the statute's citation.

# variant NAME SRC_LAYOUT AWK NEEDLES -- copy SRC_LAYOUT through AWK into $P/layouts and expect
#   the build to fail with every needle
variant() {
    local name=$1 src=$2 prog=$3 needles=$4 out=$P/layouts/v-$RANDOM.ini
    copy_layout "$src" "$out" "$prog"
    build_fails "$name" "$out" "$P/content/en" "$needles"
}
# text_variant NAME LAYOUT NEEDLES SED FILE... -- the same build from a copy of the content ($T/p2)
#   whose FILEs (under content/) are edited with SED; the copies are restored afterwards
text_variant() {
    local name=$1 layout=$2 needles=$3 expr=$4 f
    shift 4
    cp "$layout" "$T/p2/layouts/"
    for f in "$@"; do sed -i "$expr" "$T/p2/content/$f"; done
    build_fails "$name" "$T/p2/layouts/$(basename "$layout")" "$T/p2/content/en" "$needles"
    for f in "$@"; do cp "content/$f" "$T/p2/content/$f"; done
}
# statute_in NAME PDF PROFILE -- pdftotext of PDF holds the profile's prescribed_text word for word
statute_in() {
    local txt statute
    txt=$(words "$2")
    statute=$(profile_key "$3" prescribed_text | sed 's/^"//; s/"$//; s/)\([A-Z]\)/) \1/g; s/--/ /g; s/ - / /g' | norm_words)
    case $txt in *"$statute"*) ok "$1: pdftotext holds the statute's text word for word" ;;
        *) fail "$1: pdftotext holds the statute's text word for word" "$(echo "$statute" | cut -c1-80)... not in: $(echo "$txt" | cut -c1-200)" ;; esac
}
PAGE_SIZE='sec == "page" && /^size/ { print "size = " SIZE; next } { print }'
for c in content/en content/es content/fr; do cp content/${c#content/}/notice-*.md "$T/p2/$c/" 2>/dev/null; done

# --- Illinois, 775 ILCS 50/10: at least 8.5 x 11 in, 16-point font, English and Spanish, the
#     text of 10(a)
IL=layouts/notice-il-tabloid.ini
if notice_ok il "$IL" 792 1224 16; then statute_in il "$T/il.pdf" il-ilcs-775-50; fi
# (the boxes made 7 in wide from the left margin; the text-and-chat lines, narrowed about the
# centre for the logo, back at the left margin; the logo's corner, off the narrowed page, left out)
variant "il: an 8.4 x 17 in page fails rule min_width/min_height, naming 8.4 x 17 in" "$IL" \
    'sec == "logo" { next } sec == "page" && /^size/ { print "size = 8.4in x 17in"; next } /^width/ && sec != "page" { print "width = 7in"; next } /^x/ && sec ~ /^channels/ { print "x = 0.5in"; next } { print }' \
    "rule min_width/min_height|775 ILCS 50/10|at least 8.5 x 11 in|found 8.4 x 17 in"
variant "il: 15 pt type fails rule min_type, naming 15 pt in [spanish]" "$IL" \
    'sec == "spanish" && /^(size|min_size)/ { print $1 " = 15pt"; next } { print }' "rule min_type|775 ILCS 50/10|at least 16 pt|found 15 pt in [spanish]"
variant "il: no Spanish fails rule languages naming es" "$IL" '/^[[:space:]]*\[/ { skip = (sec ~ /spanish|channels_es/) } !skip { print }' \
    "rule languages|\"es\"|775 ILCS 50/10"
text_variant "il: 'restaurant work' changed fails rule prescribed_text, quoting the statute" "$IL" \
    "rule prescribed_text|775 ILCS 50/10|effective 2016-01-01|with \"restaurant|found \"hotel" 's/or restaurant work/or hotel work/' en/notice-il.md
copy_layout "$IL" "$P/layouts/il-nonumber.ini" 'sec == "hotline" && /^text/ { print "text = Call the hotline"; next } { print }'
cp "$P/layouts/il-nonumber.ini" "$T/p2/layouts/"
for f in en/notice-il.md es/notice-il.md; do sed -i 's/\*\*1-888-373-7888\*\*/the hotline/' "$T/p2/content/$f"; done
build_fails "il: no 1-888-373-7888 fails rule require" "$T/p2/layouts/il-nonumber.ini" "$T/p2/content/en" "rule require|\"1-888-373-7888\"|775 ILCS 50/10"
for f in en/notice-il.md es/notice-il.md; do cp "content/$f" "$T/p2/content/$f"; done

# --- Montana, MCA 44-4-1501: at least 8.5 x 11 in, the statement, English and Spanish, a QR code
MT=layouts/notice-mt-letter.ini
if notice_ok mt "$MT" 612 792 6; then
    statute_in mt "$T/mt.pdf" mt-mca-44-4-1501
    pdftoppm -r 300 -png -f 1 -l 1 "$T/mt.pdf" "$T/mt" 2>/dev/null
    got=$(zbarimg -q --raw "$T"/mt*.png 2>/dev/null | one_line)
    if [ "$got" = "tel:+18883737888" ]; then ok "mt: the QR code decodes as tel:+18883737888 (zbarimg)"; else fail "mt: the QR code decodes as tel:+18883737888" "zbarimg: $got"; fi
fi
variant "mt: no QR code fails rule qr_code" "$MT" '/^[[:space:]]*\[/ { skip = (sec == "call_qr") } !skip { print }' \
    "rule qr_code|Mont. Code Ann. sec. 44-4-1501|a QR code on the page|found none"
variant "mt: an 8.5 x 10.9 in page fails rule min_width/min_height" "$MT" \
    'sec == "page" && /^size/ { print "size = 8.5in x 10.9in"; next } sec == "page" && /^margin/ { print "margin = 0.3in"; next } { print }' \
    "rule min_width/min_height|Mont. Code Ann. sec. 44-4-1501|found 8.5 x 10.9 in"
variant "mt: no Spanish fails rule languages naming es" "$MT" '/^[[:space:]]*\[/ { skip = (sec ~ /spanish|channels_es/) } !skip { print }' \
    "rule languages|\"es\"|Mont. Code Ann. sec. 44-4-1501"
text_variant "mt: an item of the list left out fails rule prescribed_text" "$MT" \
    "rule prescribed_text|Mont. Code Ann. sec. 44-4-1501|with \"Toll" '/^– Toll-free;$/d' en/notice-mt.md
copy_layout "$MT" "$T/p2/layouts/mt-nonumber.ini" 'sec == "hotline" && /^text/ { print "text = Call the hotline"; next } { print }'
for f in en/notice-mt.md es/notice-mt.md; do sed -i 's/\*\*1-888-373-7888\*\*/the hotline/' "$T/p2/content/$f"; done
build_fails "mt: no 1-888-373-7888 fails rule require" "$T/p2/layouts/mt-nonumber.ini" "$T/p2/content/en" "rule require|\"1-888-373-7888\"|Mont. Code Ann."
for f in en/notice-mt.md es/notice-mt.md; do cp "content/$f" "$T/p2/content/$f"; done

# --- Kentucky, KRS 281.767(2)(a): a printed sign of at least 8.5 x 11 in, 16 pt, English and Spanish
KS=layouts/notice-ky-sign-letter.ini
if notice_ok kysign "$KS" 612 792 16; then
    t=$(pdftotext -enc UTF-8 "$T/kysign.pdf" - 2>/dev/null | one_line)
    case $t in *"1-888-373-7888"*"Si usted o alguien"*) ok "kysign: pdftotext reads the hotline and the Spanish text" ;; *) fail "kysign: the hotline and the Spanish text" "$t" ;; esac
fi
variant "kysign: 14 pt type fails rule min_type naming [english]" "$KS" 'sec == "english" && /^(size|min_size)/ { print $1 " = 14pt"; next } { print }' \
    "rule min_type|Ky. Rev. Stat. sec. 281.767(2)(a)|at least 16 pt|found 14 pt in [english]"
variant "kysign: an 8.5 x 10.9 in page fails rule min_width/min_height" "$KS" 'sec == "page" && /^size/ { print "size = 8.5in x 10.9in"; next } sec == "page" && /^margin/ { print "margin = 0.3in"; next } { print }' \
    "rule min_width/min_height|Ky. Rev. Stat. sec. 281.767(2)(a)|found 8.5 x 10.9 in"
variant "kysign: no Spanish fails rule languages naming es" "$KS" '/^[[:space:]]*\[/ { skip = (sec ~ /^spanish/) } !skip { print }' \
    "rule languages|\"es\"|Ky. Rev. Stat. sec. 281.767(2)(a)"
copy_layout "$KS" "$T/p2/layouts/ks-nonumber.ini" 'sec == "hotline" && /^text/ { print "text = Call the hotline"; next } { print }'
for f in en/notice.md es/notice.md; do sed -i 's/\*\*1-888-373-7888\*\*/the hotline/' "$T/p2/content/$f"; done
build_fails "kysign: no 1-888-373-7888 fails rule require" "$T/p2/layouts/ks-nonumber.ini" "$T/p2/content/en" "rule require|\"1-888-373-7888\"|Ky. Rev. Stat. sec. 281.767(2)(a)"
for f in en/notice.md es/notice.md; do cp "content/$f" "$T/p2/content/$f"; done

# --- Maryland, Bus. Reg. 15-207: at least 3 x 5 in, the sign's text, the number in bold, English
#     and Spanish
MD=layouts/notice-md-halfletter.ini
if notice_ok md "$MD" 396 612 6; then
    statute_in md "$T/md.pdf" md-bus-reg-15-207
    fonts=$(pdffonts "$T/md.pdf" 2>/dev/null | awk 'NR > 2 { print $1 }' | sed 's/^[A-Z]*+//' | sort -u | one_line)
    case $fonts in *Bold*) ok "md: pdffonts lists a bold face ($fonts)" ;; *) fail "md: pdffonts lists a bold face" "$fonts" ;; esac
fi
text_variant "md: the number in a regular weight fails rule bold" "$MD" \
    "rule bold|Md. Code, Bus. Reg. sec. 15-207|\"1-888-373-7888\" in a bold weight|found it only in a lighter weight" 's/\*\*1-888-373-7888\.\*\*/1-888-373-7888./' en/notice-md.md es/notice-md.md
variant "md: a 2.9 x 8.5 in page fails rule min_width/min_height" "$MD" \
    'sec == "page" && /^size/ { print "size = 2.9in x 8.5in"; next } /^width/ && sec != "page" { print "width = 2.3in"; next } /^min_size/ { print "min_size = 4pt"; next } { print }' \
    "rule min_width/min_height|Md. Code, Bus. Reg. sec. 15-207|at least 3 x 5 in|found 2.9 x 8.5 in"
variant "md: no Spanish fails rule languages naming es" "$MD" '/^[[:space:]]*\[/ { skip = (sec ~ /spanish|channels_es/) } !skip { print }' \
    "rule languages|\"es\"|Md. Code, Bus. Reg. sec. 15-207"
text_variant "md: a point of the list changed fails rule prescribed_text" "$MD" \
    "rule prescribed_text|Md. Code, Bus. Reg. sec. 15-207|effective 2017|with \"an ID" 's/Has had an ID or documents taken away/Has had documents taken away/' en/notice-md.md

# --- Louisiana, R.S. 15:541.1: at least 8.5 x 11 in, bold 14-point print, English, Louisiana
#     French and Spanish, the wording's opening
LA=layouts/notice-la-letter.ini
if notice_ok la "$LA" 612 792 14; then
    statute_in la "$T/la.pdf" la-rs-15-541.1
    t=$(pdftotext -enc UTF-8 "$T/la.pdf" - 2>/dev/null | one_line)
    case $t in *"Centre national de ressources contre la traite"*"Centro Nacional de Recursos"*) ok "la: pdftotext reads the French and the Spanish text" ;; *) fail "la: the French and the Spanish text" "$(echo "$t" | cut -c1-200)" ;; esac
    fonts=$(pdffonts "$T/la.pdf" 2>/dev/null | awk 'NR > 2 { print $1 }' | sed 's/^[A-Z]*+//' | sort -u | one_line)
    if [ -n "$fonts" ] && ! printf '%s\n' $fonts | grep -qv 'Bold'; then ok "la: pdffonts lists bold faces only ($fonts)"; else fail "la: pdffonts lists bold faces only" "$fonts"; fi
fi
check_says "la: the French text warns that it is a draft translation" 0 "content-draft-translation|language fr" -- check "$LA" --content content/en --diagnostics "$T/diag"
variant "la: no French fails rule languages naming fr" "$LA" '/^[[:space:]]*\[/ { skip = (sec == "french") } !skip { print }' \
    "rule languages|\"fr\"|La. R.S. 15:541.1"
variant "la: the French text in a regular weight fails rule bold_all, naming [french]" "$LA" 'sec == "french" && /^font/ { print "font = Liberation Sans"; next } { print }' \
    "rule bold_all|La. R.S. 15:541.1|[french] in a lighter weight"
variant "la: 13 pt type fails rule min_type naming 13 pt" "$LA" 'sec == "spanish" && /^(size|min_size)/ { print $1 " = 13pt"; next } { print }' \
    "rule min_type|La. R.S. 15:541.1|at least 14 pt|found 13 pt in [spanish]"
variant "la: an 8.5 x 10.9 in page fails rule min_width/min_height" "$LA" 'sec == "page" && /^size/ { print "size = 8.5in x 10.9in"; next } sec == "page" && /^margin/ { print "margin = 0.3in"; next } { print }' \
    "rule min_width/min_height|La. R.S. 15:541.1|found 8.5 x 10.9 in"
text_variant "la: 'farm work' left out fails rule prescribed_text" "$LA" \
    "rule prescribed_text|La. R.S. 15:541.1|with \"farm" 's/housework, farm work, or/housework, or/' en/notice-la.md
copy_layout "$LA" "$T/p2/layouts/la-nonumber.ini" '/^text/ && sec ~ /hotline|channels/ { print "text = Call the hotline"; next } { print }'
for f in en/notice-la.md es/notice-la.md fr/notice-la.md; do sed -i 's/1-888-373-7888/the hotline/' "$T/p2/content/$f"; done
build_fails "la: no 1-888-373-7888 fails rule require" "$T/p2/layouts/la-nonumber.ini" "$T/p2/content/en" "rule require|\"1-888-373-7888\"|La. R.S. 15:541.1"
for f in en/notice-la.md es/notice-la.md fr/notice-la.md; do cp "content/$f" "$T/p2/content/$f"; done

# --- New York, ABC Law 65-e: at least 8.5 in wide and 11 in high, English and Spanish
NY=layouts/notice-ny-letter.ini
notice_ok ny "$NY" 612 792 6
variant "ny: an 8 x 11 in page fails rule min_width/min_height" "$NY" 'sec == "page" && /^size/ { print "size = 8in x 11in"; next } /^width/ && sec != "page" { print "width = 6.5in"; next } { print }' \
    "rule min_width/min_height|N.Y. Alco. Bev. Cont. Law sec. 65-e|found 8 x 11 in"
variant "ny: no Spanish fails rule languages naming es" "$NY" '/^[[:space:]]*\[/ { skip = (sec ~ /^spanish/) } !skip { print }' \
    "rule languages|\"es\"|N.Y. Alco. Bev. Cont. Law sec. 65-e"
copy_layout "$NY" "$T/p2/layouts/ny-nonumber.ini" 'sec == "hotline" && /^text/ { print "text = Call the hotline"; next } { print }'
for f in en/notice.md es/notice.md; do sed -i 's/\*\*1-888-373-7888\*\*/the hotline/' "$T/p2/content/$f"; done
build_fails "ny: no 1-888-373-7888 fails rule require" "$T/p2/layouts/ny-nonumber.ini" "$T/p2/content/en" "rule require|\"1-888-373-7888\"|N.Y. Alco. Bev. Cont. Law sec. 65-e"
for f in en/notice.md es/notice.md; do cp "content/$f" "$T/p2/content/$f"; done

# --- Rhode Island, 5-14.1-2: the hotel notice word for word, in English; no size set
RI=layouts/notice-ri-letter.ini
if notice_ok ri "$RI" 612 792 6; then statute_in ri "$T/ri.pdf" ri-gl-5-14.1-2; fi
variant "ri: no English fails rule languages naming en" "$RI" '/^lang/ { print "lang = es"; next } { print }' "rule languages|\"en\"|R.I. Gen. Laws sec. 5-14.1-2"
text_variant "ri: item (4) changed fails rule prescribed_text" "$RI" \
    "rule prescribed_text|R.I. Gen. Laws sec. 5-14.1-2|effective 2022-01-01|with \"one|found \"more" 's/Accessible in one hundred seventy (170) languages/Accessible in more than 200 languages/' en/notice-ri.md
copy_layout "$RI" "$T/p2/layouts/ri-nonumber.ini" 'sec == "hotline" && /^text/ { print "text = Call the hotline"; next } { print }'
sed -i 's/\*\*1-888-373-7888\*\*/the hotline/' "$T/p2/content/en/notice-ri.md"
build_fails "ri: no 1-888-373-7888 fails rule require" "$T/p2/layouts/ri-nonumber.ini" "$T/p2/content/en" "rule require|\"1-888-373-7888\"|R.I. Gen. Laws"
cp content/en/notice-ri.md "$T/p2/content/en/"

# --- Missouri, RSMo 595.120, and Arkansas, 12-19-102: at least 8.5 x 11 in, English and Spanish,
#     the hotline's number (their statement's words could not be read: sample wording)
for st in mo:notice-mo-letter:"Mo. Rev. Stat. sec. 595.120" ar:notice-ar-letter:"Ark. Code Ann. sec. 12-19-102"; do
    k=${st%%:*}; rest=${st#*:}; L=layouts/${rest%%:*}.ini; cite=${rest#*:}
    notice_ok "$k" "$L" 612 792 6
    # (the boxes made 6.5 in wide; the logo's corner, off the narrowed page, left out)
    variant "$k: an 8 x 11 in page fails rule min_width/min_height" "$L" 'sec == "logo" { next } sec == "page" && /^size/ { print "size = 8in x 11in"; next } /^width/ && sec != "page" { print "width = 6.5in"; next } { print }' \
        "rule min_width/min_height|$cite|at least 8.5 x 11 in|found 8 x 11 in"
    variant "$k: no Spanish fails rule languages naming es" "$L" '/^[[:space:]]*\[/ { skip = (sec ~ /^spanish/) } !skip { print }' \
        "rule languages|\"es\"|$cite"
    copy_layout "$L" "$T/p2/layouts/$k-nonumber.ini" 'sec == "hotline" && /^text/ { print "text = Call the hotline"; next } { print }'
    for f in en/notice.md es/notice.md; do sed -i 's/\*\*1-888-373-7888\*\*/the hotline/' "$T/p2/content/$f"; done
    build_fails "$k: no 1-888-373-7888 fails rule require" "$T/p2/layouts/$k-nonumber.ini" "$T/p2/content/en" "rule require|\"1-888-373-7888\"|$cite"
    for f in en/notice.md es/notice.md; do cp "content/$f" "$T/p2/content/$f"; done
done

# --- Connecticut, 54-234a and 54-222(b), and Virginia, 32.1-133.1 and 40.1-11.3: no size, type
#     or language set (an agency's notice: sample wording); the hotline's number, and for
#     Connecticut that a person forced to engage in any activity who cannot leave may call
for st in ct:notice-ct-letter:"Conn. Gen. Stat. sec. 54-234a and 54-222(b)" va:notice-va-letter:"Va. Code sec. 32.1-133.1 and 40.1-11.3"; do
    k=${st%%:*}; rest=${st#*:}; L=layouts/${rest%%:*}.ini; cite=${rest#*:}
    notice_ok "$k" "$L" 612 792 6
    variant "$k: no English fails rule languages naming en" "$L" '/^lang/ { print "lang = es"; next } { print }' \
        "rule languages|\"en\"|$cite"
    copy_layout "$L" "$T/p2/layouts/$k-nonumber.ini" 'sec == "hotline" && /^text/ { print "text = Call the hotline"; next } { print }'
    for f in en/notice.md es/notice.md; do sed -i 's/\*\*1-888-373-7888\*\*/the hotline/' "$T/p2/content/$f"; done
    build_fails "$k: no 1-888-373-7888 fails rule require" "$T/p2/layouts/$k-nonumber.ini" "$T/p2/content/en" "rule require|\"1-888-373-7888\"|$cite"
    for f in en/notice.md es/notice.md; do cp "content/$f" "$T/p2/content/$f"; done
done
text_variant "ct: no \"cannot leave\" fails rule element_cannot_leave" layouts/notice-ct-letter.ini \
    "rule element_cannot_leave|Conn. Gen. Stat. sec. 54-234a|cannot leave|found it nowhere" 's/ and cannot leave//' en/notice.md

# --- Vermont, 13 V.S.A. 2661: posting permitted, not required; no size set; English and Spanish,
#     the NHTRC text of (b) word for word, a place for a local law enforcement agency's contact
VT=layouts/notice-vt-letter.ini; VTC="Vt. Stat. Ann. tit. 13, sec. 2661"
if notice_ok vt "$VT" 612 792 6; then
    statute_in vt "$T/vt.pdf" vt-vsa-13-2661
    # each English bullet of content/en/notice-vt.md is one line of the page (the last one used to
    # break after "services,": the widow rule balancing a line 28 pt too wide for the box)
    pdftotext -enc UTF-8 "$T/vt.pdf" - 2> /dev/null > "$T/vt.txt"
    nb=0; miss=""
    while IFS= read -r b; do
        nb=$((nb + 1)); grep -qxF -- "$b" "$T/vt.txt" || miss+="[$b] "
    done < <(grep '^• ' content/en/notice-vt.md)
    [ "$nb" -eq 5 ] && [ -z "$miss" ] && ok "vt: each of the 5 English bullets is one line of the page (pdftotext)" ||
        fail "vt: the English bullets on one line each" "$nb bullets read; not a line of their own: $miss"
fi
variant "vt: no Spanish fails rule languages naming es" "$VT" '/^[[:space:]]*\[/ { skip = (sec ~ /^(spanish|police_es)/) } !skip { print }' \
    "rule languages|\"es\"|$VTC"
text_variant "vt: \"170 languages\" changed fails rule prescribed_text" "$VT" \
    "rule prescribed_text|$VTC|effective 2011|found \"200" 's/Accessible in 170 languages/Accessible in 200 languages/' en/notice-vt.md
variant "vt: no law enforcement line fails rule element_law_enforcement" "$VT" 'sec == "police_en" && /^text/ { print "text = Contact:"; next } { print }' \
    "rule element_law_enforcement|$VTC|Local law enforcement|found it nowhere"
copy_layout "$VT" "$T/p2/layouts/vt-nonumber.ini" 'sec == "hotline" && /^text/ { print "text = Call the hotline"; next } { print }'
for f in en/notice-vt.md es/notice-vt.md; do sed -i 's/\*\*1-888-373-7888\*\*/the hotline/' "$T/p2/content/$f"; done
build_fails "vt: no 1-888-373-7888 fails rule require" "$T/p2/layouts/vt-nonumber.ini" "$T/p2/content/en" "rule require|\"1-888-373-7888\"|$VTC"
for f in en/notice-vt.md es/notice-vt.md; do cp "content/$f" "$T/p2/content/$f"; done

# --- Texas, Alco. Bev. Code 104.07: a sign at least 8-1/2 in high and 11 in wide, the notice of
#     (a) word for word in English (and in Spanish, a translation), the Department of Public
#     Safety's contact of (a-1)
TA=layouts/notice-tx-abc-letter.ini; TAC="Tex. Alco. Bev. Code sec. 104.07"
if notice_ok txabc "$TA" 792 612 6; then
    statute_in txabc "$T/txabc.pdf" tx-abc-104.07
    t=$(pdftotext -enc UTF-8 "$T/txabc.pdf" - 2>/dev/null | one_line)
    case $t in *"Texas Department of Public Safety"*"ADVERTENCIA"*"Departamento de Seguridad Pública de Texas"*) ok "txabc: pdftotext reads the DPS contact in English and the Spanish notice with its own" ;;
        *) fail "txabc: the DPS contact and the Spanish notice" "$(echo "$t" | cut -c1-200)" ;; esac
fi
variant "txabc: an 11 x 8.4 in sign fails rule min_width/min_height, naming 8.4 in" "$TA" \
    'sec == "page" && /^size/ { print "size = 11in x 8.4in"; next } sec == "page" && /^orientation/ { next } sec == "spanish" && /^height/ { print "height = 150pt"; next } { print }' \
    "rule min_width/min_height|$TAC|at least 11 x 8.5 in|found 11 x 8.4 in"
# orientation: the section's "8-1/2 inches high and 11 inches wide" is a landscape sign; the same
# notice turned portrait (8.5 in wide, 11 in high, its boxes narrowed to fit) fails, naming the size
variant "txabc: the sign turned portrait fails rule orientation, naming 8.5 in wide and 11 in high" "$TA" \
    'sec == "page" && /^orientation/ { print "orientation = portrait"; next } /^width *= *10in/ { print "width = 7.5in"; next } /^width *= *9.5in/ { print "width = 7in"; next } { print }' \
    "rule orientation|$TAC|expected a landscape page|found 8.5 in wide and 11 in high (portrait)"
# language_area: English about two-thirds, Spanish about one-third. The boxes' areas, from the
# layout's own numbers (points): English title 684 x 40, hotline 684 x 60, notice 720 x 196,
# channels 720 x 26 = 228240; Spanish 720 x 158 = 113760: 66.7 % and 33.3 %. With the Spanish
# block as tall as the English one (196 pt, the English 158 pt): 200880 and 141120, 58.7 % and 41.3 %.
variant "txabc: the Spanish block as large as the English fails rule language_area, naming 58.7 % and 41.3 %" "$TA" \
    'sec == "english" && /^height/ { print "height = 158pt"; next } sec == "channels_en" && /^y/ { print "y = 324pt"; next } sec == "divider" && /^y/ { print "y = 362pt"; next } sec == "spanish" && /^y/ { print "y = 376pt"; next } sec == "spanish" && /^height/ { print "height = 196pt"; next } { print }' \
    "rule language_area|$TAC|en 66.7 %, es 33.3 %|found en 58.7 %, es 41.3 %"
# language_area = equal (a law asking for an equal area per language) fails the 2/3-1/3 notice, and
# a value that is neither shares nor equal, or an orientation that is neither way, is refused
{ grep -v '^\(language_area\|citation\)' profiles/tx-abc-104.07.ini; echo "citation = An equal-area test"; echo "language_area = equal"; } > "$T/p2/profiles/area-test.ini"
copy_layout "$TA" "$T/p2/layouts/txabc-eq.ini" '/^compliance/ { print "compliance = area-test"; next } { print }'
build_fails "language_area = equal fails the 2/3 and 1/3 notice, naming its shares" "$T/p2/layouts/txabc-eq.ini" "$T/p2/content/en" \
    "rule language_area|An equal-area test|an equal share of the text area|found en 66.7 %, es 33.3 %"
{ grep -v '^\(language_area\|orientation\)' profiles/tx-abc-104.07.ini; echo "language_area = en two-thirds"; echo "orientation = sideways"; } > "$T/p2/profiles/area-test.ini"
build_fails "profile: language_area = en two-thirds and orientation = sideways are refused" "$T/p2/layouts/txabc-eq.ini" "$T/p2/content/en" \
    "[profile] language_area: expected equal or each language's share|found \"en two-thirds\"|[profile] orientation: expected landscape or portrait, found \"sideways\""
variant "txabc: no Spanish fails rule languages naming es" "$TA" '/^[[:space:]]*\[/ { skip = (sec ~ /^spanish/) } !skip { print }' \
    "rule languages|\"es\"|$TAC"
text_variant "txabc: \"remain anonymous\" changed fails rule prescribed_text, quoting the statute" "$TA" \
    "rule prescribed_text|$TAC|effective 2007-09-01|with \"remain|found \"stay" 's/You may remain anonymous/You may stay anonymous/' en/notice-tx-abc.md
text_variant "txabc: no Department of Public Safety contact fails rule element_dps_contact" "$TA" \
    "rule element_dps_contact|$TAC|Texas Department of Public Safety|found it nowhere" '/^Report suspicious\|^Denuncie/d' en/notice-tx-abc.md es/notice-tx-abc.md
copy_layout "$TA" "$T/p2/layouts/txabc-nonumber.ini" 'sec == "hotline" && /^text/ { print "text = Call the hotline"; next } { print }'
for f in en/notice-tx-abc.md es/notice-tx-abc.md; do sed -i 's/\*\*1-888-373-7888\*\*/the hotline/' "$T/p2/content/$f"; done
build_fails "txabc: no 1-888-373-7888 fails rule require" "$T/p2/layouts/txabc-nonumber.ini" "$T/p2/content/en" "rule require|\"1-888-373-7888\"|$TAC"
for f in en/notice-tx-abc.md es/notice-tx-abc.md; do cp "content/$f" "$T/p2/content/$f"; done

# --- the posting sheet (build --posting-instructions): a last page for the business owner whose
#     words pdftotext finds as the profile file writes them (who, where, how_many, citation), the
#     languages named with their codes, the notice's own page unchanged
alnum() { tr -cd '[:alnum:]'; } # pdftotext's line breaks, hyphens at a line's end, separators: gone
for pr in mo-rsmo-595.120:notice-mo-letter ct-cgs-54-234a:notice-ct-letter va-code-32.1-133.1:notice-va-letter vt-vsa-13-2661:notice-vt-letter tx-abc-104.07:notice-tx-abc-letter md-bus-reg-15-207:notice-md-halfletter fl-stat-787.29:notice-fl-letter tx-1tac-54.103:notice-tx-tabloid; do
    prof=${pr%%:*}; L=layouts/${pr#*:}.ini; k=${prof%%-*}
    [ "$prof" = tx-abc-104.07 ] && k=txabc # the lodging rule is "tx"
    if ! handout build "$L" content/en -o "$T/$k-post.pdf" --posting-instructions >/dev/null 2>"$T/err"; then
        fail "posting: $k: builds with --posting-instructions" "$(head -n 2 "$T/err" | one_line)"; continue
    fi
    handout build "$L" content/en -o "$T/$k-plain.pdf" >/dev/null 2>&1
    n=$(pdfinfo "$T/$k-post.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }'); n0=$(pdfinfo "$T/$k-plain.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    if [ -n "$n0" ] && [ "$n" = $((n0 + 1)) ]; then ok "posting: $k: pdfinfo counts one page more ($n) than without the option"; else fail "posting: $k: one page more" "$n pages, $n0 without"; fi
    if [ "$(pdftotext -l "$n0" "$T/$k-post.pdf" - 2>/dev/null)" = "$(pdftotext "$T/$k-plain.pdf" - 2>/dev/null)" ]; then ok "posting: $k: the notice's pages read the same"
    else fail "posting: $k: the notice's pages read the same" "pdftotext differs"; fi
    sheet=$(pdftotext -f "$n" -l "$n" "$T/$k-post.pdf" - 2>/dev/null)
    flat=$(alnum <<< "$sheet")
    for key in who where how_many citation; do
        v=$(profile_key "$prof" "$key")
        if [ -z "$v" ]; then
            case $sheet in *"not recorded in the profile"*) ok "posting: $k: no $key in the profile, and the sheet says so" ;; *) fail "posting: $k: the sheet says $key is not recorded" "$(one_line <<< "$sheet" | cut -c1-160)" ;; esac
            continue
        fi
        case $flat in *"$(alnum <<< "$v")"*) ok "posting: $k: pdftotext finds the profile's $key on the sheet" ;;
            *) fail "posting: $k: pdftotext finds the profile's $key" "\"$(cut -c1-80 <<< "$v")...\" not in $(one_line <<< "$sheet" | cut -c1-200)" ;; esac
    done
    want=$(profile_key "$prof" languages | tr -d ' ' | tr ',' '\n' | sed 's/.*/(&)/' | tr '\n' ' ')
    miss=""; for c in $want; do case $sheet in *"$c"*) ;; *) miss="$miss $c" ;; esac; done
    if [ -z "$miss" ]; then ok "posting: $k: the sheet names the languages $want"; else fail "posting: $k: the sheet names the languages" "missing$miss"; fi
done
case $(pdftotext -f 2 -l 2 "$T/fl-post.pdf" - 2>/dev/null | one_line) in
    *"Posting instructions for the business owner"*) ok "posting: fl: the sheet (set at 11 pt) is not held to the profile's 16 pt" ;;
    *) fail "posting: fl: the sheet is not held to the profile's 16 pt" "no sheet" ;; esac
# the county asked for: its languages, as the data file records them, on the sheet
handout build layouts/notice-ca-ko-letter.ini content/en --set county=Orange --posting-instructions -o "$T/ca-post.pdf" >/dev/null 2>"$T/err"
sheet=$(pdftotext -f 2 -l 2 "$T/ca-post.pdf" - 2>/dev/null | one_line)
og=$(sed -n '/^\[Orange\]/,/^\[/s/^languages *= *//p' data/ca-vra-counties.ini)
miss=""; for c in $(tr ',' ' ' <<< "$og"); do case $sheet in *"($c)"*) ;; *) miss="$miss $c" ;; esac; done
case $sheet in *"for Orange County, one of:"*) [ -z "$miss" ] && ok "posting: ca: with --set county=Orange the sheet names the county's languages ($og)" \
    || fail "posting: ca: the sheet names the county's languages" "missing$miss" ;;
    *) fail "posting: ca: the sheet names the county" "$(head -n 2 "$T/err" | one_line) $(cut -c1-200 <<< "$sheet")" ;; esac
check_says "posting: a layout without a profile fails (usage-posting-no-profile)" 1 "usage-posting-no-profile|[page] compliance" -- \
    build layouts/poster.ini content/en -o "$T/x.pdf" --posting-instructions --diagnostics "$T/diag"
check_says "posting: tiles fail (usage-posting-not-plain)" 1 "usage-posting-not-plain|--tile" -- \
    build layouts/notice-mo-letter.ini content/en -o "$T/x.pdf" --posting-instructions --tile a4 --diagnostics "$T/diag"
copy_layout layouts/notice-mo-letter.ini "$P/layouts/mo-nospanish.ini" '/^[[:space:]]*\[/ { skip = (sec ~ /^spanish/) } !skip { print }'
build_fails "posting: the notice's own rules still hold with the sheet asked for" "$P/layouts/mo-nospanish.ini" "$P/content/en" \
    "rule languages|\"es\"|Mo. Rev. Stat. sec. 595.120" --posting-instructions
mkdir -p "$T/nopost/layouts"; for d in content data fonts profiles themes; do ln -s "$ROOT/$d" "$T/nopost/$d"; done
cp layouts/notice-mo-letter.ini "$T/nopost/layouts/"
# (run from the project: a file the project lacks is read from the current folder, as written)
hb=$(cd "$ROOT" && readlink -f "$HANDOUT")
rc=$(cd "$T/nopost" && { timeout "$TMO" $HANDOUT_WRAP "$hb" build layouts/notice-mo-letter.ini content/en -o "$T/x.pdf" --posting-instructions >/dev/null 2>"$T/err"; echo $?; })
if [ "$rc" = 1 ] && grep -qF 'posting/sheet-letter.ini' "$T/err" && [ ! -e "$T/x.pdf" ]; then ok "posting: a project without posting/sheet-letter.ini fails (posting-no-layout), writing nothing"
else fail "posting: a project without posting/sheet-letter.ini fails" "exit $rc: $(head -n 2 "$T/err" | one_line)"; fi

# --- handout list --profiles: every profile with its citation and its sizes, as the files say
list=$(handout list --profiles 2>&1)
for f in profiles/*.ini; do
    line=$(grep -F "$f " <<< "$list")
    cite=$(sed -n 's/^citation *= *//p' "$f")
    mw=$(sed -n 's/^min_width *= *\([0-9.]*\)in$/\1/p' "$f"); mh=$(sed -n 's/^min_height *= *\([0-9.]*\)in$/\1/p' "$f")
    langs=$(sed -n 's/^languages *= *//p' "$f")
    want="[$cite:"
    [ -n "$mw" ] && want="$want|page at least $mw x $mh in"
    [ -n "$langs" ] && want="$want|languages $langs"
    IFS='|' read -r -a na <<< "$want"; miss=()
    for n in "${na[@]}"; do case $line in *"$n"*) ;; *) miss+=("\"$n\"") ;; esac; done
    if [ -n "$line" ] && [ ${#miss[@]} -eq 0 ]; then ok "list --profiles: $f shows its citation, size and languages"
    else fail "list --profiles: $f shows $want" "missing ${miss[*]}: $line"; fi
done
n_files=$(ls profiles/*.ini | wc -l); n_lines=$(grep -c '^profile ' <<< "$list")
if [ "$n_files" -eq "$n_lines" ] && [ "$n_files" -ge 14 ]; then ok "list --profiles: one line for each of the $n_files profiles"; else fail "list --profiles: one line per profile" "$n_lines lines, $n_files files"; fi
case $list in *"[Mont. Code Ann. sec. 44-4-1501:"*"a QR code]"*) ok "list --profiles: Montana's line names its QR code" ;; *) fail "list --profiles: Montana's line names its QR code" "$(grep mt- <<< "$list")" ;; esac
l=$(grep -F "profiles/tx-abc-104.07.ini " <<< "$list")
case $l in *"; $(profile_key tx-abc-104.07 orientation);"*"text area by language $(profile_key tx-abc-104.07 language_area);"*) ok "list --profiles: Texas 104.07's line names its orientation and language shares" ;;
    *) fail "list --profiles: Texas 104.07's line names its orientation and language shares" "$l" ;; esac
mkdir -p "$T/noprof/profiles"
check_says "list --profiles: a root without profiles fails (profile-none-to-list)" 1 "profiles/*.ini" -- list --profiles --root "$T/noprof"

# --- issue 13, item 6: every wallet card, partner cards included, carries a code for the hotline
#     (on its front, or inside for the discreet card): zbarimg reads a tel: code for its number or an
#     SMSTO: code for its text line (data/known-numbers.ini's two numbers), and an SMSTO code where
#     the layout offers texting
kn_tel=$(sed -n '/^\[national-human-trafficking-hotline\]/,/^\[/s/^number *= *//p' data/known-numbers.ini | tr -dc '0-9')
kn_sms=$(sed -n '/^\[national-human-trafficking-textline\]/,/^\[/s/^number *= *//p' data/known-numbers.ini)
for card in layouts/wallet-card*.ini layouts/partner-card*.ini; do
    [ -f "$card" ] || continue
    name=$(basename "$card" .ini)
    if ! handout build "$card" content/en --sheet none -o "$T/wc-$name.pdf" >/dev/null 2>"$T/err"; then
        fail "cards: $name builds" "$(head -n 2 "$T/err" | one_line)"; continue
    fi
    rm -f "$T"/wc-"$name"-*.pgm
    pdftoppm -r 300 -gray -f 1 -l 2 "$T/wc-$name.pdf" "$T/wc-$name" 2>/dev/null
    codes=$(zbarimg -q --raw --nodbus -Sdisable -Sqrcode.enable "$T"/wc-"$name"-*.pgm 2>/dev/null | one_line)
    case " $codes " in
        *" tel:+$kn_tel "*|*" SMSTO:$kn_sms:"*|*" SMSTO:$kn_sms "*) ok "cards: $name carries a code for the hotline (zbarimg: $codes)" ;;
        *) fail "cards: $name carries a code for the hotline (tel:+$kn_tel or SMSTO:$kn_sms)" "zbarimg: [$codes]" ;;
    esac
    if grep -q '^sms *=' "$card"; then
        case " $codes " in *" SMSTO:$kn_sms:"*) ok "cards: $name offers the text line as an SMSTO code" ;;
            *) fail "cards: $name offers the text line as an SMSTO code" "zbarimg: [$codes]" ;; esac
    fi
done

# --- issue 13, item 6, on the sheets `make run` prints: every wallet card in every content set it
#     is built with (tools/run-pairs.sh), each page rendered at 300 dpi, zbarimg reads exactly the
#     codes each side must carry, once per card of the sheet (columns x rows of the layout's sheet
#     file): the call code (the set's hotline_tel) and the text code SMSTO:{textline}:{keyword}
#     (the text line documents texting: data/known-numbers.ini), and on the US and EU cards' backs
#     the information code (info_url); pdftotext finds the number and the text line
# sides LAYOUT -> "FRONT/BACK": the codes each side of the card carries (what issue 13 asks)
sides() {
    case $1 in
        wallet-card-discreet-us) echo "/tel sms" ;;
        wallet-card-*) echo "tel sms/info" ;;
    esac
}
field_of() { sed -n "s/^$2[[:space:]]*=[[:space:]]*//p" "$1/content.ini" | head -n 1; }
n_cards=0
while read -r lay cdir name _; do
    case $name in wallet-card-*) ;; *) continue ;; esac
    base=$(basename "$lay" .ini)
    sh_name=$(sed -n 's/^sheet[[:space:]]*=[[:space:]]*//p' "$lay")
    per=$(( $(sed -n 's/^columns[[:space:]]*=[[:space:]]*//p' "sheets/$sh_name.ini") * $(sed -n 's/^rows[[:space:]]*=[[:space:]]*//p' "sheets/$sh_name.ini") ))
    kw=$(field_of "$cdir" textline_keyword)
    tel=$(field_of "$cdir" hotline_tel); sms="SMSTO:$(field_of "$cdir" textline):$kw"; info=$(field_of "$cdir" info_url)
    case ", $doc_kw," in *", $kw,"*) ;; *) fail "cards: $name's keyword is one 233733 documents ($doc_kw)" "found $kw"; continue ;; esac
    if ! handout build "$lay" "$cdir" -o "$T/sheet-$name.pdf" >/dev/null 2>"$T/err"; then
        fail "cards: $name builds on its sheet" "$(head -n 2 "$T/err" | one_line)"; continue
    fi
    rm -f "$T"/sheet-"$name"-*.pgm
    pdftoppm -r 300 -gray "$T/sheet-$name.pdf" "$T/sheet-$name" 2>/dev/null
    got_f=$(zbarimg -q --raw --nodbus -Sdisable -Sqrcode.enable "$T/sheet-$name-1.pgm" 2>/dev/null | sort | uniq -c | one_line)
    got_b=$(zbarimg -q --raw --nodbus -Sdisable -Sqrcode.enable "$T/sheet-$name-2.pgm" 2>/dev/null | sort | uniq -c | one_line)
    IFS=/ read -r want_f want_b <<< "$(sides "$base")"
    expect() { # expect KINDS -> "N PAYLOAD" lines as sort | uniq -c gives them, in one line
        local k; for k in $1; do case $k in tel) echo "$tel" ;; sms) echo "$sms" ;; info) echo "$info" ;; esac; done |
            sort | while read -r pl; do printf '%7d %s\n' "$per" "$pl"; done | one_line; }
    ef=$(expect "$want_f"); eb=$(expect "$want_b")
    pages=$(pdfinfo "$T/sheet-$name.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
    txt=$(pdftotext "$T/sheet-$name.pdf" - 2>/dev/null)
    errs=""
    [ "$pages" = 2 ] || errs="$errs $pages pages, not 2 (fronts and backs of $per cards);"
    [ "$got_f" = "$ef" ] || errs="$errs fronts: zbarimg [$got_f], expected [$ef];"
    [ "$got_b" = "$eb" ] || errs="$errs backs: zbarimg [$got_b], expected [$eb];"
    case $txt in *"$(field_of "$cdir" hotline)"*) ;; *) errs="$errs pdftotext finds no $(field_of "$cdir" hotline);" ;; esac
    case $txt in *"$(field_of "$cdir" textline)"*) ;; *) errs="$errs pdftotext finds no $(field_of "$cdir" textline);" ;; esac
    if [ -z "$errs" ]; then ok "cards: $name, $per to a sheet, carries exactly its codes ($(echo "$want_f" | tr ' ' '+') | $(echo "$want_b" | tr ' ' '+')) on each card (zbarimg at 300 dpi) and the number and text line (pdftotext)"
    else fail "cards: $name carries exactly its codes on each card" "$errs"; fi
    n_cards=$((n_cards + 1))
done < <(sh tools/run-pairs.sh)
n_want=$(sh tools/run-pairs.sh | awk '$3 ~ /^wallet-card-/' | wc -l)
if [ "$n_cards" -eq "$n_want" ] && [ "$n_cards" -ge 21 ]; then ok "cards: every wallet card make run builds was read ($n_cards)"; else fail "cards: every wallet card make run builds was read" "$n_cards of $n_want"; fi
# the codes stay big enough to scan from where a card is held: a text code shrunk to 50 pt (14.3 mm
# across, a tenth of 15 cm being 15 mm) fails on each card
for lay in layouts/wallet-card-us.ini layouts/wallet-card-discreet-us.ini layouts/wallet-card-eu.ini; do
    b=$(basename "$lay" .ini)
    grep -q '^scan_distance *= *15cm' "$lay" || fail "cards: $b states the distance its codes are scanned from" "no scan_distance = 15cm in [page]"
    copy_layout "$lay" "$P/layouts/$b-small.ini" 'sec == "sms_qr" && /^size[[:space:]]*=/ { print "size = 50pt"; next } { print }'
    check_says "cards: $b with its text code shrunk to 50 pt fails at the card's scan distance" 1 \
        "preflight-qr-too-small-for-distance|[sms_qr]" -- check "$P/layouts/$b-small.ini" --content "$P/content/en" --diagnostics "$T/diag"
done

# --- the hotline's other ways in: an item for victims that shows the number alone warns, naming
#     text and chat (data/known-numbers.ini, `mention`, with the hotline's announcement as source)
m=$(sed -n '/^\[national-human-trafficking-hotline\]/,/^\[/s/^mention *= *//p' "$KN")
case $m in "text 233733"*"chat humantraffickinghotline.org"*) ok "channels: the hotline's entry lists text and chat to mention" ;; *) fail "channels: the hotline's entry lists text and chat" "mention = $m" ;; esac
case $(sed -n '/^\[national-human-trafficking-hotline\]/,/^\[/s/^source *= *//p' "$KN") in
    *acf.hhs.gov/otip/success-story/announcing-24-7-chat-text*) ok "channels: the entry's source names the hotline's announcement" ;;
    *) fail "channels: the entry's source names the hotline's announcement" "no acf.hhs.gov address" ;; esac
copy_layout "$RI" "$P/layouts/ri-alone.ini" '/^[[:space:]]*\[/ { skip = (sec ~ /^channels/) } !skip { print }'
check_says "channels: the Rhode Island notice without its text and chat line warns, naming both" 0 \
    "numbers-channels-unmentioned|text (233733) and chat (humantraffickinghotline.org/chat)|found the number alone" -- \
    check "$P/layouts/ri-alone.ini" --content "$P/content/en" --diagnostics "$T/diag"
check_says "channels: the same with --strict fails" 1 "numbers-channels-unmentioned" -- \
    check "$P/layouts/ri-alone.ini" --content "$P/content/en" --strict --diagnostics "$T/diag"
rm -f "$T/diag"; handout check "$RI" --content content/en --diagnostics "$T/diag" >/dev/null 2>"$T/err"
if grep -q 'numbers-channels-unmentioned' "$T/err" "$T/diag" 2>/dev/null; then fail "channels: the notice with 'Text HELP to 233733 · Chat' does not warn" "$(head -n 2 "$T/err" | one_line)"
else ok "channels: the notice with 'Text HELP to 233733 · Chat' does not warn"; fi
copy_layout "$P/layouts/ri-alone.ini" "$P/layouts/ri-public.ini" 'sec == "page" && /^audience/ { print "audience = public"; next } { print }'
sed -i '/^compliance/d' "$P/layouts/ri-public.ini"
rm -f "$T/diag"; handout check "$P/layouts/ri-public.ini" --content "$P/content/en" --diagnostics "$T/diag" >/dev/null 2>"$T/err"
if grep -q 'numbers-channels-unmentioned' "$T/err" "$T/diag" 2>/dev/null; then fail "channels: the number alone on a public item does not warn" "$(head -n 2 "$T/err" | one_line)"
else ok "channels: the number alone on a public item does not warn"; fi
copy_layout "$P/layouts/ri-alone.ini" "$P/layouts/ri-chat.ini" '{ print } /^title/ && sec == "page" { print ""; print "[chat]"; print "type = text"; print "x = 0.5in"; print "y = 712pt"; print "width = 7.5in"; print "height = 30pt"; print "text = Chat at humantraffickinghotline.org"; print "size = 18pt"; print "lang = en" }'
rm -f "$T/diag"; handout check "$P/layouts/ri-chat.ini" --content "$P/content/en" --diagnostics "$T/diag" >/dev/null 2>"$T/err"
if grep -q 'numbers-channels-unmentioned' "$T/err" "$T/diag" 2>/dev/null; then fail "channels: the chat alone beside the number is enough" "$(head -n 2 "$T/err" | one_line)"
else ok "channels: the chat alone beside the number is enough"; fi

summary
