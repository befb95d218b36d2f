/* compliance: posting laws as data. A profile (profiles/NAME.ini) lists a statute's rules: the
 * smallest page, the smallest type, the languages, the phrases and numbers that must appear, the
 * weight some of them must have, one language per page, mirroring. The build checks what it set
 * (render_stats) against the profile before it saves, and names the rule that fails. */
#ifndef HANDOUT_COMPLIANCE_H
#define HANDOUT_COMPLIANCE_H

#include "diag.h"
#include "layout.h"
#include "render.h"

typedef struct compliance compliance;

/* Loads the profile at path (found by build.h's rules), which the layout names as name. NULL
 * after reporting. l may be NULL when the profile is only read (handout list), not checked. */
compliance *compliance_load(const char *path, const char *name, const layout *l, diag *d);
void compliance_free(compliance *c);
/* The languages the profile requires, as "en, es", for messages and layouts. */
const char *compliance_languages(const compliance *c);
/* The statute's citation and the profile's description ("" when it has none). */
const char *compliance_citation(const compliance *c);
const char *compliance_description(const compliance *c);
/* A key that only informs (description, effective, source, read, who, where, how_many,
 * cannot_check) as the profile writes it, or NULL when it has none. */
const char *compliance_note(const compliance *c, const char *key);
/* What the profile requires, one clause per rule ("page at least 8.5 x 11 in; type at least
 * 16 pt; languages en, es; ..."), into out (size max), cut short when it does not fit. */
void compliance_summary(const compliance *c, char *out, size_t max);
/* Languages by county (the profile's county_languages key names data/NAME.ini): county is the
 * --set county=NAME value, or NULL. With a county the data records, the check also asks for text in
 * one of its languages; an unrecorded county, or a profile without the key, is a warning. root is
 * the project folder. False after an error in the data file (or without memory). */
bool compliance_use_county(compliance *c, const char *root, const char *county, diag *d);
/* The county asked for (NULL: none), its languages ("zh, tl, vi"; NULL: no rule), their names as
 * the source writes them, and the data file read (NULL: none). */
/* The staff's languages (the profile's staff_languages key: a share such as "10%"): langs is the
 * --set staff_languages=CODES value ("vi, zh"), or NULL. With the key, the check asks for text in
 * each language; without it, a warning. False without memory. */
bool compliance_use_staff_languages(compliance *c, const char *langs, diag *d);
/* The share of the staff whose language the profile requires ("10%"), or NULL: no such rule. */
const char *compliance_staff_share(const compliance *c);
const char *compliance_county(const compliance *c);
const char *compliance_county_languages(const compliance *c);
const char *compliance_county_names(const compliance *c);
const char *compliance_county_path(const compliance *c);
/* A render_check_fn: ctx is the compliance. */
bool compliance_check(void *ctx, const render_stats *st, diag *d);

#endif
