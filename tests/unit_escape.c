/* Unit tests: one-line values (src/escape.c) and the batch's stamp (src/manifest.c) keeping a QR
 * payload that holds a newline, a tab or a backslash (a CSV value used as a payload). */
#include "escape.h"
#include "inputs.h"
#include "manifest.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void test_escape(void)
{
    /* every byte but NUL, escaped and back */
    char all[256];
    for (int i = 1; i < 256; i++)
        all[i - 1] = (char)i;
    all[255] = '\0';
    char *esc = escape_dup(all);
    bool one_line = esc && !strchr(esc, '\n') && !strchr(esc, '\r') && !strchr(esc, '\t');
    check(one_line, "escape: every byte 1-255 escaped holds no newline, carriage return or tab", esc);
    if (esc)
        escape_undo(esc);
    check(esc && strcmp(esc, all) == 0, "escape: every byte 1-255 comes back as it was", NULL);
    free(esc);
    static const struct {
        const char *in, *out;
    } rows[] = {
        { "LINE1\nLINE2", "LINE1\\nLINE2" },
        { "a\tb\r", "a\\tb\\r" },
        { "C:\\x41", "C:\\\\x41" },
        { "\x01\x7F", "\\x01\\x7F" },
        { "https://example.org/donate?src=p001", "https://example.org/donate?src=p001" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *e = escape_dup(rows[i].in);
        char name[160];
        snprintf(name, sizeof name, "escape: row %zu is written as %s", i + 1, rows[i].out);
        check(e && strcmp(e, rows[i].out) == 0, name, e);
        free(e);
    }
    /* a stamp keeps a payload with a newline, a tab and a backslash whole */
    manifest_entry e;
    memset(&e, 0, sizeof e);
    e.name = strdup("cards");
    e.section = strdup("cards");
    e.layout = strdup("layouts/x.ini");
    e.language = strdup("en");
    memset(e.key, 'a', SHA256_HEX - 1);
    memset(e.sha, 'b', SHA256_HEX - 1);
    memset(e.tool_sha, 'd', SHA256_HEX - 1);
    snprintf(e.version, sizeof e.version, "0.1.0");
    const char *payload = "LINE1\nLINE2\tTAB \\x";
    manifest_add_qr(&e, "code", payload);
    manifest_add_input(&e, "data/a\tb.csv", "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc");
    /* the inputs earlier tests noted are not this test's: a deleted one's inode, reused by
     * mkstemp, would make the stamp's path look like an input (atomic.c refuses to write it) */
    inputs_clear();
    char path[] = "/tmp/handout-unit-stamp-XXXXXX", why[256];
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    bool wrote = fd >= 0 && manifest_stamp_write(&e, path, why, sizeof why);
    manifest_entry back;
    bool read = wrote && manifest_stamp_read(&back, path);
    check(read && back.nqrs == 1 && strcmp(back.qrs[0].payload, payload) == 0,
          "stamp: a QR payload with a newline, a tab and a backslash is read back whole",
          read && back.nqrs ? back.qrs[0].payload : why);
    check(read && back.ninputs == 1 && strcmp(back.inputs[0].path, "data/a\tb.csv") == 0,
          "stamp: an input's path with a tab is read back whole", NULL);
    if (read)
        manifest_entry_free(&back);
    manifest_entry_free(&e);
    unlink(path);
}
