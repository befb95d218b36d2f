/* cli: see cli.h. */
#include "cli.h"
#include "diag.h"
#include "grow.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#ifndef HANDOUT_VERSION
#define HANDOUT_VERSION "0.1.0"
#endif

#define BUILD CMD_BIT(CMD_BUILD)
#define CHECK CMD_BIT(CMD_CHECK)
#define CALIBRATE CMD_BIT(CMD_CALIBRATE)
#define LIST CMD_BIT(CMD_LIST)
#define BATCH CMD_BIT(CMD_BATCH)
#define REPORT CMD_BIT(CMD_REPORT)
#define SERVE CMD_BIT(CMD_SERVE)
#define ORDERS CMD_BIT(CMD_ORDERS)
#define PROOF CMD_BIT(CMD_PROOF)
#define ANY ((1u << CLI_NCOMMANDS) - 1)

/* Row k describes option k (a unit test holds the table to that). */
static const cli_option_def OPTIONS[] = {
    { OPT_HELP, "--help", "-h", false, ANY },
    { OPT_VERSION, "--version", "-V", false, ANY },
    { OPT_OUTPUT, "--output", "-o", true, BUILD | CALIBRATE | BATCH | REPORT | ORDERS | PROOF },
    { OPT_SET, "--set", NULL, true, BUILD | CHECK },
    { OPT_DUMP, "--dump", NULL, true, BUILD },
    { OPT_DIAGNOSTICS, "--diagnostics", NULL, true, BUILD | CHECK },
    { OPT_COUNT, "--count", NULL, true, BUILD | CHECK },
    { OPT_DATA, "--data", NULL, true, BUILD | CHECK },
    { OPT_QUANTITY_COLUMN, "--quantity-column", NULL, true, BUILD | CHECK },
    { OPT_SHEET, "--sheet", NULL, true, BUILD | CHECK | CALIBRATE },
    { OPT_PRINT_SHOP, "--print-shop", NULL, false, BUILD },
    { OPT_PDFX, "--pdfx", NULL, false, BUILD },
    { OPT_INK_LIMIT, "--ink-limit", NULL, true, BUILD },
    { OPT_OVERPRINT_BLACK, "--overprint-black", NULL, false, BUILD },
    { OPT_NO_MARKS, "--no-marks", NULL, false, BUILD },
    { OPT_POSTING, "--posting-instructions", NULL, false, BUILD },
    { OPT_PRINTER, "--printer", NULL, true, BUILD | CHECK | CALIBRATE },
    { OPT_DUPLEX, "--duplex", NULL, false, CALIBRATE },
    { OPT_TILE, "--tile", NULL, true, BUILD },
    { OPT_OVERLAP, "--overlap", NULL, true, BUILD },
    { OPT_MAX_PAGES, "--max-pages", NULL, true, BUILD },
    { OPT_SIZE, "--size", NULL, true, BUILD },
    { OPT_JOBS, "--jobs", "-j", true, BUILD | BATCH },
    { OPT_THEME, "--theme", NULL, true, BUILD | CHECK | BATCH },
    { OPT_CONTENT, "--content", NULL, true, CHECK },
    { OPT_UNUSED, "--unused", NULL, false, CHECK },
    { OPT_STRICT, "--strict", NULL, false, CHECK },
    { OPT_ROOT, "--root", NULL, true, LIST | SERVE | ORDERS },
    { OPT_SHEETS, "--sheets", NULL, false, LIST },
    { OPT_PROFILES, "--profiles", NULL, false, LIST },
    { OPT_SHARD, "--shard", NULL, true, BATCH },
    { OPT_QUIET, "--quiet", "-q", false, BATCH },
    { OPT_VERBOSE, "--verbose", "-v", false, BATCH },
    { OPT_SHA256, "--sha256", NULL, false, BATCH },
    { OPT_PORT, "--port", NULL, true, SERVE },
    { OPT_LISTEN, "--listen", NULL, true, SERVE },
    { OPT_TOKEN, "--token", NULL, true, SERVE },
    { OPT_ORDERS, "--orders", NULL, true, SERVE | ORDERS },
    { OPT_MAX_BUILDS, "--max-builds", NULL, true, SERVE },
    { OPT_BUILD_TIMEOUT, "--build-timeout", NULL, true, SERVE },
    { OPT_QUEUE_WAIT, "--queue-wait", NULL, true, SERVE },
    { OPT_HEADER_TIMEOUT, "--header-timeout", NULL, true, SERVE },
    { OPT_IDLE_TIMEOUT, "--idle-timeout", NULL, true, SERVE },
    { OPT_REQUEST_TIMEOUT, "--request-timeout", NULL, true, SERVE },
    { OPT_STAFF, "--staff", NULL, true, ORDERS },
    { OPT_REASON, "--reason", NULL, true, ORDERS },
    { OPT_STAFF_TOKEN, "--staff-token", NULL, true, SERVE },
    { OPT_DATE, "--date", NULL, true, ORDERS },
    { OPT_PLACE, "--place", NULL, true, ORDERS },
    { OPT_ITEM, "--item", NULL, true, ORDERS },
    { OPT_QUANTITY, "--quantity", NULL, true, ORDERS },
};
_Static_assert(sizeof OPTIONS / sizeof OPTIONS[0] == CLI_NOPTS, "one row per option");

