/* batch: the `handout batch` command. Builds every item of every job file given (jobs in argument
 * order, items in file order) into OUTDIR/<job>/<item>.pdf, each by running handout's own build
 * command (this very binary, /proc/self/exe) in a child process, N at once; skips the items whose
 * inputs (hashed, see manifest.h) have not changed; builds only its shard of the items with
 * --shard K/N; goes on past a failing item and lists every failure at the end; and, once every
 * item of a job is there and up to date, writes the job's report and manifests. */
#ifndef HANDOUT_BATCH_H
#define HANDOUT_BATCH_H

#include "cli.h"
#include "report.h" /* report_main: `handout report`, dispatched beside batch */

/* `handout batch`, its command line read (o->command is CMD_BATCH). Returns the exit status: 0,
 * or the most severe status met (status.h: 4 internal, 3 output, 2 usage, 1 input), never a
 * count. */
int batch_main(const cli_options *o);

#endif
