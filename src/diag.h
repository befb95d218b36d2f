/* diag: diagnostics. Owns the reporting of errors and warnings with their place
 * (file, line, section, key), one line each, and the counts that decide the exit status. */
#ifndef HANDOUT_DIAG_H
#define HANDOUT_DIAG_H

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
void diag_error(diag *d, diag_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void diag_warn(diag *d, diag_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int diag_errors(const diag *d);
int diag_warnings(const diag *d);
const char *diag_last(const diag *d); /* text of the last message, for tests */
/* Also writes every message printed as one record line to f (NULL: none), the form a parent
 * process reads instead of the text (handout batch reads its builds' records):
 *   LEVEL<TAB>FILE<TAB>LINE<TAB>SECTION<TAB>KEY<TAB>TEXT
 * LEVEL "error" or "warning"; FILE, SECTION, KEY empty when not known; LINE 0 when not known;
 * TEXT the message after its place ("expected ..., found ..."); every field escaped (escape.h),
 * so that no value breaks the line. The context (diag_set_context) is not part of a record. */
void diag_set_records(diag *d, FILE *f);

/* One record, read back: its fields point into the line given to diag_record_parse. */
typedef struct diag_record {
    const char *level, *file, *section, *key, *text;
    int line;
} diag_record;

/* Parses one record line (in place, unescaping its fields); false when it is not one. */
bool diag_record_parse(char *line, diag_record *r);

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
