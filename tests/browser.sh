#!/usr/bin/env bash
# tests/browser.sh -- the page of `handout serve` in a real browser (Debian's chromium, driven by
# playwright-core from tests/browser/): tests/browser/page.test.mjs fills the form as a person
# would, with the script (at a phone's width: labels, live preview, messages, Download PDF, Place
# order) and without it (Preview and Download PDF by keyboard); tests/browser/staff.test.mjs the
# staff page (approve, build with its progress, download, mark printed and shipped) and the
# partner's status link beside it. This script starts the server for them (with --staff-token)
# and then checks what they left with the real tools: the downloaded PDFs (qpdf, pdfinfo, every QR
# code decoded with pdftoppm + zbarimg to exactly its payload, the payloads taken from the layouts'
# content sets), the order's job file and its files, and the PDF `handout batch` builds from it.
#
# usage: tests/browser.sh    (from anywhere; the server runs in the repository with a temporary
#   orders folder)
#   environment: HANDOUT (default ./handout in the repository; the server runs from a copy of it),
#   HANDOUT_WRAP (a command such as valgrind put in front of the server and of handout batch),
#   CHROMIUM (default /usr/bin/chromium)
#
# Each check prints "ok - NAME" or "FAIL - NAME: reason"; lines starting with "#" are notes.
# The last line is "N passed, M failed"; the exit status is non-zero when M > 0.
# Needs node (20 or later) and npm, python3, chromium, poppler-utils (pdfinfo, pdftoppm), qpdf and
# zbar-tools (tools/deps.sh installs them); playwright-core comes from npm: `npm ci` in
# tests/browser when its node_modules is missing or does not match package-lock.json. No browser is
# downloaded: playwright drives the installed chromium.

set -u
export LC_ALL=C.UTF-8 TZ=UTC
unset SOURCE_DATE_EPOCH

# START_DIR, ROOT, HANDOUT, and ok, fail, note, lap, summary
. "$(dirname "$0")/lib.sh"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
B=$ROOT/tests/browser
NODE_TMO=75     # seconds for the whole browser test (it takes about 15)
STEP_MS=15000   # milliseconds for any one wait in the browser
if [ -n "$HANDOUT_WRAP" ]; then NODE_TMO=600; STEP_MS=120000; fi
EPOCH=1764288000                                # the server's SOURCE_DATE_EPOCH: 2025-11-28
DAY=$(date -u -d "@$EPOCH" +%Y%m%d)             # 20251128
ORDER=order-$DAY-001                            # the first order of that day
STAFF_TOKEN=staff-browser-0123456789abcdef      # the server's --staff-token (tests/browser/staff.test.mjs)


need_tools node npm python3 qpdf pdfinfo pdftoppm zbarimg cmp od timeout
if [ ! -x "$CHROMIUM" ]; then
    fail "chromium" "$CHROMIUM does not exist or is not executable (run tools/deps.sh)"
    summary
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
if [ "${node_major:-0}" -lt 20 ] 2>/dev/null; then
    fail "node" "version $(node --version 2>&1) is too old: playwright-core needs node 20 or later"
    summary
fi
need_handout

