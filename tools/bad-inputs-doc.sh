#!/bin/sh
# tools/bad-inputs-doc.sh: writes docs/bad-inputs.md, the table of bad inputs that the tests try,
# from tests/bad/cases.txt (the table the test runner reads: every row is a test). tests/run.sh
# checks that the page is up to date; run this after adding a case.
set -eu
cd "$(dirname "$0")/.."
{
    echo "# Bad inputs and the answers they get"
    echo
    echo "Every row is a test: \`tests/run.sh\` runs the command, checks the exit status, checks that"
    echo "the message (on standard error) holds the text shown, on a line naming the file shown, that"
    echo "the error's record (\`--diagnostics\`) has the id shown ([errors.md](errors.md#diagnostic-ids);"
    echo "none for a command that writes no records), that standard error holds no raw control"
    echo "character, and that no output file and no temporary file was left. The table is generated from"
    echo "\`tests/bad/cases.txt\` by \`tools/bad-inputs-doc.sh\`; the fixtures are in \`tests/bad/\`."
    echo "Exit statuses: 0 success, 1 invalid input, 2 usage error, 3 output not written."
    echo "\`@OUT@\` is a fresh output path in an empty folder; \`@GEN@\` is the folder where"
    echo "\`tests/bad/generate.sh\` writes the fixtures too large to keep in the repository."
    echo
    echo "| Case | Command (after \`handout\`) | Status | Id | File named | The message holds |"
    echo "|------|---------|--------|----|------------|-------------------|"
    grep -v '^#' tests/bad/cases.txt | grep '|' | awk -F ' *[|] *' '{
        gsub(/^ +| +$/, "", $1); gsub(/\|/, "\\|", $5)
        msg = $5; gsub(/ && /, "</code> and <code>", msg)
        id = $3; gsub(/ && /, "`, `", id)
        printf "| %s | `%s` | %s | %s | %s | <code>%s</code> |\n", $1, $6, $2, (id == "-" ? "" : "`" id "`"),
            ($4 == "-" ? "" : "`" $4 "`"), msg
    }'
} > docs/bad-inputs.md.tmp
mv docs/bad-inputs.md.tmp docs/bad-inputs.md