static const struct {
    const char *name;
    const char *prefix;    /* what its messages start with */
    const char *not_taken; /* the answer to an option it does not take; NULL: "option X is for ..." */
} COMMANDS[CLI_NCOMMANDS] = {
    [CMD_NONE] = { NULL, "handout: ", NULL },
    [CMD_BUILD] = { "build", "handout: ", NULL },
    [CMD_CHECK] = { "check", "handout: ",
                    "check writes nothing: it takes --content, --unused, --strict, --set, --data, --sheet, --printer, --count and --theme" },
    [CMD_CALIBRATE] = { "calibrate", "handout: ", "calibrate takes only --sheet, --printer, --duplex and -o" },
    [CMD_LIST] = { "list", "handout: ", "list takes only --root, --sheets and --profiles" },
    [CMD_BATCH] = { "batch", "handout: batch: ", NULL },
    [CMD_REPORT] = { "report", "handout: report: ", NULL },
    [CMD_SERVE] = { "serve", "handout: serve: ", NULL },
    [CMD_ORDERS] = { "orders", "handout: orders: ", NULL },
    [CMD_PROOF] = { "proof", "handout: proof: ", "proof takes only a list of products and -o" },
};

#define COMMAND_NAMES "build, check, calibrate, list, batch, report, serve, orders or proof"

const cli_option_def *cli_option_table(size_t *n)
{
    *n = CLI_NOPTS;
    return OPTIONS;
}

const char *cli_command_name(cli_command c)
{
    return c > CMD_NONE && c < CLI_NCOMMANDS ? COMMANDS[c].name : NULL;
}

/* ---- usage texts ---- */

