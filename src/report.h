/* report: handout's reports, typeset with reportdoc. The job report (report.pdf in a job's
 * folder): the job, every item (layout, language, quantity asked, items made, pages, sheets,
 * paper), the paper needed per size, and a register of every QR payload with where it is used,
 * so that scans of a tracked link can be traced to a partner or an event. The distribution report
 * (`handout report DIST.csv`): from a log of what was handed out, totals per item, per partner and
 * per month, and a bar chart of the monthly totals. */
#ifndef HANDOUT_REPORT_H
#define HANDOUT_REPORT_H

#include "cli.h"
#include "fonts.h"
#include "job.h"
#include "manifest.h"

#include <stdbool.h>
#include <stddef.h>

/* Writes the report of job j, whose items' records are e[0..n) in file order. The file is left
 * untouched when it already holds the same bytes. False with a reason. */
bool report_job_write(const job *j, const manifest_entry *const *e, int n, fonts *f, const char *path,
                      long long epoch, char *why, size_t whylen);

/* `handout report DIST.csv [-o OUT.pdf]`, its command line read (o->command is CMD_REPORT).
 * Returns the exit status. */
int report_main(const cli_options *o);

/* SOURCE_DATE_EPOCH: -1 when unset; false (after a message) when it is not digits. */
bool report_epoch(long long *epoch);

#endif
