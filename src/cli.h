/* cli: the command line of every command. Owns the table of commands (their names, what their
 * messages start with, their usage texts), the one table of options (each option's names, whether
 * it takes a value, which commands take it), and the one parser that reads argv once into a
 * cli_options: "--opt value" and "--opt=value" alike, "-o value" and "-oVALUE" for the short
 * names; an unknown option, a missing value or an option the command does not take is a usage
 * error. What a value means, and whether it is in range, is the command's own (main.c, batch.c,
 * report.c, serve.c, orders.c). */
#ifndef HANDOUT_CLI_H
#define HANDOUT_CLI_H

#include "status.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum cli_command {
    CMD_NONE, /* no command yet: `handout --help`, `handout --version` */
    CMD_BUILD,
    CMD_CHECK,
    CMD_CALIBRATE,
    CMD_LIST,
    CMD_BATCH,
    CMD_REPORT,
    CMD_SERVE,
    CMD_ORDERS,
    CMD_PROOF,
    CLI_NCOMMANDS
} cli_command;

typedef enum cli_opt {
    OPT_HELP, OPT_VERSION,
    OPT_OUTPUT, OPT_SET, OPT_DUMP, OPT_DIAGNOSTICS, OPT_COUNT, OPT_DATA, OPT_QUANTITY_COLUMN, OPT_SHEET, OPT_PRINT_SHOP, OPT_PDFX, OPT_INK_LIMIT, OPT_OVERPRINT_BLACK, OPT_NO_MARKS, OPT_POSTING,
    OPT_PRINTER, OPT_DUPLEX, OPT_TILE, OPT_OVERLAP, OPT_MAX_PAGES, OPT_SIZE, OPT_JOBS,
    OPT_THEME,
    OPT_CONTENT, OPT_UNUSED, OPT_STRICT,
    OPT_ROOT, OPT_SHEETS, OPT_PROFILES,
    OPT_SHARD, OPT_QUIET, OPT_VERBOSE, OPT_SHA256,
    OPT_PORT, OPT_LISTEN, OPT_TOKEN, OPT_ORDERS, OPT_MAX_BUILDS, OPT_BUILD_TIMEOUT, OPT_QUEUE_WAIT,
    OPT_HEADER_TIMEOUT, OPT_IDLE_TIMEOUT, OPT_REQUEST_TIMEOUT,
    OPT_STAFF, OPT_REASON, OPT_STAFF_TOKEN,
    OPT_DATE, OPT_PLACE, OPT_ITEM, OPT_QUANTITY,
    CLI_NOPTS
} cli_opt;

#define CMD_BIT(c) (1u << (c))

/* One row of the option table. */
typedef struct cli_option_def {
    cli_opt id;
    const char *name;  /* "--output" */
    const char *brief; /* "-o", or NULL */
    bool value;        /* takes a value */
    unsigned commands; /* CMD_BIT of each command that takes it */
} cli_option_def;

/* The option table, in the order options are listed; n rows. */
const cli_option_def *cli_option_table(size_t *n);

/* The name of a command ("build"), or NULL for CMD_NONE. */
const char *cli_command_name(cli_command c);

/* A list of arguments that grows with the command line: no count is too many. */
typedef struct cli_list {
    const char **items;
    size_t n, cap;
} cli_list;

/* The command line, read once. Values point into argv. */
typedef struct cli_options {
    cli_command command;
    bool help, version;          /* --help or --version came first: nothing after it was read */
    bool given[CLI_NOPTS];       /* each option seen */
    const char *value[CLI_NOPTS]; /* the last value given to each option that takes one */
    cli_list values[CLI_NOPTS];  /* every value given, in order (--set, --content are repeatable) */
    const char *spelled[CLI_NOPTS]; /* the name it was given under: "-j" or "--jobs" */
    cli_list args;               /* the arguments after the command, in order */
    const char *usage_id;        /* after a usage error: its id (docs/errors.md), else NULL */
    int (*self_main)(int argc, char **argv); /* this program's main (set by main.c after cli_parse),
                                               * for serve's warm renderer (warm.h); or NULL */
} cli_options;

/* Reads argv into o. Returns -1 when it was read (the command then checks what the values
 * mean), else the exit status after a usage error has been printed, with the command's usage. */
int cli_parse(int argc, char **argv, cli_options *o);

void cli_free(cli_options *o);

/* The usage text of command c (handout's own for CMD_NONE and the build, check, calibrate and list
 * commands; batch, report, serve and orders have their own). */
void cli_usage(cli_command c, FILE *to);

/* A usage error: prints the command's prefix ("handout: ", "handout: batch: "...), the message and
 * the command's usage, on stderr. Returns EXIT_USAGE. id is the message's stable id (docs/errors.md,
 * "usage-..."); it is not printed (no records are written before the command line is read). */
__attribute__((format(printf, 3, 4))) int cli_usage_fail(cli_command c, const char *id, const char *fmt, ...);
__attribute__((format(printf, 3, 0))) int cli_usage_vfail(cli_command c, const char *id, const char *fmt, va_list ap);
/* The same without the usage: for a value the command itself refuses once it has read it. */
__attribute__((format(printf, 3, 4))) int cli_fail(cli_command c, const char *id, const char *fmt, ...);

#endif
