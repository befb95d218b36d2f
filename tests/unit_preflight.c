/* Unit tests: preflight rules (src/preflight.c), table-driven. Each row is a small layout (a 4 x 4
 * in page with 0.25 in margins, and the row's elements), loaded as a build loads it, one rule
 * applied, and the finding expected: its level, section, key and some words of its text, or none.
 * Every row names where its expected value comes from:
 *   [docs]     docs/formats.md and docs/preflight.md: elements inside the page and the margins,
 *              text, codes and images at least 1/8 in (9 pt) inside the trim, a filled box at the
 *              trim reaching into the bleed, nothing over a QR code or its quiet zone but a box
 *              beneath holding the whole code, a box's outline drawn inside the box (so at most
 *              half its smaller side), modules of at least 0.5 mm, a symbol at least a tenth of
 *              [page] scan_distance (the symbol without its quiet zone)
 *   [WCAG2]    WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05) from the relative luminance of
 *              sRGB; worked out by hand for each grey in the row's comment
 *   [ISO18004] ISO/IEC 18004: a version 1 symbol is 21 modules across, with a quiet zone of 4 */
#include "content.h"
#include "diag.h"
#include "layout.h"
#include "preflight.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum rule { GEOMETRY, COLOURS, SIZE };

static const char PAGE[] = "[page]\nsize = 4in x 4in\n";

/* Loads PAGE, the page's margin and other keys (NULL: margin = 0.25in) and the elements as a layout; NULL (with the reason) when it does
 * not load: a row's layout must be valid for the rule to be looked at. */
static layout *row_layout(const char *page_extra, const char *elements, content *c, diag *d, char *path,
                          size_t pathlen)
{
    snprintf(path, pathlen, "/tmp/handout-preflight-XXXXXX");
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    fprintf(f, "%s%s\n%s", PAGE, page_extra ? page_extra : "margin = 0.25in\n", elements);
    fclose(f);
    return layout_load(path, c, d);
}

static const element *find(const layout *l, const char *name)
{
    for (int i = 0; i < l->nelements; i++)
        if (strcmp(l->elements[i].name, name) == 0)
            return &l->elements[i];
    return NULL;
}

/* A QR element named "code" at x, y of the given size, and its extra keys. */
#define QR_AT(x, y, size, extra) \
    "[code]\ntype = qr\nx = " x "\ny = " y "\nsize = " size "\nurl = https://example.org/help\n" extra
#define TEXT_AT(name, x, y, w, h) \
    "[" name "]\ntype = text\nx = " x "\ny = " y "\nwidth = " w "\nheight = " h "\ntext = Hello\nsize = 10pt\n"

