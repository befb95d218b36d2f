# tests/outputs.sh -- where a build may write (issue 18, class 3), sourced by tests/run.sh: never
# onto an input of the build (under any name), never onto a device, FIFO, link or folder, never
# removing a file the build did not make, and a build of several files replaces them all or none.
# Every refusal is exit 3 with the output named, the input untouched, and no file left behind.
# Uses T, handout, ok, fail, check, one_line from tests/run.sh and tests/lib.sh.

O=$T/outputs
mkdir -p "$O"
cp tests/fixtures/basic.ini "$O/layout.ini"
cp -r tests/fixtures/content "$O/content"
cp tests/fixtures/merge.ini "$O/merge.ini"
printf 'code,name,note\nA1,Alpha,first\nB2,Beta,second\n' > "$O/data.csv"

# refused NAME TARGET MESSAGE ARGS...: handout ARGS exits 3, names TARGET with MESSAGE on one
# line, leaves TARGET as it was (same type, same bytes) and leaves no temporary file in O
refused() {
    local name=$1 target=$2 msg=$3; shift 3
    local before after why=()
    before=$(stat -c '%F %s %i' "$target" 2>/dev/null; [ -f "$target" ] && sha256sum < "$target")
    local left_before
    left_before=$(ls -A "$O" "$(dirname "$target")" | sort | one_line)
    handout "$@" > "$T/out.txt" 2> "$T/err.txt" < /dev/null
    local rc=$?
    after=$(stat -c '%F %s %i' "$target" 2>/dev/null; [ -f "$target" ] && sha256sum < "$target")
    [ $rc = 3 ] || why+=("exit $rc, expected 3")
    grep -F -- "$target" "$T/err.txt" | grep -qF -- "$msg" || why+=("no line naming $target with \"$msg\"")
    [ "$before" = "$after" ] || why+=("$target changed: [$before] became [$after]")
    [ "$(ls -A "$O" "$(dirname "$target")" | sort | one_line)" = "$left_before" ] ||
        why+=("files changed: $(ls -A "$O" "$(dirname "$target")" | one_line)")
    if [ ${#why[@]} -eq 0 ]; then ok "outputs: $name"
    else fail "outputs: $name" "$(IFS=';'; echo "${why[*]}") -- $(head -c 300 "$T/err.txt" | one_line)"; fi
}

refused "-o the layout itself is refused" "$O/layout.ini" "not an input of this run" \
    build "$O/layout.ini" "$O/content" -o "$O/layout.ini"
refused "-o the Markdown file the layout prints is refused" "$O/content/body.md" "not an input of this run" \
    build "$O/layout.ini" "$O/content" -o "$O/content/body.md"
refused "-o the content set's content.ini is refused" "$O/content/content.ini" "not an input of this run" \
    build "$O/layout.ini" "$O/content" -o "$O/content/content.ini"
refused "--dump onto the layout is refused" "$O/layout.ini" "not an input of this run" \
    build "$O/layout.ini" "$O/content" -o "$O/x.pdf" --dump "$O/layout.ini"
refused "-o the data file of a merge is refused" "$O/data.csv" "not an input of this run" \
    build "$O/merge.ini" "$O/content" --data "$O/data.csv" -o "$O/data.csv"
ln "$O/layout.ini" "$O/hardlink.pdf"
refused "-o a hard link to the layout (another name, the same file) is refused" "$O/hardlink.pdf" \
    "which it reads as $O/layout.ini" build "$O/layout.ini" "$O/content" -o "$O/hardlink.pdf"
rm -f "$O/hardlink.pdf"
mkfifo "$O/fifo"
refused "-o a FIFO is refused, and the FIFO stays" "$O/fifo" "found a named pipe (FIFO)" \
    build "$O/layout.ini" "$O/content" -o "$O/fifo"
rm -f "$O/fifo"
ln -s layout.ini "$O/link.pdf"
refused "-o a symbolic link is refused (the link and the file it names stay)" "$O/link.pdf" \
    "found a symbolic link" build "$O/layout.ini" "$O/content" -o "$O/link.pdf"
rm -f "$O/link.pdf"
mkdir "$O/folder.pdf"
refused "-o a folder is refused" "$O/folder.pdf" "found a folder" \
    build "$O/layout.ini" "$O/content" -o "$O/folder.pdf"
rmdir "$O/folder.pdf"
if [ "$(id -u)" = 0 ] && mknod "$O/null" c 1 3 2>/dev/null; then
    # a device node of our own (the same device as /dev/null): as root, a build once replaced it
    refused "-o a character device is refused, and the node stays" "$O/null" "found a character device" \
        build "$O/layout.ini" "$O/content" -o "$O/null"
    rm -f "$O/null"
else
    note "outputs: not root, so no device node of our own to try -o on"
fi
if [ "$(id -u)" != 0 ]; then # as root, the node of our own above stands for it
    refused "-o /dev/null is refused (a device), with no file made in /dev" /dev/null "found a character device" \
        build "$O/layout.ini" "$O/content" -o /dev/null
fi

# the parts of a build: numbered files it did not make stay; the ones it made and no longer
# needs go; a build of several files replaces them all or none
P=$O/parts
mkdir -p "$P"
if handout build "$O/layout.ini" "$O/content" -o "$P/card-001.pdf" > /dev/null 2>&1 &&
   handout build "$O/layout.ini" "$O/content" -o "$P/card.pdf" > /dev/null 2>&1; then
    check "outputs: building card.pdf keeps a separately built card-001.pdf" "files: $(ls -A "$P" | one_line)" \
        test -f "$P/card-001.pdf" -a -f "$P/card.pdf"
else
    fail "outputs: building card.pdf keeps a separately built card-001.pdf" "a build failed"
fi
rm -rf "$P"; mkdir -p "$P"
# 3 records, 1 per page (merge.ini is one card per page): --max-pages 1 makes 3 files
printf 'code,name,note\nA1,Alpha,first\nB2,Beta,second\nC3,Gamma,third\n' > "$O/three.csv"
if handout build "$O/merge.ini" "$O/content" --data "$O/three.csv" --max-pages 1 -o "$P/m.pdf" > /dev/null 2>&1; then
    made=$(cd "$P" && ls | one_line)
    cp "$P/m-001.pdf" "$O/m-001.first"
    # a file the user put in the place of m-003.pdf after the build is not the build's
    cp "$P/m-003.pdf" "$O/mine.pdf"; rm "$P/m-003.pdf"; cp "$O/mine.pdf" "$P/m-003.pdf"
    handout build "$O/merge.ini" "$O/content" --data "$O/three.csv" -o "$P/m.pdf" > /dev/null 2>&1
    now=$(cd "$P" && ls | one_line)
    check "outputs: a one-file build removes the parts the last build made (m-001, m-002) and keeps a file put in place of one (m-003)" \
        "first [$made], then [$now]" test "$made" = "m-001.pdf m-002.pdf m-003.pdf" -a "$now" = "m-003.pdf m.pdf"
    # several files, all or none: the target of part 2 is a folder, so part 1 keeps its old bytes
    rm -f "$P"/*; handout build "$O/merge.ini" "$O/content" --data "$O/three.csv" --max-pages 1 -o "$P/m.pdf" > /dev/null 2>&1
    cp "$P/m-001.pdf" "$O/m-001.before"; rm -f "$P/m-002.pdf"; mkdir "$P/m-002.pdf"
    printf 'code,name,note\nX9,Changed,other\nB2,Beta,second\nC3,Gamma,third\n' > "$O/three.csv"
    handout build "$O/merge.ini" "$O/content" --data "$O/three.csv" --max-pages 1 -o "$P/m.pdf" > /dev/null 2> "$O/err.txt"
    rc=$?
    check "outputs: a build of 3 files whose 2nd target is a folder writes none of them (exit 3, m-001.pdf unchanged, no temporary file)" \
        "exit $rc, files $(ls -A "$P" | one_line): $(one_line < "$O/err.txt")" \
        eval '[ $rc = 3 ] && cmp -s "$P/m-001.pdf" "$O/m-001.before" && [ "$(ls -A "$P" | one_line)" = ".m.pdf.parts m-001.pdf m-002.pdf m-003.pdf" ]'
else
    fail "outputs: parts of a build" "the build of 3 files failed"
fi

# a data file's value with a newline, a tab and a backslash, carried whole by a raw QR payload
# (tests/fixtures/merge-raw.ini): the code decodes to the CSV's value, and the dump keeps one
# line per code with the payload escaped (the batch's QR register reads it from there)
printf 'code,name,note\n"LINE1\nLINE2\\x",Alpha,first\n"TAB\there",Beta,second\n' > "$O/raw.csv"
if handout build tests/fixtures/merge-raw.ini "$O/content" --data "$O/raw.csv" -o "$O/raw.pdf" --dump "$O/raw.dump" > /dev/null 2>&1 &&
   pdftoppm -r 300 -gray -png "$O/raw.pdf" "$O/raw" 2>/dev/null; then
    want1=$'LINE1\nLINE2\\x' want2=$'TAB\there'
    got1=$(zbarimg --raw -q --nodbus "$O/raw-1.png" 2>/dev/null) got2=$(zbarimg --raw -q --nodbus "$O/raw-2.png" 2>/dev/null)
    check "outputs: QR codes carry a CSV value with a newline and one with a tab whole (zbarimg)" \
        "decoded [$got1] and [$got2]" test "$got1" = "$want1" -a "$got2" = "$want2"
    qr_lines=$(grep -c '^qr ' "$O/raw.dump")
    d1=$(awk '$1 == "qr" { p = index($0, " payload "); print substr($0, p + 9) }' "$O/raw.dump" | sed -n 1p)
    d2=$(awk '$1 == "qr" { p = index($0, " payload "); print substr($0, p + 9) }' "$O/raw.dump" | sed -n 2p)
    check "outputs: the dump keeps each such payload on its one qr line, escaped (\\n, \\t, \\\\)" \
        "qr lines $qr_lines; payloads [$d1] [$d2]" \
        test "$qr_lines" = 2 -a "$d1" = 'LINE1\nLINE2\\x' -a "$d2" = 'TAB\there'
else
    fail "outputs: raw QR payloads from a data file" "the build or pdftoppm failed"
fi

# [page] languages with 17 content sets makes 17 pages, each with its own title (a fixed list of
# 16 once made 16 pages, exit 0)
L=$O/langs
mkdir -p "$L/content"
list=""
for i in $(seq 1 17); do
    mkdir -p "$L/content/l$i"
    cp tests/fixtures/content/body.md "$L/content/l$i/"
    sed "s/^title = .*/title = Title number $i/" tests/fixtures/content/content.ini > "$L/content/l$i/content.ini"
    list+="${list:+, }l$i"
done
sed "s/^margin = 0.5in$/margin = 0.5in\nlanguages = $list/" tests/fixtures/basic.ini > "$L/seventeen.ini"
if handout build "$L/seventeen.ini" "$L/content/l1" -o "$L/s.pdf" > /dev/null 2> "$T/langs.err"; then
    pages=$(pdfinfo "$L/s.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    last=$(pdftotext -f 17 -l 17 "$L/s.pdf" - 2>/dev/null | grep -c 'Title number 17')
    check "outputs: [page] languages with 17 content sets makes 17 pages, the 17th in the 17th language" \
        "pages $pages, 'Title number 17' on page 17: $last" test "$pages" = 17 -a "$last" = 1
else
    fail "outputs: [page] languages with 17 content sets" "$(one_line < "$T/langs.err")"
fi

# a data merge with 33 different pictures (more than a fixed list of 32 once held): every record
# gets its own, and pdfimages lists 33 images in the PDF
I=$O/images
mkdir -p "$I"
if handout build tests/fixtures/basic.ini "$O/content" -o "$I/src.pdf" > /dev/null 2>&1; then
    echo "name,logo" > "$I/pictures.csv"
    for i in $(seq 1 33); do
        # each a different size, so a different file
        pdftoppm -r $((20 + i)) -png -singlefile "$I/src.pdf" "$I/p$i" 2>/dev/null
        echo "Record $i,$I/p$i.png" >> "$I/pictures.csv"
    done
    if handout build tests/fixtures/merge-image.ini "$O/content" --data "$I/pictures.csv" -o "$I/m.pdf" > /dev/null 2> "$T/images.err"; then
        pages=$(pdfinfo "$I/m.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
        imgs=$(pdfimages -list "$I/m.pdf" 2>/dev/null | awk 'NR > 2 && $3 == "image"' | wc -l)
        check "outputs: a data merge with 33 different pictures builds 33 pages with 33 images (pdfimages)" \
            "pages $pages, images $imgs" test "$pages" = 33 -a "$imgs" = 33
    else
        fail "outputs: a data merge with 33 different pictures" "$(head -c 300 "$T/images.err" | one_line)"
    fi
else
    fail "outputs: a data merge with 33 different pictures" "the source page failed"
fi

# limits kept by the engine (issue 18, class 4): one file of 32,768 pages (past the 32,767 pages
# one PDF page-tree node holds in libharu) is written whole; one item's tiles are one file, so
# more tiles than --max-pages is an error before drawing, the same in build and check
printf '[page]\ndescription = many small pages\nsize = 2in x 1in\nmargin = 0.125in\n\n[t]\ntype = text\nx = 0.125in\ny = 0.125in\nwidth = 1.5in\nheight = 0.5in\ntext = {title}\nsize = 8pt\n' > "$O/tiny.ini"
if handout build "$O/tiny.ini" "$O/content" --count 32768 --max-pages 100000 -o "$O/many.pdf" > /dev/null 2> "$T/many.err"; then
    pages=$(pdfinfo "$O/many.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
    qc=$(qpdf --check "$O/many.pdf" 2>&1 | tail -n 1)
    check "outputs: a file of 32,768 pages is written whole (pdfinfo, qpdf --check)" "pages $pages; qpdf: $qc" \
        eval '[ "$pages" = 32768 ] && qpdf --check "$O/many.pdf" > /dev/null 2>&1'
else
    fail "outputs: a file of 32,768 pages" "$(head -c 300 "$T/many.err" | one_line)"
fi
rm -f "$O/many.pdf"
mkdir -p "$O/tiles"
handout build layouts/poster.ini content/en --size 18x24 --tile "2.2in x 2.2in" -o "$O/tiles/t.pdf" > /dev/null 2> "$T/tiles.err"
rc=$?
check "outputs: 850 tiles of one poster with --max-pages 500 is an error before drawing (exit 1, no file)" \
    "exit $rc, files: $(ls -A "$O/tiles" | one_line); $(head -c 300 "$T/tiles.err" | one_line)" \
    eval '[ $rc = 1 ] && [ -z "$(ls -A "$O/tiles")" ] && grep -q "found 850 tiles (34 rows of 25)" "$T/tiles.err"'
if handout build layouts/poster.ini content/en --size 18x24 --tile "2.2in x 2.2in" --max-pages 1000 -o "$O/tiles/t.pdf" > /dev/null 2>&1; then
    check "outputs: the same tiles with --max-pages 1000 make one file of 850 pages" \
        "pages $(pdfinfo "$O/tiles/t.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')" \
        eval '[ "$(pdfinfo "$O/tiles/t.pdf" 2>/dev/null | awk "/^Pages:/ { print \$2 }")" = 850 ]'
else
    fail "outputs: the same tiles with --max-pages 1000" "the build failed"
fi

# a PNG of 16 bits per channel prints in its own colour (issue 18, class 6): the fixtures hold
# R 0xFFFF, G 0x8000, B 0x0000 (8-bit 255, 128, 0), one opaque and one with an opaque alpha
# channel; libharu's own reading once printed them as 255, 0, 128
for png in orange-rgb16 orange-rgba16; do
    sed "s|^file   = {logo}|file   = ../$png.png|; s|^text   = {name}|text   = {title}|" tests/fixtures/merge-image.ini > "$O/$png.ini"
    if handout build "$O/$png.ini" tests/fixtures/content -o "$O/$png.pdf" > /dev/null 2>&1 &&
       pdftoppm -r 72 -x 200 -y 30 -W 1 -H 1 -singlefile "$O/$png.pdf" "$O/$png-px" 2>/dev/null; then
        px=$(tail -c 3 "$O/$png-px.ppm" | od -An -tu1 | one_line)
        check "outputs: $png.png (16 bits per channel) prints as 255 128 0" "the page shows $px" test "$px" = "255 128 0"
    else
        fail "outputs: $png.png (16 bits per channel)" "the build or pdftoppm failed"
    fi
done

# --diagnostics FILE: every error and warning also as a record, "LEVEL<TAB>ID<TAB>FILE<TAB>LINE
# <TAB>SECTION<TAB>KEY<TAB>EXPECTED<TAB>FOUND<TAB>TEXT", what handout batch and the web page read
# instead of the text (issue 11; docs/errors.md)
if handout build tests/bad/unknown-key.ini tests/fixtures/content -o "$O/d.pdf" --diagnostics "$O/d.diag" > /dev/null 2> "$O/d.err"; then
    fail "outputs: --diagnostics" "the bad layout built"
else
    line=$(grep -n '^widht' tests/bad/unknown-key.ini | cut -d: -f1)
    rec=$(awk -F '\t' '$1 == "error" && $5 == "heading" && $6 == "widht"' "$O/d.diag")
    IFS=$'\t' read -r lv rid rf rl rs rk rexp rfound rt <<< "$rec"
    # the record's fields are the place the layout file gives, and the text the same as on stderr
    check "outputs: --diagnostics records the error with its id, file, line, section and key (layout-unknown-key tests/bad/unknown-key.ini:$line [heading] widht)" \
        "record [$rec]" eval '[ "$rid" = layout-unknown-key ] && [ "$rf" = tests/bad/unknown-key.ini ] && [ "$rl" = "$line" ] && grep -qF "handout: error: $rf:$rl: [$rs] $rk: $rt" "$O/d.err"'
    # EXPECTED and FOUND: the two parts of the text's own "expected A, found B; advice"
    check "outputs: --diagnostics cuts EXPECTED and FOUND from the text (a known key / an unknown one)" \
        "record [$rec]" eval '[ "$rexp" = "a known key" ] && [ "$rfound" = "an unknown one" ] && [[ $rt == "expected $rexp, found $rfound; "* ]]'
    n_err=$(grep -c '^handout: error: ' "$O/d.err"); n_rec=$(grep -c '^error	' "$O/d.diag")
    check "outputs: --diagnostics has one record per error printed ($n_err)" "records $n_rec" test "$n_err" = "$n_rec"
fi
# the cut is where the program's words put it, never found by searching the value: a value that
# holds ", found " and "; " stays whole in FOUND (a search for the first "; " would cut it)
sed 's/^type = text$/type = text\nalign = "x, found y; z"/' tests/fixtures/basic.ini > "$O/align.ini"
handout build "$O/align.ini" tests/fixtures/content -o "$O/d1.pdf" --diagnostics "$O/d1.diag" > /dev/null 2>&1
rec=$(awk -F '\t' '$6 == "align"' "$O/d1.diag")
IFS=$'\t' read -r lv rid rf rl rs rk rexp rfound rt <<< "$rec"
check "outputs: --diagnostics keeps a value holding \", found \" and \"; \" whole in FOUND (layout-bad-choice)" "record [$rec]" \
    eval '[ "$rid" = layout-bad-choice ] && [ "$rexp" = "left, center, right, justify, start or end" ] && [ "$rfound" = "\"x, found y; z\"" ]'
# a value with a tab and a newline stays on its record's line, escaped
# (a payload that is no link: the warning quotes it)
handout build tests/fixtures/basic.ini "$O/content" -o "$O/d2.pdf" --diagnostics "$O/d2.diag" --set "donate_url=a	b" > /dev/null 2>&1
check "outputs: --diagnostics keeps a tab in a value escaped (one line per record, 9 fields)" \
    "$(od -c "$O/d2.diag" | head -n 4 | one_line)" \
    eval '[ "$(grep -c . "$O/d2.diag")" -ge 1 ] && awk -F "\t" "NF != 9 { bad = 1 } END { exit bad }" "$O/d2.diag" && grep -qF "a\\tb" "$O/d2.diag"'
mkfifo "$O/d.fifo"
timeout 10 "$HANDOUT" build tests/fixtures/basic.ini "$O/content" -o "$O/d3.pdf" --diagnostics "$O/d.fifo" > /dev/null 2> "$O/d3.err"
rc=$?
check "outputs: --diagnostics onto a FIFO is refused (exit 3), without waiting" "exit $rc: $(one_line < "$O/d3.err")" \
    eval '[ $rc = 3 ] && grep -q "found a named pipe" "$O/d3.err"'
rm -f "$O/d.fifo"
