/* content: a content set (content/<lang>/): its fields from content.ini, overrides from the
 * command line, the text files beside it, and the expansion of {field} placeholders. */
#ifndef HANDOUT_CONTENT_H
#define HANDOUT_CONTENT_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct content content;

/* What a set's content.ini says of its translation ([content] status, docs/formats.md): a draft
 * no native speaker has reviewed, a reviewed one, or nothing (no status key). */
typedef enum { CONTENT_STATUS_UNSTATED, CONTENT_STATUS_DRAFT, CONTENT_STATUS_REVIEWED } content_status;

/* Limits (docs/formats.md, "Limits"). A text file read from a content set (a Markdown file, a
 * QR element's link_file) holds at most CONTENT_MAX_FILE bytes. The text of one element once its
 * placeholders are filled holds at most CONTENT_MAX_TEXT bytes: a Letter page of 6 pt type holds
 * about 20,000 characters, and without a limit placeholders whose values repeat other
 * placeholders multiply a few lines into gigabytes (ten {b} in a, ten {c} in b, ...). */
enum { CONTENT_MAX_FILE = 1 << 20, CONTENT_MAX_TEXT = 64 << 10 };

/* Loads DIR/content.ini; reports problems to d and returns NULL on error. */
content *content_load(const char *dir, diag *d);
/* An empty content set (for tests). */
content *content_new(const char *dir);
void content_free(content *c);

const char *content_dir(const content *c);
const char *content_ini_path(const content *c);
/* Sets a field from "key=value" (the --set option); false with a message on a bad argument. */
bool content_set_arg(content *c, const char *arg, diag *d);
bool content_set(content *c, const char *key, const char *value);
/* Calls fn for every field of content.ini that no expansion has used so far. */
void content_each_unused(const content *c, void (*fn)(void *ctx, const char *key, int line), void *ctx);
/* Marks a field as used (for fields used by another content set's run). */
void content_mark_used(content *c, const char *key);
/* Calls fn for every field that an expansion has used. */
void content_each_used(const content *c, void (*fn)(void *ctx, const char *key), void *ctx);

/* The set's status and, in *line (when line is not NULL), the line of its status key (0: none). */
content_status content_get_status(const content *c, int *line);
/* Calls fn for every other language's set this one has loaded ({field@lang}, ../<lang>/ files). */
void content_each_sibling(const content *c, void (*fn)(void *ctx, const content *set), void *ctx);
/* Whether the set names the layouts it goes into ([content] layouts, a list of layout names
 * without .ini); when it does, *listed says whether name is one of them. */
bool content_lists_layout(const content *c, const char *name, bool *listed);

/* The line of a field in content.ini; 0 when it has none (absent, or set by --set). */
int content_line(const content *c, const char *key);
/* The raw value of a field, or NULL. */
const char *content_get(const content *c, const char *key);

struct theme;
/* The theme whose values {theme.KEY} gives (borrowed: it must outlive the set), or NULL for none.
 * A set loaded for another language ({field@lang}) uses its owner's. */
void content_use_theme(content *c, const struct theme *t);
const struct theme *content_theme(const content *c);

struct data_table;

/* The record that {column} placeholders read for the current item (t NULL: none) and the item's
 * serial number ({serial}, 1-based). A record's columns take precedence over the content's
 * fields; a column that is empty in the record is an error naming the CSV line and column. */
void content_use_record(content *c, const struct data_table *t, size_t row, long serial);
/* With quantities (data.h): which copy of its record the current item is, from 1 ({record_serial};
 * content_use_record sets 1). */
void content_use_copy(content *c, long record_serial);

/* The folder of language lang beside the content set folder dir ("content/en" or "content/en/"
 * and "es" give "content/es"; "en" gives "es"): the one rule for where another language's set is,
 * for {field@lang}, ../<lang>/ files and [page] languages. Caller frees; NULL when out of memory. */
char *content_sibling_path(const char *dir, const char *lang);

/* For a file named "../<lang>/NAME" from this set: the content set of <lang> (loaded once); else
 * NULL (the file belongs to this set). */
content *content_for_file(content *c, const char *name, diag *d);

/* Where the first field whose value holds the UTF-8 bytes `needle` is written: content.ini with
 * its line, or --set. False when no field holds them. */
bool content_origin(const content *c, const char *needle, diag_loc *loc);

/* Expands {field} placeholders in `in` ({{ and }} are literal braces), recursively through
 * field values, and {theme.KEY} from the set's theme (content_use_theme). {name:0N} pads a numeric value with zeros to N digits ({serial:05} gives 00042).
 * Returns a new string, or NULL after reporting at loc (also when the result would pass
 * CONTENT_MAX_TEXT). When loc has a line but no key and `in` spans lines, the line of the problem
 * is loc.line plus the lines before it. */
char *content_expand(const content *c, const char *in, diag *d, diag_loc loc);

/* content_expand, with the value of each {field@lang} between marks, so that the typesetter
 * can tag it with its language: CONTENT_LANG_BEGIN, the other set's `language` field (else the
 * folder's name), CONTENT_LANG_CODE_END, the value, CONTENT_LANG_END. Marks nest as the fields
 * do. These control bytes are refused in text to be set (text-control-character), so a mark is
 * never text. */
enum { CONTENT_LANG_BEGIN = 0x01, CONTENT_LANG_CODE_END = 0x02, CONTENT_LANG_END = 0x03 };
char *content_expand_marked(const content *c, const char *in, diag *d, diag_loc loc);

/* Whether expanding `in` reads what changes from item to item: a column of the current record
 * (content_use_record), {serial} or {record_serial}, directly or through the values of fields.
 * False when the text is the same for every item of this content set (other languages' fields,
 * {field@lang}, read no record). A placeholder expand_into would refuse counts as varying. */
bool content_varies(const content *c, const char *in);

/* Reads a text file named relative to the content folder (NUL-terminated, valid UTF-8 checked, at
 * most CONTENT_MAX_FILE bytes). *path_out receives the path used (caller frees). */
char *content_read_file(const content *c, const char *name, char **path_out, diag *d, diag_loc loc);

#endif
