# tests/tools/zbar-xml.awk -- the payloads in `zbarimg --xml` output, exactly as decoded (the XML
# keeps a payload's newlines and other bytes inside <![CDATA[...]]>, where the plain output would
# run two codes' lines together), each with the image it was read from:
#   zbarimg --xml ... IMAGES | awk [-v files=1] -f tests/tools/zbar-xml.awk
# By default prints "IMAGE<TAB>PAYLOAD" per code read, a newline in a payload as the two characters
# \n; with files=1 appends each payload, raw and ended by a newline, to the image's name with
# .pgm changed to .got.
/<source href=/ { src = $0; sub(/.*<source href=./, "", src); sub(/.>.*/, "", src) }
{
    line = $0
    while (line != "") {
        if (!indata) {
            i = index(line, "<![CDATA["); if (!i) break
            line = substr(line, i + 9); indata = 1; data = ""
        }
        j = index(line, "]]>")
        if (!j) { data = data line (files ? "\n" : "\\n"); break }
        data = data substr(line, 1, j - 1)
        if (files) { out = src; sub(/\.pgm$/, ".got", out); print data >> out; close(out) }
        else print src "\t" data
        line = substr(line, j + 3); indata = 0
    }
}
