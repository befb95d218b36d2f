#!/usr/bin/env bash
# tests/orders.sh -- the order store (src/store.c) behind `handout serve` and `handout orders`: the
# schema made in a new file and in an empty one, a store of the previous version (schema 1,
# tests/fixtures/store/v1.sql) migrated with every row kept, a newer or foreign file
# refused; an order's rows as the sqlite3 shell reads them, every field with SQL metacharacters
# stored exactly as typed; the partner's status link (a key of 64 hexadecimal digits, kept only
# as its SHA-256, checked with sha256sum), its page showing status and history and nothing else,
# any other key answered exactly as an unknown page is (404); the key is no access token; status
# changes recorded with time and staff member, changes the status does not allow and replayed
# changes refused with nothing written; the CSV export read back with Python's csv module (a
# formula-like cell defused); an order placed while `handout batch` builds and while another
# process holds the store's write lock; the server killed with SIGKILL between an order's writes
# (HANDOUT_TEST_CRASH): after a restart every acknowledged order is there and nothing half-written
# is visible, in the store or in the orders folder; the staff page (--staff-token): the partners'
# token and an order's key refused there, the queue, approve, a replayed form refused (409), build
# (its file's sha256sum and pdfinfo pages, and the QR codes zbarimg reads, are the store's
# manifest), download, printed, shipped, each change on the partner's status page, hostile forms;
# handout report of the store (its shipped orders) and of its distribution CSV.
#
# usage: tests/orders.sh    (from anywhere; servers on free ports, a private orders folder and TMPDIR)
#   environment: HANDOUT (default ./handout), HANDOUT_WRAP (a command put before every run)
# Each check prints "ok - NAME" or "FAIL - NAME: reason"; the last line is "N passed, M failed".
# Needs curl, sqlite3, python3, sha256sum, pdfinfo; zbarimg and pdftoppm for the QR check.

set -u
export LC_ALL=C.UTF-8 TZ=UTC
unset SOURCE_DATE_EPOCH HANDOUT_TOKEN HANDOUT_TEST_CRASH

# START_DIR, ROOT, HANDOUT, and ok, fail, note, lap, summary
. "$(dirname "$0")/lib.sh"
UP=10
[ -z "$HANDOUT_WRAP" ] || UP=120

need_tools curl sqlite3 python3 sha256sum timeout
need_handout

server_suite orders # T, PIDS stopped at exit, BIN (tests/lib.sh)

SDE=1770000000                     # 2026-02-02T02:40:00Z
DAY=$(date -u -d "@$SDE" +%Y%m%d)
AT=$(date -u -d "@$SDE" +%Y-%m-%dT%H:%M:%SZ)