static const char USAGE_MAIN[] =
    "usage: handout build LAYOUT.ini CONTENT_DIR [-o OUT.pdf] [--set key=value]... [--dump FILE]\n"
    "       handout check [LAYOUT.ini|JOB.ini|CONTENT_DIR]... [--content DIR]... [--unused] [--strict]\n"
    "                     [--set key=value]... [--data FILE.csv] [--theme FILE|NAME]\n"
    "       handout calibrate LAYOUT.ini [--sheet FILE] [--printer FILE] [--duplex] [-o OUT.pdf]\n"
    "       handout list [--root DIR] [--sheets | --profiles]\n"
    "       handout batch JOB.ini... [-j N] [--shard K/N] [--quiet|--verbose] [-o OUTDIR]\n"
    "       handout report DIST.csv|ORDERS/orders.db [-o OUT.pdf]\n"
    "       handout serve [--port N] [--listen ADDRESS --token TOKEN] [--orders DIR] (handout serve --help)\n"
    "       handout orders export|history|distribution|show|mark ... [--orders DIR] (handout orders --help)\n"
    "       handout proof [PAIRS|-] [-o OUT.pdf]\n"
    "       handout --help | --version\n"
    "\n"
    "Commands:\n"
    "  build   make a print-ready PDF from a layout and a content set\n"
    "  check   preflight: every check of a build, for every content set, writing nothing;\n"
    "          for a job file, every item as the batch would build it; with no layout\n"
    "          and no job file, every layout in layouts/\n"
    "  calibrate  a calibration sheet for the layout's sheet, to measure a printer's drift;\n"
    "          --duplex: a two-sided sheet that shows how far the back is off the front\n"
    "  list    list the layouts and content sets, with their descriptions\n"
    "  batch   build every item of event and order jobs, with reports and manifests (docs/batch.md)\n"
    "  report  a distribution report from a CSV log of what was handed out\n"
    "  serve   a local web page to pick, preview, download and order materials (docs/web.md)\n"
    "  orders  the order store: export orders and their history as CSV, show an order,\n"
    "          record a change of its status (docs/web.md)\n"
    "  proof   a proof sheet: every product in every language as a labelled thumbnail with\n"
    "          its check findings, one PDF (default output/proof.pdf) and its pages as PNG;\n"
    "          the products from PAIRS (LAYOUT CONTENT_DIR NAME [SIZE] lines, as make\n"
    "          run-pairs prints; - for standard input), else from tools/run-pairs.sh\n"
    "\n"
    "An option's value may follow it (--output FILE) or be joined to it (--output=FILE).\n"
    "\n"
    "Options for build:\n"
    "  -o, --output FILE   the PDF to write (default output/LAYOUT-CONTENT.pdf)\n"
    "  --set KEY=VALUE     set or override a content field (repeatable)\n"
    "  --dump FILE         write a text description of the page ('-' for stdout)\n"
    "  --diagnostics FILE  also write every error and warning as a record (tab-separated,\n"
    "                      escaped: level, file, line, section, key, text), for programs\n"
    "  --count N           how many items (default: one, or a full sheet)\n"
    "  --data FILE.csv     one item per record; {column} placeholders read it\n"
    "  --quantity-column NAME|none  the data file's column of copies per record (default:\n"
    "                      quantity, when the file has one; none: one item per record)\n"
    "  --sheet FILE|none   impose items on a sheet (default: the layout's sheet)\n"
    "  --print-shop        one item per page, trim plus bleed, with TrimBox and BleedBox;\n"
    "                      a PDF/X-4 file in CMYK (see --pdfx)\n"
    "  --pdfx              PDF/X-4 for any build: output intent with a CMYK profile, XMP,\n"
    "                      TrimBox and BleedBox, RGB colours separated to CMYK, ink checks\n"
    "  --ink-limit PERCENT total ink coverage allowed in CMYK output (default 300)\n"
    "  --overprint-black   black text overprints the colour under it (CMYK output)\n"
    "  --no-marks          no crop marks (pre-perforated stock)\n"
    "  --posting-instructions  a notice with a compliance profile: a last page for the\n"
    "                      business owner (who must post, where, how many, in which\n"
    "                      languages), from the profile (posting/sheet-letter.ini)\n"
    "  --printer FILE      a printer's measured offset and scale (printers/*.ini)\n"
    "  --tile PAPER        split a large item over sheets of PAPER (letter, a4, \"W x H\")\n"
    "  --overlap LENGTH    how much tiles overlap (default 0.5in)\n"
    "  --max-pages N       pages per file; more make OUT-001.pdf, OUT-002.pdf... (500)\n"
    "  -j, --jobs N        build that many files at once (with --max-pages)\n"
    "  --size NAME         one of the sizes the layout lists ([page] sizes; default: its\n"
    "                      design size, [page] size); check checks every size listed\n"
    "  --theme FILE|NAME   the theme layouts take {theme.KEY} from (a NAME is themes/NAME.ini;\n"
    "                      default themes/default.ini); also for check and batch\n"
    "Options for check:\n"
    "  --content DIR       check the layouts with this content set (repeatable; a folder\n"
    "                      holding content.ini among the arguments is one too; default: all)\n"
    "  --unused            list the fields no layout checked uses; without it they are listed\n"
    "                      only when every layout of the layouts' folder is checked\n"
    "  --strict            warnings count as errors\n"
    "  (--set, --data, --sheet, --printer, --count and --theme apply to the layouts; a job's\n"
    "  items use the job's, and --theme over the job's theme)\n"
    "Options for list:\n"
    "  --root DIR          the folder holding layouts/ and content/ (default .)\n"
    "  --sheets            list the sheets (sheets/*.ini) instead, with their paper and cells\n"
    "  --profiles          list the posting-law profiles (profiles/*.ini) instead, each with its\n"
    "                      citation and what it requires\n"
    "\n"
    "Exit status: 0 success, 1 invalid input, 2 usage error, 3 output not written,\n"
    "4 internal failure; when several problems meet, the highest of these numbers, the most\n"
    "severe. See handout(1) and docs/errors.md.\n";

