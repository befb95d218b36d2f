/* Unit tests for the explicit limits, each at its edge: the limit itself passes and one more is
 * refused with the exact message. Items per job file (JOB_MAX_ITEMS), a content set's text file
 * (CONTENT_MAX_FILE), one element's text once its placeholders are filled (CONTENT_MAX_TEXT) and
 * Markdown nesting (MARKDOWN_MAX_DEPTH). Fixtures are written to a temporary folder. */
#include "unit.h"
#include "content.h"
#include "diag.h"
#include "job.h"
#include "markdown.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char limits_dir[] = "/tmp/handout-limits-XXXXXX";

static const char *limits_write(const char *name, const char *text, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", limits_dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
    return path;
}

static int has(const char *s, const char *needle)
{
    return s && strstr(s, needle) != NULL;
}

/* A job file with n items, each a section of its own (they need not be buildable). */
static void limits_jobs(void)
{
    for (int n = JOB_MAX_ITEMS; n <= JOB_MAX_ITEMS + 1; n++) {
        size_t cap = 256 + (size_t)n * 64, len = 0;
        char *text = malloc(cap);
        if (!text)
            return;
        len += (size_t)snprintf(text + len, cap - len, "[job]\nname = Limits\nkind = event\ndate = 2025-03-14\nplace = Hall\n");
        for (int i = 1; i <= n; i++)
            len += (size_t)snprintf(text + len, cap - len, "[item-%d]\nlayout = x\nlanguage = en\nquantity = 1\n", i);
        char path[300];
        snprintf(path, sizeof path, "%s", limits_write("many.ini", text, len));
        free(text);
        diag *d = diag_new(NULL);
        job *j = job_load(path, d);
        char name[96], want[600];
        if (n == JOB_MAX_ITEMS) {
            snprintf(name, sizeof name, "job_load: %d items are read (items with errors of their own)", n);
            check(j && j->nitems == n, name, diag_last(d));
        } else {
            /* the section that passes the limit: line 6 + 4 lines per item before it */
            snprintf(want, sizeof want,
                     "handout: error: %s:%d: [item-%d] expected at most %d items in one job file (split it into "
                     "several jobs), found %d",
                     path, 6 + 4 * JOB_MAX_ITEMS, JOB_MAX_ITEMS + 1, JOB_MAX_ITEMS, n);
            snprintf(name, sizeof name, "job_load: %d items make the job invalid, naming the limit and the count", n);
            check(!j && strcmp(diag_last(d), want) == 0, name, diag_last(d));
        }
        job_free(j);
        diag_free(d);
    }
}

/* A quantity over JOB_MAX_QUANTITY: the item is broken and keeps no out-of-range number (fuzz_job
 * found 3352472 kept in a broken item). */
static void limits_quantity(void)
{
    static const char text[] = "[job]\nname = Q\nkind = event\ndate = 2025-03-14\nplace = Hall\n"
                               "[report-a]\nlayout = flyer-a2\nlanguage = es\nquantity = 3352472\n"
                               "[b]\nlayout = x\nlanguage = en\nquantity = 1000000\n";
    char path[300];
    snprintf(path, sizeof path, "%s", limits_write("quantity.ini", text, sizeof text - 1));
    char *msgs = NULL;
    size_t msglen = 0;
    FILE *sink = open_memstream(&msgs, &msglen);
    diag *d = diag_new(sink);
    job *j = job_load(path, d);
    fflush(sink);
    check(j && j->nitems == 2 && j->items[0].error &&
              has(msgs, ":9: [report-a] quantity: expected a whole number from 1 to 1000000, found \"3352472\"") &&
              j->items[0].quantity == 0 && j->items[1].quantity == 1000000,
          "job_load: a quantity over 1,000,000 breaks the item and is not kept; 1,000,000 is", msgs);
    job_free(j);
    diag_free(d);
    fclose(sink);
    free(msgs);
}

/* A text file of the content set at the limit and one byte over it. */
static void limits_files(void)
{
    char *text = malloc((size_t)CONTENT_MAX_FILE + 1);
    if (!text)
        return;
    memset(text, 'a', (size_t)CONTENT_MAX_FILE + 1);
    for (size_t i = 79; i < (size_t)CONTENT_MAX_FILE + 1; i += 80)
        text[i] = '\n';
    limits_write("at.md", text, CONTENT_MAX_FILE);
    char over[300];
    snprintf(over, sizeof over, "%s", limits_write("over.md", text, (size_t)CONTENT_MAX_FILE + 1));
    free(text);
    content *c = content_new(limits_dir);
    diag *d = diag_new(NULL);
    diag_loc loc = { "l.ini", 7, "body", "file" };
    char *got = content_read_file(c, "at.md", NULL, d, loc);
    check(got && strlen(got) == (size_t)CONTENT_MAX_FILE, "content_read_file: a file of CONTENT_MAX_FILE bytes is read",
          diag_last(d));
    free(got);
    got = content_read_file(c, "over.md", NULL, d, loc);
    char want[600];
    snprintf(want, sizeof want,
             "handout: error: l.ini:7: [body] file: expected a text file of at most 1 MiB (1048576 bytes), found %s of "
             "1048577 bytes",
             over);
    check(!got && strcmp(diag_last(d), want) == 0, "content_read_file: one byte more is refused with the limit and the size",
          diag_last(d));
    free(got);
    diag_free(d);
    content_free(c);
}

