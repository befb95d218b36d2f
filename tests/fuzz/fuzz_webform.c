/* libFuzzer target: the web page's form (webform.c). The input is lines "field=value" (the form's
 * fields, checked against the project's catalogue: run from the project folder), then a line
 * "---", then a build's diagnostic records (diag.h), whose messages are placed beside the fields;
 * the job file and data file the form becomes are made too. */
#include "webform.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static web_catalogue *cat;
    if (!cat) {
        diag *d = diag_new(NULL);
        cat = webcat_load(".", d);
        diag_free(d);
        if (!cat)
            abort(); /* run it from the project folder */
    }
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    web_form f;
    webform_init(&f);
    char *records = strstr(text, "\n---\n");
    if (records) {
        *records = '\0';
        records += 5;
    }
    for (char *line = text; line && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        char *eq = strchr(line, '=');
        if (eq) {
            *eq = '\0';
            web_field k = web_field_by_name(line);
            if (k != WF_COUNT)
                webform_set(&f, k, eq + 1, strlen(eq + 1));
        }
        line = end ? end + 1 : NULL;
    }
    webform_check(&f, cat, true);
    if (webform_errors(&f) == 0) {
        free(webform_job_text(&f, "order-20260101-001", "orders/order-20260101-001.ini", "2026-01-01", f.quantity,
                              f.product->partner ? "orders/x.csv" : NULL, NULL));
        if (f.product->partner)
            free(webform_partner_csv(&f, "web"));
    }
    webform_take_records(&f, records, "/tmp/r/unit.ini", "/tmp/r/unit-partner.csv", "/tmp/r/logo.png");
    webform_free(&f);
    free(text);
    return 0;
}
