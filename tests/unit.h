/* Shared by the unit test files: tests/unit.c holds main() and the core suites; each
 * tests/unit_NAME.c adds one suite `void test_NAME(void)` and is declared here and listed in UNIT_SUITES. */
#ifndef HANDOUT_UNIT_H
#define HANDOUT_UNIT_H

/* Counts one check and prints "ok - name", or "FAIL - name: FILE:LINE: detail" where FILE:LINE
 * is the place of the check in the test's source and detail is what was found (NULL: nothing to
 * add). check() is a macro so that the place is the caller's. */
void unit_check(const char *file, int line, int ok, const char *name, const char *detail);
#define check(ok, name, detail) unit_check(__FILE__, __LINE__, (ok), (name), (detail))

/* Checks of a value found against the one expected: a failure prints both, with the place,
 * "FAIL - name: FILE:LINE: found 3, expected 4". CHECK_NEAR passes within tol; CHECK_STR takes
 * NULL for either (printed as (null)). Each returns whether it passed. */
int unit_check_int(const char *file, int line, const char *name, long long got, long long want);
int unit_check_near(const char *file, int line, const char *name, double got, double want, double tol);
int unit_check_str(const char *file, int line, const char *name, const char *got, const char *want);
#define CHECK_INT(name, got, want) unit_check_int(__FILE__, __LINE__, (name), (got), (want))
#define CHECK_NEAR(name, got, want, tol) unit_check_near(__FILE__, __LINE__, (name), (got), (want), (tol))
#define CHECK_STR(name, got, want) unit_check_str(__FILE__, __LINE__, (name), (got), (want))

void test_numbers(void);
void test_preflight(void);
void test_design(void);
void test_report(void);
void test_payload(void);
void test_siblings(void);
void test_project(void);

void test_art(void);
void test_childproc(void);
void test_cli(void);
void test_data(void);
void test_diag(void);
void test_escape(void);
void test_fonts(void);
void test_geometry(void);
void test_hyphen(void);
void test_impose(void);
void test_initraps(void);
void test_limits(void);
void test_shape(void);
void test_store(void);
void test_theme(void);
void test_unicode(void);
void test_webform(void);

/* Each suite, followed by a comma, e.g. "test_data,". */
#define UNIT_SUITES test_art, test_childproc, test_cli, test_data, test_design, test_diag, test_escape, test_fonts, test_geometry, test_hyphen, test_impose, test_initraps, test_limits, test_numbers, test_payload, test_preflight, test_project, test_report, test_shape, test_siblings, test_store, test_theme, test_unicode, test_webform,

#endif
