/* project: where the files of a project are (a folder holding layouts/, content/, sheets/,
 * profiles/, data/, fonts/, jobs/), by one set of rules that build, check, the batch's plan, job
 * files and the web page all use:
 *   - the project folder of a layout or a job file is the folder above the one holding it, written
 *     short ("layouts/flyer.ini" is in ".", "/p/jobs/x.ini" in "/p", "x.ini" in "..");
 *   - a file a layout or job names (a data file, a sheet or profile given as a path) is taken from
 *     the project folder when it is there, else as written (from the current folder); an absolute
 *     path as written;
 *   - a sheet, a compliance profile, a layout or a content set named without a '/' is
 *     sheets/NAME.ini, profiles/NAME.ini, layouts/NAME.ini, content/NAME, found as a file the
 *     project names (the web page's orders live outside the project, and name its layouts).
 * (Another language's content set, content/<lang>/ beside a set, is content_sibling_path's.)
 * Every result is malloc'd; NULL when out of memory. */
#ifndef HANDOUT_PROJECT_H
#define HANDOUT_PROJECT_H

#include <stdbool.h>

char *project_root(const char *path);
/* A file named in a layout or job: see above. */
char *project_path(const char *root, const char *name);
/* FOLDER/NAME.EXT, for a name without a '/' and not ending in EXT (EXT may be ""), else the name,
 * found by project_path. */
char *project_named_path(const char *root, const char *folder, const char *name, const char *ext);
/* A sheet: a path given on the command line (--sheet, given) is taken as written; else
 * project_named_path in sheets/. */
char *project_sheet_path(const char *root, const char *name, bool given);

#endif
