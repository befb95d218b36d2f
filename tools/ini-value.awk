# tools/ini-value.awk -- one value of an INI file (a layout, a content set, a job), for the test
# suites and tools/run-pairs.sh, read as handout reads it: comment lines skipped, section and key
# names in any case, spaces around the value trimmed.
#   awk -v want_sec=SECTION -v want_key=KEY [-v unquote=1] [-v empty=TEXT] -f tools/ini-value.awk FILE
# unquote=1 takes the double quotes off a quoted value; empty is printed for a key present with
# no value (so that an empty key is told from a missing one). Prints nothing when the key is absent.
/^[[:space:]]*[;#]/ { next }
/^[[:space:]]*\[/ { sec = tolower($0); gsub(/[[:space:]\[\]]/, "", sec); next }
sec == want_sec && index($0, "=") {
    key = substr($0, 1, index($0, "=") - 1); val = substr($0, index($0, "=") + 1)
    gsub(/^[[:space:]]+|[[:space:]]+$/, "", key); gsub(/^[[:space:]]+|[[:space:]]+$/, "", val)
    if (unquote && val ~ /^".*"$/) val = substr(val, 2, length(val) - 2)
    if (tolower(key) == want_key) { print (val == "" ? empty : val); exit }
}