T=$(mktemp -d "${TMPDIR:-/tmp}/handout-browser-tests.XXXXXX") || exit 2
mkdir -p "$T/orders" "$T/out" "$T/home" "$T/tmp" "$T/servetmp"
SERVER_PID=""
# stop_server: SIGTERM, then up to 10 s (60 s wrapped) for the requests in flight; its exit status
#   in SERVER_RC
SERVER_RC=""
stop_server() {
    [ -n "$SERVER_PID" ] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null
    local i n=100
    [ -z "$HANDOUT_WRAP" ] || n=600
    for ((i = 0; i < n; i++)); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null; SERVER_RC=$?
    SERVER_PID=""
}
# browser_pids: chromium's processes of this run (its profile is under $T/tmp, its crash handler's
#   database under $T/home), by process id
browser_pids() { pgrep -f -- "$T/(tmp|home)/" 2>/dev/null || true; }
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    # the browser test, when this script is stopped while it runs (timeout passes SIGTERM to node,
    # which closes chromium)
    [ ! -s "$T/node.pid" ] || { kill -TERM "$(cat "$T/node.pid")" 2>/dev/null; sleep 1; }
    stop_server
    local pids; pids=$(browser_pids)
    # shellcheck disable=SC2086  # a list of process ids
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ini_value FILE SECTION KEY
ini_value() {
    awk -v want_sec="$2" -v want_key="$3" -f "$ROOT/tools/ini-value.awk" "$1"
}
unquote() { local v=$1; v=${v#\"}; v=${v%\"}; printf '%s' "$v"; }

# ---------------------------------------------------------------------------------------------
# playwright-core from package-lock.json (npm ci when node_modules is missing or stale)

want_pw=$(cd "$B" && node -p 'require("./package-lock.json").packages["node_modules/playwright-core"].version' 2>/dev/null)
pinned=$(cd "$B" && node -p 'require("./package.json").dependencies["playwright-core"]' 2>/dev/null)
have_pw=$(cd "$B" && node -p 'require("./node_modules/playwright-core/package.json").version' 2>/dev/null)
if [ ! -d "$B/node_modules" ] || [ ! -e "$B/node_modules/.package-lock.json" ] ||
    [ "$B/package-lock.json" -nt "$B/node_modules/.package-lock.json" ] ||
    [ "$B/package.json" -nt "$B/node_modules/.package-lock.json" ] || [ "$have_pw" != "$want_pw" ]; then
    note "npm ci in tests/browser (node_modules ${have_pw:+has playwright-core $have_pw, }missing or stale)"
    (cd "$B" && timeout 300 npm ci --no-audit --no-fund --loglevel=error) > "$T/npm.log" 2>&1
    st=$?
    have_pw=$(cd "$B" && node -p 'require("./node_modules/playwright-core/package.json").version' 2>/dev/null)
    if [ $st -ne 0 ]; then
        fail "npm ci in tests/browser" "exit $st: $(tail -n 5 "$T/npm.log" | one_line)"
        summary
    fi
fi
if [ -n "$want_pw" ] && [ "$have_pw" = "$want_pw" ] && [ "$pinned" = "$want_pw" ]; then
    ok "playwright-core $have_pw installed in tests/browser, as package.json pins and package-lock.json locks it"
else
    fail "playwright-core" "package.json pins \"$pinned\", package-lock.json has \"$want_pw\", node_modules has \"$have_pw\""
    summary
fi
lap "npm"

# ---------------------------------------------------------------------------------------------
# A logo (a piece of the flyer, 300 x 300 px: 300 dpi at the card's 1 in square) and the server.

cd "$T" || exit 2
handout build "$ROOT/layouts/flyer.ini" "$ROOT/content/en" -o "$T/fl.pdf" > "$T/fl.err" 2>&1
pdftoppm -png -r 300 -f 1 -l 1 -x 150 -y 150 -W 300 -H 300 -singlefile "$T/fl.pdf" "$T/logo"
# a PNG's width and height: bytes 16 to 23, big-endian
size=$(od -An -tu1 -j16 -N8 "$T/logo.png" 2>/dev/null | awk '{ printf "%d x %d", (($1 * 256 + $2) * 256 + $3) * 256 + $4, (($5 * 256 + $6) * 256 + $7) * 256 + $8 }')
if [ "$size" = "300 x 300" ] && [ "$(head -c 8 "$T/logo.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
    ok "logo: a 300 x 300 px PNG cut from the flyer with pdftoppm"
else
    fail "logo" "expected a 300 x 300 PNG, found \"$size\": $(one_line < "$T/fl.err")"
    summary
fi

# The server: a copy of the binary (a running ./handout would make `make` fail with "Text file
# busy"), in the repository (web/, layouts/, content/), on a free port; timeout ends it should this
# script die without its trap.
cp "$HANDOUT" "$T/handout-serve" || exit 2
# shellcheck disable=SC2086  # HANDOUT_WRAP is a command line: split it
# HANDOUT_TEST_BUILD_LINGER: a staff build waits 1 s once built, so that its progress is seen
(cd "$ROOT" && SOURCE_DATE_EPOCH=$EPOCH TMPDIR=$T/servetmp HANDOUT_TEST_BUILD_LINGER=1 exec timeout -k 5 600 $HANDOUT_WRAP \
    "$T/handout-serve" serve --port 0 --orders "$T/orders" --staff-token "$STAFF_TOKEN" 2> "$T/serve.err" < /dev/null) &
SERVER_PID=$!
PORT=""
for ((i = 0; i < 200; i++)); do
    PORT=$(sed -n 's|^handout: serving http://127\.0\.0\.1:\([0-9]\{1,5\}\)/ .*|\1|p' "$T/serve.err" | head -n 1)
    [ -z "$PORT" ] || break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
if [ -n "$PORT" ]; then
    ok "server: handout serve --port 0 names its port on stderr ($PORT)"
else
    fail "server: start" "no \"handout: serving http://127.0.0.1:PORT/\" line: $(head -c 600 "$T/serve.err" | one_line)"
    summary
fi
BASE=http://127.0.0.1:$PORT/
lap "logo and server"

# ---------------------------------------------------------------------------------------------
# The browser test: its "ok"/"FAIL" lines count here.

node_ok=0
node_fail=0
while IFS= read -r line; do
    case $line in
        "ok - "*) PASSED=$((PASSED + 1)); node_ok=$((node_ok + 1)); echo "$line" ;;
        "FAIL - "*) FAILED=$((FAILED + 1)); node_fail=$((node_fail + 1)); echo "$line" ;;
        "#"*) echo "$line" ;;
        *) echo "# page.test.mjs: $line" ;;
    esac
