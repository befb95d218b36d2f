/* report: the job report and the distribution report, as tables and a chart on reportdoc pages.
 * Numbers are printed as plain digits (no thousands separators), so that a test can read them
 * back with pdftotext. */
#define _DEFAULT_SOURCE /* mkstemps */
#include "report.h"
#include "atomic.h"
#include "build.h"
#include "grow.h"
#include "data.h"
#include "diag.h"
#include "reportdoc.h"
#include "status.h"
#include "store.h"
#include "strfmt.h"
#include "units.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the job report ---- */

typedef struct qr_row {
    const char *payload, *item, *element;
    long uses;
    int order; /* the item's place in the job */
} qr_row;

static int qr_row_cmp(const void *a, const void *b)
{
    const qr_row *x = a, *y = b;
    int c = strcmp(x->payload, y->payload);
    if (c)
        return c;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->element, y->element);
}

typedef struct paper_total {
    char name[64];
    long sheets, two_sided, pages;
} paper_total;

/* The report's title and the job's fields, each drawn with its place in the job file (for the
 * warning of a character the report's font lacks). */
static void job_header(rdoc *r, const job *j, int n, const char *title, diag *d)
{
    char line[32];
    rdoc_place(r, d, (diag_loc){ j->path, 0, "job", "name" });
    rdoc_title(r, title);
    rdoc_place(r, d, (diag_loc){ j->path, 0, NULL, NULL });
    rdoc_field(r, "Job file", j->path);
    rdoc_field(r, "Kind", j->kind == JOB_EVENT ? "event" : "order");
    rdoc_field(r, "Date", j->date);
    rdoc_place(r, d, (diag_loc){ j->path, 0, "job", "place" });
    if (j->place)
        rdoc_field(r, "Place", j->place);
    rdoc_place(r, d, (diag_loc){ j->path, 0, "job", "partner" });
    if (j->partner)
        rdoc_field(r, "Partner", j->partner);
    rdoc_place(r, d, (diag_loc){ j->path, 0, "job", "description" });
    if (j->description)
        rdoc_field(r, "Description", j->description);
    rdoc_place(r, d, (diag_loc){ j->path, 0, NULL, NULL });
    snprintf(line, sizeof line, "%d", n);
    rdoc_field(r, "Items", line);
    rdoc_field(r, "Made with", "handout " HANDOUT_VERSION);
}

/* For each item made by its records' quantities: a table of each record's copies and serials. */
static void quantities_tables(rdoc *r, const job *j, const manifest_entry *const *e, int n, diag *d)
{
    static const rdoc_column RECS[] = { { "Line", 44, true }, { "Record", 240, false }, { "Quantity", 70, true },
                                        { "Serials", 150, false } };
    for (int i = 0; i < n; i++) {
        if (!e[i]->qty_column)
            continue;
        char *head = strfmt("Quantities per record: %s (%s, column %s)", e[i]->section, e[i]->qty_data, e[i]->qty_column);
        rdoc_place(r, d, (diag_loc){ j->path, 0, e[i]->section, NULL });
        rdoc_table_begin(r, head ? head : "Quantities per record", RECS, 4);
        free(head);
        long serial = 1;
        for (size_t k = 0; k < e[i]->nrecords; k++) {
            const manifest_record *rec = &e[i]->records[k];
            char ln[32], q[32], sr[64];
            snprintf(ln, sizeof ln, "%d", rec->line);
            snprintf(q, sizeof q, "%ld", rec->quantity);
            if (rec->quantity == 1)
                snprintf(sr, sizeof sr, "%ld", serial);
            else
                snprintf(sr, sizeof sr, "%ld to %ld", serial, serial + rec->quantity - 1);
            serial += rec->quantity;
            const char *cells[] = { ln, rec->label, q, sr };
            rdoc_table_row(r, cells, false);
        }
        char tq[32];
        snprintf(tq, sizeof tq, "%ld", serial - 1);
        const char *rtot[] = { "Total", "", tq, "" };
        rdoc_table_row(r, rtot, true);
        rdoc_table_end(r);
        rdoc_space(r, 6);
    }
    rdoc_place(r, d, (diag_loc){ j->path, 0, NULL, NULL });
}