/* One element's text once placeholders are filled: as written, and multiplied by placeholders. */
static void limits_text(void)
{
    content *c = content_new(limits_dir);
    diag *d = diag_new(NULL);
    diag_loc loc = { "l.ini", 12, "heading", "text" };
    char *text = malloc((size_t)CONTENT_MAX_TEXT + 2);
    if (!c || !d || !text)
        goto out;
    memset(text, 'x', (size_t)CONTENT_MAX_TEXT + 1);
    text[CONTENT_MAX_TEXT] = '\0';
    char *got = content_expand(c, text, d, loc);
    check(got && strlen(got) == (size_t)CONTENT_MAX_TEXT, "content_expand: CONTENT_MAX_TEXT bytes pass", diag_last(d));
    free(got);
    text[CONTENT_MAX_TEXT] = 'x';
    text[CONTENT_MAX_TEXT + 1] = '\0';
    got = content_expand(c, text, d, loc);
    check(!got && strcmp(diag_last(d), "handout: error: l.ini:12: [heading] text: expected at most 64 KiB (65536 bytes) of "
                                       "text, found 65537 bytes; shorten it") == 0,
          "content_expand: one byte more is refused, with the size", diag_last(d));
    free(got);
    /* ten of the next in each field: {a} is 10^5 copies of "Help " */
    content_set(c, "a", "{b}{b}{b}{b}{b}{b}{b}{b}{b}{b}");
    content_set(c, "b", "{c}{c}{c}{c}{c}{c}{c}{c}{c}{c}");
    content_set(c, "c", "{d}{d}{d}{d}{d}{d}{d}{d}{d}{d}");
    content_set(c, "d", "{e}{e}{e}{e}{e}{e}{e}{e}{e}{e}");
    content_set(c, "e", "Help Help Help Help Help Help Help Help Help Help ");
    got = content_expand(c, "Call now. {a}", d, loc);
    check(!got && has(diag_last(d), "[heading] text: expected at most 64 KiB (65536 bytes) of text once placeholders "
                                    "are filled, found more from {a}"),
          "content_expand: placeholders that multiply stop at the limit, naming the placeholder", diag_last(d));
    free(got);
    /* {c} is 5,000 bytes: thirteen of them (65,000) pass, fourteen do not */
    char many[256] = "";
    for (int i = 0; i < 13; i++)
        strcat(many, "{c}");
    got = content_expand(c, many, d, loc);
    check(got && strlen(got) == 65000, "content_expand: 65,000 bytes from placeholders pass", NULL);
    free(got);
    strcat(many, "{c}");
    got = content_expand(c, many, d, loc);
    check(!got && has(diag_last(d), "found more from {c}"), "content_expand: 70,000 bytes from placeholders do not",
          diag_last(d));
    free(got);
out:
    free(text);
    diag_free(d);
    content_free(c);
}

/* Lists and emphasis nested MARKDOWN_MAX_DEPTH deep, then one level more. */
static void limits_markdown(void)
{
    for (int kind = 0; kind < 2; kind++) {
        for (int n = MARKDOWN_MAX_DEPTH; n <= MARKDOWN_MAX_DEPTH + 1; n++) {
            char md[4096] = "Intro.\n\n";
            if (kind == 0) {
                for (int i = 0; i < n; i++) {
                    size_t l = strlen(md);
                    snprintf(md + l, sizeof md - l, "%*s- level %d\n", 2 * i, "", i + 1);
                }
            } else {
                for (int i = 0; i < n; i++)
                    strcat(md, "*a ");
                strcat(md, "x");
                for (int i = 0; i < n; i++)
                    strcat(md, " a*");
                strcat(md, "\n");
            }
            diag *d = diag_new(NULL);
            md_doc doc;
            bool ok = markdown_parse(md, strlen(md), "t.md", &doc, d);
            if (ok)
                markdown_free(&doc);
            char name[96], want[200];
            const char *what = kind == 0 ? "lists" : "emphasis";
            if (n == MARKDOWN_MAX_DEPTH) {
                snprintf(name, sizeof name, "markdown: %s nested %d deep pass", what, n);
                check(ok, name, diag_last(d));
            } else {
                /* the list's line: the item that opens level 33; emphasis is on line 3 */
                snprintf(want, sizeof want,
                         "handout: error: t.md:%d: expected lists, block quotes, emphasis and links nested at most %d "
                         "deep, found %d levels",
                         kind == 0 ? 2 + n : 3, MARKDOWN_MAX_DEPTH, n);
                snprintf(name, sizeof name, "markdown: %s nested %d deep are refused with the line and the depth", what, n);
                check(!ok && strcmp(diag_last(d), want) == 0, name, diag_last(d));
            }
            diag_free(d);
        }
    }
}

void test_limits(void)
{
    if (!mkdtemp(limits_dir)) {
        check(0, "limits: cannot make a temporary folder", limits_dir);
        return;
    }
    limits_jobs();
    limits_quantity();
    limits_files();
    limits_text();
    limits_markdown();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", limits_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", limits_dir);
}
