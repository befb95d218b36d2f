/* report: handout's reports, typeset with reportdoc. The job report (report.pdf in a job's
 * folder): the job, every item (layout, language, quantity asked, items made, pages, sheets,
 * paper), the paper needed per size, and a register of every QR payload with where it is used,
 * so that scans of a tracked link can be traced to a partner or an event. The distribution report
 * (`handout report DIST.csv`): from a log of what was handed out, totals per item, per partner and
 * per month, and a bar chart of the monthly totals. */
#ifndef HANDOUT_REPORT_H
#define HANDOUT_REPORT_H

#include "cli.h"
#include "data.h"
#include "diag.h"
#include "fonts.h"
#include "job.h"
#include "manifest.h"

#include <stdbool.h>
#include <stddef.h>

/* Writes the report of job j, whose items' records are e[0..n) in file order. The file is left
 * untouched when it already holds the same bytes. A character of the job's or an item's text that
 * the report's font lacks is warned of to d (report-glyph-missing, with the job file and the item;
 * d may be NULL). False with a reason. */
bool report_job_write(const job *j, const manifest_entry *const *e, int n, fonts *f, const char *path,
                      long long epoch, diag *d, char *why, size_t whylen);

/* The distribution report's sums, apart from its pages: one line of a tally (an item, a partner or
 * an event) with its hand-outs (records) and the quantities they add up to. */
typedef struct report_tally {
    char *name;
    long rows;
    long long qty;
} report_tally;

/* The sums of a distribution log. The tallies are sorted largest quantity first, then by name;
 * the months run from the log's first month to its last, months without a record included. */
typedef struct report_sums {
    size_t rows;                   /* hand-outs: the records */
    long long total;               /* their quantities added up */
    char first_date[11], last_date[11];
    int first_month, nmonths;      /* first_month: year * 12 + month - 1 */
    long long *month_qty;          /* nmonths each */
    long *month_rows;
    report_tally *items, *who;     /* per item; per partner, or per event */
    size_t nitems, nwho;
    bool by_event;                 /* the log has an event column instead of partner */
} report_sums;

/* Checks every record of the log t (read from csv: the file named in messages): the columns date,
 * partner (or event), item and quantity, a real date, a whole quantity, no empty item or partner;
 * each problem is reported to d. Then adds up the sums into s (freed with report_sums_free).
 * False after reporting, with s empty. */
bool report_sums_of(const data_table *t, const char *csv, report_sums *s, diag *d);
void report_sums_free(report_sums *s);

/* `handout report DIST.csv [-o OUT.pdf]`, its command line read (o->command is CMD_REPORT).
 * Returns the exit status. */
int report_main(const cli_options *o);


#endif