/* The QR register: every payload, sorted, with the item and element printing it and how often,
 * then how many distinct payloads in how many places. False without memory. */
static bool qr_register(rdoc *r, const job *j, const manifest_entry *const *e, int n, diag *d)
{
    size_t nq = 0;
    for (int i = 0; i < n; i++)
        nq += e[i]->nqrs;
    qr_row *q = calloc(nq + 1, sizeof *q);
    if (!q)
        return false;
    nq = 0;
    for (int i = 0; i < n; i++)
        for (size_t k = 0; k < e[i]->nqrs; k++)
            q[nq++] = (qr_row){ e[i]->qrs[k].payload, e[i]->section, e[i]->qrs[k].element, e[i]->qrs[k].uses, i };
    qsort(q, nq, sizeof *q, qr_row_cmp);
    static const rdoc_column QR[] = { { "QR payload", 250, false }, { "Item", 100, false }, { "Element", 100, false },
                                      { "Printed", 54, true } };
    rdoc_table_begin(r, "QR codes: every payload and where it is used", QR, 4);
    size_t distinct = 0;
    for (size_t i = 0; i < nq; i++) {
        char u[32];
        snprintf(u, sizeof u, "%ld", q[i].uses);
        const char *cells[] = { q[i].payload, q[i].item, q[i].element, u };
        rdoc_place(r, d, (diag_loc){ j->path, 0, q[i].item, NULL });
        rdoc_table_row(r, cells, false);
        distinct += i == 0 || strcmp(q[i].payload, q[i - 1].payload) != 0;
    }
    rdoc_place(r, d, (diag_loc){ j->path, 0, NULL, NULL });
    if (nq == 0) {
        const char *none[] = { "(no QR codes)", "", "", "" };
        rdoc_table_row(r, none, false);
    }
    rdoc_table_end(r);
    rdoc_space(r, 6);
    char line[96];
    snprintf(line, sizeof line, "%zu distinct payload%s in %zu place%s.", distinct, distinct == 1 ? "" : "s", nq,
             nq == 1 ? "" : "s");
    rdoc_paragraph(r, line);
    free(q);
    return true;
}

