/* Shared by the unit test files: tests/unit.c holds main() and the core suites; each
 * tests/unit_NAME.c adds one suite `void test_NAME(void)` and is declared here and listed in UNIT_SUITES. */
#ifndef HANDOUT_UNIT_H
#define HANDOUT_UNIT_H

/* Counts one check and prints "ok - name" or "FAIL - name: detail". */
void check(int ok, const char *name, const char *detail);

void test_numbers(void);
void test_payload(void);
void test_siblings(void);

void test_childproc(void);
void test_cli(void);
void test_data(void);
void test_escape(void);
void test_fonts(void);
void test_hyphen(void);
void test_initraps(void);
void test_limits(void);
void test_unicode(void);
void test_webform(void);

/* Each suite, followed by a comma, e.g. "test_data,". */
#define UNIT_SUITES test_childproc, test_cli, test_data, test_escape, test_fonts, test_hyphen, test_initraps, test_limits, test_numbers, test_payload, test_siblings, test_unicode, test_webform,

#endif
