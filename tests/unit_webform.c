/* Unit tests of webform.c: the web page's form checked against the project's catalogue, the job
 * file and data file a form becomes, and the engine's messages placed beside their fields. */
#include "unit.h"
#include "ini.h"
#include "utf8.h"
#include "webform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

    /* the engine's messages, beside their fields: reported through diag as a build reports them,
     * read back from its records (no text parsed) */
    char *recs = NULL;
    size_t rlen = 0;
    FILE *rf = open_memstream(&recs, &rlen);
    diag *rd = diag_new(NULL);
    diag_set_records(rd, rf);
    diag_loc l45 = { "/p/layouts/partner-card-us.ini", 45, "local", "text" };
    diag_error(rd, "numbers-near-miss", l45, "expected the hotline, found \"1-888-373-7887\", one keystroke away");
    diag_loc l98 = { "/p/layouts/partner-card-us.ini", 98, "logo", "file" };
    diag_warn(rd, "image-low-resolution", l98, "expected an image of at least 300 dpi, found 60 dpi");
    diag_loc l12 = { "/tmp/r1/unit.ini", 12, "partner-card-us", "quantity" };
    diag_error(rd, "job-bad-quantity", l12, "expected at most 1000000 items");
    diag_loc l30 = { "/p/layouts/partner-card-us.ini", 30, "hotline", "text" };
    diag_error(rd, "text-too-tall", l30, "expected the text to fit");
    diag_loc l2 = { "/tmp/r1/unit-partner.csv", 2, NULL, "local_phone" };
    diag_error(rd, "data-empty-field", l2, "expected a value");
    diag_error(rd, "usage-count-past-records", diag_at("--count", 0), "expected at most the 3 records of x.csv, found 5");
    fclose(rf);
    diag_free(rd);
    webform_take_records(&f, recs, "/tmp/r1/unit.ini", "/tmp/r1/unit-partner.csv", NULL);
    free(recs);
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
    n = 0;
    for (int i = 0; i < f.nmsgs; i++)
        n += f.msgs[i].field == WF_QUANTITY;
    check(n == 2, "webform: --count's message (a record whose file is --count) goes beside the quantity", "");
    check(webform_errors(&f) == 5, "webform: five errors and a warning", "");
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
        /* every value is one line of UTF-8, whatever the field (issue 18, class 9) */
        { WF_PRODUCT, "\xff\xfe", "Product: expected UTF-8 text, found bytes that are not (0xFF at byte 1)" },
        { WF_QUANTITY, "1\x80", "Quantity: expected UTF-8 text, found bytes that are not (0x80 at byte 2)" },
        { WF_VERSION, "\xe2\x82", "Version: expected UTF-8 text" },
        { WF_LANGUAGE, "\xc0\xaf" "en", "Language: expected UTF-8 text" },
        { WF_NAME, "Ann\xed\xa0\x80", "Your name: expected UTF-8 text" },
        { WF_NAME, "Ann\rLee", "Your name: expected one line of text, found a control character (byte 13)" },
        { WF_CONTACT, "a\xc2\x85" "b", "Email or telephone: expected one line of text, found a control character (U+0085)" },
        { WF_NAME, "Ann\x7f", "Your name: expected one line of text, found a control character (byte 127)" },
        { WF_CONTACT, "a\xe2\x80\xa8" "b", "Email or telephone: expected one line of text, found a line separator (U+2028)" },
        { WF_NAME, "Ann\xe2\x80\xa9", "Your name: expected one line of text, found a paragraph separator (U+2029)" },
        { WF_NAME, "Ann \xe2\x80\xae" "eeL", "Your name: expected text without bidirectional controls, found U+202E" },
        { WF_CONTACT, "\xe2\x81\xa6" "x", "Email or telephone: expected text without bidirectional controls, found U+2066" },
        /* the description holds a ';': in quotes, so not both kinds (INI has no escape) */
        { WF_NAME, "Ann \"Nan\" O'Lee", "Your name: expected either straight double quotes (\") or apostrophes ('), not both" },
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

    /* a NUL is refused, not taken as the end of the value (which would drop what follows it) */
    partner_form(&g, c);
    webform_set(&g, WF_NAME, "Ann\0\n[x]", 8);
    for (int m = 0; m < g.nmsgs; m++)
        free(g.msgs[m].text);
    g.nmsgs = 0;
    webform_check(&g, c, true);
    check(webform_errors(&g) == 1 && strstr(msg_of(&g, WF_NAME), "found a control character (byte 0)") != NULL,
          "webform: a name holding a NUL is refused beside the name", msg_of(&g, WF_NAME));
    webform_free(&g);
    /* a name that is not UTF-8 is refused in a preview too: every job file records the name */
    webform_init(&g);
    set(&g, WF_PRODUCT, "flyer-letter");
    set(&g, WF_LANGUAGE, "en");
    set(&g, WF_QUANTITY, "1");
    set(&g, WF_NAME, "Ann\n[flyer-a4]");
    webform_check(&g, c, false);
    check(webform_errors(&g) == 1 && strstr(msg_of(&g, WF_NAME), "control character (byte 10)") != NULL,
          "webform: a name with a line break is refused in a preview, not only in an order", msg_of(&g, WF_NAME));
    webform_free(&g);
    /* a value quoted in a message is shortened between characters, never inside one */
    webform_init(&g);
    char many[100] = "a";
    for (int i = 0; i < 40; i++)
        strcat(many, "\xc3\xa9");
    set(&g, WF_PRODUCT, many);
    set(&g, WF_LANGUAGE, "en");
    set(&g, WF_QUANTITY, "1");
    webform_check(&g, c, false);
    const char *cut = "Product: expected a choice from the list, found \"a\xc3\xa9";
    check(strncmp(msg_of(&g, WF_PRODUCT), cut, strlen(cut)) == 0 &&
              utf8_invalid_at(msg_of(&g, WF_PRODUCT), strlen(msg_of(&g, WF_PRODUCT))) < 0,
          "webform: a product of 81 bytes is quoted shortened, as valid UTF-8", msg_of(&g, WF_PRODUCT));
    webform_free(&g);

    /* the job file holds the name and contact as typed: read back through ini.c (which compares
     * its pre-scan with iniparser's reading), they are the values given */
    static const char *const WHO[][2] = {
        { "Ann \"Nan\" Lee; #2 = [x] {y}", "\"Nan\" <a#b;c=d@example.org>" },
        { "Se\xc3\xa1n O'Brien; #3", "o'brien@example.org #4" },
        { "C:\\Temp\\Ann Lee\\", "{c} = [d] \\" },
        { "'Nan' Lee", "'x'@example.org" },
        { "#1 fan", ";semi\"colon\"" },
    };
    for (size_t i = 0; i < sizeof WHO / sizeof WHO[0]; i++) {
        webform_init(&g);
        set(&g, WF_PRODUCT, "flyer-letter");
        set(&g, WF_LANGUAGE, "en");
        set(&g, WF_QUANTITY, "2");
        set(&g, WF_NAME, WHO[i][0]);
        set(&g, WF_CONTACT, WHO[i][1]);
        webform_check(&g, c, true);
        char *text = webform_errors(&g) == 0
                         ? webform_job_text(&g, "order-20261128-001", "orders/order-20261128-001.ini", "2026-11-28", 2, NULL, NULL)
                         : NULL;
        char path[] = "/tmp/handout-unit-webform-XXXXXX";
        int fd = text ? mkstemp(path) : -1;
        bool written = fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text);
        if (fd >= 0)
            close(fd);
        diag *dd = diag_new(NULL);
        ini_file *ini = written ? ini_load(path, dd) : NULL;
        const char *partner = ini ? ini_get(ini, "job", "partner") : NULL;
        const char *desc = ini ? ini_get(ini, "job", "description") : NULL;
        char want[600];
        snprintf(want, sizeof want, "; ordered by %s (%s)", WHO[i][0], WHO[i][1]);
        size_t dl = desc ? strlen(desc) : 0, wl = strlen(want);
        char name[200], detail[1200];
        snprintf(name, sizeof name, "webform: the job file reads back the name [%s] and contact [%s] as given", WHO[i][0],
                 WHO[i][1]);
        snprintf(detail, sizeof detail, "%s | %s", webform_errors(&g) ? msg_of(&g, WF_NAME) : text ? text : "NULL",
                 diag_last(dd));
        check(partner && strcmp(partner, WHO[i][0]) == 0 && dl >= wl && strcmp(desc + dl - wl, want) == 0 &&
                  ini_get(ini, "flyer-letter", "layout") && strcmp(ini_get(ini, "flyer-letter", "layout"), "flyer-letter") == 0,
              name, detail);
        ini_free(ini);
        diag_free(dd);
        if (fd >= 0)
            unlink(path);
        free(text);
        webform_free(&g);
    }

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