bool report_job_write(const job *j, const manifest_entry *const *e, int n, fonts *f, const char *path,
                      long long epoch, diag *d, char *why, size_t whylen)
{
    char *footer = strfmt("handout: job report, %s, %s", j->name, j->date);
    char *title = strfmt("Job report: %s", j->name);
    rdoc *r = footer && title ? rdoc_new(f, footer, why, whylen) : NULL;
    free(footer);
    if (!r) {
        if (!title)
            snprintf(why, whylen, "out of memory");
        free(title);
        return false;
    }
    job_header(r, j, n, title, d);

    /* every item */
    static const rdoc_column ITEMS[] = {
        { "Item", 96, false },  { "Layout", 112, false }, { "Language", 50, false }, { "Asked", 40, true },
        { "Made", 40, true },   { "Pages", 38, true },    { "Sheets", 40, true },    { "Paper", 88, false },
    };
    rdoc_table_begin(r, "Items", ITEMS, 8);
    long asked = 0, made = 0, pages = 0, sheets = 0;
    paper_total *papers = NULL; /* one per paper size, as many as the items use */
    size_t npapers = 0, cappapers = 0;
    int rounded = 0;
    for (int i = 0; i < n; i++) {
        char a[32], m[32], p[32], s[32], paper[64];
        snprintf(a, sizeof a, "%ld", e[i]->asked);
        snprintf(m, sizeof m, "%ld", e[i]->items);
        snprintf(p, sizeof p, "%d", e[i]->pages);
        snprintf(s, sizeof s, "%ld", e[i]->sheets);
        manifest_paper_name(e[i]->page_w, e[i]->page_h, paper, sizeof paper);
        char *item = strcmp(e[i]->section, e[i]->name) == 0 ? strfmt("%s", e[i]->section)
                                                             : strfmt("%s (%s.pdf)", e[i]->section, e[i]->name);
        const char *cells[] = { item, e[i]->layout, e[i]->language, a, m, p, s, paper };
        rdoc_place(r, d, (diag_loc){ j->path, 0, e[i]->section, NULL });
        rdoc_table_row(r, cells, false);
        free(item);
        asked += e[i]->asked, made += e[i]->items, pages += e[i]->pages, sheets += e[i]->sheets;
        rounded += e[i]->items != e[i]->asked;
        int k = 0;
        while ((size_t)k < npapers && strcmp(papers[k].name, paper) != 0)
            k++;
        if ((size_t)k == npapers && GROW(papers, npapers, cappapers)) {
            memset(&papers[k], 0, sizeof papers[k]);
            snprintf(papers[k].name, sizeof papers[k].name, "%s", paper);
            npapers++;
        }
        if ((size_t)k < npapers) {
            papers[k].sheets += e[i]->sheets;
            papers[k].pages += e[i]->pages;
            if (e[i]->two_sided)
                papers[k].two_sided += e[i]->sheets;
        }
    }
    char ta[32], tm[32], tp[32], ts[32];
    snprintf(ta, sizeof ta, "%ld", asked);
    snprintf(tm, sizeof tm, "%ld", made);
    snprintf(tp, sizeof tp, "%ld", pages);
    snprintf(ts, sizeof ts, "%ld", sheets);
    rdoc_place(r, d, (diag_loc){ j->path, 0, NULL, NULL });
    const char *tot[] = { "Total", "", "", ta, tm, tp, ts, "" };
    rdoc_table_row(r, tot, true);
    rdoc_table_end(r);
    rdoc_space(r, 6);
    if (rounded) {
        rdoc_paragraph(r, "Items printed several to a sheet are made in full sheets: these quantities were rounded up.");
        for (int i = 0; i < n; i++) {
            if (e[i]->items == e[i]->asked)
                continue;
            rdoc_place(r, d, (diag_loc){ j->path, 0, e[i]->section, NULL });
            char *said = strfmt("%s: %ld asked, %ld made (%ld sheets of %d).", e[i]->section, e[i]->asked,
                                e[i]->items, e[i]->per_sheet ? e[i]->items / e[i]->per_sheet : 0, e[i]->per_sheet);
            if (said)
                rdoc_paragraph(r, said);
            free(said);
        }
        rdoc_place(r, d, (diag_loc){ j->path, 0, NULL, NULL });
    } else {
        rdoc_paragraph(r, "Every quantity was made as asked (none needed rounding up to full sheets).");
    }
    rdoc_paragraph(r, "Sheets are sheets of paper: a two-sided item prints its fronts and backs on the two sides of "
                      "one sheet (duplex).");

    quantities_tables(r, j, e, n, d);

    /* paper per size */
    static const rdoc_column PAPER[] = { { "Paper", 200, false }, { "Sheets", 80, true }, { "Two-sided", 80, true },
                                         { "Pages", 80, true } };
    rdoc_table_begin(r, "Paper needed", PAPER, 4);
    for (size_t k = 0; k < npapers; k++) {
        char s[32], t[32], p[32];
        snprintf(s, sizeof s, "%ld", papers[k].sheets);
        snprintf(t, sizeof t, "%ld", papers[k].two_sided);
        snprintf(p, sizeof p, "%ld", papers[k].pages);
        const char *cells[] = { papers[k].name, s, t, p };
        rdoc_table_row(r, cells, false);
    }
    const char *ptot[] = { "Total", ts, "", tp };
    rdoc_table_row(r, ptot, true);
    rdoc_table_end(r);
    free(papers);

    if (!qr_register(r, j, e, n, d)) {
        rdoc_free(r);
        free(title);
        snprintf(why, whylen, "out of memory");
        return false;
    }
    bool ok = rdoc_save(r, path, title, epoch, why, whylen);
    rdoc_free(r);
    free(title);
    return ok;
}

/* ---- the distribution report ---- */

static bool tally_add(report_tally **t, size_t *n, size_t *cap, const char *name, long long qty)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*t)[i].name, name) == 0) {
            (*t)[i].rows++;
            (*t)[i].qty += qty;
            return true;
        }
    if (!GROW(*t, *n, *cap))
        return false;
    (*t)[*n].name = strdup(name);
    (*t)[*n].rows = 1;
    (*t)[*n].qty = qty;
    return (*t)[(*n)++].name != NULL;
}

