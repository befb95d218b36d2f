/* data: a CSV data file for a data merge (--data FILE.csv): one record per item, its columns named
 * by the header row and used as {column} placeholders. The table owns every string it returns;
 * they live until data_free. */
#ifndef HANDOUT_DATA_H
#define HANDOUT_DATA_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct data_table data_table;

/* Reads and checks a whole CSV file. Returns NULL after reporting every problem found to d. */
data_table *data_load(const char *path, diag *d);
void data_free(data_table *t); /* accepts NULL */

const char *data_path(const data_table *t);
size_t data_rows(const data_table *t);    /* records, the header excluded */
size_t data_columns(const data_table *t);
/* The name of a column, trimmed and lower-cased ([a-z0-9_]+). */
const char *data_column_name(const data_table *t, size_t col);
/* The index of the column with this exact name, or -1 when there is none. */
long data_column_index(const data_table *t, const char *name);
/* A value, never NULL: "" for an empty field (and for a row or column out of range). */
const char *data_value(const data_table *t, size_t row, size_t col);
/* The line of the file where a record starts (the header is line 1); 0 out of range. */
int data_row_line(const data_table *t, size_t row);
/* Puts value in column col of every record, as a job's set_<column> does (docs/batch.md). False
 * when col is out of range or memory runs out. */
bool data_set_column(data_table *t, size_t col, const char *value);
/* Quantities: column `name` (when the file has one) says how many copies of each record to make.
 * Every value must be a whole number from 1 to 1,000,000 (an empty, zero, negative or other value
 * is an error naming its line and column), and their total at most 1,000,000, the limit of
 * --count. Without such a column every record is one item, as before; `required`: a missing column
 * is an error too. False after reporting. */
bool data_use_quantity(data_table *t, const char *name, bool required, diag *d);
bool data_has_quantities(const data_table *t);
/* The items the records make: the sum of the quantities, or the records. */
long data_items(const data_table *t);
/* A record's quantity (1 without quantities). */
long data_quantity(const data_table *t, size_t row);
/* The record that 0-based item `item` is a copy of, and which copy it is (*within, from 1). */
size_t data_item_record(const data_table *t, long item, long *within);
/* The column names as "code, name, phone", for messages. Caller frees; NULL when out of memory. */
char *data_column_list(const data_table *t);

#endif
