/* Unit tests of webform.c: the web page's form checked against the project's catalogue, the job
 * file and data file a form becomes, and the engine's messages placed beside their fields. */
#include "unit.h"
#include "webform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set(web_form *f, web_field k, const char *v)
{
    webform_set(f, k, v, strlen(v));
}

/* The first message of field k, or "". */
static const char *msg_of(const web_form *f, web_field k)
{
    for (int i = 0; i < f->nmsgs; i++)
        if (f->msgs[i].field == k)
            return f->msgs[i].text;
    return "";
}

static void partner_form(web_form *f, const web_catalogue *c)
{
    webform_init(f);
    set(f, WF_PRODUCT, "partner-card-us");
    set(f, WF_LANGUAGE, "es");
    set(f, WF_QUANTITY, "25");
    set(f, WF_AGENCY, "Sheriff's Office, Patrol");
    set(f, WF_LOCAL_PHONE, "(207) 774-1444");
    set(f, WF_NAME, "Jo Smith");
    set(f, WF_CONTACT, "jo@example.org");
    webform_check(f, c, true);
}

void test_webform(void)
{
    diag *d = diag_new(NULL);
    web_catalogue *c = webcat_load(".", d);
    check(c != NULL, "webform: the project's catalogue loads", diag_last(d));
    if (!c) {
        diag_free(d);
        return;
    }
    const web_product *p = webcat_product(c, "partner-card-us");
    check(p && p->partner && !p->fixed_languages, "webform: partner-card-us takes a partner", "");
    bool agency = false, logo = false;
    for (int i = 0; p && i < p->nsections; i++) {
        agency = agency || (strcmp(p->sections[i], "agency") == 0 && p->section_field[i] == WF_AGENCY);
        logo = logo || (strcmp(p->sections[i], "logo") == 0 && p->section_field[i] == WF_LOGO);
    }
    check(agency && logo, "webform: the layout's [agency] and [logo] sections are mapped to their fields", "");
    check(webcat_product(c, "../layouts/flyer-letter") == NULL, "webform: a path is not a product", "");
    check(webcat_language(c, "ko") == NULL && webcat_language(c, "vi") != NULL,
          "webform: reference content sets are not languages", "");

    web_form f;
    partner_form(&f, c);
    check(webform_errors(&f) == 0 && f.quantity == 25, "webform: a complete partner order passes", msg_of(&f, WF_GENERAL));

    char *job = webform_job_text(&f, "order-20261128-007", "orders/order-20261128-007.ini", "2026-11-28", 25,
                                 "orders/order-20261128-007-partner.csv", NULL);
    check(job && strstr(job, "name        = \"Web order 20261128-007\"\n") && strstr(job, "kind        = order\n") &&
              strstr(job, "partner     = \"Sheriff's Office, Patrol\"\n") &&
              strstr(job, "[partner-card-us]\nlayout   = partner-card-us\nlanguage = es\nquantity = 25\n") &&
              strstr(job, "data     = orders/order-20261128-007-partner.csv\nset_logo = \n") &&
              strstr(job, "ordered by Jo Smith (jo@example.org)"),
          "webform: the job file has the order's name, partner, item, data and an empty logo", job ? job : "NULL");
    free(job);
    char *csv = webform_partner_csv(&f, "web-1");
    check(csv && strcmp(csv, "code,agency,local_phone\n\"web-1\",\"Sheriff's Office, Patrol\",\"(207) 774-1444\"\n") == 0,
          "webform: the partner's data file quotes every field", csv ? csv : "NULL");
    free(csv);

    /* the engine's messages, beside their fields */
    const char *log =
        "handout: wrote x.pdf (1 page)\n"
        "handout: error: /p/layouts/partner-card-us.ini:45: [local] text: expected the hotline, found \"1-888-373-7887\", one keystroke away\n"
        "handout: warning: /p/layouts/partner-card-us.ini:98: [logo] file: expected an image of at least 300 dpi, found 60 dpi\n"
        "handout: error: /tmp/r1/unit.ini:12: [partner-card-us] quantity: expected at most 1000000 items\n"
        "handout: error: /p/layouts/partner-card-us.ini:30: [hotline] text: expected the text to fit\n"
        "handout: error: /tmp/r1/unit-partner.csv:2: local_phone: expected a value\n"
        "handout: no PDF was written\n";
    webform_take_log(&f, log, "/tmp/r1/unit.ini", "/tmp/r1/unit-partner.csv", NULL);
    check(strstr(msg_of(&f, WF_LOCAL_PHONE), "one keystroke away") != NULL,
          "webform: a near miss in [local] goes beside the local number", msg_of(&f, WF_LOCAL_PHONE));
    check(strstr(msg_of(&f, WF_LOGO), "300 dpi") != NULL, "webform: a low resolution goes beside the logo",
          msg_of(&f, WF_LOGO));
    check(strstr(msg_of(&f, WF_QUANTITY), "at most 1000000") != NULL,
          "webform: the job file's quantity key goes beside the quantity", msg_of(&f, WF_QUANTITY));
    check(strcmp(msg_of(&f, WF_GENERAL), "expected the text to fit (layout element hotline)") == 0,
          "webform: a section no field feeds goes at the top, named", msg_of(&f, WF_GENERAL));
    int n = 0;
    for (int i = 0; i < f.nmsgs; i++)
        n += f.msgs[i].field == WF_LOCAL_PHONE;
    check(n == 2, "webform: the data file's column goes beside its field", "");
    check(webform_errors(&f) == 4, "webform: four errors and a warning", "");
    webform_free(&f);

    /* values the page refuses */
    static const struct { web_field k; const char *v; const char *want; } bad[] = {
        { WF_PRODUCT, "../../etc/passwd", "Product: expected a choice from the list" },
        { WF_LANGUAGE, "../en", "Language: expected a choice from the list" },
        { WF_QUANTITY, "0", "Quantity: expected a whole number from 1 to 10000, found \"0\"" },
        { WF_QUANTITY, "10001", "Quantity: expected a whole number from 1 to 10000, found \"10001\"" },
        { WF_QUANTITY, "2x", "Quantity: expected a whole number" },
        { WF_QUANTITY, "99999999999999999999", "Quantity: expected a whole number" },
        { WF_VERSION, "poster", "Version: expected sheet or print-shop" },
        { WF_AGENCY, "The \"Best\" Agency", "Agency name: expected text without the character \"" },
        { WF_AGENCY, "Line\nbreak", "Agency name: expected one line of text, found a control character" },
        { WF_AGENCY, "{hotline}", "Agency name: expected text without the character {" },
        { WF_AGENCY, "\xff\xfe", "Agency name: expected UTF-8 text" },
        { WF_LOCAL_PHONE, "call 911", "Local number: expected digits, spaces and + - ( ) . only" },
        { WF_LOCAL_PHONE, "12", "Local number: expected 3 to 15 digits, found 2" },
        { WF_NAME, " ", "Your name: expected the name of whoever orders, found none" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        web_form g;
        partner_form(&g, c);
        set(&g, bad[i].k, bad[i].v);
        for (int m = 0; m < g.nmsgs; m++)
            free(g.msgs[m].text);
        g.nmsgs = 0;
        webform_check(&g, c, true);
        char name[160], shown[24];
        snprintf(shown, sizeof shown, "%.20s", bad[i].v);
        for (char *q = shown; *q; q++)
            if ((unsigned char)*q < 0x20 || (unsigned char)*q >= 0x7f)
                *q = '?';
        snprintf(name, sizeof name, "webform: %s \"%s\" is refused beside its field", web_field_name(bad[i].k), shown);
        check(webform_errors(&g) == 1 && strncmp(msg_of(&g, bad[i].k), bad[i].want, strlen(bad[i].want)) == 0, name,
              msg_of(&g, bad[i].k));
        webform_free(&g);
    }
    char long_value[WEB_MAX_VALUE + 2];
    memset(long_value, 'a', sizeof long_value - 1);
    long_value[sizeof long_value - 1] = '\0';
    web_form g;
    partner_form(&g, c);
    set(&g, WF_CONTACT, long_value);
    for (int m = 0; m < g.nmsgs; m++)
        free(g.msgs[m].text);
    g.nmsgs = 0;
    webform_check(&g, c, true);
    check(strstr(msg_of(&g, WF_CONTACT), "at most 200 bytes") != NULL, "webform: a value over 200 bytes is refused",
          msg_of(&g, WF_CONTACT));
    webform_free(&g);

    webform_init(&g);
    set(&g, WF_PRODUCT, "flyer-letter");
    set(&g, WF_LANGUAGE, "en");
    set(&g, WF_QUANTITY, "3");
    webform_check(&g, c, false);
    check(webform_errors(&g) == 0, "webform: a flyer needs no partner and, to preview, no name", msg_of(&g, WF_GENERAL));
    job = webform_job_text(&g, "preview", "/tmp/preview.ini", "2026-11-28", 3, NULL, NULL);
    check(job && strstr(job, "partner     = \"a visitor to the web page\"\n") && !strstr(job, "set_logo") &&
              !strstr(job, "data "),
          "webform: a flyer's job has no data file nor logo, and says who ordered", job ? job : "NULL");
    free(job);
    webform_free(&g);
    webcat_free(c);
    diag_free(d);
}
