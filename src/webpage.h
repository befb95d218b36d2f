/* webpage: what the web page's visitor sees. Owns the HTML of the form (with each message beside
 * its field, the preview image and what the choice needs in paper), of an order's confirmation
 * and of a refusal, and the JSON the page's script asks for; every value written is escaped, and
 * every answer is valid UTF-8 (a byte that is not is written as U+FFFD). */
#ifndef HANDOUT_WEBPAGE_H
#define HANDOUT_WEBPAGE_H

#include "store.h"
#include "webbuild.h"
#include "webform.h"

#include <stddef.h>

/* The form, filled in with f's values (NULL: the defaults) and messages; r: the last build's
 * result (preview image and paper), or NULL. Caller frees. */
char *webpage_form(const web_catalogue *c, const web_form *f, const webbuild_result *r);
/* The confirmation of an order: what was ordered, the paper it needs, where staff find it, and
 * the link to its status page (/status/KEY). */
char *webpage_order(const web_catalogue *c, const web_form *f, const webbuild_result *r, const char *orders_shown,
                    const char *key);
/* A partner's status page: the order's name, its status and the time of each change, nothing
 * else (no staff member, no reason, no detail of the order). */
char *webpage_status(const store_view *v);
/* The staff page: the queue, every order under its status (n orders in v). */
char *webpage_staff_queue(const store_view *v, int n);
/* The staff page of one order: its details, its whole history (staff members and reasons), the
 * changes its status allows as forms (each carrying the number of changes shown, so that a form
 * sent twice, or after another change, is refused), and the download of its last build.
 * built: it has a build to download. Once built (built, printed or shipped), what was handed out
 * from it and a form to record a hand-out (date, place, one of its items, quantity, the staff
 * member's name; carrying the number of hand-outs shown, likewise); problem: why the last
 * hand-out was refused, shown above that form, or NULL. */
char *webpage_staff_order(const store_view *v, bool built, const char *problem);
/* The staff page's proof sheet: its pages (PNG, /staff/proof/N.png) and its PDF (/staff/proof.pdf). */
char *webpage_staff_proof(int pages);
/* A refusal: a short page with the HTTP status and the reason. */
char *webpage_problem(int status, const char *reason);
/* The same for the page's script: {"ok":false, "status":..., "messages":[{"field":"general", ...}]}. */
char *webpage_problem_json(int status, const char *reason);
/* The preview as JSON: {"ok":..., "image":"data:image/png;base64,...", "summary":..., "logo_id":...,
 * "messages":[{"field":..., "severity":..., "text":...}]}. */
char *webpage_preview_json(const web_form *f, const webbuild_result *r);

/* A file read into a data: URI (base64), or NULL. Caller frees. */
char *webpage_data_uri(const char *path, const char *type);

#endif