/* Largest quantity first, then by name. */
static int tally_cmp(const void *a, const void *b)
{
    const report_tally *x = a, *y = b;
    if (x->qty != y->qty)
        return x->qty > y->qty ? -1 : 1;
    return strcmp(x->name, y->name);
}

void report_sums_free(report_sums *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nitems; i++)
        free(s->items[i].name);
    for (size_t i = 0; i < s->nwho; i++)
        free(s->who[i].name);
    free(s->items);
    free(s->who);
    free(s->month_qty);
    free(s->month_rows);
    memset(s, 0, sizeof *s);
}

/* Every record checked first, every problem reported; then the sums. */
bool report_sums_of(const data_table *t, const char *csv, report_sums *s, diag *d)
{
    memset(s, 0, sizeof *s);
    int before = diag_errors(d);
    long c_date = data_column_index(t, "date"), c_item = data_column_index(t, "item");
    long c_qty = data_column_index(t, "quantity"), c_who = data_column_index(t, "partner");
    const char *who_name = "partner";
    if (c_who < 0)
        c_who = data_column_index(t, "event"), who_name = "event", s->by_event = true;
    const char *need[] = { "date", "partner (or event)", "item", "quantity" };
    long have[] = { c_date, c_who, c_item, c_qty };
    char *cols = data_column_list(t);
    for (int k = 0; k < 4; k++)
        if (have[k] < 0)
            diag_error(d, "report-missing-column", diag_at(csv, 1), "expected a column named %s, found the columns %s", need[k], cols ? cols : "?");
    free(cols);
    if (diag_errors(d) > before)
        return false;
    size_t rows = data_rows(t);
    if (rows == 0) {
        diag_error(d, "report-no-records", diag_at(csv, 0), "expected at least one record after the header, found none");
        return false;
    }
    bool seen = false;
    int last_month = 0; /* year * 12 + month - 1 */
    for (size_t i = 0; i < rows; i++) {
        const char *date = data_value(t, i, (size_t)c_date), *q = data_value(t, i, (size_t)c_qty);
        const char *it = data_value(t, i, (size_t)c_item), *w = data_value(t, i, (size_t)c_who);
        int line = data_row_line(t, i);
        long v;
        const char *why = NULL;
        if (!job_date(date)) {
            diag_loc loc = { csv, line, NULL, "date" };
            diag_error(d, "report-bad-date", loc, "expected a date as YYYY-MM-DD (a real day), found \"%s\"", date);
        } else {
            int m = atoi(date) * 12 + atoi(date + 5) - 1;
            if (!seen || m < s->first_month)
                s->first_month = m;
            if (!seen || m > last_month)
                last_month = m;
            seen = true;
            if (!s->first_date[0] || strcmp(date, s->first_date) < 0)
                memcpy(s->first_date, date, 11);
            if (!s->last_date[0] || strcmp(date, s->last_date) > 0)
                memcpy(s->last_date, date, 11);
        }
        if (!units_int(q, &v, &why) || strchr(q, ' ')) {
            diag_loc loc = { csv, line, NULL, "quantity" };
            diag_error(d, "report-bad-quantity", loc, "expected a whole number, found \"%s\"", q);
        }
        if (!*it) {
            diag_loc loc = { csv, line, NULL, "item" };
            diag_error(d, "report-no-item", loc, "expected what was handed out, found an empty field");
        }
        if (!*w) {
            diag_loc loc = { csv, line, NULL, who_name };
            diag_error(d, "report-no-partner", loc, "expected who handed it out (a partner or an event), found an empty field");
        }
    }
    if (diag_errors(d) > before)
        return false;
    s->nmonths = last_month - s->first_month + 1;
    s->month_qty = calloc((size_t)s->nmonths, sizeof *s->month_qty);
    s->month_rows = calloc((size_t)s->nmonths, sizeof *s->month_rows);
    size_t cap_items = 0, cap_who = 0;
    bool ok = s->month_qty && s->month_rows;
    for (size_t i = 0; ok && i < rows; i++) {
        const char *date = data_value(t, i, (size_t)c_date), *q = data_value(t, i, (size_t)c_qty);
        const char *it = data_value(t, i, (size_t)c_item), *w = data_value(t, i, (size_t)c_who);
        long v = 0;
        units_int(q, &v, NULL);
        int m = atoi(date) * 12 + atoi(date + 5) - 1;
        s->month_qty[m - s->first_month] += v;
        s->month_rows[m - s->first_month]++;
        s->total += v;
        s->rows++;
        ok = tally_add(&s->items, &s->nitems, &cap_items, it, v) && tally_add(&s->who, &s->nwho, &cap_who, w, v);
    }
    if (!ok) {
        diag_error(d, "internal-out-of-memory", diag_at(csv, 0), "out of memory");
        report_sums_free(s);
        return false;
    }
    qsort(s->items, s->nitems, sizeof *s->items, tally_cmp);
    qsort(s->who, s->nwho, sizeof *s->who, tally_cmp);
    return true;
}

