/* webform: the web page's order form, as the engine sees it. Owns the catalogue the page offers
 * (web/products.ini: each choice a layout on a paper size, and whether it takes a partner's
 * details; the mandated notices by state, one choice per layout that names a compliance profile
 * in profiles/, with the county or staff languages its law depends on; the content sets, as
 * languages), one submitted form with every value checked against
 * what the page allows (one line of UTF-8 text, among the rest), the job file (the batch format,
 * every value written so that the INI reader reads it back as typed) and the partner's one-record
 * data file a form becomes, and the placing of the engine's messages beside the fields they
 * concern. Nothing here draws or checks a page: the engine does that, in a child process
 * (webbuild.c). */
#ifndef HANDOUT_WEBFORM_H
#define HANDOUT_WEBFORM_H

#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

enum {
    WEB_MAX_QUANTITY = 10000,   /* items in one choice of the form */
    WEB_MAX_VALUE = 200,        /* bytes in one text field */
    WEB_MAX_LOGO = 4 << 20,     /* bytes in a logo file */
    WEB_MAX_LOGO_PIXELS = 25000000, /* a logo's width x height once decoded */
};

/* The form's fields; WF_GENERAL is the page as a whole (a message no field owns). */
typedef enum {
    WF_GENERAL, WF_PRODUCT, WF_LANGUAGE, WF_QUANTITY, WF_VERSION,
    WF_AGENCY, WF_LOCAL_PHONE, WF_LOGO, WF_NAME, WF_CONTACT, WF_STATE, WF_COUNTY, WF_STAFF_LANGUAGES, WF_COUNT
} web_field;

typedef struct web_product {
    char *id;        /* the section name */
    char *product;   /* the group, "Flyer" */
    char *paper;     /* "US Letter (8.5 x 11 in)" */
    char *layout;    /* the layout's name, "flyer-letter" */
    char *layout_path;
    bool partner;
    /* the layout reads {logo} (an optional image: the partner card's, a flyer's or poster's
     * co-branding area): the page offers a logo and the job sets it */
    bool logo;
    bool fixed_languages;
    /* the sections of the layout that use a partner field, with the field */
    char **sections;
    web_field *section_field;
    int nsections;
    /* a mandated notice (its layout names a profile): the profile, its state (the profile's
     * description up to its ':'), the counties whose languages its county data records (NULL:
     * the law does not depend on the county) and whether it asks for the staff's languages */
    char *profile;
    char *state;
    char *county_data;  /* data/NAME.ini, as the profile's county_languages names it */
    char **counties;
    int ncounties;
    bool staff_languages;
} web_product;

/* How the page names a draft translation in its language choice and on the order's confirmation. */
#define WEB_DRAFT_LABEL "draft translation, not yet reviewed"

typedef struct web_language {
    char *code;  /* "en": the content set's folder name */
    char *label; /* its description, "English" */
    bool draft;  /* [content] status = draft: a translation no native speaker has reviewed yet */
} web_language;

typedef struct web_catalogue {
    char *root;
    web_product *products;
    int nproducts;
    web_language *languages;
    int nlanguages;
    char **states;   /* the states of the notices, in order, each once */
    int nstates;
} web_catalogue;

/* Reads root/web/products.ini, the notices (the profiles in profiles/ and the layouts that name them: a
 * layout products.ini lists takes its profile's state; every other one becomes a choice of its own),
 * and the content sets in root/content (all but scope = reference, and
 * those whose [content] layouts is empty: they go into no layout yet);
 * every problem goes to d. NULL when there was one. */
web_catalogue *webcat_load(const char *root, diag *d);
void webcat_free(web_catalogue *c);
const web_product *webcat_product(const web_catalogue *c, const char *product);
const web_language *webcat_language(const web_catalogue *c, const char *code);

typedef struct web_msg {
    web_field field;
    bool error;   /* else a warning */
    char *text;
} web_msg;

typedef struct web_form {
    char *value[WF_COUNT];   /* as submitted (WF_LOGO: the stored logo's id), or NULL */
    size_t value_len[WF_COUNT]; /* its bytes (a NUL among them is refused, not taken as the end) */
    bool value_too_long[WF_COUNT];
    const web_product *product;
    const web_language *language;
    long quantity;
    bool print_shop;
    char *logo_path;         /* the stored logo, when the form has one */
    bool bad_choice;         /* a state, county or language the page does not offer: 400, not 422 */
    web_msg *msgs;
    int nmsgs, capmsgs;
} web_form;

const char *web_field_name(web_field f);      /* the form's name: "agency" */
web_field web_field_by_name(const char *name); /* WF_COUNT when it names none */

void webform_init(web_form *f);
void webform_free(web_form *f);
/* Stores a submitted value (a field named twice keeps its last value; one over WEB_MAX_VALUE
 * bytes is marked too long). */
void webform_set(web_form *f, web_field field, const char *value, size_t len);
void webform_add(web_form *f, web_field field, bool error, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int webform_errors(const web_form *f);

/* Checks every value against what the page allows: each one line of valid UTF-8 of at most
 * WEB_MAX_VALUE bytes, with no control character (NUL, C0, DEL, C1), line or paragraph separator or
 * bidirectional override; a product and language from the catalogue, a quantity of 1 to
 * WEB_MAX_QUANTITY, the partner's details when the product takes them, the name and contact of
 * whoever orders (required for an order, checked whenever given), and that the job file can hold
 * them so that the INI reader reads back exactly what was typed; for a notice, the state (it must
 * be the notice's), the county where its law depends on one (one its data records) and the staff's
 * languages where its law asks for them (codes of the page's languages). A state, county or
 * language the page does not offer sets bad_choice. Problems are added as messages
 * beside their fields; a message quotes a value only once it is known to be valid UTF-8. */
void webform_check(web_form *f, const web_catalogue *c, bool ordering);

/* The job file for the form (kind order): one item, the choice and quantity; csv and logo are
 * paths as the job should name them (NULL when the product takes no partner). name and date
 * (YYYY-MM-DD) head the job; shown is the job file's path as staff would type it. Every value is
 * written so that iniparser reads it back exactly: in double quotes, or in single quotes when it
 * holds a '"', or bare (words such as the layout's name, and a value holding both quotes but no
 * ';' or '#'). NULL when a value cannot be written so (webform_check refuses such a form first),
 * or when memory ran out. Caller frees. */
char *webform_job_text(const web_form *f, const char *name, const char *shown, const char *date, long quantity,
                       const char *csv, const char *logo);
/* The partner's data file: columns code, agency and local_phone, one record. Caller frees. */
char *webform_partner_csv(const web_form *f, const char *code);

/* Reads the engine's messages (a build's log) and adds each beside the field it concerns: the
 * field whose value the layout's section uses, the data file's column, the job file's key, the
 * logo by its path; else the page as a whole. job, csv and logo: the files the build was given. */
/* The engine's messages, from its diagnostic records (diag_set_records; a build's --diagnostics
 * file): each placed beside its field by the record's own file, section and key, no text parsed. */
void webform_take_records(web_form *f, const char *records, const char *job, const char *csv, const char *logo);

#endif
