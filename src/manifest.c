/* manifest: item records, their stamp files, and the job's manifest.csv and manifest.json.
 * A stamp is text, one field per line, fields separated by tabs (no value holds a tab or a line
 * end: those are written as spaces), so that equal builds give equal files on every machine. */
#include "manifest.h"
#include "atomic.h"
#include "escape.h"
#include "readfile.h"
#include "units.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STAMP_MAGIC "handout-stamp\t1"

void manifest_entry_free(manifest_entry *e)
{
    if (!e)
        return;
    free(e->name);
    free(e->section);
    free(e->layout);
    free(e->language);
    for (size_t i = 0; i < e->ninputs; i++)
        free(e->inputs[i].path);
    free(e->inputs);
    for (size_t i = 0; i < e->nqrs; i++) {
        free(e->qrs[i].element);
        free(e->qrs[i].payload);
    }
    free(e->qrs);
    for (size_t i = 0; i < e->nrecords; i++)
        free(e->records[i].label);
    free(e->records);
    free(e->qty_data);
    free(e->qty_column);
    memset(e, 0, sizeof *e);
}

bool manifest_add_record(manifest_entry *e, int line, const char *label, long quantity)
{
    if (e->nrecords == e->caprecords) {
        size_t cap = e->caprecords ? e->caprecords * 2 : 16;
        manifest_record *n = realloc(e->records, cap * sizeof *n);
        if (!n)
            return false;
        e->records = n;
        e->caprecords = cap;
    }
    char *l = strdup(label ? label : "");
    if (!l)
        return false;
    e->records[e->nrecords++] = (manifest_record){ line, l, quantity };
    return true;
}

void manifest_remove_input(manifest_entry *e, const char *path)
{
    for (size_t i = 0; i < e->ninputs; i++)
        if (strcmp(e->inputs[i].path, path) == 0) {
            free(e->inputs[i].path);
            memmove(&e->inputs[i], &e->inputs[i + 1], (e->ninputs - i - 1) * sizeof *e->inputs);
            e->ninputs--;
            return;
        }
}

bool manifest_add_input(manifest_entry *e, const char *path, const char *sha)
{
    for (size_t i = 0; i < e->ninputs; i++)
        if (strcmp(e->inputs[i].path, path) == 0)
            return true;
    if (e->ninputs == e->capinputs) {
        size_t cap = e->capinputs ? e->capinputs * 2 : 16;
        manifest_input *n = realloc(e->inputs, cap * sizeof *n);
        if (!n)
            return false;
        e->inputs = n;
        e->capinputs = cap;
    }
    manifest_input *in = &e->inputs[e->ninputs];
    in->path = strdup(path);
    if (!in->path)
        return false;
    snprintf(in->sha, sizeof in->sha, "%s", sha);
    e->ninputs++;
    return true;
}

static bool add_qr_n(manifest_entry *e, const char *element, const char *payload, long uses)
{
    for (size_t i = 0; i < e->nqrs; i++)
        if (strcmp(e->qrs[i].payload, payload) == 0 && strcmp(e->qrs[i].element, element) == 0) {
            e->qrs[i].uses += uses;
            return true;
        }
    if (e->nqrs == e->capqrs) {
        size_t cap = e->capqrs ? e->capqrs * 2 : 8;
        manifest_qr *n = realloc(e->qrs, cap * sizeof *n);
        if (!n)
            return false;
        e->qrs = n;
        e->capqrs = cap;
    }
    manifest_qr *q = &e->qrs[e->nqrs];
    q->element = strdup(element);
    q->payload = strdup(payload);
    q->uses = uses;
    if (!q->element || !q->payload) {
        free(q->element);
        free(q->payload);
        return false;
    }
    e->nqrs++;
    return true;
}

bool manifest_add_qr(manifest_entry *e, const char *element, const char *payload)
{
    return add_qr_n(e, element, payload, 1);
}

void manifest_paper_name(double w, double h, char *buf, size_t size)
{
    const char *names = units_page_names();
    while (*names) {
        size_t n = strcspn(names, ", ");
        char name[16];
        snprintf(name, sizeof name, "%.*s", (int)n, names);
        double nw, nh;
        if (n > 0 && units_page_size(name, &nw, &nh, NULL) &&
            ((fabs(nw - w) < 0.5 && fabs(nh - h) < 0.5) || (fabs(nw - h) < 0.5 && fabs(nh - w) < 0.5))) {
            snprintf(buf, size, "%s", name);
            return;
        }
        names += n;
        while (*names == ',' || *names == ' ')
            names++;
    }
    double wi = w / UNITS_PT_PER_IN, hi = h / UNITS_PT_PER_IN;
    if (fabs(wi * 8 - round(wi * 8)) < 0.01 && fabs(hi * 8 - round(hi * 8)) < 0.01)
        snprintf(buf, size, "%g x %g in", round(wi * 8) / 8, round(hi * 8) / 8);
    else
        snprintf(buf, size, "%g x %g mm", round(w / UNITS_PT_PER_MM), round(h / UNITS_PT_PER_MM));
}