static void tally_table(rdoc *r, diag *d, const char *csv, const char *heading, const char *what,
                        const char *column, const report_tally *t, size_t n, long long total)
{
    const rdoc_column cols[] = { { what, 234, false }, { "Hand-outs", 90, true }, { "Quantity", 90, true },
                                 { "Share", 90, true } };
    rdoc_table_begin(r, heading, cols, 4);
    long rows = 0;
    for (size_t i = 0; i < n; i++) {
        char h[32], q[32], sh[32];
        snprintf(h, sizeof h, "%ld", t[i].rows);
        snprintf(q, sizeof q, "%lld", t[i].qty);
        snprintf(sh, sizeof sh, "%.1f%%", total > 0 ? 100.0 * (double)t[i].qty / (double)total : 0.0);
        const char *cells[] = { t[i].name, h, q, sh };
        rdoc_place(r, d, (diag_loc){ csv, 0, NULL, column }); /* the name, as written in the log's column */
        rdoc_table_row(r, cells, false);
        rows += t[i].rows;
    }
    char h[32], q[32];
    snprintf(h, sizeof h, "%ld", rows);
    snprintf(q, sizeof q, "%lld", total);
    rdoc_place(r, d, (diag_loc){ csv, 0, NULL, NULL });
    const char *cells[] = { "Total", h, q, "100.0%" };
    rdoc_table_row(r, cells, true);
    rdoc_table_end(r);
}

