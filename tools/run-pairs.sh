#!/bin/sh
# tools/run-pairs.sh -- the builds `make run` makes (and tests/golden/ keeps a dump of), one
# "LAYOUT CONTENT_DIR NAME" a line, NAME the output's name without .pdf (output/NAME.pdf):
#   - a layout that holds its own languages (the notices) is built once, with the set of its first
#     language, and named after the languages it holds: LAYOUT-en-es-vi. Its languages are those of
#     [page] languages, else those it names in {field@LANG} placeholders and ../LANG/ files, in the
#     order they first appear;
#   - every other layout is built with every content set that is not a reference set (scope =
#     reference) and takes it: a set whose content.ini has a `layouts` key goes into the layouts it
#     lists there (names without .ini; empty: none yet), a set without one into every layout; named
#     LAYOUT-SET.
#   - a layout made for several sizes ([page] sizes) is built at each of them, as LAYOUT-SIZE (the
#     name it goes by in a set's layouts list, where LAYOUT alone means every size), the size
#     as a fourth word: "LAYOUT CONTENT_DIR NAME SIZE" (build it with --size SIZE).
# docs/formats.md ("Content sets") says the same. Run from the repository's root (the Makefile
# does); layouts/*.ini and content/*/content.ini are read, nothing is built.
set -eu
LC_ALL=C
export LC_ALL

# ini_get FILE SECTION KEY -> the value, quotes removed; nothing when absent ("-" when present but
#   empty, so that an empty `layouts` is told from none)
ini_get() {
    awk -v want_sec="$2" -v want_key="$3" -v unquote=1 -v empty="-" -f "$(dirname "$0")/ini-value.awk" "$1"
}

# own_languages LAYOUT -> the languages the layout holds, space-separated; nothing for a layout
#   that takes its words from the one set it is built with
own_languages() {
    langs=$(ini_get "$1" page languages)
    if [ -n "$langs" ] && [ "$langs" != - ]; then
        printf '%s\n' "$langs" | tr ',' ' ' | tr -s ' ' | sed 's/^ //; s/ $//'
        return
    fi
    awk '
        /^[[:space:]]*[;#]/ { next }
        index($0, "=") {
            val = substr($0, index($0, "=") + 1)
            while (match(val, /\{[a-z0-9_]+@[a-zA-Z0-9_-]+\}|\.\.\/[a-zA-Z0-9_-]+\//)) {
                m = substr(val, RSTART, RLENGTH); val = substr(val, RSTART + RLENGTH)
                if (m ~ /^\{/) { sub(/^[^@]*@/, "", m); sub(/\}$/, "", m) }
                else { sub(/^\.\.\//, "", m); sub(/\/$/, "", m) }
                if (!(m in seen)) { seen[m] = 1; out = out (out == "" ? "" : " ") m }
            }
        }
        END { if (out != "") print out }' "$1"
}

# sizes LAYOUT -> the names of the sizes it lists ([page] sizes: "NAME: W x H" or a size name),
#   one a line; nothing for a layout made for one size
sizes() {
    ini_get "$1" page sizes | tr ',' '\n' | sed 's/:.*//; s/^[[:space:]]*//; s/[[:space:]]*$//' | grep -v '^-\{0,1\}$' || true
}

for layout in layouts/*.ini; do
    [ -f "$layout" ] || continue
    base=$(basename "$layout" .ini)
    langs=$(own_languages "$layout")
    if [ -n "$langs" ]; then
        first=${langs%% *}
        echo "$layout content/$first $base-$(printf '%s' "$langs" | tr ' ' '-')"
        continue
    fi
    list_sizes=$(sizes "$layout")
    for size in ${list_sizes:-""}; do
        name=$base${size:+-$size}
        for ini in content/*/content.ini; do
            [ -f "$ini" ] || continue
            set_dir=${ini%/content.ini}
            [ "$(ini_get "$ini" content scope)" != reference ] || continue
            list=$(ini_get "$ini" content layouts)
            if [ -n "$list" ]; then
                case " $(printf '%s' "$list" | tr ',' ' ') " in
                    *" $name "* | *" $base "*) ;;
                    *) continue ;;
                esac
            fi
            echo "$layout $set_dir $name-$(basename "$set_dir")${size:+ $size}"
        done
    done
done
