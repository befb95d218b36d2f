/* Unit tests: where a project's files are (project.h), the rule that build, check, the batch's
 * plan and job files share. Expected values from docs/formats.md ("Where named files are found")
 * and docs/batch.md ("Paths"), row by row. */
#include "project.h"
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void check_str(const char *what, const char *got, const char *want)
{
    char name[1024], detail[1024]; /* room for the longest paths the rows pass (gcc -O3 checks) */
    snprintf(name, sizeof name, "project: %s gives %s", what, want);
    snprintf(detail, sizeof detail, "got \"%s\"", got ? got : "(null)");
    check(got && strcmp(got, want) == 0, name, detail);
}

void test_project(void)
{
    /* 1-8: the project folder, the folder above the one holding the file, written short */
    static const struct {
        const char *path, *want;
    } roots[] = {
        { "layouts/flyer.ini", "." },            /* 1: formats.md's first example */
        { "/srv/p/layouts/flyer.ini", "/srv/p" }, /* 2: its second */
        { "flyer.ini", ".." },                   /* 3: a layout in the current folder */
        { "jobs/x.ini", "." },                   /* 4: batch.md: jobs/x.ini works from anywhere */
        { "a/b/layouts/x.ini", "a/b" },          /* 5 */
        { "../layouts/x.ini", ".." },            /* 6: the folder above ../layouts */
        { "./x.ini", "./.." },                   /* 7: "." has no name to drop */
        { "/layouts/x.ini", "/" },               /* 8 */
    };
    char what[200];
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        char *got = project_root(roots[i].path);
        snprintf(what, sizeof what, "row %zu: the project folder of %s", i + 1, roots[i].path);
        check_str(what, got, roots[i].want);
        free(got);
    }
    /* 9-16: named files, in a project folder made here (one sheet present, one profile absent) */
    char dir[] = "/tmp/handout-unit-project.XXXXXX";
    if (!mkdtemp(dir)) {
        check(0, "project: a temporary folder", "mkdtemp failed");
        return;
    }
    char sheets[300], sheet[300], profiles[300];
    snprintf(sheets, sizeof sheets, "%s/sheets", dir);
    snprintf(sheet, sizeof sheet, "%s/sheets/s10.ini", dir);
    snprintf(profiles, sizeof profiles, "%s/profiles", dir);
    FILE *f = mkdir(sheets, 0700) == 0 ? fopen(sheet, "w") : NULL;
    if (f)
        fclose(f);
    char want[400];
    struct {
        const char *folder, *name, *ext;
        char want[400];
    } named[] = {
        { "sheets", "s10", ".ini", "" },            /* 9: a name, there: in the project folder */
        { "profiles", "ca", ".ini", "profiles/ca.ini" }, /* 10: a name, not there: from the current folder */
        { "sheets", "sheets/s10.ini", ".ini", "" }, /* 11: a path, there */
        { "sheets", "my/s.ini", ".ini", "my/s.ini" }, /* 12: a path, not there: as written */
        { "sheets", "/abs/s.ini", ".ini", "/abs/s.ini" }, /* 13: absolute: as written */
        { "sheets", "s10.ini", ".ini", "s10.ini" }, /* 14: ends in .ini: a path, not sheets/s10.ini.ini */
        { "content", "en", "", "content/en" },      /* 15: a content set by name, not there */
    };
    snprintf(named[0].want, sizeof named[0].want, "%s", sheet);
    snprintf(named[2].want, sizeof named[2].want, "%s", sheet);
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        char *got = project_named_path(dir, named[i].folder, named[i].name, named[i].ext);
        snprintf(what, sizeof what, "row %zu: %s named in %s", i + 9, named[i].name, named[i].folder);
        check_str(what, got, named[i].want);
        free(got);
    }
    /* 16-18: sheets: a path given on the command line is taken as written */
    char *got = project_sheet_path(dir, "sheets/s10.ini", true);
    check_str("row 16: --sheet sheets/s10.ini", got, "sheets/s10.ini");
    free(got);
    got = project_sheet_path(dir, "s10", true);
    check_str("row 17: --sheet s10 (a name)", got, sheet);
    free(got);
    got = project_sheet_path(dir, "sheets/s10.ini", false);
    check_str("row 18: [page] sheet = sheets/s10.ini", got, sheet);
    free(got);
    /* 19: the project folder "." gives names as written, from the current folder */
    got = project_named_path(".", "sheets", "s10", ".ini");
    snprintf(want, sizeof want, "sheets/s10.ini");
    check_str("row 19: a name in project folder .", got, want);
    free(got);
    unlink(sheet);
    rmdir(sheets);
    rmdir(profiles);
    rmdir(dir);
}
