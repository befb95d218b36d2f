/* posting: the posting sheet (build --posting-instructions), a last page for the business owner
 * that says, from the notice's compliance profile, who must post the notice, where, how many, in
 * which languages, what the notice must meet, what the tool cannot check, and where the rules
 * were read. Its design is a layout (posting/sheet-letter.ini) whose text fields (posting_*) this
 * module fills from the profile; render draws it after the items, outside the profile's checks. */
#ifndef HANDOUT_POSTING_H
#define HANDOUT_POSTING_H

#include "compliance.h"
#include "content.h"
#include "diag.h"
#include "layout.h"
#include "theme.h"

typedef struct posting posting;

/* The sheet for profile c (loaded from profile_path) in project root: its layout loaded with the
 * fields filled, its {theme.KEY} values from t (the build's theme; NULL: none). NULL after reporting (posting-no-layout when the design is missing, or the
 * layout's own errors), or without memory. */
posting *posting_new(const char *root, const compliance *c, const char *profile_path, const theme *t, diag *d);
void posting_free(posting *p); /* accepts NULL */
const layout *posting_layout(const posting *p);
content *posting_content(posting *p);

#endif