/* ---- a growing text buffer ---- */

typedef struct mbuf {
    char *s;
    size_t n, cap;
    bool failed;
} mbuf;

__attribute__((format(printf, 2, 3))) static void mb_printf(mbuf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int w = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (w < 0) {
            b->failed = true;
            return;
        }
        if (b->s && b->n + (size_t)w < b->cap) {
            b->n += (size_t)w;
            return;
        }
        size_t cap = (b->cap ? b->cap * 2 : 4096) + (size_t)w;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->failed = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

/* A value on one line: tabs and line ends become spaces. */
static void mb_field(mbuf *b, const char *v)
{
    mb_printf(b, "\t");
    char *esc = v ? escape_dup(v) : NULL; /* tabs and newlines kept, escaped (a CSV value's payload) */
    if (esc)
        mb_printf(b, "%s", esc);
    free(esc);
}

bool manifest_write_if_changed(const char *path, const char *buf, size_t len, char *why, size_t whylen)
{
    size_t old_len = 0;
    char ignore[256];
    char *old = readfile(path, (size_t)1 << 30, &old_len, ignore, sizeof ignore);
    bool same = old && old_len == len && memcmp(old, buf, len) == 0;
    free(old);
    if (same)
        return true;
    atomic_file a;
    if (!atomic_open(&a, path, why, whylen))
        return false;
    atomic_write(&a, buf, len);
    return atomic_commit(&a, true, why, whylen);
}

bool manifest_stamp_write(const manifest_entry *e, const char *path, char *why, size_t whylen)
{
    mbuf b = { 0 };
    mb_printf(&b, "%s\n", STAMP_MAGIC);
    mb_printf(&b, "key\t%s\n", e->key);
    mb_printf(&b, "tool");
    mb_field(&b, e->version);
    mb_printf(&b, "\t%s\n", e->tool_sha);
    mb_printf(&b, "output");
    mb_field(&b, e->name);
    mb_printf(&b, "\t%s\t%lld\n", e->sha, e->bytes);
    mb_printf(&b, "section");
    mb_field(&b, e->section);
    mb_printf(&b, "\nlayout");
    mb_field(&b, e->layout);
    mb_printf(&b, "\nlanguage");
    mb_field(&b, e->language);
    mb_printf(&b, "\ncounts\t%ld\t%ld\t%d\t%d\t%ld\t%d\n", e->asked, e->items, e->per_sheet, e->pages, e->sheets,
              e->two_sided ? 1 : 0);
    mb_printf(&b, "page\t%.3f\t%.3f\n", e->page_w, e->page_h);
    for (size_t i = 0; i < e->ninputs; i++) {
        mb_printf(&b, "input\t%s", e->inputs[i].sha);
        mb_field(&b, e->inputs[i].path);
        mb_printf(&b, "\n");
    }
    for (size_t i = 0; i < e->nqrs; i++) {
        mb_printf(&b, "qr\t%ld", e->qrs[i].uses);
        mb_field(&b, e->qrs[i].element);
        mb_field(&b, e->qrs[i].payload);
        mb_printf(&b, "\n");
    }
    bool ok = !b.failed;
    if (!ok)
        snprintf(why, whylen, "out of memory");
    ok = ok && manifest_write_if_changed(path, b.s, b.n, why, whylen);
    free(b.s);
    return ok;
}

/* Splits line at tabs into at most max fields (in place). */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    while (n < max) {
        f[n++] = line;
        char *t = strchr(line, '\t');
        if (!t)
            break;
        *t = '\0';
        line = t + 1;
    }
    return n;
}

static bool hex64(const char *s)
{
    if (strlen(s) != 64)
        return false;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
            return false;
    return true;
}