static const char USAGE_BATCH[] =
    "usage: handout batch JOB.ini... [-j N] [--shard K/N] [--quiet | --verbose] [-o OUTDIR]\n"
    "       handout batch --sha256 FILE...\n"
    "\n"
    "Builds every item of every job into OUTDIR/<job>/<item>.pdf (OUTDIR: output), skipping\n"
    "the items whose inputs have not changed, and writes each job's report.pdf, manifest.csv\n"
    "and manifest.json once all its items are there.\n"
    "\n"
    "  -j, --jobs N      build N items at once (default 1)\n"
    "  --shard K/N       build only the items whose number (from 0, jobs in argument order,\n"
    "                    items in file order) leaves K-1 when divided by N\n"
    "  -q, --quiet       print only errors\n"
    "  -v, --verbose     print each build's command and messages\n"
    "  -o, --output DIR  the output folder (default output)\n"
    "  --theme FILE|NAME the theme of every item, over the jobs' theme keys (default: each\n"
    "                    job's, else themes/default.ini)\n"
    "  --sha256 FILE...  print each file's SHA-256, as sha256sum does\n"
    "An option's value may follow it (--jobs 2) or be joined to it (--jobs=2, -j2).\n"
    "\n"
    "Exit status: 0 success; else the most severe met, the highest number: 1 invalid input,\n"
    "2 usage error, 3 output not written, 4 internal failure. See docs/batch.md.\n";

static const char USAGE_REPORT[] =
    "usage: handout report DIST.csv [-o OUT.pdf]\n"
    "       handout report ORDERS/orders.db [-o OUT.pdf]\n"
    "\n"
    "A distribution report from a log of what was handed out: a CSV file with the columns\n"
    "date (YYYY-MM-DD), partner (or event), item and quantity. The PDF has the totals per\n"
    "item, per partner and per month, and a bar chart of the monthly totals. Given the order\n"
    "store (a file ending in .db), the log is its shipped orders: the day shipped, the agency\n"
    "(or who ordered), product and language, the items made (handout orders distribution).\n"
    "\n"
    "  -o, --output FILE  the PDF to write (default output/DIST-report.pdf; also --output=FILE)\n"
    "\n"
    "Exit status: 0 success, 1 invalid input, 2 usage error, 3 output not written,\n"
    "4 internal failure. See docs/batch.md.\n";

static const char USAGE_SERVE[] =
    "usage: handout serve [--port N] [--listen ADDRESS --token TOKEN] [--staff-token TOKEN]\n"
    "                     [--root DIR] [--orders DIR]\n"
    "                     [--max-builds N] [--build-timeout SECONDS] [--queue-wait SECONDS]\n"
    "                     [--header-timeout SECONDS] [--idle-timeout SECONDS]\n"
    "                     [--request-timeout SECONDS]\n"
    "  --port N            the port to listen on (default 8080; 0: any free port, printed)\n"
    "  --listen ADDRESS    the address to listen on (default 127.0.0.1); any other than a\n"
    "                      loopback address needs --token\n"
    "  --token TOKEN       an access token every request must carry (at least 16 characters;\n"
    "                      also read from HANDOUT_TOKEN): ?token=, a cookie, or a Bearer header\n"
    "  --staff-token TOKEN opens the staff page, /staff (at least 16 characters, not the\n"
    "                      --token; also read from HANDOUT_STAFF_TOKEN); without it there is none\n"
    "  --root DIR          the project folder: layouts/, content/, web/ (default .)\n"
    "  --orders DIR        where orders are written as job files, and the order store\n"
    "                      orders.db (default ROOT/orders)\n"
    "  --max-builds N      builds at once (default 2); more requests wait\n"
    "  --build-timeout S   seconds one build may take (default 60)\n"
    "  --queue-wait S      seconds a request waits for a build to end before it is refused (default 20)\n"
    "  --header-timeout S  seconds a client has to send a request's headers, from the moment it\n"
    "                      connects or its previous answer ends; then it is cut off (default 20)\n"
    "  --idle-timeout S    seconds a connection may send nothing before it is closed (default 30)\n"
    "  --request-timeout S seconds a client has to send a whole request, headers and body, from\n"
    "                      the moment it connects or its previous answer ends (default 60)\n"
    "An option's value may follow it (--port 9999) or be joined to it (--port=9999).\n";

