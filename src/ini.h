/* ini: reading INI files. The only room that includes iniparser. It pre-scans every file to
 * catch what iniparser would silently get wrong (an unquoted '#' or ';' inside a value, a
 * byte-order mark, an over-long line, a duplicate key or section, invalid UTF-8), keeps the line
 * of every key for messages, and hands out sections and keys in file order. */
#ifndef HANDOUT_INI_H
#define HANDOUT_INI_H

#include "diag.h"

typedef struct ini_file ini_file;

/* Loads path; reports every problem to d and returns NULL when there was one. */
ini_file *ini_load(const char *path, diag *d);
void ini_free(ini_file *f);

const char *ini_path(const ini_file *f);
int ini_section_count(const ini_file *f);
const char *ini_section_name(const ini_file *f, int s); /* lower-case */
int ini_section_line(const ini_file *f, int s);
int ini_section_index(const ini_file *f, const char *name); /* -1 when absent */
int ini_key_count(const ini_file *f, int s);
const char *ini_key_name(const ini_file *f, int s, int k); /* lower-case */
const char *ini_key_value(const ini_file *f, int s, int k);
int ini_key_line(const ini_file *f, int s, int k);
/* The value of section:key, or NULL when the key is absent. */
const char *ini_get(const ini_file *f, const char *section, const char *key);
/* Reports every key of section s that is not in the NULL-terminated list keys, with the nearest
 * known ones suggested (suggest.h), as the error id (the file's area: "layout-unknown-key"). */
void ini_check_keys(const ini_file *f, int s, const char *const *keys, const char *id, diag *d);

/* The line of section:key, or 0. */
int ini_line(const ini_file *f, const char *section, const char *key);

#endif
