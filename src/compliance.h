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
 * after reporting. */
compliance *compliance_load(const char *path, const char *name, const layout *l, diag *d);
void compliance_free(compliance *c);
/* The languages the profile requires, as "en, es", for messages and layouts. */
const char *compliance_languages(const compliance *c);
/* A render_check_fn: ctx is the compliance. */
bool compliance_check(void *ctx, const render_stats *st, diag *d);

#endif