static const struct {
    int row;
    enum rule rule;
    const char *page, *elements;
    const char *level, *section, *key, *words; /* level NULL: no finding */
    const char *source;
    int findings; /* with a level: how many findings in all (0: just the one) */
} ROWS[] = {
    /* geometry */
    { 1, GEOMETRY, NULL, TEXT_AT("t", "0.5in", "0.5in", "2in", "1in"), NULL, NULL, NULL, NULL,
      "docs: inside the page and the margins", 0 },
    { 2, GEOMETRY, NULL, TEXT_AT("t", "3in", "0.5in", "2in", "1in"), "error", "t", "x", "inside the page",
      "docs: 3 + 2 in reaches past the 4 in page (and so into the 1/8 in at the trim: a warning too)", 2 },
    { 3, GEOMETRY, NULL, TEXT_AT("t", "0.2in", "0.5in", "2in", "1in"), "error", "t", "x", "inside the margins",
      "docs: 0.2 in (14.4 pt) is left of the 0.25 in margin, not within 1/8 in of the trim", 0 },
    { 4, GEOMETRY, NULL, TEXT_AT("t", "0.5in", "3in", "2in", "0.8in"), "error", "t", "y", "inside the margins",
      "docs: 3.8 in is below 4 - 0.25 in", 0 },
    { 5, GEOMETRY, NULL, TEXT_AT("a", "0.5in", "0.5in", "2in", "1in") TEXT_AT("b", "1in", "1in", "2in", "1in"),
      "error", "b", "y", "do not overlap", "docs: two content elements overlapping, reported at the later one", 0 },
    { 6, GEOMETRY, NULL, TEXT_AT("a", "0.5in", "0.5in", "2in", "1in") TEXT_AT("b", "0.5in", "1.5in", "2in", "1in"),
      NULL, NULL, NULL, NULL, "docs: elements that touch do not overlap", 0 },
    { 7, GEOMETRY, "margin = 0.1in\n", TEXT_AT("t", "8pt", "0.5in", "2in", "1in"), "warning", "t", "x", "1/8 in",
      "docs: 8 pt from the trim, inside the 9 pt safe margin", 0 },
    { 8, GEOMETRY, "margin = 0.1in\n", TEXT_AT("t", "9pt", "0.5in", "2in", "1in"), NULL, NULL, NULL, NULL,
      "docs: exactly 1/8 in (9 pt) from the trim is enough", 0 },
    { 9, GEOMETRY, NULL, "[band]\ntype = box\nx = 0\ny = 0\nwidth = 4in\nheight = 0.5in\nfill = \"#1f3a5f\"\n",
      "warning", "band", "x", "reach into the bleed", "docs: a filled box at the trim without bleed = yes", 0 },
    { 10, GEOMETRY, NULL,
      "[band]\ntype = box\nx = 0\ny = 0\nwidth = 4in\nheight = 0.5in\nfill = \"#1f3a5f\"\nbleed = yes\n", NULL, NULL,
      NULL, NULL, "docs: with bleed = yes", 0 },
    /* the QR code and its quiet zone */
    { 11, GEOMETRY, NULL, QR_AT("1in", "1in", "1.5in", "") TEXT_AT("t", "2in", "2in", "1.5in", "1in"), "error",
      "code", "x", "clear of everything, found [t]", "docs: text over the code's quiet zone", 0 },
    { 12, GEOMETRY, NULL,
      "[panel]\ntype = box\nx = 0.75in\ny = 0.75in\nwidth = 2in\nheight = 2in\nfill = \"#ffffff\"\n"
      QR_AT("1in", "1in", "1.5in", ""),
      NULL, NULL, NULL, NULL, "docs: a box beneath holding the whole code is a panel", 0 },
    { 13, GEOMETRY, NULL,
      QR_AT("1in", "1in", "1.5in", "")
      "[panel]\ntype = box\nx = 0.75in\ny = 0.75in\nwidth = 2in\nheight = 2in\nfill = \"#ffffff\"\n",
      "error", "code", "x", "found [panel] over it", "docs: the same box drawn after the code covers it", 0 },
    { 14, GEOMETRY, NULL,
      "[panel]\ntype = box\nx = 0.75in\ny = 0.75in\nwidth = 1in\nheight = 2in\nfill = \"#ffffff\"\n"
      QR_AT("1in", "1in", "1.5in", ""),
      "error", "code", "x", "found [panel] over it", "docs: a box beneath holding part of the code is no panel", 0 },
    { 15, GEOMETRY, NULL,
      QR_AT("1in", "1in", "1.5in", "") "[line]\ntype = rule\nx = 0.5in\ny = 71pt\nwidth = 3in\nthickness = 4pt\n",
      "error", "code", "x", "found [line] over it",
      "docs: a rule's thickness counts: 71 pt + 2 pt reaches into the code at 72 pt", 0 },
    { 16, GEOMETRY, NULL,
      QR_AT("1in", "1in", "1.5in", "") "[line]\ntype = rule\nx = 0.5in\ny = 70pt\nwidth = 3in\nthickness = 4pt\n",
      NULL, NULL, NULL, NULL, "docs: 70 pt + 2 pt ends where the code begins", 0 },
    /* a box's outline: drawn inside the box, so at most half its smaller side */
    { 17, GEOMETRY, NULL,
      "[frame]\ntype = box\nx = 1in\ny = 1in\nwidth = 20pt\nheight = 10pt\nstroke = \"#000000\"\nstroke_width = 6pt\n",
      "error", "frame", "stroke_width", "at most half the box's smaller side (5 pt)",
      "docs: 6 pt is over half of 10 pt", 0 },
    { 18, GEOMETRY, NULL,
      "[frame]\ntype = box\nx = 1in\ny = 1in\nwidth = 20pt\nheight = 10pt\nstroke = \"#000000\"\nstroke_width = 5pt\n",
      NULL, NULL, NULL, NULL, "docs: exactly half", 0 },
    { 19, GEOMETRY, NULL,
      QR_AT("1in", "1in", "1.5in", "")
      "[frame]\ntype = box\nx = 2.5in\ny = 1in\nwidth = 1in\nheight = 1.5in\nstroke = \"#000000\"\nstroke_width = 0.5in\n",
      NULL, NULL, NULL, NULL,
      "docs: a box beside the code, its outline (half its 1 in side) painted inside it, not over the quiet zone", 0 },
    /* QR colours: dark on light, contrast of at least 3:1 */
    { 20, COLOURS, NULL, QR_AT("1in", "1in", "1.5in", ""), NULL, NULL, NULL, NULL, "WCAG2: black on white, 21:1", 0 },
    { 21, COLOURS, NULL, QR_AT("1in", "1in", "1.5in", "color = \"#777777\"\n"), NULL, NULL, NULL, NULL,
      "WCAG2: #777777, L = ((0.4667 + 0.055) / 1.055)^2.4 = 0.1845, 1.05 / 0.2345 = 4.48:1", 0 },
    { 22, COLOURS, NULL, QR_AT("1in", "1in", "1.5in", "color = \"#949494\"\n"), NULL, NULL, NULL, NULL,
      "WCAG2: #949494, L = 0.2961, 1.05 / 0.3461 = 3.03:1", 0 },
    { 23, COLOURS, NULL, QR_AT("1in", "1in", "1.5in", "color = \"#959595\"\n"), "error", "code", "color",
      "found 3.00:1", "WCAG2: #959595, L = 0.3005, 1.05 / 0.3505 = 2.995:1, under 3", 0 },
    { 24, COLOURS, NULL, QR_AT("1in", "1in", "1.5in", "color = \"#999999\"\n"), "error", "code", "color",
      "found 2.85:1", "WCAG2: #999999, L = 0.3185, 1.05 / 0.3685 = 2.85:1", 0 },
    { 25, COLOURS, NULL, QR_AT("1in", "1in", "1.5in", "color = \"#ffffff\"\nbackground = \"#000000\"\n"), "error",
      "code", "color", "lighter than the background", "docs: light modules on a dark background", 0 },
    { 26, COLOURS, NULL, QR_AT("1in", "1in", "1.5in", "color = cmyk(0,0,0,100)\n"), NULL, NULL, NULL, NULL,
      "WCAG2: CMYK black (K 100) is black", 0 },
    { 27, COLOURS, NULL, QR_AT("1in", "1in", "1.5in", "color = \"#1f3a5f\"\n"), NULL, NULL, NULL, NULL,
      "WCAG2: the layouts' navy #1f3a5f, 11.5:1", 0 },
    /* QR size: version 1, 21 modules, quiet zone 4: 29 modules across the element's size */
    { 28, SIZE, NULL, QR_AT("1in", "1in", "14.5mm", ""), NULL, NULL, NULL, NULL,
      "docs, ISO18004: 14.5 mm / 29 = 0.5 mm modules", 0 },
    { 29, SIZE, NULL, QR_AT("1in", "1in", "14.4mm", ""), "error", "code", "size", "make the code at least 41.1 pt",
      "docs, ISO18004: 14.4 mm / 29 = 0.497 mm; 29 x 0.5 mm = 41.1 pt", 0 },
    { 30, SIZE, "scan_distance = 0.4m\n", QR_AT("0.5in", "0.5in", "55.3mm", ""), NULL, NULL, NULL, NULL,
      "docs, ISO18004: the symbol 55.3 x 21 / 29 = 40.04 mm, a tenth of 0.4 m", 0 },
    { 31, SIZE, "scan_distance = 0.4m\n", QR_AT("0.5in", "0.5in", "55mm", ""), "error", "code", "size",
      "at least 40.0 mm", "docs, ISO18004: the symbol 55 x 21 / 29 = 39.8 mm, the quiet zone not counted", 0 },
};