bool manifest_stamp_read(manifest_entry *e, const char *path)
{
    memset(e, 0, sizeof *e);
    size_t len;
    char why[256];
    char *buf = readfile(path, (size_t)64 << 20, &len, why, sizeof why);
    if (!buf)
        return false;
    bool ok = strncmp(buf, STAMP_MAGIC "\n", strlen(STAMP_MAGIC) + 1) == 0;
    char *line = buf + (ok ? strlen(STAMP_MAGIC) + 1 : len);
    while (ok && *line) {
        char *end = strchr(line, '\n');
        if (!end)
            break;
        *end = '\0';
        char *f[8] = { NULL };
        int n = split_tabs(line, f, 8);
        for (int k = 0; k < n; k++)
            escape_undo(f[k]);
        if (strcmp(f[0], "key") == 0 && n == 2 && hex64(f[1]))
            memcpy(e->key, f[1], SHA256_HEX);
        else if (strcmp(f[0], "tool") == 0 && n == 3 && hex64(f[2]))
            snprintf(e->version, sizeof e->version, "%s", f[1]), memcpy(e->tool_sha, f[2], SHA256_HEX);
        else if (strcmp(f[0], "output") == 0 && n == 4 && hex64(f[2]))
            e->name = strdup(f[1]), memcpy(e->sha, f[2], SHA256_HEX), e->bytes = atoll(f[3]);
        else if (strcmp(f[0], "section") == 0 && n == 2)
            e->section = strdup(f[1]);
        else if (strcmp(f[0], "layout") == 0 && n == 2)
            e->layout = strdup(f[1]);
        else if (strcmp(f[0], "language") == 0 && n == 2)
            e->language = strdup(f[1]);
        else if (strcmp(f[0], "counts") == 0 && n == 7) {
            e->asked = atol(f[1]), e->items = atol(f[2]), e->per_sheet = atoi(f[3]);
            e->pages = atoi(f[4]), e->sheets = atol(f[5]), e->two_sided = f[6][0] == '1';
        } else if (strcmp(f[0], "page") == 0 && n == 3) {
            e->page_w = strtod(f[1], NULL), e->page_h = strtod(f[2], NULL);
        } else if (strcmp(f[0], "input") == 0 && n == 3 && hex64(f[1]))
            ok = manifest_add_input(e, f[2], f[1]);
        else if (strcmp(f[0], "qr") == 0 && n == 4)
            ok = add_qr_n(e, f[2], f[3], atol(f[1]));
        else
            ok = false;
        line = end + 1;
    }
    free(buf);
    ok = ok && e->key[0] && e->name && e->section && e->layout && e->language && e->sha[0];
    if (!ok)
        manifest_entry_free(e);
    return ok;
}

/* ---- manifest.csv and manifest.json ---- */

static void csv_field(mbuf *b, const char *v, bool last)
{
    if (strpbrk(v, ",\"\r\n")) {
        mb_printf(b, "\"");
        for (; *v; v++) {
            if (*v == '"')
                mb_printf(b, "\"\"");
            else
                mb_printf(b, "%c", *v);
        }
        mb_printf(b, "\"");
    } else {
        mb_printf(b, "%s", v);
    }
    mb_printf(b, last ? "\n" : ",");
}

bool manifest_write_csv(const manifest_entry *const *e, int n, const char *path, char *why, size_t whylen)
{
    mbuf b = { 0 };
    mb_printf(&b, "path,sha256,bytes,pages,items,sheets,page_size,paper\n");
    for (int i = 0; i < n; i++) {
        char file[1024], num[64], size[64], paper[64];
        snprintf(file, sizeof file, "%s.pdf", e[i]->name);
        csv_field(&b, file, false);
        csv_field(&b, e[i]->sha, false);
        snprintf(num, sizeof num, "%lld,%d,%ld,%ld", e[i]->bytes, e[i]->pages, e[i]->items, e[i]->sheets);
        mb_printf(&b, "%s,", num);
        snprintf(size, sizeof size, "%gx%gpt", round(e[i]->page_w * 100) / 100, round(e[i]->page_h * 100) / 100);
        csv_field(&b, size, false);
        manifest_paper_name(e[i]->page_w, e[i]->page_h, paper, sizeof paper);
        csv_field(&b, paper, true);
    }
    bool ok = !b.failed;
    if (!ok)
        snprintf(why, whylen, "out of memory");
    ok = ok && manifest_write_if_changed(path, b.s, b.n, why, whylen);
    free(b.s);
    return ok;
}

static void json_string(mbuf *b, const char *v)
{
    mb_printf(b, "\"");
    for (; v && *v; v++) {
        unsigned char c = (unsigned char)*v;
        if (c == '"' || c == '\\')
            mb_printf(b, "\\%c", c);
        else if (c < 0x20)
            mb_printf(b, "\\u%04x", c);
        else
            mb_printf(b, "%c", c);
    }
    mb_printf(b, "\"");
}