done < <(
    cd "$B" && env HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_CACHE_HOME="$T/home/.cache" TMPDIR="$T/tmp" \
        BASE_URL="$BASE" OUT_DIR="$T/out" LOGO="$T/logo.png" ORDER_DATE="$DAY" CHROMIUM="$CHROMIUM" STEP_MS="$STEP_MS" \
        timeout -k 5 "$NODE_TMO" node page.test.mjs 2> "$T/node.err" < /dev/null &
    echo $! > "$T/node.pid"
    wait $!
    echo $? > "$T/node.rc"
)
rm -f "$T/node.pid"
node_rc=$(cat "$T/node.rc" 2>/dev/null || echo '?')
if [ "$node_rc" = 0 ] && [ $node_fail -eq 0 ] && [ $node_ok -gt 0 ]; then
    ok "browser test: page.test.mjs ran $node_ok checks and exited 0"
elif [ "$node_rc" = 1 ] && [ $node_fail -gt 0 ]; then
    note "page.test.mjs: $node_fail of its checks failed; stderr: $(head -c 400 "$T/node.err" | one_line)"
else
    fail "browser test: page.test.mjs" "exit $node_rc ($node_ok ok, $node_fail failed; 124: over $NODE_TMO s): $(tail -n 5 "$T/node.err" | one_line)"
fi
sleep 0.2
left=$(browser_pids)
if [ -z "$left" ]; then
    ok "browser: no chromium process of this run is left"
else
    fail "browser: left over" "chromium processes $(echo "$left" | one_line) still run after the test; ended with SIGKILL"
    # shellcheck disable=SC2086  # a list of process ids
    kill -KILL $left 2>/dev/null
fi
lap "browser"