/* The findings of d's records file f: how many, and the first one's fields (into line). */
static int first_record(FILE *f, char *line, size_t len, diag_record *r)
{
    int n = 0;
    char buf[2048];
    rewind(f);
    while (fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\n")] = '\0';
        if (n++ == 0) {
            snprintf(line, len, "%s", buf);
            if (!diag_record_parse(line, r))
                memset(r, 0, sizeof *r);
        }
    }
    return n;
}

void test_preflight(void)
{
    content *c = content_new(".");
    for (size_t i = 0; c && i < sizeof ROWS / sizeof ROWS[0]; i++) {
        char path[64] = "", name[400], line[2048], detail[2000];
        FILE *rec = tmpfile();
        diag *d = rec ? diag_new(NULL) : NULL;
        layout *l = d ? row_layout(ROWS[i].page, ROWS[i].elements, c, d, path, sizeof path) : NULL;
        snprintf(name, sizeof name, "preflight row %d [%s]: %s", ROWS[i].row, ROWS[i].source,
                 ROWS[i].level ? ROWS[i].level : "no finding");
        if (!l) {
            check(0, name, d ? diag_last(d) : "out of memory");
        } else {
            diag_set_records(d, rec);
            const element *e = find(l, "code");
            if (ROWS[i].rule == GEOMETRY)
                preflight_geometry(l, d);
            else if (ROWS[i].rule == COLOURS && e)
                preflight_qr_colours(l, e, d);
            else if (e)
                preflight_qr_size(l, e, 1, 21, d);
            fflush(rec);
            diag_record r = { 0 };
            int n = first_record(rec, line, sizeof line, &r);
            bool ok;
            if (!ROWS[i].level)
                ok = n == 0;
            else
                ok = n == (ROWS[i].findings ? ROWS[i].findings : 1) && r.level && strcmp(r.level, ROWS[i].level) == 0 && r.section &&
                     strcmp(r.section, ROWS[i].section) == 0 && r.key && strcmp(r.key, ROWS[i].key) == 0 &&
                     r.text && strstr(r.text, ROWS[i].words);
            char found[1400], want[400];
            if (n == 0)
                snprintf(found, sizeof found, "no finding");
            else
                snprintf(found, sizeof found, "%d finding%s, the first %s [%s] %s: %s", n, n == 1 ? "" : "s",
                         r.level ? r.level : "?", r.section ? r.section : "", r.key ? r.key : "",
                         r.text ? r.text : "");
            if (ROWS[i].level)
                snprintf(want, sizeof want, "%d finding%s, the first %s [%s] %s with \"%s\"",
                         ROWS[i].findings ? ROWS[i].findings : 1, ROWS[i].findings > 1 ? "s" : "", ROWS[i].level,
                         ROWS[i].section, ROWS[i].key, ROWS[i].words);
            else
                snprintf(want, sizeof want, "no finding");
            snprintf(detail, sizeof detail, "found %s; expected %s", found, want);
            check(ok, name, detail);
            diag_set_records(d, NULL);
        }
        layout_free(l);
        diag_free(d);
        if (rec)
            fclose(rec);
        if (path[0] && !strstr(path, "XXXXXX"))
            unlink(path);
    }
    content_free(c);
}