bool manifest_write_json(const char *job_name, const manifest_entry *const *e, int n, const char *path,
                         char *why, size_t whylen)
{
    mbuf b = { 0 };
    mb_printf(&b, "{\n  \"job\": ");
    json_string(&b, job_name);
    mb_printf(&b, ",\n  \"files\": [");
    for (int i = 0; i < n; i++) {
        char file[1024], paper[64];
        snprintf(file, sizeof file, "%s.pdf", e[i]->name);
        manifest_paper_name(e[i]->page_w, e[i]->page_h, paper, sizeof paper);
        mb_printf(&b, "%s\n    {\n      \"path\": ", i ? "," : "");
        json_string(&b, file);
        mb_printf(&b, ",\n      \"sha256\": \"%s\",\n      \"bytes\": %lld,\n      \"pages\": %d,\n", e[i]->sha,
                  e[i]->bytes, e[i]->pages);
        mb_printf(&b, "      \"items\": %ld,\n      \"quantity\": %ld,\n      \"sheets\": %ld,\n", e[i]->items,
                  e[i]->asked, e[i]->sheets);
        if (e[i]->qty_column) {
            /* each record's copies and the serials they carry, in record order */
            mb_printf(&b, "      \"quantities\": { \"data\": ");
            json_string(&b, e[i]->qty_data);
            mb_printf(&b, ", \"column\": ");
            json_string(&b, e[i]->qty_column);
            mb_printf(&b, ", \"records\": [");
            long serial = 1;
            for (size_t r = 0; r < e[i]->nrecords; r++) {
                const manifest_record *rec = &e[i]->records[r];
                mb_printf(&b, "%s\n        { \"line\": %d, \"record\": ", r ? "," : "", rec->line);
                json_string(&b, rec->label);
                mb_printf(&b, ", \"quantity\": %ld, \"first_serial\": %ld, \"last_serial\": %ld }", rec->quantity, serial,
                          serial + rec->quantity - 1);
                serial += rec->quantity;
            }
            mb_printf(&b, "\n      ] },\n");
        }
        mb_printf(&b, "      \"page_size\": { \"width_pt\": %g, \"height_pt\": %g, \"paper\": ",
                  round(e[i]->page_w * 100) / 100, round(e[i]->page_h * 100) / 100);
        json_string(&b, paper);
        mb_printf(&b, " },\n      \"item\": ");
        json_string(&b, e[i]->section);
        mb_printf(&b, ",\n      \"layout\": ");
        json_string(&b, e[i]->layout);
        mb_printf(&b, ",\n      \"language\": ");
        json_string(&b, e[i]->language);
        mb_printf(&b, ",\n      \"handout\": { \"version\": ");
        json_string(&b, e[i]->version);
        mb_printf(&b, ", \"sha256\": \"%s\" },\n      \"inputs_key\": \"%s\",\n      \"inputs\": [", e[i]->tool_sha,
                  e[i]->key);
        for (size_t k = 0; k < e[i]->ninputs; k++) {
            mb_printf(&b, "%s\n        { \"path\": ", k ? "," : "");
            json_string(&b, e[i]->inputs[k].path);
            mb_printf(&b, ", \"sha256\": \"%s\" }", e[i]->inputs[k].sha);
        }
        mb_printf(&b, "\n      ]\n    }");
    }
    mb_printf(&b, "\n  ]\n}\n");
    bool ok = !b.failed;
    if (!ok)
        snprintf(why, whylen, "out of memory");
    ok = ok && manifest_write_if_changed(path, b.s, b.n, why, whylen);
    free(b.s);
    return ok;
}

bool manifest_read_dump(manifest_entry *e, const char *path, char *why, size_t whylen)
{
    size_t len;
    char *text = readfile(path, (size_t)1 << 31, &len, why, whylen);
    if (!text)
        return false;
    e->pages = 0;
    for (char *line = text; *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        double w, h;
        int n;
        if (strncmp(line, "page ", 5) == 0 && sscanf(line, "page %d %lf %lf", &n, &w, &h) == 3) {
            if (e->pages++ == 0)
                e->page_w = w, e->page_h = h;
        } else if (strncmp(line, "qr ", 3) == 0) {
            char *x = strstr(line + 3, " x ");
            char *p = strstr(line, " payload ");
            if (x && p && x < p) {
                *x = '\0';
                escape_undo(p + 9);
                if (!manifest_add_qr(e, line + 3, p + 9)) {
                    snprintf(why, whylen, "out of memory");
                    free(text);
                    return false;
                }
            }
        }
        else if (strncmp(line, "input ", 6) == 0 && strlen(line) > 6 + 64 + 1 && line[6 + 64] == ' ') {
            /* a file the build read, with its digest as the build saw it */
            line[6 + 64] = '\0';
            escape_undo(line + 6 + 64 + 1);
            if (hex64(line + 6) && !manifest_add_input(e, line + 6 + 64 + 1, line + 6)) {
                snprintf(why, whylen, "out of memory");
                free(text);
                return false;
            }
        }
        if (!end)
            break;
        line = end + 1;
    }
    free(text);
    e->sheets = e->two_sided ? (e->pages + 1) / 2 : e->pages;
    return true;
}