# ---------------------------------------------------------------------------------------------
# The notices by state (tests/browser/notice.test.mjs), against the same server. What it expects
# comes from the project's files: a notice layout whose profile has county_languages and which
# prints a language of the first county its data file records, with that county; one whose profile
# has staff_languages; their states (each profile's description up to its ':').
notice_browser_test() {
    local l prof pf st cd_ c lg cp="" cs="" cy="" sp="" ss="" line n_ok=0 n_fail=0 rc left
    for l in "$ROOT"/layouts/*.ini; do
        prof=$(sed -n '/^\[page\]/,/^\[/s/^compliance *= *//p' "$l" | head -n 1)
        pf=$ROOT/profiles/$prof.ini
        [ -n "$prof" ] && [ -f "$pf" ] || continue
        st=$(sed -n 's/^description *= *\([^:]*\):.*/\1/p' "$pf" | head -n 1)
        cd_=$(sed -n 's/^county_languages *= *//p' "$pf" | head -n 1)
        if [ -z "$cp" ] && [ -n "$cd_" ]; then # one that prints a language of the first county recorded
            c=$(sed -n 's/^\[\(.*\)\][[:space:]]*$/\1/p' "$ROOT/data/$cd_.ini" | head -n 1)
            for lg in $(sed -n "/^\[$c\]/,/^\[/s/^languages *= *//p" "$ROOT/data/$cd_.ini" | head -n 1 | tr ',' ' '); do
                grep -q "\.\./$lg/\|@$lg}" "$l" && { cp=$(basename "$l" .ini) cs=$st cy=$c; break; }
            done
        fi
        if [ -z "$sp" ] && grep -q '^staff_languages *=' "$pf"; then sp=$(basename "$l" .ini) ss=$st; fi
    done
    if [ -z "$cp" ] || [ -z "$cy" ] || [ -z "$sp" ]; then
        fail "notice browser test" "no notice with county data ($cp, $cy) or with staff languages ($sp) in layouts/ and profiles/"; return
    fi
    while IFS= read -r line; do
        case $line in
            "ok - "*) PASSED=$((PASSED + 1)); n_ok=$((n_ok + 1)); echo "$line" ;;
            "FAIL - "*) FAILED=$((FAILED + 1)); n_fail=$((n_fail + 1)); echo "$line" ;;
            *) echo "# notice.test.mjs: $line" ;;
        esac
    done < <(
        cd "$B" && env HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_CACHE_HOME="$T/home/.cache" TMPDIR="$T/tmp" \
            BASE_URL="$BASE" CHROMIUM="$CHROMIUM" STEP_MS="$STEP_MS" COUNTY_PRODUCT="$cp" COUNTY_STATE="$cs" COUNTY="$cy" \
            STAFF_PRODUCT="$sp" STAFF_STATE="$ss" timeout -k 5 "$NODE_TMO" node notice.test.mjs 2> "$T/notice-node.err" < /dev/null
        echo "rc $?" > "$T/notice-node.rc"
    )
    rc=$(sed -n 's/^rc //p' "$T/notice-node.rc" 2>/dev/null)
    if [ "$rc" = 0 ] && [ $n_fail -eq 0 ] && [ $n_ok -gt 0 ]; then ok "notice browser test: notice.test.mjs ran $n_ok checks and exited 0"
    elif [ "$rc" != 1 ] || [ $n_fail -eq 0 ]; then
        fail "notice browser test: notice.test.mjs" "exit ${rc:-?} ($n_ok ok, $n_fail failed): $(tail -n 5 "$T/notice-node.err" | one_line)"
    fi
    sleep 0.2
    left=$(browser_pids)
    if [ -z "$left" ]; then ok "notice browser test: no chromium process of it is left"
    else
        fail "notice browser test: left over" "chromium processes $(echo "$left" | one_line)"
        # shellcheck disable=SC2086  # a list of process ids
        kill -KILL $left 2>/dev/null
    fi
}
notice_browser_test
lap "notices"

# ---------------------------------------------------------------------------------------------
# What the browser left: the downloads.

PAYLOAD_ES_DONATE=$(unquote "$(ini_value "$ROOT/content/es/content.ini" content donate_url)")
PAYLOAD_EN_TEL=$(unquote "$(ini_value "$ROOT/content/en/content.ini" content hotline_tel)")
PAYLOAD_EN_DONATE=$(unquote "$(ini_value "$ROOT/content/en/content.ini" content donate_url)")
# the partner card's front: sms = {textline}, sms_body = {textline_keyword} (SMSTO:NUMBER:KEYWORD)
PAYLOAD_ES_SMS="SMSTO:$(unquote "$(ini_value "$ROOT/content/es/content.ini" content textline)"):$(unquote "$(ini_value "$ROOT/content/es/content.ini" content textline_keyword)")"
# the partner card's back: url = {donate_url}?src={code}; the page's code is "web" (preview and
# download), an order's web-YYYYMMDD-NNN
grep -q '^url *= *{donate_url}?src={code}$' "$ROOT/layouts/partner-card-us.ini" ||
    note "layouts/partner-card-us.ini: its donate_qr url is no longer {donate_url}?src={code}; the expected payloads below may be wrong"
