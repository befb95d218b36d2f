/* Unit tests: the distribution report's sums (src/report.c, report_sums_of), table-driven. The
 * expected values are added up by hand from tests/fixtures/distribution-small.csv, six records:
 *
 *   date        partner                         item         quantity
 *   2023-12-30  St Mark's Church                Flyer        40
 *   2024-01-05  Truck stop outreach, Route 1    Wallet card  25
 *   2024-01-20  St Mark's Church                Wallet card  15
 *   2024-01-31  Greyhound station               Flyer        10
 *   2024-03-01  Greyhound station               Poster       15
 *   2024-03-02  Truck stop outreach, Route 1    Flyer        0
 *
 * [hand] total 40 + 25 + 15 + 10 + 15 + 0 = 105 in 6 hand-outs; months 2023-12: 1 hand-out, 40;
 *        2024-01: 3, 25 + 15 + 10 = 50; 2024-02: none, 0; 2024-03: 2, 15 + 0 = 15 (4 months,
 *        40 + 50 + 0 + 15 = 105); items Flyer 3, 40 + 10 + 0 = 50; Wallet card 2, 25 + 15 = 40;
 *        Poster 1, 15 (50 + 40 + 15 = 105); partners St Mark's Church 2, 40 + 15 = 55; Greyhound
 *        station 2, 10 + 15 = 25; Truck stop outreach, Route 1 2, 25 + 0 = 25 (55 + 25 + 25 = 105)
 * [docs] docs/batch.md, the distribution report: totals per month (a month without hand-outs
 *        shown), per item and per partner (or per event), largest first; every record checked
 *        (a real date, a whole quantity, an item and a partner) before anything is added up */
#include "data.h"
#include "diag.h"
#include "report.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURE "tests/fixtures/distribution-small.csv"

static void sums_rows(void)
{
    diag *d = diag_new(NULL);
    data_table *t = d ? data_load(FIXTURE, d) : NULL;
    report_sums s;
    bool ok = t && report_sums_of(t, FIXTURE, &s, d);
    check(ok, "report sums: " FIXTURE " is read and added up (run from the repository's root)",
          d ? diag_last(d) : "out of memory");
    if (ok) {
        CHECK_INT("report sums row 1 [hand]: 6 hand-outs", (long long)s.rows, 6);
        CHECK_INT("report sums row 2 [hand]: 105 in all", s.total, 105);
        CHECK_STR("report sums row 3 [hand]: the first date", s.first_date, "2023-12-30");
        CHECK_STR("report sums row 4 [hand]: the last date", s.last_date, "2024-03-02");
        CHECK_INT("report sums row 5 [hand, docs]: 4 months, 2023-12 to 2024-03, February's none included", s.nmonths,
                  4);
        CHECK_INT("report sums row 6 [hand]: the first month is December 2023 (year x 12 + month - 1)", s.first_month,
                  2023 * 12 + 11);
        static const struct {
            int row;
            const char *month;
            long rows;
            long long qty;
        } months[] = { { 7, "2023-12", 1, 40 }, { 8, "2024-01", 3, 50 }, { 9, "2024-02", 0, 0 }, { 10, "2024-03", 2, 15 } };
        for (int m = 0; m < 4 && m < s.nmonths; m++) {
            char name[160];
            snprintf(name, sizeof name, "report sums row %d [hand]: %s, hand-outs", months[m].row, months[m].month);
            CHECK_INT(name, s.month_rows[m], months[m].rows);
            snprintf(name, sizeof name, "report sums row %d [hand]: %s, quantity", months[m].row, months[m].month);
            CHECK_INT(name, s.month_qty[m], months[m].qty);
        }
        static const struct {
            int row;
            bool who;
            const char *name;
            long rows;
            long long qty;
        } tallies[] = {
            { 14, false, "Flyer", 3, 50 },
            { 15, false, "Wallet card", 2, 40 },
            { 16, false, "Poster", 1, 15 },
            { 17, true, "St Mark's Church", 2, 55 },
            { 18, true, "Greyhound station", 2, 25 }, /* 25 each: then by name (report.h) */
            { 19, true, "Truck stop outreach, Route 1", 2, 25 },
        };
        CHECK_INT("report sums row 11 [hand]: 3 items", (long long)s.nitems, 3);
        CHECK_INT("report sums row 12 [hand]: 3 partners", (long long)s.nwho, 3);
        CHECK_INT("report sums row 13 [hand]: partners, not events", s.by_event, 0);
        for (size_t i = 0; i < sizeof tallies / sizeof tallies[0]; i++) {
            size_t k = i < 3 ? i : i - 3, n = tallies[i].who ? s.nwho : s.nitems;
            const report_tally *t2 = tallies[i].who ? s.who : s.items;
            char name[200];
            snprintf(name, sizeof name, "report sums row %d [hand, docs]: %s %zu, largest first, is", tallies[i].row,
                     tallies[i].who ? "partner" : "item", k + 1);
            if (!CHECK_STR(name, k < n ? t2[k].name : NULL, tallies[i].name))
                continue;
            snprintf(name, sizeof name, "report sums row %d [hand]: %s, hand-outs", tallies[i].row, tallies[i].name);
            CHECK_INT(name, t2[k].rows, tallies[i].rows);
            snprintf(name, sizeof name, "report sums row %d [hand]: %s, quantity", tallies[i].row, tallies[i].name);
            CHECK_INT(name, t2[k].qty, tallies[i].qty);
        }
        report_sums_free(&s);
    }
    data_free(t);
    diag_free(d);
}

/* Logs with a problem: nothing is added up, and each problem is reported at its line [docs]. */
static void refused_rows(void)
{
    static const struct {
        int row;
        const char *csv;
        int errors;
        const char *words;
    } rows[] = {
        { 20, "date,partner,item,quantity\n2024-02-30,A,Flyer,5\n", 1, ":2: date: expected a date as YYYY-MM-DD (a real day)" },
        { 21, "date,partner,item,quantity\n2024-02-03,A,Flyer,1.5\n2024-02-04,A,,2\n", 2,
          ":3: item: expected what was handed out" },
        { 22, "date,partner,item,count\n2024-02-03,A,Flyer,1\n", 1, ":1: expected a column named quantity" },
        { 23, "date,event,item,quantity\n2024-02-03,,Flyer,1\n", 1, "expected who handed it out" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char path[] = "/tmp/handout-report-XXXXXX", name[200];
        int fd = mkstemp(path);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (f) {
            fputs(rows[i].csv, f);
            fclose(f);
        } else if (fd >= 0) {
            close(fd);
        }
        diag *d = diag_new(NULL);
        data_table *t = d ? data_load(path, d) : NULL;
        report_sums s = { 0 };
        bool ok = t && report_sums_of(t, path, &s, d);
        snprintf(name, sizeof name, "report sums row %d [docs]: refused with %d error%s, the last \"%s\"", rows[i].row,
                 rows[i].errors, rows[i].errors == 1 ? "" : "s", rows[i].words);
        char detail[600];
        snprintf(detail, sizeof detail, "found %s, %d errors, the last: %s; expected refused", ok ? "sums" : "refused",
                 d ? diag_errors(d) : -1, d ? diag_last(d) : "");
        check(t && !ok && s.rows == 0 && diag_errors(d) == rows[i].errors && strstr(diag_last(d), rows[i].words), name,
              detail);
        report_sums_free(&s);
        data_free(t);
        diag_free(d);
        unlink(path);
    }
}

void test_report(void)
{
    sums_rows();
    refused_rows();
}
