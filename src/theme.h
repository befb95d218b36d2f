/* theme: a theme file (themes/NAME.ini): the colours, fonts, type scale, spacing, name and logo
 * that every layout takes from one place, so that rebranding every product is editing one file.
 * Layouts name a theme value as {theme.KEY} in any value (content.h expands it); the type scale
 * and spacing keys are also the defaults of the layout keys they stand for (layout.c). Every key
 * is required (a theme must serve every layout) and checked strictly when the file is read; the
 * key names are unique across the file's sections, which are there for the reader. The theme
 * owns its strings; theme_free releases them. */
#ifndef HANDOUT_THEME_H
#define HANDOUT_THEME_H

#include "diag.h"

#include <stdbool.h>

typedef struct theme theme;

/* Loads and checks path, reporting every problem to d. NULL after an error. */
theme *theme_load(const char *path, diag *d);
void theme_free(theme *t);

const char *theme_path(const theme *t);
/* The value of key as a layout reads it ({theme.KEY}), or NULL when the theme has no such key.
 * For logo: the file's absolute path (named from the theme's folder), or "" when the theme has
 * none. */
const char *theme_get(const theme *t, const char *key);
/* A number key of the type scale or spacing (line_height, h1_scale...), checked at load. */
double theme_number(const theme *t, const char *key);
/* Reports key as no key of any theme at loc, as the error id, nearest keys suggested. */
void theme_unknown_key(const theme *t, diag *d, const char *id, diag_loc loc, const char *key);

/* The theme a build uses: given (--theme or a job's theme key: a path with a '/' as written, a
 * name NAME as themes/NAME.ini by project.h's rules), else the project's themes/default.ini
 * (found by the same rules). root is the project folder. NULL after an error; *none set (and NULL
 * returned, no error) when nothing was given and the project has no default theme. */
theme *theme_for(const char *root, const char *given, bool *none, diag *d);

#endif
