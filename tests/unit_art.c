/* tests/unit_art.c: what art drawn once (src/art.c) rests on: content_varies, which tells a value
 * that reads the record or the item from one that is the same on every item, and the capture of
 * structure calls (tags_capture_begin/end), which tells drawing that can be tagged as a whole
 * (one element, or artifacts) from drawing that cannot. The expected answers are the rules of
 * docs/printing.md ("Art drawn once") and of ISO 32000-1 14.7 as docs/accessibility.md reads it. */
#include "unit.h"
#include "content.h"
#include "data.h"
#include "diag.h"
#include "tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void art_varies(void)
{
    char dir[] = "/tmp/handout-unit-art-XXXXXX";
    if (!mkdtemp(dir)) {
        check(0, "content_varies: a temporary folder", "mkdtemp failed");
        return;
    }
    char csv[512];
    snprintf(csv, sizeof csv, "%s/d.csv", dir);
    FILE *f = fopen(csv, "w");
    if (f) {
        fputs("code,name\nc1,Ada\nc2,Bo\n", f);
        fclose(f);
    }
    diag *d = diag_new(NULL);
    data_table *t = data_load(csv, d);
    content *c = content_new(dir);
    if (!t || !c || !d) {
        check(0, "content_varies: fixtures", "no data or content");
        goto out;
    }
    content_set(c, "hotline", "1-888-373-7888");
    content_set(c, "label", "Call {hotline}");
    content_set(c, "greeting", "Hello {name}");
    content_set(c, "outer", "<{greeting}>");
    content_set(c, "numbered", "No. {serial}");
    content_use_record(c, t, 0, 1);
    static const struct {
        const char *in;
        int want;
        const char *name;
    } cases[] = {
        { "Hotline {hotline}", 0, "a content field" },
        { "{label}", 0, "a field whose value holds a field" },
        { "{name}", 1, "a column of the record" },
        { "{NAME}", 1, "a column, written in capitals" },
        { "No. {serial:05}", 1, "{serial}, padded" },
        { "{record_serial}", 1, "{record_serial}" },
        { "{greeting}", 1, "a field whose value holds a column" },
        { "{outer}", 1, "a column two fields down" },
        { "{numbered}", 1, "a field whose value holds {serial}" },
        { "{{name}}", 0, "braces doubled: literal text" },
        { "{hotline@es}", 0, "another language's field (no record is read there)" },
        { "plain text", 0, "no placeholder" },
        { "{bad", 1, "a placeholder left open (expansion refuses it)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[160];
        snprintf(name, sizeof name, "content_varies: %s (\"%s\")", cases[i].name, cases[i].in);
        CHECK_INT(name, content_varies(c, cases[i].in), cases[i].want);
    }
    CHECK_INT("content_varies: NULL (a key not given)", content_varies(c, NULL), 0);
    content_use_record(c, NULL, 0, 0);
    CHECK_INT("content_varies: {name} with no record in use is a field name like any other", content_varies(c, "{name}"), 0);
out:
    content_free(c);
    data_free(t);
    diag_free(d);
    unlink(csv);
    rmdir(dir);
}

static void art_capture(void)
{
    tags *t = tags_new();
    if (!t) {
        check(0, "tags capture: a tree", "out of memory");
        return;
    }
    int depth = tags_depth(t);
    tags_shape s;

    tags_capture_begin(t);
    tags_open(t, "P", NULL, "es");
    tags_begin(t, NULL);
    tags_end(t, NULL);
    tags_begin(t, NULL);
    tags_end(t, NULL);
    tags_close(t);
    tags_capture_end(t, &s);
    check(s.kind == TAGS_SHAPE_ONE && strcmp(s.role, "P") == 0 && s.lang && strcmp(s.lang, "es") == 0,
          "tags capture: a paragraph drawn in two pieces is one element (P, its /Lang kept)", s.role);
    tags_shape_free(&s);

    tags_capture_begin(t);
    tags_open(t, "Figure", "QR code: call 1-888-373-7888", NULL);
    tags_begin(t, NULL);
    tags_end(t, NULL);
    tags_close(t);
    tags_capture_end(t, &s);
    check(s.kind == TAGS_SHAPE_ONE && s.alt && strcmp(s.alt, "QR code: call 1-888-373-7888") == 0,
          "tags capture: a figure keeps its alternative text", s.alt);
    tags_shape_free(&s);

    tags_capture_begin(t);
    tags_artifact_begin(t, NULL);
    tags_end(t, NULL);
    tags_capture_end(t, &s);
    CHECK_INT("tags capture: a box is an artifact", s.kind, TAGS_SHAPE_ARTIFACT);

    tags_capture_begin(t);
    tags_open(t, "H2", NULL, NULL);
    tags_begin(t, NULL);
    tags_end(t, NULL);
    tags_close(t);
    tags_open(t, "P", NULL, NULL);
    tags_begin(t, NULL);
    tags_end(t, NULL);
    tags_close(t);
    tags_capture_end(t, &s);
    CHECK_INT("tags capture: a heading and a paragraph are not one element", s.kind, TAGS_SHAPE_OTHER);
    tags_shape_free(&s);

    tags_capture_begin(t);
    tags_open(t, "L", NULL, NULL);
    tags_open(t, "LI", NULL, NULL);
    tags_begin(t, NULL);
    tags_end(t, NULL);
    tags_close(t);
    tags_close(t);
    tags_capture_end(t, &s);
    CHECK_INT("tags capture: nested elements (a list) are not one element", s.kind, TAGS_SHAPE_OTHER);
    tags_shape_free(&s);

    tags_capture_begin(t);
    tags_artifact_begin(t, NULL);
    tags_end(t, NULL);
    tags_open(t, "P", NULL, NULL);
    tags_begin(t, NULL);
    tags_end(t, NULL);
    tags_close(t);
    tags_capture_end(t, &s);
    CHECK_INT("tags capture: an artifact and content together are neither", s.kind, TAGS_SHAPE_OTHER);
    tags_shape_free(&s);

    tags_capture_begin(t);
    tags_begin(t, NULL);
    tags_end(t, NULL);
    tags_capture_end(t, &s);
    CHECK_INT("tags capture: content outside any element of its own (it would be its parent's)", s.kind, TAGS_SHAPE_OTHER);

    tags_capture_begin(t);
    tags_capture_end(t, &s);
    CHECK_INT("tags capture: nothing drawn", s.kind, TAGS_SHAPE_NONE);

    tags_capture_begin(t);
    tags_open(t, "P", NULL, NULL);
    tags_begin(t, NULL);
    tags_end(t, NULL);
    tags_capture_end(t, &s); /* left open */
    CHECK_INT("tags capture: an element left open is not placed whole", s.kind, TAGS_SHAPE_OTHER);
    tags_shape_free(&s);
    CHECK_INT("tags capture: the tree's depth is as before the captures", tags_depth(t), depth);
    CHECK_INT("tags capture: nothing captured became an element (Document still innermost)", tags_current(t), 0);

    tags_capture_end(NULL, &s);
    CHECK_INT("tags capture: no tree (untagged)", s.kind, TAGS_SHAPE_UNTAGGED);
    tags_free(t);
}

void test_art(void)
{
    art_varies();
    art_capture();
}
