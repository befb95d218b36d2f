/* diag: diagnostics. Owns the reporting of errors and warnings with their place (file, line,
 * section, key) and their stable id, one line each on the sink, one record each for programs, and
 * the counts that decide the exit status.
 *
 * Every message has an id: short kebab-case words, the first naming the area ("ini-text-after-
 * quote", "preflight-overlap"). docs/errors.md lists every id with its level, what it means and
 * what to do; tools/diag-ids.pl checks that the ids written in src/ and the list agree. An id is
 * a string literal at the call (or passed on by a helper whose parameter is `const char *id`), so
 * that the id a record carries leads to its call by a plain search. The id is not printed on the
 * sink: the text there stays as it was; it is a field of every record. */
#ifndef HANDOUT_DIAG_H
#define HANDOUT_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

/* Where a problem is: any field may be NULL/0 when it is not known. */
typedef struct diag_loc {
    const char *file;
    int line;
    const char *section;
    const char *key;
} diag_loc;

typedef struct diag diag;

diag *diag_new(FILE *sink);          /* sink: where messages go (stderr), NULL to keep quiet */
void diag_free(diag *d);
/* Reports an error (a warning) of the given id at loc. The line on the sink is
 *   handout: error: FILE:LINE: [SECTION] KEY: TEXT
 * with TEXT made from fmt, and every control character of it (C0 but none left out, DEL, C1), a
 * bidirectional override or isolate and a byte that is not UTF-8 shown escaped (\x1B, \u009B,
 * \u202E, \xFF), so that a value quoted from an input cannot drive the terminal; a backslash and
 * every other character are shown as they are. A message already printed is not printed again. */
void (diag_error)(diag *d, const char *id, diag_loc loc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void (diag_warn)(diag *d, const char *id, diag_loc loc, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* diag_error with the arguments as a va_list, for a module's own reporting helper. */
void diag_verror(diag *d, const char *id, diag_loc loc, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
int diag_errors(const diag *d);
int diag_warnings(const diag *d);
const char *diag_last(const diag *d);    /* the last message as printed (escaped), for tests */
const char *diag_last_id(const diag *d); /* its id ("" before the first), for tests */
/* Also writes every message printed as one record line to f (NULL: none), the form a parent
 * process reads instead of the text (handout batch reads its builds' records):
 *   LEVEL<TAB>ID<TAB>FILE<TAB>LINE<TAB>SECTION<TAB>KEY<TAB>EXPECTED<TAB>FOUND<TAB>TEXT
 * LEVEL "error" or "warning"; ID the message's id; FILE, SECTION, KEY empty when not known; LINE
 * 0 when not known; TEXT the message after its place ("expected ..., found ..."), as it was
 * made, before it is shown escaped on the sink. EXPECTED and FOUND are cut from TEXT where the
 * program's own words put them, never by searching the values: when fmt holds "expected "
 * (at its start or after ": ") and then ", found ", EXPECTED is what the words between them
 * became, and FOUND what follows ", found " up to the first "; " written in fmt after it (the
 * advice that may follow), or the end; else both are empty. Every field is escaped (escape.h),
 * so that no value breaks the line. The context (diag_set_context) is not part of a record. */
void diag_set_records(diag *d, FILE *f);

/* One record, read back: its fields point into the line given to diag_record_parse. */
typedef struct diag_record {
    const char *level, *id, *file, *section, *key, *expected, *found, *text;
    int line;
} diag_record;

/* Parses one record line (in place, unescaping its fields); false when it is not one. */
bool diag_record_parse(char *line, diag_record *r);

/* Calls fn(data, record) for every message printed, as it is made (fields valid during the
 * call only); NULL removes it. A caller in the same process reads records this way rather than
 * the text (the batch's plan takes an item's first error so). */
typedef void (*diag_record_fn)(void *data, const diag_record *r);
void diag_set_callback(diag *d, diag_record_fn fn, void *data);

/* A record as one line without its level, "FILE:LINE: [SECTION] KEY: TEXT" (the parts known),
 * shown as the sink shows a message (control characters escaped). Caller frees; NULL when out
 * of memory. */
char *diag_record_shown(const diag_record *r);

/* Puts ctx before the place of every later message ("handout: error: CTX: FILE:LINE: ..."), as
 * `handout check` names the job file and item ("jobs/x.ini:12: [posters]") before each finding
 * of the item's build. NULL removes it. The text is copied (cut at 511 bytes). */
void diag_set_context(diag *d, const char *ctx);

/* The shorthand for a location in a file with no section or key. */
static inline diag_loc diag_at(const char *file, int line)
{
    diag_loc l = { file, line, NULL, NULL };
    return l;
}

#endif