grep -q '^sms *= *{textline}$' "$ROOT/layouts/partner-card-us.ini" && grep -q '^sms_body *= *{textline_keyword}$' "$ROOT/layouts/partner-card-us.ini" ||
    note "layouts/partner-card-us.ini: its sms_qr is no longer {textline} with {textline_keyword}; the expected payloads below may be wrong"
if ! grep -q '^payload *= *{hotline_tel}$' "$ROOT/layouts/flyer.ini" || ! grep -q '^payload *= *{donate_url}$' "$ROOT/layouts/flyer.ini"; then
    note "layouts/flyer.ini: its QR payloads are no longer {hotline_tel} and {donate_url}; the expected payloads below may be wrong"
fi

pages_of() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
size_of() { pdfinfo "$1" 2>/dev/null | awk '/^Page size:/ { print $3 " x " $5 }'; }
# pdf_ok NAME PDF PAGES SIZE: qpdf --check passes; pdfinfo gives PAGES pages of SIZE pt
pdf_ok() {
    local name=$1 pdf=$2 want=$3 wsize=$4 errs="" n s
    if [ ! -s "$pdf" ]; then fail "$name" "no file $pdf"; return 1; fi
    qpdf --check "$pdf" > "$T/qpdf.out" 2>&1 || errs="qpdf --check: $(grep -v '^checking\|^PDF Version\|^File is not encrypted\|^File is not linearized' "$T/qpdf.out" | head -n 3 | one_line);"
    n=$(pages_of "$pdf"); s=$(size_of "$pdf")
    [ "$n" = "$want" ] || errs="$errs pdfinfo: $n pages, expected $want;"
    [ "$s" = "$wsize" ] || errs="$errs pdfinfo: page size $s pt, expected $wsize;"
    if [ -z "$errs" ]; then ok "$name: qpdf --check passes; pdfinfo: $want pages of $wsize pt"; return 0; fi
    fail "$name" "$errs"; return 1
}
# zbar FILE: the payloads zbarimg reads in an image, one a line
zbar() { timeout "$TMO" zbarimg --raw -q --nodbus -Sdisable -Sqrcode.enable "$1" 2>/dev/null < /dev/null; }
# zbar_each FILE...: one zbarimg for many images; prints "FILE<TAB>PAYLOAD" per code read (a
#   newline in a payload as \n)
zbar_each() {
    timeout "$TMO" zbarimg --xml -q --nodbus -Sdisable -Sqrcode.enable "$@" 2>/dev/null < /dev/null | awk -f "$ROOT/tests/tools/zbar-xml.awk"
}
# tests/tools/pgmcrop.c cuts a sheet's cards out of one rendering (else one pdftoppm per card)
PGMCROP=none
if command -v cc >/dev/null 2>&1 && cc -O2 -o "$T/pgmcrop" "$ROOT/tests/tools/pgmcrop.c" 2> "$T/pgmcrop.err"; then PGMCROP=$T/pgmcrop; fi
# card_sheet_qrs NAME PDF FRONT BACK: a duplex sheet of 10 cards (sheets/letter-10up-cards.ini: 2 x 5
#   cards of 3.5 x 2 in from 0.75 in, 0.5 in; symmetric, so the backs sit in the same cells), each
#   page rendered with pdftoppm -r 300 -gray; each card's cell, cut out, reads exactly FRONT on the
#   fronts (odd pages: the hotline's text code) and exactly BACK on the backs, once (zbarimg misses
#   one or two of ten on a whole sheet): every code on every card.
card_sheet_qrs() {
    local name=$1 pdf=$2 front=$3 back=$4 n p k r c x y errs="" codes=0 cells=() args got want
    rm -f "$T"/sheet-*.pgm "$T"/cell-*.pgm
    : > "$T/cells.qr"
    n=$(pages_of "$pdf")
    for ((p = 1; p <= ${n:-0}; p++)); do
        [ "$PGMCROP" = none ] || timeout "$TMO" pdftoppm -r 300 -gray -f "$p" -l "$p" -singlefile "$pdf" "$T/sheet-$p"
        args=()
        for ((r = 0; r < 5; r++)); do
            for ((c = 0; c < 2; c++)); do
                k=$((r * 2 + c + 1)) x=$((225 + c * 1050)) y=$((150 + r * 600))
                cells+=("$T/cell-$p-$k.pgm")
                if [ "$PGMCROP" != none ]; then args+=("$T/cell-$p-$k.pgm" "$x" "$y" 1050 600)
                else timeout "$TMO" pdftoppm -r 300 -gray -f "$p" -l "$p" -x "$x" -y "$y" -W 1050 -H 600 \
                    -singlefile "$pdf" "$T/cell-$p-$k"; fi
            done
        done
        [ "$PGMCROP" = none ] || timeout "$TMO" "$PGMCROP" "$T/sheet-$p.pgm" "${args[@]}" || errs="$errs pgmcrop failed on page $p;"
    done
    [ ${#cells[@]} -eq 0 ] || zbar_each "${cells[@]}" > "$T/cells.qr"
    for f in "${cells[@]}"; do
        got=$(awk -F'\t' -v f="$f" '$1 == f { print $2 }' "$T/cells.qr")
        k=$(basename "$f" .pgm); p=$(echo "$k" | cut -d- -f2)
        if [ $((p % 2)) -eq 1 ]; then want=$front; else want=$back; fi
        if [ "$got" = "$want" ]; then codes=$((codes + 1))
        else errs="$errs page $p card $(echo "$k" | cut -d- -f3) reads [$(echo "$got" | one_line)], expected [$want];"; fi
    done
    if [ -z "$errs" ] && [ "$codes" -gt 0 ] && [ -n "$front" ]; then
        ok "$name: each of the $codes cards reads exactly $front on the front and $back on the back"
    else
        [ ${#errs} -le 700 ] || errs="${errs:0:700} ..."
        fail "$name" "expected $front on each card of pages 1, 3, ... and $back on pages 2, 4, ...:${errs:- no page}"
    fi
}

P=$T/out/partner-card-us-es.pdf
if pdf_ok "download (script on): partner-card-us-es.pdf" "$P" 6 "612 x 792"; then
    card_sheet_qrs "download (script on): QR codes" "$P" "$PAYLOAD_ES_SMS" "$PAYLOAD_ES_DONATE?src=web"
fi
F=$T/out/flyer-a4-en.pdf
if pdf_ok "download (no script): flyer-a4-en.pdf" "$F" 1 "595.276 x 841.89"; then
    pdftoppm -r 300 -gray -f 1 -l 1 -singlefile "$F" "$T/qr"
    got=$(zbar "$T/qr.pgm" | sort)
    want=$(printf '%s\n%s\n' "$PAYLOAD_EN_TEL" "$PAYLOAD_EN_DONATE" | sort)
    if [ "$got" = "$want" ]; then ok "download (no script): the flyer's QR codes read exactly $(echo "$want" | one_line)"
    else fail "download (no script): QR codes" "read [$(echo "$got" | one_line)], expected [$(echo "$want" | one_line)]"; fi
fi
lap "downloads"

# ---------------------------------------------------------------------------------------------
# The order: its job file, data and logo; `handout batch` builds it.

J=$T/orders/$ORDER.ini
shown=$(node -p 'require(process.argv[1]).order_file || ""' "$T/out/result.json" 2>/dev/null)
if [ -s "$J" ] && [ "$shown" = "$J" ] && [ "$(find "$T/orders" -maxdepth 1 -name 'order-*.ini' | wc -l)" -eq 1 ]; then
    ok "order: one job file, $ORDER.ini, the one the confirmation names"
else
    fail "order: job file" "expected $J (the confirmation shows \"$shown\"); found: $(find "$T/orders" -mindepth 1 -printf '%f ')"
fi
if [ -s "$J" ]; then
    errs=""
    sec=$(awk '/^\[/ { s = $0; gsub(/[\[\][:space:]]/, "", s); if (s != "job") print s }' "$J" | one_line)
    [ "$sec" = partner-card-us ] || errs="items [$sec], expected [partner-card-us];"
    for kv in "job kind order" "job date $(date -u -d "@$EPOCH" +%F)" "partner-card-us layout partner-card-us" \
        "partner-card-us language es" "partner-card-us quantity 25"; do
        # shellcheck disable=SC2086  # three words: section, key, value
        set -- $kv
        v=$(unquote "$(ini_value "$J" "$1" "$2")")
        [ "$v" = "$3" ] || errs="$errs [$1] $2 = \"$v\", expected \"$3\";"
    done
    [ "$(unquote "$(ini_value "$J" job partner)")" = "Riverside Family Shelter" ] || errs="$errs [job] partner is not the agency;"
    csv=$(ini_value "$J" partner-card-us data); logo=$(ini_value "$J" partner-card-us set_logo)
    [ "$csv" = "$T/orders/$ORDER-partner.csv" ] || errs="$errs data = \"$csv\";"
    [ "$logo" = "$T/orders/$ORDER-logo.png" ] || errs="$errs set_logo = \"$logo\";"
    if [ -s "$csv" ]; then
        [ "$(cat "$csv")" = "$(printf 'code,agency,local_phone\n"web-%s-001","Riverside Family Shelter","207-555-0134"' "${DAY}")" ] ||
            errs="$errs the data file is [$(one_line < "$csv")];"
    else errs="$errs no data file;"; fi
    cmp -s "$T/logo.png" "$logo" || errs="$errs the logo file differs from the uploaded one;"
    if [ -z "$errs" ]; then ok "order: kind = order, the date from SOURCE_DATE_EPOCH, partner-card-us es x 25, the partner's CSV and the uploaded logo byte for byte"
    else fail "order: job file contents" "$errs"; fi

    (cd "$ROOT" && handout batch "$J" -o "$T/batch") > "$T/batch.out" 2> "$T/batch.err"; st=$?
    O=$T/batch/web-$ORDER/partner-card-us.pdf
    if [ $st -eq 0 ] && [ -s "$O" ]; then ok "order: handout batch $ORDER.ini builds web-$ORDER/partner-card-us.pdf"
    else fail "order: handout batch" "exit $st, $O $( [ -s "$O" ] && echo written || echo missing): $(head -c 600 "$T/batch.err" | one_line)"; fi
    if pdf_ok "order: partner-card-us.pdf" "$O" 6 "612 x 792"; then
        card_sheet_qrs "order: QR codes" "$O" "$PAYLOAD_ES_SMS" "$PAYLOAD_ES_DONATE?src=web-$DAY-001"
    fi
fi
lap "order"

# ---------------------------------------------------------------------------------------------
# The staff page (tests/browser/staff.test.mjs, issue 17), against the same server, after the
# order above is checked (it places one more): approve, build with its progress, download, mark
# printed and shipped, the partner's status link at each change, a hand-out recorded with the
# form, wrong and missing keys. Then
# the build it downloaded: qpdf, pdfinfo (the flyer, 3 pages of Letter) and the codes of its
# first page read by zbarimg, the payloads from content/en.
staff_browser_test() {
    local line n_ok=0 n_fail=0 rc left name
    while IFS= read -r line; do
        case $line in
            "ok - "*) PASSED=$((PASSED + 1)); n_ok=$((n_ok + 1)); echo "$line" ;;
            "FAIL - "*) FAILED=$((FAILED + 1)); n_fail=$((n_fail + 1)); echo "$line" ;;
            "#"*) echo "$line" ;;
            *) echo "# staff.test.mjs: $line" ;;
        esac
    done < <(
        cd "$B" && env HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_CACHE_HOME="$T/home/.cache" TMPDIR="$T/tmp" \
            BASE_URL="$BASE" STAFF_TOKEN="$STAFF_TOKEN" OUT_DIR="$T/out" CHROMIUM="$CHROMIUM" STEP_MS="$STEP_MS" \
            timeout -k 5 "$NODE_TMO" node staff.test.mjs 2> "$T/staff-node.err" < /dev/null
        echo "rc $?" > "$T/staff-node.rc"
    )
    rc=$(sed -n 's/^rc //p' "$T/staff-node.rc" 2>/dev/null)
    if [ "$rc" = 0 ] && [ $n_fail -eq 0 ] && [ $n_ok -gt 0 ]; then ok "staff browser test: staff.test.mjs ran $n_ok checks and exited 0"
    elif [ "$rc" != 1 ] || [ $n_fail -eq 0 ]; then
        fail "staff browser test: staff.test.mjs" "exit ${rc:-?} ($n_ok ok, $n_fail failed): $(tail -n 5 "$T/staff-node.err" | one_line)"
    fi
    sleep 0.2
    left=$(browser_pids)
    if [ -z "$left" ]; then ok "staff browser test: no chromium process of it is left"
    else
        fail "staff browser test: left over" "chromium processes $(echo "$left" | one_line)"
        # shellcheck disable=SC2086  # a list of process ids
        kill -KILL $left 2>/dev/null
    fi
    name=$(node -p 'require(process.argv[1]).order || ""' "$T/out/staff.json" 2>/dev/null)
    if [ -s "$T/out/staff-build.pdf" ] && pdf_ok "staff: the build downloaded ($name)" "$T/out/staff-build.pdf" 3 "612 x 792"; then
        pdftoppm -r 300 -gray -f 1 -l 1 -singlefile "$T/out/staff-build.pdf" "$T/staff-qr"
        got=$(zbar "$T/staff-qr.pgm" | sort)
        want=$(printf '%s\n%s\n' "$PAYLOAD_EN_TEL" "$PAYLOAD_EN_DONATE" | sort)
        if [ "$got" = "$want" ]; then ok "staff: the build's QR codes read exactly $(echo "$want" | one_line)"
        else fail "staff: the build's QR codes" "read [$(echo "$got" | one_line)], expected [$(echo "$want" | one_line)]"; fi
    elif [ ! -s "$T/out/staff-build.pdf" ]; then fail "staff: the build downloaded" "no file staff-build.pdf"; fi
    # the hand-out the browser typed, as `handout orders handouts` exports it (the values here, not
    # the test's)
    $HANDOUT_WRAP "$T/handout-serve" orders handouts --orders "$T/orders" > "$T/handouts.csv" 2> "$T/handouts.err"
    got=$(python3 - "$T/handouts.csv" "$name" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
want = {'order': sys.argv[2], 'date': '2026-03-14', 'place': 'Union Station, Hall B (O\'Hare "east")',
        'item': 'flyer-letter (en)', 'product': 'flyer-letter', 'language': 'en', 'quantity': '2',
        'staff': 'Dana Staff-Browser'}
print('ok' if len(rows) == 1 and all(rows[0][k] == v for k, v in want.items()) else repr(rows))
PY
)
    if [ "$got" = ok ]; then ok "staff: handout orders handouts has the one hand-out typed in the browser (date, place, item, quantity 2, staff), as typed"
    else fail "staff: the hand-out in handout orders handouts" "$got $(head -c 200 "$T/handouts.err" | one_line)"; fi
}
staff_browser_test
lap "staff"

# ---------------------------------------------------------------------------------------------
# The server stops on SIGTERM: exit 0, its summary line, its temp folder removed.

stop_server
if [ "$SERVER_RC" = 0 ] && grep -q '^handout: serve: stopped ([0-9]* requests answered, [0-9]* refused)$' "$T/serve.err" &&
    [ -z "$(find "$T/servetmp" -mindepth 1 -print -quit)" ]; then
    ok "server: SIGTERM stops it, exit 0, \"$(grep '^handout: serve: stopped' "$T/serve.err")\", its temp folder removed"
else
    fail "server: stop" "exit $SERVER_RC; temp left: [$(find "$T/servetmp" -mindepth 1 -printf '%f ')]; stderr: $(tail -n 4 "$T/serve.err" | one_line)"
fi
if grep -q "^handout: serve: order $J written$" "$T/serve.err"; then ok "server: its log names the order written"
else fail "server: log" "no \"handout: serve: order $J written\": $(head -c 600 "$T/serve.err" | one_line)"; fi
lap "stop"
summary