static const char USAGE_ORDERS[] =
    "usage: handout orders export [-o FILE.csv] [--orders DIR | --root DIR]\n"
    "       handout orders history [-o FILE.csv] [--orders DIR | --root DIR]\n"
    "       handout orders distribution [-o FILE.csv] [--orders DIR | --root DIR]\n"
    "       handout orders show ORDER [--orders DIR | --root DIR]\n"
    "       handout orders mark ORDER STATUS --staff NAME [--reason TEXT] [--orders DIR | --root DIR]\n"
    "       handout orders handout ORDER --date YYYY-MM-DD --place TEXT --item NAME --quantity N\n"
    "                      --staff NAME [--orders DIR | --root DIR]\n"
    "       handout orders handouts [-o FILE.csv] [--orders DIR | --root DIR]\n"
    "\n"
    "The order store (ORDERS/orders.db) that handout serve writes each order into.\n"
    "  export    the orders as CSV, one row per item: who ordered, the status, when each\n"
    "            status was reached\n"
    "  history   every change of status as CSV: order, time, status, staff member, reason\n"
    "  distribution  the shipped orders as a distribution log (date, partner, item,\n"
    "            quantity), the CSV handout report reads\n"
    "  show      an order's status and history\n"
    "  mark      record a change of status: approved, printed, shipped or cancelled (with\n"
    "            --reason); a change the order's status does not allow is refused\n"
    "  handout   record what was handed out at an event from a built order's item; more\n"
    "            than was built for the item is refused\n"
    "  handouts  every hand-out as CSV: order, date, place, partner, product, language,\n"
    "            item, quantity, staff member, time recorded\n"
    "  -o, --output FILE  the CSV to write (default: standard output)\n"
    "  --orders DIR       the orders folder (default ROOT/orders)\n"
    "  --root DIR         the project folder (default .)\n"
    "  --staff NAME       who makes the change\n"
    "  --reason TEXT      why (needed to cancel)\n"
    "  --date YYYY-MM-DD  the day it was handed out\n"
    "  --place TEXT       the event or place\n"
    "  --item NAME        the order's item: its product, or \"PRODUCT (LANGUAGE)\"\n"
    "  --quantity N       how many were handed out (a whole number, 1 or more)\n"
    "\n"
    "Exit status: 0 success, 1 invalid input (no such order, a change refused), 2 usage\n"
    "error, 3 output not written, 4 internal failure. See docs/web.md.\n";

void cli_usage(cli_command c, FILE *to)
{
    fputs(c == CMD_BATCH    ? USAGE_BATCH
          : c == CMD_REPORT ? USAGE_REPORT
          : c == CMD_SERVE  ? USAGE_SERVE
          : c == CMD_ORDERS ? USAGE_ORDERS
                            : USAGE_MAIN,
          to);
}