# spawn LOG ORDERS [ENV=VALUE...] -- ARGS... -> a server on a free port; SPID, SPORT, URL
spawn() {
    local log=$1 orders=$2 i envs=()
    shift 2
    while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    mkdir -p "$T/tmp"
    # shellcheck disable=SC2086
    env SOURCE_DATE_EPOCH=$SDE TMPDIR="$T/tmp" "${envs[@]}" $HANDOUT_WRAP "$BIN" serve --port 0 --root "$ROOT" \
        --orders "$orders" "$@" > "$log.out" 2> "$log" < /dev/null &
    SPID=$!
    PIDS+=("$SPID")
    SPORT=""
    for ((i = 0; i < UP * 10; i++)); do
        SPORT=$(sed -n 's|^handout: serving http://[^ ]*:\([0-9][0-9]*\)/ .*|\1|p' "$log" 2> /dev/null)
        if [ -n "$SPORT" ]; then URL=http://127.0.0.1:$SPORT; return 0; fi
        kill -0 "$SPID" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
# stop PID: SIGTERM, then wait
stop() {
    local p=$1 i q keep=()
    kill -TERM "$p" 2>/dev/null
    for ((i = 0; i < TMO * 10; i++)); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
    for q in "${PIDS[@]}"; do [ "$q" = "$p" ] || keep+=("$q"); done
    PIDS=("${keep[@]}")
}
forget_pid() {
    local q keep=()
    for q in "${PIDS[@]}"; do [ "$q" = "$1" ] || keep+=("$q"); done
    PIDS=("${keep[@]}")
}
# req OUT PATH CURL-ARGS... -> CODE; the body in OUT
req() {
    local out=$1 path=$2
    shift 2
    CODE=$(curl -s --max-time "$TMO" -o "$out" -w '%{http_code}' "$@" "$URL$path" 2> /dev/null)
    [ -n "$CODE" ] || CODE=000
}
# order OUT NAME CONTACT [CURL-ARGS...] -> a flyer order; CODE, ONAME (the order's name), OKEY (its key)
order() {
    local out=$1 name=$2 contact=$3
    shift 3
    req "$out" /order -F product=flyer-letter -F language=en -F quantity=2 --form-string "name=$name" --form-string "contact=$contact" "$@"
    ONAME=$(grep -o '<strong id="order-name">[^<]*' "$out" 2>/dev/null | sed 's/.*>//')
    OKEY=$(grep -o 'id="status-link" href="/status/[0-9a-f]*"' "$out" 2>/dev/null | sed 's|.*/status/||; s/"$//')
}
q() { sqlite3 -batch -noheader "$1" "$2" 2>&1; }   # q DB SQL: the sqlite3 shell's answer
# csv_field FILE ROW COLUMN -> a cell of a CSV file as Python's csv module reads it (ROW 0: the header)
csv_field() {
    python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
r, c = int(sys.argv[2]), sys.argv[3]
h = rows[0]
print(rows[r][h.index(c)] if r < len(rows) and c in h else "<none>", end="")' "$1" "$2" "$3"
}
csv_rows() { python3 -c 'import csv, sys; print(len(list(csv.reader(open(sys.argv[1], newline="")))) - 1)' "$1"; }

# ---------------------------------------------------------------------------------------------
# 1. The schema: made with the first use, from nothing and from an empty file.

ORD=$T/orders
handout orders export --orders "$ORD" > "$T/none.csv" 2> "$T/none.err"
st=$?
if [ $st = 1 ] && grep -q "there is no order store $ORD/orders.db" "$T/none.err" && [ ! -e "$ORD/orders.db" ]; then
    ok "orders export without a store: exit 1, \"there is no order store\", no file made"
else fail "orders export without a store" "status $st, $(head -c 300 "$T/none.err" | one_line)"; fi

if spawn "$T/main.log" "$ORD"; then MAIN=$SPID MURL=$URL; ok "serve starts with a new orders folder"
else fail "serve starts" "$(head -c 600 "$T/main.log" | one_line)"; summary; fi
tables=$(q "$ORD/orders.db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name)")
ver=$(q "$ORD/orders.db" "PRAGMA user_version")
jm=$(q "$ORD/orders.db" "PRAGMA journal_mode")
app=$(q "$ORD/orders.db" "PRAGMA application_id")
if [ "$tables" = "build_files builds handouts history items orders qr_codes" ] && [ "$ver" = 3 ] && [ "$jm" = wal ] &&
   [ "$app" = $((0x48444f54)) ]; then
    ok "a new store: tables build_files builds handouts history items orders qr_codes, user_version 3, WAL, application_id HDOT"
else fail "a new store" "tables [$tables], version [$ver], journal [$jm], application_id [$app]"; fi

mkdir -p "$T/empty"
: > "$T/empty/orders.db"
if spawn "$T/empty.log" "$T/empty"; then
    ver=$(q "$T/empty/orders.db" "PRAGMA user_version")
    n=$(q "$T/empty/orders.db" "SELECT count(*) FROM sqlite_schema WHERE type = 'table'")
    stop "$SPID"
    if [ "$ver" = 3 ] && [ "$n" = 7 ]; then ok "an empty file (0 bytes) becomes a store of version 3 with its 7 tables"
    else fail "an empty file becomes a store" "version [$ver], tables [$n]"; fi
else fail "serve with an empty orders.db" "$(head -c 400 "$T/empty.log" | one_line)"; fi

# ---------------------------------------------------------------------------------------------
# 2. Migration from the previous version; files that are no store.

mkdir -p "$T/v1"
sqlite3 -batch "$T/v1/orders.db" < "$ROOT/tests/fixtures/store/v1.sql"
before=$(q "$T/v1/orders.db" "PRAGMA user_version")
handout orders history --orders "$T/v1" -o "$T/v1.csv" 2> "$T/v1.err"
st=$?
ver=$(q "$T/v1/orders.db" "PRAGMA user_version")
tables=$(q "$T/v1/orders.db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name)")
if [ "$before" = 1 ] && [ $st = 0 ] && [ "$ver" = 3 ] && [ "$tables" = "build_files builds handouts history items orders qr_codes" ]; then
    ok "a store of version 1 is migrated to version 3 when opened (builds, build_files, qr_codes, handouts added)"
else fail "migration from version 1" "before [$before], status $st, after [$ver], tables [$tables], $(head -c 300 "$T/v1.err" | one_line)"; fi
# the rows of the fixture, read back through the export
got=""
for r in 1 2 3 4; do got+="$(csv_field "$T/v1.csv" $r order)|$(csv_field "$T/v1.csv" $r status)|$(csv_field "$T/v1.csv" $r staff)|$(csv_field "$T/v1.csv" $r reason);"; done
want="order-20251201-001|received|web|;order-20251201-002|received|web|;order-20251201-001|approved|Sam|;order-20251201-002|cancelled|Sam|ordered twice;"
if [ "$got" = "$want" ] && [ "$(csv_rows "$T/v1.csv")" = 4 ]; then ok "migration keeps the history: its 4 changes in the order made, as the fixture wrote them"
else fail "migration keeps the history" "[$got]"; fi
handout orders export --orders "$T/v1" -o "$T/v1o.csv" 2> /dev/null
got="$(csv_field "$T/v1o.csv" 1 who)|$(csv_field "$T/v1o.csv" 1 agency)|$(csv_field "$T/v1o.csv" 1 quantity)|$(csv_field "$T/v1o.csv" 1 approved_at)|$(csv_field "$T/v1o.csv" 2 cancel_reason)|$(csv_field "$T/v1o.csv" 2 version)"
if [ "$got" = "Dana Reyes|Maine Coalition|500|2025-12-02T08:30:00Z|ordered twice|print-shop" ]; then
    ok "migration keeps the orders and items (who, agency, quantity, approval time, cancel reason, version)"
else fail "migration keeps the orders" "[$got]"; fi
# the fixture's key (64 digits 1) was kept as its SHA-256: the migrated order's status page answers to it
KEY1=$(printf '%064d' 0 | tr 0 1)
[ "$(printf '%s' "$KEY1" | sha256sum | cut -d' ' -f1)" = "$(q "$T/v1/orders.db" "SELECT key_sha256 FROM orders WHERE id = 1")" ] &&
    keyok=1 || keyok=0
if spawn "$T/v1.log" "$T/v1"; then
    req "$T/v1.html" "/status/$KEY1"
    if [ $keyok = 1 ] && [ "$CODE" = 200 ] && grep -q '<strong id="order-name">order-20251201-001</strong> is <strong id="order-status">approved</strong>' "$T/v1.html"; then
        ok "the migrated order's key (kept as sha256sum of it) opens its status page: approved"
    else fail "the migrated order's status page" "status $CODE, key digest as sha256sum: $keyok"; fi
    stop "$SPID"
else fail "serve on the migrated store" "$(head -c 300 "$T/v1.log" | one_line)"; fi

mkdir -p "$T/newer" "$T/text" "$T/other"
sqlite3 -batch "$T/newer/orders.db" < "$ROOT/tests/fixtures/store/v1.sql"
q "$T/newer/orders.db" "PRAGMA user_version = 4" > /dev/null
handout orders export --orders "$T/newer" > /dev/null 2> "$T/newer.err"
s1=$?
printf 'not a database, only text %.0s' {1..100} > "$T/text/orders.db"
handout orders export --orders "$T/text" > /dev/null 2> "$T/text.err"
s2=$?
q "$T/other/orders.db" "CREATE TABLE contacts (name TEXT)" > /dev/null
handout orders export --orders "$T/other" > /dev/null 2> "$T/other.err"
s3=$?
spawn "$T/newer.log" "$T/newer"
s4=$?
[ $s4 = 0 ] && stop "$SPID"
if [ $s1 = 1 ] && grep -q "found version 4 (made by a newer handout)" "$T/newer.err" && [ $s2 = 1 ] &&
   grep -q "file is not a database" "$T/text.err" && [ $s3 = 1 ] && grep -q "found another SQLite database" "$T/other.err" &&
   [ $s4 = 1 ] && grep -q "serve: the order store: .*made by a newer handout" "$T/newer.log" &&
   [ "$(q "$T/newer/orders.db" "PRAGMA user_version")" = 4 ] && [ "$(q "$T/other/orders.db" "SELECT count(*) FROM sqlite_schema")" = 1 ]; then
    ok "refused, left as they were: a store of version 4 (orders and serve), a text file, another program's SQLite database"
else fail "files that are no store of ours" "statuses $s1 $s2 $s3 serve $s4: $(cat "$T/newer.err" "$T/text.err" "$T/other.err" | one_line | head -c 400)"; fi
lap "schema"

# ---------------------------------------------------------------------------------------------
# 3. An order in the store; its status page.

URL=$MURL

order "$T/o1" "Ann Lee" "ann@example.org"
K1=$OKEY N1=$ONAME
row=$(q "$ORD/orders.db" "SELECT o.status, o.who, o.contact, i.product, i.language, i.quantity, o.placed_at FROM orders o JOIN items i ON i.order_id = o.id WHERE o.name = '$N1'")
if [ "$CODE" = 200 ] && [ "$N1" = "order-$DAY-001" ] && [ "$row" = "received|Ann Lee|ann@example.org|flyer-letter|en|2|$AT" ]; then
    ok "an order: 200, $N1 in the store as received, with who, contact, item and the time of SOURCE_DATE_EPOCH"
else fail "an order in the store" "status $CODE, name [$N1], row [$row]"; fi
kept=$(q "$ORD/orders.db" "SELECT key_sha256 FROM orders WHERE name = '$N1'")
if [[ $K1 =~ ^[0-9a-f]{64}$ ]] && [ "$kept" = "$(printf '%s' "$K1" | sha256sum | cut -d' ' -f1)" ] &&
   [ "$(q "$ORD/orders.db" "SELECT count(*) FROM orders WHERE key_sha256 = '$K1' OR job_file LIKE '%$K1%'")" = 0 ] &&
   ! grep -rqF "$K1" "$ORD"; then
    ok "the confirmation's status link has a key of 64 hexadecimal digits; the store keeps only its SHA-256 (sha256sum), no file holds the key"
else fail "the order's key" "key [$K1], kept [$kept]"; fi
order "$T/o2" "Bo Diaz" "bo@example.org"
K2=$OKEY N2=$ONAME
if [ "$K1" != "$K2" ] && [ "$N2" = "order-$DAY-002" ]; then ok "two orders get two different keys"
else fail "two orders, two keys" "[$K1] [$K2] [$N2]"; fi

req "$T/s1" "/status/$K1"
if [ "$CODE" = 200 ] && grep -q "<strong id=\"order-name\">$N1</strong> is <strong id=\"order-status\">received</strong>" "$T/s1" &&
   [ "$(grep -c '<tr><td>' "$T/s1")" = 1 ] && grep -qF "<tr><td>$AT</td><td>received</td></tr>" "$T/s1"; then
    ok "GET /status/KEY: 200, the order received, one change in the history with its time"
else fail "GET /status/KEY" "status $CODE, $(grep -o '<strong id[^/]*' "$T/s1" | one_line)"; fi
if ! grep -qiE "Ann Lee|ann@example|flyer|web<|quantity" "$T/s1"; then ok "the status page shows no detail of the order (who, contact, product, quantity, staff)"
else fail "the status page shows nothing else" "$(grep -oiE "Ann Lee|ann@example|flyer|quantity" "$T/s1" | head -n 3 | one_line)"; fi

# every wrong key is answered exactly as a page that does not exist
req "$T/nope" /nope
bad=""
for k in "" "${K1%?}" "${K1}0" "$(printf '%s' "$K1" | tr a-f A-F)" "$(printf '%064d' 7)" "$KEY1" \
         "%27%20OR%20%271%27%3D%271" "${K1:0:32}%27--" "$K2/../$K1" "$K1/" "$(head -c 9000 /dev/zero | tr '\0' a)"; do
    req "$T/wrong" "/status/$k" --path-as-is
    if [ "$CODE" != 404 ] || ! cmp -s "$T/wrong" "$T/nope"; then bad+=" [${k:0:40}]: $CODE;"; fi
done
req "$T/wrong" "/status"
[ "$CODE" = 404 ] || bad+=" /status: $CODE"
if [ -z "$bad" ]; then ok "wrong keys (none, one digit short or more, upper case, another's digits, SQL, another's key/../ this one, a trailing slash, 9000 bytes): 404, the very bytes of GET /nope"
else fail "wrong keys get 404 that leaks nothing" "$bad"; fi
lap "orders and status pages"

# ---------------------------------------------------------------------------------------------
# 4. Status changes: recorded, refused when not allowed, replays refused.

handout orders mark "$N1" approved --staff "Sam Ortiz" --orders "$ORD" 2> "$T/m1.err"
s1=$?
handout orders mark "$N1" approved --staff "Sam Ortiz" --orders "$ORD" 2> "$T/m2.err"
s2=$?
hist=$(q "$ORD/orders.db" "SELECT group_concat(status || '/' || staff, ' ') FROM (SELECT h.status, h.staff FROM history h JOIN orders o ON o.id = h.order_id WHERE o.name = '$N1' ORDER BY h.id)")
if [ $s1 = 0 ] && [ $s2 = 1 ] && grep -q "the order $N1 is approved: it cannot become approved" "$T/m2.err" &&
   [ "$hist" = "received/web approved/Sam Ortiz" ]; then
    ok "mark approved: recorded with the staff member; the same change again (a replay) refused, exit 1, nothing added"
else fail "mark approved, then a replay" "statuses $s1 $s2, history [$hist], $(one_line < "$T/m2.err")"; fi
handout orders mark "$N1" shipped --staff Sam --orders "$ORD" 2> "$T/m3.err"
s3=$?
handout orders mark "$N2" cancelled --staff Sam --orders "$ORD" 2> "$T/m4.err"
s4=$?
handout orders mark "$N2" built --staff Sam --orders "$ORD" 2> "$T/m5.err"
s5=$?
handout orders mark "$N2" approved --orders "$ORD" 2> "$T/m6.err"
s6=$?
handout orders mark "order-$DAY-999" approved --staff Sam --orders "$ORD" 2> "$T/m7.err"
s7=$?
n=$(q "$ORD/orders.db" "SELECT count(*) FROM history")
if [ $s3 = 1 ] && grep -q "is approved: it cannot become shipped" "$T/m3.err" && [ $s4 = 1 ] &&
   grep -q "expected a reason for cancelling" "$T/m4.err" && [ $s5 = 2 ] && [ $s6 = 2 ] && grep -q "expected --staff NAME" "$T/m6.err" &&
   [ $s7 = 1 ] && grep -q "there is no order order-$DAY-999" "$T/m7.err" && [ "$n" = 3 ]; then
    ok "refused with nothing written: approved to shipped (1), cancel without a reason (1), mark built (2), no --staff (2), no such order (1)"
else fail "changes refused" "statuses $s3 $s4 $s5 $s6 $s7, history rows $n"; fi
handout orders mark "$N2" cancelled --staff "SECRET-STAFF" --reason "SECRET-REASON, ordered twice" --orders "$ORD" 2> /dev/null
req "$T/s2" "/status/$K2"
if [ "$CODE" = 200 ] && grep -q '<strong id="order-status">cancelled</strong>' "$T/s2" && [ "$(grep -c '<tr><td>' "$T/s2")" = 2 ] &&
   ! grep -q SECRET "$T/s2"; then
    ok "the status page follows a change (cancelled, 2 rows) and shows neither the staff member nor the reason"
else fail "the status page after cancelling" "status $CODE, $(grep -o 'order-status">[a-z]*' "$T/s2")"; fi
handout orders mark "$N2" approved --staff Sam --orders "$ORD" 2> "$T/m8.err"
if [ $? = 1 ] && grep -q "is cancelled: it cannot become approved" "$T/m8.err"; then ok "a cancelled order cannot be approved"
else fail "a cancelled order cannot be approved" "$(one_line < "$T/m8.err")"; fi
big=$(head -c 1001 /dev/zero | tr '\0' s)
handout orders mark "$N1" cancelled --staff "$big" --reason x --orders "$ORD" 2> "$T/m9.err"
s9=$?
handout orders mark "$N1" cancelled --staff Sam --reason "$big" --orders "$ORD" 2> "$T/m10.err"
s10=$?
if [ $s9 = 1 ] && [ $s10 = 1 ] && grep -q "1 to 1000 bytes" "$T/m9.err" && grep -q "at most 1000 bytes, found 1001" "$T/m10.err" &&
   [ "$(q "$ORD/orders.db" "SELECT status FROM orders WHERE name = '$N1'")" = approved ]; then
    ok "a staff name or reason over 1000 bytes: refused, exit 1, the order unchanged"
else fail "oversized staff and reason" "statuses $s9 $s10"; fi
lap "status changes"

# ---------------------------------------------------------------------------------------------
# 5. SQL metacharacters in every field, stored and exported as typed.

# (INI holds no value with both quotes: the page refuses a name and contact that together hold both,
# so the double quotes go into a second order)
NAME1="Robert'); DROP TABLE orders;--"
CONTACT1="x' OR '1'='1'; --"
AGENCY1="O'Brien; DELETE FROM history; --%_"
order "$T/o3" "$NAME1" "$CONTACT1" -F product=partner-card-us --form-string "agency=$AGENCY1" -F "local_phone=207-555-0142"
N3=$ONAME c3=$CODE
NAME2='"; DROP TABLE items; --'
CONTACT2='" OR ""="'
order "$T/o3b" "$NAME2" "$CONTACT2"
N3B=$ONAME c3b=$CODE
STAFF3="'; DROP TABLE history; --"
REASON3="\"); UPDATE orders SET status='shipped' WHERE 1=1; --"
handout orders mark "$N3" cancelled --staff "$STAFF3" --reason "$REASON3" --orders "$ORD" 2> "$T/m11.err"
s11=$?
python3 - "$ORD/orders.db" "$N3" "$NAME1" "$CONTACT1" "$AGENCY1" "$STAFF3" "$REASON3" "$N3B" "$NAME2" "$CONTACT2" > "$T/sql.txt" <<'PY'
import sqlite3, sys
db, name, who, contact, agency, staff, reason, name2, who2, contact2 = sys.argv[1:]
c = sqlite3.connect(db)
o = c.execute("SELECT who, contact, agency, status FROM orders WHERE name = ?", (name,)).fetchone()
o2 = c.execute("SELECT who, contact, status FROM orders WHERE name = ?", (name2,)).fetchone()
h = c.execute("SELECT h.staff, h.reason FROM history h JOIN orders o ON o.id = h.order_id WHERE o.name = ? AND h.status = 'cancelled'", (name,)).fetchone()
tables = sorted(r[0] for r in c.execute("SELECT name FROM sqlite_schema WHERE type = 'table'"))
shipped = c.execute("SELECT count(*) FROM orders WHERE status = 'shipped'").fetchone()[0]
items = c.execute("SELECT count(*) FROM items").fetchone()[0]
orders = c.execute("SELECT count(*) FROM orders").fetchone()[0]
print("ok" if o == (who, contact, agency, "cancelled") and o2 == (who2, contact2, "received") and h == (staff, reason)
      and len(tables) == 7 and shipped == 0 and items == orders
      else "got %r %r %r %r %r %r/%r" % (o, o2, h, tables, shipped, items, orders))
PY
if [ "$c3" = 200 ] && [ "$c3b" = 200 ] && [ $s11 = 0 ] && [ "$(cat "$T/sql.txt")" = ok ]; then
    ok "SQL metacharacters (' and \") in name, contact, agency, staff member and reason: stored exactly as typed, every table and item there, no order shipped"
else fail "SQL metacharacters" "orders $c3 [$N3] $c3b [$N3B], mark $s11, $(head -c 300 "$T/sql.txt")"; fi
# a formula for a spreadsheet, a quote and a comma in the export
order "$T/o4" "=HYPERLINK(\"http://x.example\",\"click\")" "+1 207, ext. \"3\""
N4=$ONAME
handout orders export --orders "$ORD" -o "$T/all.csv" 2> /dev/null
rows=$(csv_rows "$T/all.csv")
got3="$(csv_field "$T/all.csv" 3 who)|$(csv_field "$T/all.csv" 3 contact)|$(csv_field "$T/all.csv" 3 agency)|$(csv_field "$T/all.csv" 3 cancel_reason)"
got4="$(csv_field "$T/all.csv" 5 who)|$(csv_field "$T/all.csv" 5 contact)"
if [ "$rows" = 5 ] && [ "$got3" = "$NAME1|$CONTACT1|$AGENCY1|$REASON3" ] &&
   [ "$(csv_field "$T/all.csv" 4 who)|$(csv_field "$T/all.csv" 4 contact)" = "$NAME2|$CONTACT2" ] &&
   [ "$got4" = "'=HYPERLINK(\"http://x.example\",\"click\")|'+1 207, ext. \"3\"" ]; then
    ok "the export read by Python's csv: 5 orders, metacharacters as typed, a cell starting = or + gets a leading '"
else fail "the export" "rows $rows, [$got3], [$got4]"; fi
if [ "$(head -n 1 "$T/all.csv" | tr -d '\r')" = "order,placed_at,status,who,contact,agency,local_phone,product,layout,language,version,quantity,items,pages,sheets,paper,approved_at,built_at,printed_at,shipped_at,cancelled_at,cancel_reason,job_file" ] &&
   [ "$(csv_field "$T/all.csv" 1 approved_at)" = "$(q "$ORD/orders.db" "SELECT at FROM history WHERE status = 'approved'")" ] && [ "$(csv_field "$T/all.csv" 3 local_phone)" = 207-555-0142 ]; then
    ok "the export's header, and each order's time of approval and local number"
else fail "the export's columns" "$(head -n 1 "$T/all.csv")"; fi
handout orders history --orders "$ORD" > "$T/hist.csv" 2> /dev/null
if [ "$(csv_rows "$T/hist.csv")" = "$(q "$ORD/orders.db" "SELECT count(*) FROM history")" ] &&
   [ "$(csv_field "$T/hist.csv" 7 staff)" = "$STAFF3" ] && [ "$(csv_field "$T/hist.csv" 7 reason)" = "$REASON3" ]; then
    ok "the history export (to standard output): one row per change, the hostile staff name and reason as typed"
else fail "the history export" "$(csv_rows "$T/hist.csv") rows"; fi
# over-long fields through the page: refused before anything is stored
n0=$(q "$ORD/orders.db" "SELECT count(*) FROM orders")
order "$T/o5" "$(head -c 201 /dev/zero | tr '\0' n)" "c@example.org"
if [ "$CODE" = 422 ] && [ "$(q "$ORD/orders.db" "SELECT count(*) FROM orders")" = "$n0" ]; then ok "a name of 201 bytes: 422, nothing stored"
else fail "an over-long name" "status $CODE"; fi
lap "hostile values"

# ---------------------------------------------------------------------------------------------
# 6. The key is no access token.

stop "$MAIN"
TOKEN=staff-token-0123456789abcdef
if spawn "$T/tok.log" "$ORD" -- --token "$TOKEN"; then
    req "$T/t1" "/status/$K1"
    c1=$CODE
    req "$T/t2" "/?token=$K1"
    c2=$CODE
    req "$T/t3" / -H "Authorization: Bearer $K1"
    c3=$CODE
    req "$T/t4" /preview.json -b "handout_token=$K1" -F product=flyer-letter -F language=en -F quantity=1
    c4=$CODE
    req "$T/t5" "/status/$K1" -X POST -F x=1
    c5=$CODE
    req "$T/t6" /form.css
    c6=$CODE
    req "$T/t7" /form.js
    c7=$CODE
    if [ "$c6" = 200 ] && cmp -s "$T/t6" "$ROOT/web/form.css" && [ "$c7" = 401 ]; then
        ok "with --token: the style sheet (for the status page) is answered without it, the script is not (401)"
    else fail "the style sheet without the token" "form.css $c6, form.js $c7"; fi
    if [ "$c1" = 200 ] && [ "$c2" = 401 ] && [ "$c3" = 401 ] && [ "$c4" = 401 ] && [ "$c5" = 401 ]; then
        ok "with --token: the status page opens with its key alone (200); the key as ?token=, Bearer, cookie or a POST to /status: 401"
    else fail "the key is no access token" "status page $c1, ?token $c2, Bearer $c3, cookie $c4, POST $c5"; fi
    stop "$SPID"
else fail "serve with --token" "$(head -c 300 "$T/tok.log" | one_line)"; fi
lap "token"

# ---------------------------------------------------------------------------------------------
# 7. At once: a batch build, another writer.

spawn "$T/main2.log" "$ORD" || { fail "serve again" "$(head -c 300 "$T/main2.log" | one_line)"; summary; }
MAIN=$SPID
handout batch "$ORD/$N1.ini" -o "$T/batch-out" -j 1 > "$T/batch.log" 2>&1 &
BPID=$!
sleep 0.3
running=0
kill -0 "$BPID" 2>/dev/null && running=1
order "$T/o6" "Cy During Batch" "cy@example.org"
N6=$ONAME
wait "$BPID"
bst=$?
if [ "$CODE" = 200 ] && [ "$bst" = 0 ] && [ -n "$N6" ] && [ -f "$ORD/$N6.ini" ] &&
   [ "$(q "$ORD/orders.db" "SELECT status FROM orders WHERE name = '$N6'")" = received ] && ls "$T/batch-out"/*/*.pdf > /dev/null 2>&1; then
    ok "an order placed while handout batch builds an order (batch running when it came: $running): both done"
else fail "an order during a batch" "order $CODE [$N6], batch $bst, $(tail -n 3 "$T/batch.log" | one_line)"; fi
# another process holds the store's write lock for 2 s: the order waits for it (busy timeout), then is stored
python3 - "$ORD/orders.db" > "$T/lock.log" 2>&1 <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(2)
c.execute("COMMIT")
PY
LPID=$!
for ((i = 0; i < 50; i++)); do grep -qs locked "$T/lock.log" && break; sleep 0.1; done
order "$T/o7" "Di While Locked" "di@example.org"
N7=$ONAME
wait "$LPID"
if grep -q locked "$T/lock.log" && [ "$CODE" = 200 ] && [ "$(q "$ORD/orders.db" "SELECT who FROM orders WHERE name = '$N7'")" = "Di While Locked" ]; then
    ok "an order placed while another process holds the store's write lock for 2 s: it waits, then is stored (200)"
else fail "an order during another writer" "status $CODE [$N7], $(one_line < "$T/lock.log")"; fi
# a reader exports while orders are placed
PARPIDS=()
for i in 1 2 3; do order "$T/par$i" "Par $i" "p$i@example.org" & PARPIDS+=($!); done
for i in 1 2 3 4 5; do handout orders export --orders "$ORD" > "$T/par-export$i.csv" 2>&1 || echo "export $i failed" >> "$T/par.err"; done
wait "${PARPIDS[@]}"
if [ ! -s "$T/par.err" 2>/dev/null ] && [ "$(q "$ORD/orders.db" "SELECT count(*) FROM orders WHERE who LIKE 'Par %' AND status = 'received'")" = 3 ]; then
    ok "three orders at once while orders export reads five times: all three stored, every export succeeded"
else fail "orders and exports at once" "$(cat "$T/par.err" 2>/dev/null | one_line)"; fi
stop "$MAIN"
lap "at once"

# ---------------------------------------------------------------------------------------------
# 8. Killed (SIGKILL) between an order's writes: every acknowledged order there, nothing half-written.

acked=$(q "$ORD/orders.db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM orders WHERE status <> 'pending' ORDER BY id)")
for point in after-reserve after-files after-confirm; do
    if ! spawn "$T/crash-$point.log" "$ORD" HANDOUT_TEST_CRASH=$point; then
        fail "crash $point: serve" "$(head -c 300 "$T/crash-$point.log" | one_line)"
        continue
    fi
    CPID=$SPID
    order "$T/crash-$point" "Killed $point" "k@example.org"
    ccode=$CODE
    for ((i = 0; i < 50; i++)); do kill -0 "$CPID" 2>/dev/null || break; sleep 0.1; done
    { wait "$CPID"; } 2> /dev/null
    cst=$?
    forget_pid "$CPID"
    pend=$(q "$ORD/orders.db" "SELECT group_concat(name) FROM orders WHERE status = 'pending'")
    name=$(q "$ORD/orders.db" "SELECT name FROM orders WHERE who = 'Killed $point' OR (status = 'pending') ORDER BY id DESC LIMIT 1")
    files_before=$(cd "$ORD" && ls "$name".ini 2>/dev/null)
    # restarted
    if spawn "$T/restart-$point.log" "$ORD"; then
        RPID=$SPID
        pend_after=$(q "$ORD/orders.db" "SELECT count(*) FROM orders WHERE status = 'pending'")
        now=$(q "$ORD/orders.db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM orders WHERE status <> 'pending' ORDER BY id)")
        handout orders export --orders "$ORD" -o "$T/after-$point.csv" 2> /dev/null
        exported=$(python3 -c 'import csv, sys; print(" ".join(r["order"] for r in csv.DictReader(open(sys.argv[1], newline=""))))' "$T/after-$point.csv")
        req "$T/still" "/status/$K1"
        still=$CODE
        case $point in
            after-confirm)
                # committed before it was acknowledged: it stays, whole (its job file, its row, its history)
                want="$acked $name"
                whole=$([ -f "$ORD/$name.ini" ] && [ "$(q "$ORD/orders.db" "SELECT count(*) FROM history h JOIN orders o ON o.id = h.order_id WHERE o.name = '$name'")" = 1 ] && echo yes)
                if [ "$cst" = 137 ] && [ -z "$pend" ] && [ "$now" = "$want" ] && [ "$exported" = "$want" ] && [ "$whole" = yes ] &&
                   [ "$ccode" = 000 ] && [ "$still" = 200 ]; then
                    ok "killed after the store's commit, before the answer: after a restart the order is there whole ($name), with every acknowledged one"
                else fail "crash after-confirm" "exit $cst, answer $ccode, pending [$pend], now [$now], exported [$exported], whole [$whole]"; fi
                acked=$want ;;
            *)
                gone=$(cd "$ORD" && ls "$name".ini "$name"-* ".$name.tmp" 2>/dev/null | one_line)
                seen=""
                [ "$point" = after-files ] && seen=" (its job file was there before the restart: ${files_before:-no})"
                if [ "$cst" = 137 ] && [ "$ccode" = 000 ] && [ "$pend" = "$name" ] && [ "$pend_after" = 0 ] && [ "$now" = "$acked" ] &&
                   [ "$exported" = "$acked" ] && [ -z "$gone" ] && [ "$still" = 200 ] &&
                   { [ "$point" = after-reserve ] || [ -n "$files_before" ]; } &&
                   grep -q "order $name was not completed" "$T/restart-$point.log"; then
                    ok "killed $point (SIGKILL, no answer sent): after a restart every acknowledged order is there, $name is gone from the store and the folder$seen"
                else fail "crash $point" "exit $cst, answer $ccode, pending [$pend] then $pend_after, now [$now], exported [$exported], files left [$gone], before [$files_before], status page $still"; fi ;;
        esac
        stop "$RPID"
    else fail "restart after $point" "$(head -c 300 "$T/restart-$point.log" | one_line)"; fi
done
lap "crashes"

# ---------------------------------------------------------------------------------------------
# 9. The staff page: its own token; the queue; approve, build, download, printed, shipped, cancel.

STAFF_TOKEN=staff-only-0123456789abcdef
PART_TOKEN=partner-0123456789abcdef
# HANDOUT_TEST_BUILD_LINGER: a staff build waits 2 s once its items are built, before it is
# recorded, so that its progress can be seen at its end however fast the build
if spawn "$T/staff.log" "$ORD" HANDOUT_TEST_BUILD_LINGER=2 -- --token "$PART_TOKEN" --staff-token "$STAFF_TOKEN"; then
    SP=$SPID
    AUTH=(-H "Authorization: Bearer $STAFF_TOKEN")
    order "$T/so" "Eve Staff-Test" "eve@example.org" -H "Authorization: Bearer $PART_TOKEN"
    NS=$ONAME KS=$OKEY
    bad=""
    req "$T/st" /staff; [ "$CODE" = 401 ] || bad+=" none: $CODE;"
    req "$T/st" /staff -H "Authorization: Bearer $PART_TOKEN"; [ "$CODE" = 401 ] || bad+=" partner token: $CODE;"
    req "$T/st" "/staff?token=$PART_TOKEN"; [ "$CODE" = 401 ] || bad+=" ?token=partner: $CODE;"
    req "$T/st" /staff -b "handout_token=$PART_TOKEN"; [ "$CODE" = 401 ] || bad+=" partner cookie: $CODE;"
    req "$T/st" "/staff/order/$NS" -H "Authorization: Bearer $KS"; [ "$CODE" = 401 ] || bad+=" order key: $CODE;"
    req "$T/st" "/staff?staff_token=$KS"; [ "$CODE" = 401 ] || bad+=" ?staff_token=key: $CODE;"
    req "$T/st" /staff/action -H "Authorization: Bearer $KS" --data "order=$NS&action=approve&staff=x&seen=1"; [ "$CODE" = 401 ] || bad+=" action with the key: $CODE;"
    req "$T/st" "/staff/order/$KS" -b "handout_staff=$KS"; [ "$CODE" = 401 ] || bad+=" key as staff cookie: $CODE;"
    if [ -n "$NS" ] && [ -z "$bad" ] && [ "$(q "$ORD/orders.db" "SELECT status FROM orders WHERE name = '$NS'")" = received ]; then
        ok "staff routes without the staff token: 401 for none, the partners' token (Bearer, ?token=, cookie) and the order's key (Bearer, ?staff_token=, cookie, on the action)"
    else fail "staff routes refuse other keys" "order [$NS],$bad"; fi
    req "$T/sq" "/staff?staff_token=$STAFF_TOKEN" -D "$T/sq.h"
    cookie=$(grep -i '^Set-Cookie:' "$T/sq.h" | tr -d '\r')
    if [ "$CODE" = 200 ] && [[ $cookie == *"handout_staff=$STAFF_TOKEN; Path=/staff; HttpOnly; SameSite=Strict"* ]] &&
       sed -n '/<section id="queue-received">/,/<\/section>/p' "$T/sq" | grep -q "href=\"/staff/order/$NS\""; then
        ok "GET /staff?staff_token=: 200, an HttpOnly SameSite=Strict cookie for /staff, the new order in the queue under received"
    else fail "the staff queue" "status $CODE, cookie [$cookie]"; fi
    req "$T/sd" "/staff/order/$NS" -b "handout_staff=$STAFF_TOKEN"
    if [ "$CODE" = 200 ] && grep -q 'id="order-status">received<' "$T/sd" && grep -q '<td>eve@example.org</td>' "$T/sd" &&
       grep -q 'id="form-approve"' "$T/sd" && grep -q 'name="seen" value="1"' "$T/sd" && ! grep -q 'id="form-shipped"' "$T/sd" &&
       grep -q '<script src="/staff/staff.js" defer></script>' "$T/sd"; then
        ok "an order's staff page: status, contact, history; approve offered with seen=1, shipped not"
    else fail "an order's staff page" "status $CODE"; fi
    act() { req "$T/act" /staff/action "${AUTH[@]}" --data-urlencode "order=$1" --data-urlencode "action=$2" --data-urlencode "staff=$3" --data-urlencode "seen=$4" "${@:5}"; }
    hist() { q "$ORD/orders.db" "SELECT count(*) FROM history h JOIN orders o ON o.id = h.order_id WHERE o.name = '$1'"; }
    act "$NS" approve "Sam Ortiz" 1
    c1=$CODE
    act "$NS" approve "Sam Ortiz" 1
    c2=$CODE
    grep -q "the page showed 1" "$T/act" && why2=1 || why2=0
    act "$NS" printed "Sam Ortiz" 2
    c3=$CODE
    if [ "$c1" = 303 ] && [ "$c2" = 409 ] && [ $why2 = 1 ] && [ "$c3" = 409 ] && [ "$(hist "$NS")" = 2 ]; then
        ok "approve: 303; the same form again (a replay): 409, \"the page showed 1\"; printed before built: 409; 2 changes recorded"
    else fail "approve and its replay" "statuses $c1 $c2 ($why2) $c3, history $(hist "$NS")"; fi
    # the build's progress (issue 17, item 2): before it, during it (the job's one item, then
    # built), after it; the staff page offers it to its script
    req "$T/pg0" "/staff/progress/$NS" "${AUTH[@]}"
    p0=$(cat "$T/pg0")
    req "$T/pgx" "/staff/progress/$NS" -H "Authorization: Bearer $PART_TOKEN"
    px=$CODE
    req "$T/pgy" "/staff/progress/../../etc/passwd" "${AUTH[@]}" --path-as-is
    py=$CODE
    req "$T/sjs" /staff/staff.js "${AUTH[@]}"
    cmp -s "$T/sjs" "$ROOT/web/staff.js" && [ "$CODE" = 200 ] || py="$py, staff.js $CODE"
    # build while an order is placed
    act "$NS" build "Sam Ortiz" 2 &
    BPID=$!
    sleep 0.2
    order "$T/sb" "Fay During Build" "fay@example.org" -H "Authorization: Bearer $PART_TOKEN"
    cb=$CODE NB=$ONAME
    seen_building="" seen_done=""
    for ((i = 0; i < 600; i++)); do
        kill -0 "$BPID" 2>/dev/null || break
        req "$T/pg" "/staff/progress/$NS" "${AUTH[@]}"
        grep -q "^{\"order\":\"$NS\",\"building\":true,\"done\":[01],\"total\":1," "$T/pg" && seen_building=1
        grep -q "^{\"order\":\"$NS\",\"building\":true,\"done\":1,\"total\":1," "$T/pg" && seen_done=1
        [ -n "$seen_done" ] && break
        sleep 0.1
    done
    wait "$BPID"
    req "$T/pg1" "/staff/progress/$NS" "${AUTH[@]}"
    if [ "$p0" = "{\"order\":\"$NS\",\"building\":false}" ] && [ -n "$seen_building" ] && [ -n "$seen_done" ] &&
       [ "$(cat "$T/pg1")" = "{\"order\":\"$NS\",\"building\":false}" ] && [ "$px" = 401 ] && [ "$py" = 404 ]; then
        ok "build progress: GET /staff/progress/ORDER says building false before, building with 1 of the job's 1 item done at its end, false after; 401 with the partners' token, 404 for a path; /staff/staff.js is web/staff.js"
    else fail "build progress" "before [$p0], during: building [$seen_building] done [$seen_done] (last [$(cat "$T/pg")]), after [$(cat "$T/pg1")], partners' token $px, path $py"; fi
    req "$T/sd2" "/staff/order/$NS" "${AUTH[@]}"
    req "$T/dl.pdf" "/staff/download/$NS" "${AUTH[@]}" -D "$T/dl.h"
    cdl=$CODE
    sha=$(sha256sum "$T/dl.pdf" | cut -d' ' -f1)
    pages=$(pdfinfo "$T/dl.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    rec=$(q "$ORD/orders.db" "SELECT f.sha256 || ' ' || f.pages FROM build_files f JOIN builds b ON b.id = f.build_id JOIN orders o ON o.id = b.order_id WHERE o.name = '$NS'")
    if [ "$cb" = 200 ] && [ -n "$NB" ] && grep -q 'id="order-status">built<' "$T/sd2" && [ "$cdl" = 200 ] &&
       grep -qi '^Content-Type: application/pdf' "$T/dl.h" && [ "$rec" = "$sha $pages" ] && [ "$pages" = 2 ]; then
        ok "build: the order built, an order placed meanwhile stored ($NB); the download's sha256sum and pdfinfo pages ($pages) are the store's manifest"
    else fail "build and download" "order meanwhile $cb [$NB], download $cdl, manifest [$rec], file [$sha $pages]"; fi
    # the QR codes recorded are the ones zbarimg reads in the PDF
    if command -v zbarimg > /dev/null && command -v pdftoppm > /dev/null; then
        pdftoppm -r 300 -gray -f 1 -l 1 -singlefile "$T/dl.pdf" "$T/dl"
        zbar=$(zbarimg --raw -q --nodbus -Sdisable -Sqrcode.enable "$T/dl.pgm" 2>/dev/null | sort -u | one_line)
        stored=$(q "$ORD/orders.db" "SELECT DISTINCT payload FROM qr_codes ORDER BY payload" | sort -u | one_line)
        if [ -n "$zbar" ] && [ "$zbar" = "$stored" ]; then ok "the QR codes recorded for the build are those zbarimg decodes on its first page: $stored"
        else fail "the QR codes recorded" "zbarimg [$zbar], store [$stored]"; fi
    fi
    act "$NS" printed "Sam Ortiz" 3
    c1=$CODE
    act "$NS" shipped "'); DROP TABLE history; --" 4
    c2=$CODE
    act "$NS" cancel "Sam Ortiz" 5 --data-urlencode "reason=too late"
    c3=$CODE
    req "$T/ss" "/status/$KS"
    rows=$(grep -o '<tr><td>[^<]*</td><td>[a-z]*</td></tr>' "$T/ss" | sed 's|.*<td>\([a-z]*\)</td></tr>|\1|' | one_line)
    if [ "$c1" = 303 ] && [ "$c2" = 303 ] && [ "$c3" = 409 ] && [ "$rows" = "received approved built printed shipped" ] &&
       grep -q 'id="order-status">shipped<' "$T/ss" &&
       [ "$(q "$ORD/orders.db" "SELECT staff FROM history WHERE status = 'shipped'")" = "'); DROP TABLE history; --" ]; then
        ok "printed, shipped (a staff name with SQL, stored as typed), cancel after shipping 409; the partner's status page shows each change: $rows"
    else fail "printed, shipped, the status page" "statuses $c1 $c2 $c3, rows [$rows]"; fi
    n0=$(q "$ORD/orders.db" "SELECT count(*) FROM history")
    act "$NB" cancel "Sam" 1
    c1=$CODE
    act "$NB" cancel "$(head -c 1001 /dev/zero | tr '\0' s)" 1 --data-urlencode "reason=x"
    c2=$CODE
    act "../../etc/passwd" approve Sam 1
    c3=$CODE
    act "order-$DAY-999" approve Sam 1
    c4=$CODE
    act "$NB" frobnicate Sam 1
    c5=$CODE
    act "$NB" approve Sam "1 OR 1=1"
    c6=$CODE
    act "$NB" cancel Sam 1 --data-urlencode "reason=$(head -c 1001 /dev/zero | tr '\0' r)"
    c7=$CODE
    if [ "$c1" = 409 ] && [ "$c2" = 422 ] && [ "$c3" = 404 ] && [ "$c4" = 404 ] && [ "$c5" = 400 ] && [ "$c6" = 400 ] && [ "$c7" = 422 ] &&
       [ "$(q "$ORD/orders.db" "SELECT count(*) FROM history")" = "$n0" ]; then
        ok "refused with nothing recorded: cancel without a reason 409, a 1001-byte staff name or reason 422, a path or unknown order 404, an unknown action or seen 400"
    else fail "hostile staff forms" "statuses $c1 $c2 $c3 $c4 $c5 $c6 $c7"; fi
    act "$NB" cancel "Sam" 1 --data-urlencode "reason=duplicate; see $NS"
    if [ "$CODE" = 303 ] && [ "$(q "$ORD/orders.db" "SELECT reason FROM history WHERE status = 'cancelled' ORDER BY id DESC LIMIT 1")" = "duplicate; see $NS" ]; then
        ok "cancel with a reason: 303, the reason recorded"
    else fail "cancel with a reason" "status $CODE"; fi
    stop "$SP"
else fail "serve with --staff-token" "$(head -c 300 "$T/staff.log" | one_line)"; fi
spawn "$T/nostaff.log" "$ORD" && {
    req "$T/ns" /staff -H "Authorization: Bearer $STAFF_TOKEN"
    c=$CODE
    req "$T/nope2" /nope
    if [ "$c" = 404 ] && cmp -s "$T/ns" "$T/nope2"; then ok "without --staff-token there is no staff page: 404, as an unknown page"
    else fail "no staff page without --staff-token" "status $c"; fi
    stop "$SPID"
}
handout serve --port 0 --orders "$T/x" --staff-token short > /dev/null 2> "$T/short.err"
s1=$?
handout serve --port 0 --orders "$T/x" --token "$STAFF_TOKEN" --staff-token "$STAFF_TOKEN" > /dev/null 2> "$T/same.err"
s2=$?
if [ $s1 = 2 ] && grep -q "staff-token: expected at least 16 characters, found 5" "$T/short.err" && [ $s2 = 2 ] &&
   grep -q "found the same as --token" "$T/same.err"; then ok "--staff-token: shorter than 16 characters, or the same as --token: exit 2"
else fail "--staff-token checks" "$s1 $s2"; fi
lap "staff page"

# ---------------------------------------------------------------------------------------------
# 10. The distribution report from the store, and through its CSV.

handout orders distribution --orders "$ORD" -o "$T/dist.csv" 2> "$T/dist.err"
s1=$?
want="date,partner,item,quantity|$(date -u -d "@$SDE" +%Y-%m-%d),Eve Staff-Test,flyer-letter (en),2|"
got=$(tr -d '\r' < "$T/dist.csv" | tr '\n' '|')
if [ $s1 = 0 ] && [ "$got" = "$want" ]; then ok "orders distribution: the one shipped order as a log row: day shipped, who ordered, product (language), items"
else fail "orders distribution" "status $s1, [$got], expected [$want]"; fi
handout report "$ORD/orders.db" -o "$T/rs.pdf" > /dev/null 2> "$T/rs.err"
s2=$?
handout report "$T/dist.csv" -o "$T/rc.pdf" > /dev/null 2> "$T/rc.err"
s3=$?
# the store's report is the CSV's, then its own tables (per partner; hand-outs at events)
ts=$(pdftotext -layout "$T/rs.pdf" - 2>/dev/null | grep -v -e '^Log ' -e 'distribution report, ' | one_line)
ts=${ts%%" Per partner: ordered, built, shipped, handed out "*}
tc=$(pdftotext -layout "$T/rc.pdf" - 2>/dev/null | grep -v -e '^Log ' -e 'distribution report, ' | one_line)
if [ $s2 = 0 ] && [ $s3 = 0 ] && [[ $ts == *"Total quantity 2 "* ]] && [[ $ts == *"Eve Staff-Test"* ]] && [ "$ts" = "$tc" ] &&
   pdftotext "$T/rs.pdf" - | grep -qF "$ORD/orders.db"; then
    ok "handout report ORDERS/orders.db: the report of the shipped orders (total 2, Eve Staff-Test), the same text (pdftotext) as the report of the exported CSV"
else fail "handout report from the store" "statuses $s2 $s3, $(head -c 300 "$T/rs.err" | one_line)"; fi
handout report "$T/nowhere/orders.db" -o "$T/rn.pdf" > /dev/null 2> "$T/rn.err"
s4=$?
if [ $s4 = 1 ] && grep -q "there is no order store" "$T/rn.err" && [ ! -e "$T/rn.pdf" ] && [ ! -e "$T/nowhere" ]; then
    ok "handout report of a store that is not there: exit 1, no PDF, nothing made"
else fail "handout report without a store" "status $s4, $(one_line < "$T/rn.err")"; fi
lap "report"


# ---------------------------------------------------------------------------------------------
# 11. Hand-outs at events (schema 3): a store of version 2 (tests/fixtures/store/v2.sql, made
# with the sqlite3 shell) migrated; hand-outs recorded against its orders and read back with
# the sqlite3 shell; refused ones; the report's numbers (pdftotext) against sums made here from
# the values recorded; the CSV export (Python's csv module).

H=$T/v2
mkdir -p "$H"
sqlite3 -batch "$H/orders.db" < "$ROOT/tests/fixtures/store/v2.sql"
before=$(q "$H/orders.db" "PRAGMA user_version")
rows_before=$(q "$H/orders.db" "SELECT (SELECT count(*) FROM orders) || ' ' || (SELECT count(*) FROM items) || ' ' || (SELECT count(*) FROM history) || ' ' || (SELECT count(*) FROM builds) || ' ' || (SELECT count(*) FROM build_files) || ' ' || (SELECT count(*) FROM qr_codes)")
handout orders export --orders "$H" -o "$T/v2o.csv" 2> "$T/v2.err"
st=$?
ver=$(q "$H/orders.db" "PRAGMA user_version")
rows_after=$(q "$H/orders.db" "SELECT (SELECT count(*) FROM orders) || ' ' || (SELECT count(*) FROM items) || ' ' || (SELECT count(*) FROM history) || ' ' || (SELECT count(*) FROM builds) || ' ' || (SELECT count(*) FROM build_files) || ' ' || (SELECT count(*) FROM qr_codes)")
cols=$(q "$H/orders.db" "SELECT group_concat(name, ' ') FROM pragma_table_info('handouts')")
if [ "$before" = 2 ] && [ $st = 0 ] && [ "$ver" = 3 ] && [ "$rows_before" = "3 4 10 2 1 1" ] && [ "$rows_after" = "$rows_before" ] &&
   [ "$cols" = "id order_id item_id day place product language quantity staff recorded_at" ] &&
   [ "$(csv_field "$T/v2o.csv" 3 who)" = "Ray O'Neil" ] && [ "$(csv_rows "$T/v2o.csv")" = 4 ]; then
    ok "a store of version 2 (sqlite3 shell) is migrated to version 3: the handouts table added, every row kept ($rows_after)"
else fail "migration from version 2" "before [$before], status $st, after [$ver], rows [$rows_before] -> [$rows_after], columns [$cols], $(head -c 300 "$T/v2.err" | one_line)"; fi

O1=order-20251201-001   # built: partner-card-us (en), 500 made; Maine Coalition
O3=order-20251203-001   # shipped: flyer-letter (en) 300 and (es) 120 made; Portland Outreach
# the hand-outs recorded: order | date | place | item | quantity | staff (SQL and CSV metacharacters in every text)
REC=(
"$O3|2025-12-10|Fair \"A\"; DROP TABLE handouts; --|flyer-letter (es)|40|O'Brien'); DELETE FROM orders; --"
"$O3|2025-12-20|St Mark's Church, hall|flyer-letter (en)|75|Sam \"Ortiz\""
"$O1|2026-01-15|Fair \"A\"; DROP TABLE handouts; --|partner-card-us|200|Sam; --"
"$O3|2026-01-15|=HYPERLINK(\"x\")|flyer-letter (es)|80|%_ \\ Lee"
)
rec_ok=1 want_db=""
for r in "${REC[@]}"; do
    IFS='|' read -r o dt pl it qn sf <<< "$r"
    handout orders handout "$o" --orders "$H" --date "$dt" --place "$pl" --item "$it" --quantity "$qn" --staff "$sf" 2>> "$T/ho.err" || rec_ok=0
    want_db+="$dt|$pl|${it%% (*}|$qn|$sf;"
done
got_db=$(q "$H/orders.db" "SELECT day || '|' || place || '|' || product || '|' || quantity || '|' || staff || ';' FROM handouts ORDER BY id" | tr -d '\n')
langs=$(q "$H/orders.db" "SELECT group_concat(o.name || ':' || x.language || ':' || i.product, ' ') FROM handouts x JOIN orders o ON o.id = x.order_id JOIN items i ON i.id = x.item_id")
if [ $rec_ok = 1 ] && [ "$got_db" = "$want_db" ] &&
   [ "$langs" = "$O3:es:flyer-letter $O3:en:flyer-letter $O1:en:partner-card-us $O3:es:flyer-letter" ] &&
   [ "$(q "$H/orders.db" "SELECT count(*) FROM orders")" = 3 ]; then
    ok "orders handout: 4 hand-outs recorded; the sqlite3 shell reads each field as typed (SQL, quotes, commas, % _ \\), against the right order's item and language"
else fail "orders handout recorded" "[$got_db] vs [$want_db], [$langs], $(head -c 300 "$T/ho.err" | one_line)"; fi

# refused: nothing written, the standard message, the exit status of the others
n0=$(q "$H/orders.db" "SELECT count(*) FROM handouts")
bad() { # bad NAME STATUS ID-OR-- MESSAGE ARGS...
    local name=$1 want=$2 id=$3 msg=$4 st
    shift 4
    handout orders handout "$@" --orders "$H" > /dev/null 2> "$T/bad-$name.err"
    st=$?
    if [ $st = "$want" ] && grep -qF -- "$msg" "$T/bad-$name.err" && { [ "$id" = - ] || [ "$st" != 1 ] || grep -q "error:" "$T/bad-$name.err"; }; then return 0; fi
    echo "$name: status $st, $(head -c 300 "$T/bad-$name.err" | one_line)"
    return 1
}
A=(--place Fair --staff Sam)
problems=""
problems+=$(bad date 2 - 'handout: --date: expected a date as YYYY-MM-DD (a real day), found "2026-02-30"' "$O3" --date 2026-02-30 --item "flyer-letter (en)" --quantity 1 "${A[@]}")
problems+=$(bad date2 2 - 'found "2026-1-5"' "$O3" --date 2026-1-5 --item "flyer-letter (en)" --quantity 1 "${A[@]}")
problems+=$(bad q0 2 - 'handout: --quantity: expected a whole number from 1 up, found "0"' "$O3" --date 2026-01-05 --item "flyer-letter (en)" --quantity 0 "${A[@]}")
problems+=$(bad qneg 2 - 'found "-3"' "$O3" --date 2026-01-05 --item "flyer-letter (en)" --quantity -3 "${A[@]}")
problems+=$(bad qfrac 2 - 'found "2.5"' "$O3" --date 2026-01-05 --item "flyer-letter (en)" --quantity 2.5 "${A[@]}")
problems+=$(bad qsql 2 - "found \"1; DROP TABLE handouts\"" "$O3" --date 2026-01-05 --item "flyer-letter (en)" --quantity "1; DROP TABLE handouts" "${A[@]}")
problems+=$(bad noplace 2 - 'handout: expected --place TEXT, found none' "$O3" --date 2026-01-05 --item "flyer-letter (en)" --quantity 1 --staff Sam)
problems+=$(bad nostaff 2 - 'handout: expected --staff NAME, found none' "$O3" --date 2026-01-05 --item "flyer-letter (en)" --quantity 1 --place Fair)
problems+=$(bad order 1 id "orders: expected an order of the store, found no order named \"x' OR '1'='1\"" "x' OR '1'='1" --date 2026-01-05 --item "flyer-letter (en)" --quantity 1 "${A[@]}")
problems+=$(bad item 1 id "found no item named \"flyer-letter' OR '1'='1\"" "$O3" --date 2026-01-05 --item "flyer-letter' OR '1'='1" --quantity 1 "${A[@]}")
problems+=$(bad ambiguous 1 id 'found several items named "flyer-letter"' "$O3" --date 2026-01-05 --item flyer-letter --quantity 1 "${A[@]}")
problems+=$(bad over 1 id "expected at most 0 more of flyer-letter (es) from the order $O3 (120 built, 120 handed out already), found 1" "$O3" --date 2026-01-05 --item "flyer-letter (es)" --quantity 1 "${A[@]}")
problems+=$(bad over2 1 id "expected at most 225 more of flyer-letter (en) from the order $O3 (300 built, 75 handed out already), found 226" "$O3" --date 2026-01-05 --item "flyer-letter (en)" --quantity 226 "${A[@]}")
problems+=$(bad cancelled 1 id "found the order order-20251201-002 cancelled" order-20251201-002 --date 2026-01-05 --item flyer-letter --quantity 1 "${A[@]}")
problems+=$(bad longstaff 1 id "expected the staff member's name (1 to 1000 bytes), found a longer one" "$O3" --date 2026-01-05 --item "flyer-letter (en)" --quantity 1 --place Fair --staff "$(head -c 1001 /dev/zero | tr '\0' s)")
handout orders mark "$O3" printed --staff Sam --date 2026-01-05 --orders "$H" > /dev/null 2> "$T/bad-mark.err"
[ $? = 2 ] && grep -qF -- "--date, --place, --item and --quantity are for handout" "$T/bad-mark.err" || problems+="mark --date; "
if [ -z "$problems" ] && [ "$(q "$H/orders.db" "SELECT count(*) FROM handouts")" = "$n0" ] && [ "$n0" = 4 ]; then
    ok "orders handout refused, nothing recorded: a date not a real day or not YYYY-MM-DD, a quantity 0, -3, 2.5 or with SQL (exit 2), no --place or --staff (exit 2), an unknown order or item (SQL), an ambiguous item, more than was built, a cancelled order, a 1001-byte staff name (exit 1); --date on mark (exit 2)"
else fail "orders handout refused" "$problems count $(q "$H/orders.db" "SELECT count(*) FROM handouts")"; fi

# the export: every hand-out, read back with Python's csv module, a formula-like cell defused
handout orders handouts --orders "$H" -o "$T/ho.csv" 2> "$T/hoc.err"
st=$?
got=""
for r in 1 2 3 4; do got+="$(csv_field "$T/ho.csv" $r order)|$(csv_field "$T/ho.csv" $r date)|$(csv_field "$T/ho.csv" $r place)|$(csv_field "$T/ho.csv" $r item)|$(csv_field "$T/ho.csv" $r quantity)|$(csv_field "$T/ho.csv" $r staff);"; done
want=""
for r in "${REC[@]}"; do
    IFS='|' read -r o dt pl it qn sf <<< "$r"
    [ "$it" = partner-card-us ] && it="partner-card-us (en)"
    [ "${pl:0:1}" = = ] && pl="'$pl"
    want+="$o|$dt|$pl|$it|$qn|$sf;"
done
# the records are in date order, then as recorded: the third and the fourth share a day
if [ $st = 0 ] && [ "$got" = "$want" ] && [ "$(csv_rows "$T/ho.csv")" = 4 ] &&
   [ "$(csv_field "$T/ho.csv" 1 partner)" = "Portland Outreach" ] && [ "$(csv_field "$T/ho.csv" 3 partner)" = "Maine Coalition" ]; then
    ok "orders handouts: the 4 hand-outs as CSV (Python's csv module), every field as recorded, =HYPERLINK defused as '=HYPERLINK, the partner of each order"
else fail "orders handouts" "status $st, [$got] vs [$want]"; fi

# the report: sums made here from the values recorded
declare -A MQ MN IQ IN PQ PN
total=0
for r in "${REC[@]}"; do
    IFS='|' read -r o dt pl it qn sf <<< "$r"
    [ "$it" = partner-card-us ] && it="partner-card-us (en)"
    p=$([ "$o" = "$O1" ] && echo "Maine Coalition" || echo "Portland Outreach")
    m=${dt:0:7}
    MQ[$m]=$(( ${MQ[$m]:-0} + qn )); MN[$m]=$(( ${MN[$m]:-0} + 1 ))
    IQ[$it]=$(( ${IQ[$it]:-0} + qn )); IN[$it]=$(( ${IN[$it]:-0} + 1 ))
    PQ[$p]=$(( ${PQ[$p]:-0} + qn )); PN[$p]=$(( ${PN[$p]:-0} + 1 ))
    total=$((total + qn))
done
handout report "$H/orders.db" -o "$T/rh.pdf" > /dev/null 2> "$T/rh.err"
st=$?
pdftotext -layout "$T/rh.pdf" "$T/rh.txt" 2> /dev/null
# the hand-outs' section: after its heading (the shipped orders' tables come first)
sed -n '/^ *Handed out at events/,$p' "$T/rh.txt" > "$T/rh-h.txt"
missing=""
has() { grep -Eq "^ *$(printf '%s' "$1" | sed 's/[][().*+?^$|\\]/\\&/g') +$2( |$)" "$3" || missing+="[$1 $2] "; }
has "Total handed out" "$total" "$T/rh-h.txt"
for m in "${!MQ[@]}"; do has "$m" "${MN[$m]} +${MQ[$m]}" "$T/rh-h.txt"; done
for i in "${!IQ[@]}"; do has "$i" "${IN[$i]} +${IQ[$i]}" "$T/rh-h.txt"; done
for p in "${!PQ[@]}"; do has "$p" "${PN[$p]} +${PQ[$p]}" "$T/rh-h.txt"; done
# per partner: ordered, built, shipped from the fixture (the sqlite3 shell), handed out from here
for p in "Maine Coalition" "Portland Outreach"; do
    obs=$(q "$H/orders.db" "SELECT sum(i.quantity) || ' +' || sum(i.items) || ' +' || sum(CASE WHEN o.status = 'shipped' THEN i.items ELSE 0 END) FROM orders o JOIN items i ON i.order_id = o.id WHERE o.agency = '$p'")
    has "$p" "$obs +${PQ[$p]}" "$T/rh.txt"
done
has "Total" "920 +920 +420 +$total" "$T/rh.txt"
if [ $st = 0 ] && [ -z "$missing" ] && [ "$total" = 395 ] && grep -q "(shipped: 2 items, 420 in all; hand-outs at events: 4, $total in all)" "$T/rh.err"; then
    ok "handout report of the store: handed out per month, item (product and language) and partner, and ordered/built/shipped/handed out per partner, as pdftotext reads them, are the sums of the values recorded ($total)"
else fail "handout report with hand-outs" "status $st, missing $missing, $(head -c 300 "$T/rh.err" | one_line)"; fi
# the CSV path: a log's report has none of the store's tables
handout report "$ROOT/data/distribution-example.csv" -o "$T/rx.pdf" > /dev/null 2> "$T/rx.err"
st=$?
if [ $st = 0 ] && pdftotext "$T/rx.pdf" - | grep -q "Totals per partner" && ! pdftotext "$T/rx.pdf" - | grep -q -e "Handed out at events" -e "Per partner: ordered"; then
    ok "handout report of a CSV log (data/distribution-example.csv) as before: its tables, none of the store's"
else fail "handout report of a CSV log" "status $st, $(head -c 300 "$T/rx.err" | one_line)"; fi
# a store with nothing shipped: the hand-outs alone; a store with neither: nothing to report
mkdir -p "$T/v2b" "$T/v2c"
for d in v2b v2c; do
    sqlite3 -batch "$T/$d/orders.db" < "$ROOT/tests/fixtures/store/v2.sql"
    q "$T/$d/orders.db" "DELETE FROM builds WHERE order_id = 3; DELETE FROM history WHERE order_id = 3; DELETE FROM items WHERE order_id = 3; DELETE FROM orders WHERE id = 3" > /dev/null
done
handout orders handout "$O1" --orders "$T/v2b" --date 2026-03-01 --place "Clinic" --item partner-card-us --quantity 33 --staff Sam 2> /dev/null
handout report "$T/v2b/orders.db" -o "$T/rb.pdf" > /dev/null 2> "$T/rb.err"
s1=$?
handout report "$T/v2c/orders.db" -o "$T/rc0.pdf" > /dev/null 2> "$T/rc0.err"
s2=$?
pdftotext -layout "$T/rb.pdf" "$T/rb.txt" 2> /dev/null
missing=""
has "Total handed out" 33 "$T/rb.txt"
has "Maine Coalition" "500 +500 +0 +33" "$T/rb.txt"
has "2026-03" "1 +33" "$T/rb.txt"
if [ $s1 = 0 ] && [ -z "$missing" ] && grep -q "No order of the store was shipped yet" "$T/rb.txt" && [ $s2 = 1 ] &&
   grep -q "(shipped: 0 items, 0 in all; hand-outs at events: 1, 33 in all)" "$T/rb.err" &&
   grep -q "expected a shipped order or a hand-out in the store, found none" "$T/rc0.err" && [ ! -e "$T/rc0.pdf" ]; then
    ok "handout report of a store with hand-outs and no shipped order: its hand-outs (33); with neither: exit 1, no PDF"
else fail "handout report without shipped orders" "statuses $s1 $s2, missing $missing, $(head -c 300 "$T/rc0.err" | one_line)"; fi
lap "hand-outs"

summary