static const char *const MONTHS[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* The table of the sums' months, first to last, and their total. */
static void month_table(rdoc *r, const report_sums *s, const char *heading)
{
    static const rdoc_column MONTH_COLS[] = { { "Month", 234, false }, { "Hand-outs", 90, true },
                                              { "Quantity", 90, true } };
    rdoc_table_begin(r, heading, MONTH_COLS, 3);
    for (int m = 0; m < s->nmonths; m++) {
        int mm = s->first_month + m;
        char name[32], h[32], q[32];
        snprintf(name, sizeof name, "%04d-%02d", mm / 12, mm % 12 + 1);
        snprintf(h, sizeof h, "%ld", s->month_rows[m]);
        snprintf(q, sizeof q, "%lld", s->month_qty[m]);
        const char *cells[] = { name, h, q };
        rdoc_table_row(r, cells, false);
    }
    char h[32], q[32];
    snprintf(h, sizeof h, "%zu", s->rows);
    snprintf(q, sizeof q, "%lld", s->total);
    const char *cells[] = { "Total", h, q };
    rdoc_table_row(r, cells, true);
    rdoc_table_end(r);
}

/* The report's pages from its sums; false with the reason in why. */
static bool distribution_pages(rdoc *r, diag *d, const char *csv, const report_sums *s)
{
    char line[256];
    const char *who_name = s->by_event ? "event" : "partner";
    rdoc_place(r, d, (diag_loc){ csv, 0, NULL, NULL });
    rdoc_title(r, "Distribution report");
    rdoc_field(r, "Log", csv);
    snprintf(line, sizeof line, "%s to %s", s->first_date, s->last_date);
    rdoc_field(r, "Period", line);
    snprintf(line, sizeof line, "%zu", s->rows);
    rdoc_field(r, "Hand-outs", line);
    snprintf(line, sizeof line, "%lld", s->total);
    rdoc_field(r, "Total quantity", line);
    snprintf(line, sizeof line, "%zu item%s, %zu %s%s", s->nitems, s->nitems == 1 ? "" : "s", s->nwho, who_name,
             s->nwho == 1 ? "" : "s");
    rdoc_field(r, "Kinds", line);
    int nm = s->nmonths;
    char (*labels)[16] = calloc((size_t)nm, sizeof *labels);
    const char **lp = calloc((size_t)nm, sizeof *lp);
    double *vals = calloc((size_t)nm, sizeof *vals);
    bool ok = labels && lp && vals;
    if (ok) {
        for (int m = 0; m < nm; m++) {
            int mm = s->first_month + m;
            snprintf(labels[m], sizeof labels[m], "%s %d", MONTHS[mm % 12], mm / 12);
            lp[m] = labels[m];
            vals[m] = (double)s->month_qty[m];
        }
        rdoc_bar_chart(r, "Quantity handed out per month", lp, vals, nm, "Month", "Quantity");
        month_table(r, s, "Totals per month");
        tally_table(r, d, csv, "Totals per item", "Item", "item", s->items, s->nitems, s->total);
        tally_table(r, d, csv, s->by_event ? "Totals per event" : "Totals per partner",
                    s->by_event ? "Event" : "Partner", s->by_event ? "event" : "partner", s->who, s->nwho, s->total);
    }
    free(labels);
    free(lp);
    free(vals);
    return ok;
}

/* What the report of the order store adds to its shipped orders: the hand-outs recorded at
 * events (a distribution log) and the totals per partner (store_export_partner_totals), each a
 * CSV file. */
typedef struct store_logs {
    const char *handouts, *totals;
} store_logs;

/* The store's pages after the shipped orders': ordered, built, shipped and handed out per
 * partner, then the hand-outs per month, item (product and language) and partner. */
static void store_pages(rdoc *r, diag *d, const char *shown, const data_table *totals, const report_sums *h)
{
    rdoc_place(r, d, (diag_loc){ shown, 0, NULL, NULL });
    static const rdoc_column COLS[] = { { "Partner", 204, false }, { "Ordered", 75, true }, { "Built", 75, true },
                                        { "Shipped", 75, true },  { "Handed out", 75, true } };
    rdoc_table_begin(r, "Per partner: ordered, built, shipped, handed out", COLS, 5);
    long long sum[4] = { 0 };
    for (size_t i = 0; totals && i < data_rows(totals); i++) {
        const char *cells[5];
        for (size_t c = 0; c < 5; c++)
            cells[c] = data_value(totals, i, c);
        for (int c = 0; c < 4; c++)
            sum[c] += atoll(cells[c + 1]);
        rdoc_table_row(r, cells, false);
    }
    char v[4][32];
    for (int c = 0; c < 4; c++)
        snprintf(v[c], sizeof v[c], "%lld", sum[c]);
    const char *tot[] = { "Total", v[0], v[1], v[2], v[3] };
    rdoc_table_row(r, tot, true);
    rdoc_table_end(r);
    rdoc_space(r, 6);
    rdoc_heading(r, "Handed out at events");
    if (!h) {
        rdoc_paragraph(r, "No hand-out was recorded (handout orders handout).");
        return;
    }
    char line[64];
    snprintf(line, sizeof line, "%s to %s", h->first_date, h->last_date);
    rdoc_field(r, "Period", line);
    snprintf(line, sizeof line, "%zu", h->rows);
    rdoc_field(r, "Hand-outs", line);
    snprintf(line, sizeof line, "%lld", h->total);
    rdoc_field(r, "Total handed out", line);
    month_table(r, h, "Handed out per month");
    tally_table(r, d, shown, "Handed out per item (product and language)", "Item", "item", h->items, h->nitems,
                h->total);
    tally_table(r, d, shown, "Handed out per partner", "Partner", "partner", h->who, h->nwho, h->total);
}

/* The report of the log csv; shown: how the log is named in the footer and the messages; x: the
 * order store's other logs, or NULL for a CSV log. */
/* Whether a CSV file the store wrote has a record after its header line. */
static bool has_records(const char *path)
{
    FILE *f = fopen(path, "r");
    bool header_ended = false, record = false;
    int c;
    while (f && !record && (c = getc(f)) != EOF) {
        record = header_ended && c != '\r' && c != '\n';
        header_ended = header_ended || c == '\n';
    }
    if (f)
        fclose(f);
    return record;
}

static int distribution(const char *csv, const char *shown, const char *out, long long epoch, const store_logs *x)
{
    diag *d = diag_new(stderr);
    /* the store's logs may have no record (a CSV log must have one) */
    bool shipped = !x || has_records(csv), handed = x && has_records(x->handouts);
    data_table *t = d && shipped ? data_load(csv, d) : NULL;
    if (!d || (shipped && !t)) {
        diag_free(d);
        return d ? EXIT_INPUT : EXIT_INTERNAL;
    }
    report_sums s, hs;
    memset(&s, 0, sizeof s);
    memset(&hs, 0, sizeof hs);
    data_table *ht = handed ? data_load(x->handouts, d) : NULL;
    data_table *tt = x && has_records(x->totals) ? data_load(x->totals, d) : NULL;
    int status = 0;
    if (handed && !ht)
        status = EXIT_INTERNAL;
    else if (x && !shipped && !handed) {
        diag_error(d, "report-no-records", diag_at(shown, 0), "expected a shipped order or a hand-out in the store, "
                   "found none");
        status = EXIT_INPUT;
    } else if ((shipped && !report_sums_of(t, csv, &s, d)) || (handed && !report_sums_of(ht, x->handouts, &hs, d)))
        status = EXIT_INPUT;
    fonts *f = status == 0 ? fonts_new(".") : NULL;
    rdoc *r = NULL;
    char why[512] = "";
    if (status == 0) {
        char footer[600];
        snprintf(footer, sizeof footer, "handout: distribution report, %s", shown);
        r = f ? rdoc_new(f, footer, why, sizeof why) : NULL;
        if (!r) {
            diag_error(d, "report-typeset-failed", diag_at(out, 0), "expected to typeset the report, found an error: %s",
                       f ? why : "fontconfig could not be initialised");
            status = EXIT_INTERNAL;
        }
    }
    bool drawn = true;
    if (r && shipped) {
        drawn = distribution_pages(r, d, shown, &s);
    } else if (r) {
        rdoc_place(r, d, (diag_loc){ shown, 0, NULL, NULL });
        rdoc_title(r, "Distribution report");
        rdoc_field(r, "Log", shown);
        rdoc_paragraph(r, "No order of the store was shipped yet.");
    }
    if (r && drawn && x)
        store_pages(r, d, shown, tt, handed ? &hs : NULL);
    if (r && !drawn) {
        status = EXIT_INTERNAL;
    } else if (r && !rdoc_save(r, out, "Distribution report", epoch, why, sizeof why)) {
        diag_error(d, "output-write-failed", diag_at(out, 0), "expected to write the PDF, found an error: %s", why);
        status = EXIT_OUTPUT;
    } else if (r && x) {
        fprintf(stderr, "handout: wrote %s (shipped: %zu item%s, %lld in all; hand-outs at events: %zu, %lld in all)\n",
                out, s.rows, s.rows == 1 ? "" : "s", s.total, hs.rows, hs.total);
    } else if (r) {
        fprintf(stderr, "handout: wrote %s (%zu hand-outs, %lld in all, %d month%s)\n", out, s.rows, s.total,
                s.nmonths, s.nmonths == 1 ? "" : "s");
    }
    if (status != 0)
        fprintf(stderr, "handout: no PDF was written\n");
    rdoc_free(r);
    fonts_free(f);
    report_sums_free(&s);
    report_sums_free(&hs);
    data_free(t);
    if (ht)
        data_free(ht);
    if (tt)
        data_free(tt);
    diag_free(d);
    return status;
}

/* A temporary CSV file written by one of the store's exports; false with the reason. The file's
 * name is in *tmp (caller unlinks, untracks and frees) even when the export failed. */
static bool store_tmp(store *st, bool (*export)(store *, FILE *, char *, size_t), char **tmp, char *why,
                      size_t whylen)
{
    const char *tmpdir = getenv("TMPDIR");
    *tmp = strfmt("%s/handout-report-XXXXXX.csv", tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = *tmp ? mkstemps(*tmp, 4) : -1;
    if (fd < 0) {
        snprintf(why, whylen, "cannot make a temporary file: %s", strerror(errno));
        free(*tmp);
        *tmp = NULL;
        return false;
    }
    atomic_track(*tmp);
    FILE *f = fdopen(fd, "w");
    bool ok = f && export(st, f, why, whylen);
    if (f && fclose(f) != 0)
        ok = false;
    else if (!f)
        close(fd);
    return ok;
}

/* The report of the order store db: its shipped orders as a log (store_export_distribution), its
 * hand-outs at events (store_export_handout_log) and its totals per partner, written to temporary
 * files the report then reads as it reads any log. */
static int distribution_of_store(const char *db, const char *out, long long epoch)
{
    diag *d = diag_new(stderr);
    if (!d)
        return EXIT_INTERNAL;
    char why[1024] = "out of memory";
    store *st = store_open(db, false, why, sizeof why);
    if (!st) {
        diag_error(d, "report-store-failed", diag_at(db, 0), "%s", why);
        diag_free(d);
        return EXIT_INPUT;
    }
    char *tmp[3] = { NULL, NULL, NULL };
    bool ok = store_tmp(st, store_export_distribution, &tmp[0], why, sizeof why) &&
              store_tmp(st, store_export_handout_log, &tmp[1], why, sizeof why) &&
              store_tmp(st, store_export_partner_totals, &tmp[2], why, sizeof why);
    store_close(st);
    int status;
    if (!ok) {
        diag_error(d, "report-store-failed", diag_at(db, 0), "cannot read the orders: %s", why);
        status = EXIT_INTERNAL;
    } else {
        store_logs x = { tmp[1], tmp[2] };
        status = distribution(tmp[0], db, out, epoch, &x);
    }
    for (int k = 0; k < 3; k++)
        if (tmp[k]) {
            unlink(tmp[k]);
            atomic_untrack(tmp[k]);
            free(tmp[k]);
        }
    diag_free(d);
    return status;
}

int report_main(const cli_options *o)
{
    if (o->args.n == 0)
        return cli_usage_fail(CMD_REPORT, "usage-missing-argument",
                              "a CSV log is needed (date, partner, item, quantity)");
    if (o->args.n > 1)
        return cli_usage_fail(CMD_REPORT, "usage-unexpected-argument", "unexpected argument %s (one CSV file)",
                              o->args.items[1]);
    const char *csv = o->args.items[0], *out = o->value[OPT_OUTPUT];
    size_t alen = strlen(csv);
    bool store_log = alen > 3 && strcmp(csv + alen - 3, ".db") == 0; /* the order store, not a CSV log */
    long long epoch;
    diag *ed = diag_new(stderr);
    int est = ed ? build_source_date_epoch(&epoch, ed) : EXIT_INTERNAL;
    diag_free(ed);
    if (est)
        return est;
    char *def = NULL;
    if (!out) {
        const char *base = strrchr(csv, '/');
        base = base ? base + 1 : csv;
        size_t n = strlen(base);
        if (n > 4 && strcmp(base + n - 4, ".csv") == 0)
            n -= 4;
        else if (store_log)
            n -= 3;
        def = malloc(n + 32);
        if (!def)
            return EXIT_INTERNAL;
        snprintf(def, n + 32, "output/%.*s-report.pdf", (int)n, base);
        if (mkdir("output", 0777) != 0 && errno != EEXIST) {
            int err = errno;
            diag *d = diag_new(stderr);
            if (d)
                diag_error(d, "output-mkdir-failed", diag_at("output", 0), "cannot make the folder: %s", strerror(err));
            diag_free(d);
            free(def);
            return EXIT_OUTPUT;
        }
        out = def;
    }
    int status = store_log ? distribution_of_store(csv, out, epoch) : distribution(csv, csv, out, epoch, NULL);
    free(def);
    return status;
}