/* The prefix, the message and, with usage, the command's usage, on stderr. */
__attribute__((format(printf, 3, 0))) static void usage_vprint(cli_command c, bool usage, const char *fmt, va_list ap)
{
    fputs(COMMANDS[c < CLI_NCOMMANDS ? c : CMD_NONE].prefix, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    if (usage)
        cli_usage(c, stderr);
}

int cli_usage_vfail(cli_command c, const char *id, const char *fmt, va_list ap)
{
    (void)id; /* the caller's, for docs/errors.md and the tests: cli_parse keeps it in usage_id */
    usage_vprint(c, true, fmt, ap);
    return EXIT_USAGE;
}

int cli_usage_fail(cli_command c, const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_usage_vfail(c, id, fmt, ap);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_fail(cli_command c, const char *id, const char *fmt, ...)
{
    (void)id;
    va_list ap;
    va_start(ap, fmt);
    usage_vprint(c, false, fmt, ap);
    va_end(ap);
    return EXIT_USAGE;
}

/* ---- the parser ---- */

static bool push(cli_list *l, const char *s)
{
    if (!GROW(l->items, l->n, l->cap))
        return false;
    l->items[l->n++] = s;
    return true;
}

static int out_of_memory(void)
{
    diag *d = diag_new(stderr);
    if (d)
        diag_error(d, "internal-out-of-memory", diag_at(NULL, 0), "out of memory reading the command line");
    else
        fputs("handout: error: out of memory reading the command line\n", stderr);
    diag_free(d);
    return EXIT_INTERNAL;
}

/* A usage error of the command line: printed as cli_usage_fail prints it, its id kept in o. */
__attribute__((format(printf, 4, 5))) static int refuse(cli_options *o, cli_command c, const char *id, const char *fmt,
                                                        ...)
{
    o->usage_id = id;
    va_list ap;
    va_start(ap, fmt);
    cli_usage_vfail(c, id, fmt, ap);
    va_end(ap);
    return EXIT_USAGE;
}

static const cli_option_def *find_long(const char *a, size_t n)
{
    for (size_t k = 0; k < CLI_NOPTS; k++)
        if (strlen(OPTIONS[k].name) == n && strncmp(OPTIONS[k].name, a, n) == 0)
            return &OPTIONS[k];
    return NULL;
}

static const cli_option_def *find_brief(char letter)
{
    for (size_t k = 0; k < CLI_NOPTS; k++)
        if (OPTIONS[k].brief && OPTIONS[k].brief[1] == letter)
            return &OPTIONS[k];
    return NULL;
}

/* "list and serve", "build, calibrate, batch and report": the commands that take option d. */
static void command_names(const cli_option_def *d, char *out, size_t len)
{
    int total = 0, done = 0;
    for (int c = CMD_NONE + 1; c < CLI_NCOMMANDS; c++)
        total += (d->commands & CMD_BIT(c)) != 0;
    out[0] = '\0';
    for (int c = CMD_NONE + 1; c < CLI_NCOMMANDS; c++) {
        if (!(d->commands & CMD_BIT(c)))
            continue;
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s", done == 0 ? "" : done == total - 1 ? " and " : ", ",
                 COMMANDS[c].name);
        done++;
    }
}

int cli_parse(int argc, char **argv, cli_options *o)
{
    memset(o, 0, sizeof *o);
    bool have_command = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == '\0') {
            /* the first argument that is not an option is the command; the others are its own */
            if (have_command) {
                if (!push(&o->args, a))
                    return out_of_memory();
                continue;
            }
            have_command = true;
            for (int c = CMD_NONE + 1; c < CLI_NCOMMANDS; c++)
                if (strcmp(a, COMMANDS[c].name) == 0)
                    o->command = (cli_command)c;
            if (o->command == CMD_NONE)
                return refuse(o, CMD_NONE, "usage-unknown-command", "unknown command %s (expected %s)", a,
                              COMMAND_NAMES);
            continue;
        }
        const cli_option_def *d;
        const char *v = NULL; /* a value joined to the option: --opt=value, -jN */
        if (a[1] == '-') {
            size_t n = strcspn(a, "=");
            d = find_long(a, n);
            if (a[n] == '=')
                v = a + n + 1;
        } else {
            d = find_brief(a[1]);
            if (a[2])
                v = a + 2;
            if (d && !d->value && v)
                d = NULL; /* "-qv": short options are not bundled */
        }
        if (!d)
            return refuse(o, o->command, "usage-unknown-option", "unknown option %s", a);
        const char *spelled = a[1] == '-' ? d->name : d->brief;
        if (!d->value && v)
            return refuse(o, o->command, "usage-flag-with-value", "option %s: expected no value, found \"%s\"", spelled,
                          v);
        if (d->id == OPT_HELP || d->id == OPT_VERSION) {
            o->help = d->id == OPT_HELP;
            o->version = d->id == OPT_VERSION;
            return -1;
        }
        if (d->value && !v) {
            if (i + 1 >= argc)
                return refuse(o, o->command, "usage-missing-value", "option %s needs a value", spelled);
            v = argv[++i];
        }
        if (d->value && !*v)
            return refuse(o, o->command, "usage-missing-value", "option %s needs a value", spelled);
        o->given[d->id] = true;
        o->spelled[d->id] = spelled;
        if (d->value) {
            o->value[d->id] = v;
            if (!push(&o->values[d->id], v))
                return out_of_memory();
        }
    }
    if (!have_command)
        return refuse(o, CMD_NONE, "usage-no-command", "a command is needed: %s", COMMAND_NAMES);
    for (size_t k = 0; k < CLI_NOPTS; k++) {
        if (!o->given[k] || (OPTIONS[k].commands & CMD_BIT(o->command)))
            continue;
        if (COMMANDS[o->command].not_taken)
            return refuse(o, o->command, "usage-option-not-taken", "%s", COMMANDS[o->command].not_taken);
        char names[128];
        command_names(&OPTIONS[k], names, sizeof names);
        return refuse(o, o->command, "usage-option-not-taken", "option %s is for %s", o->spelled[k], names);
    }
    return -1;
}

void cli_free(cli_options *o)
{
    free(o->args.items);
    for (size_t k = 0; k < CLI_NOPTS; k++)
        free(o->values[k].items);
    memset(o, 0, sizeof *o);
}
