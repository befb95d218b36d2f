/* project: where a project's files are. See project.h. */
#include "project.h"
#include "strfmt.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *project_root(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".."); /* a layout in the current folder: the project is the one above */
    size_t n = (size_t)(slash - path);
    const char *dir_start = path; /* the last folder's name: path[dir_start, slash) */
    for (const char *p = path; p < slash; p++)
        if (*p == '/')
            dir_start = p + 1;
    size_t dl = (size_t)(slash - dir_start);
    if ((dl == 2 && strncmp(dir_start, "..", 2) == 0) || (dl == 1 && dir_start[0] == '.') || dl == 0)
        return strfmt("%.*s/..", (int)n, path); /* "../x.ini", "./x.ini": no name to drop */
    if (dir_start == path)
        return strdup(".");
    size_t rl = (size_t)(dir_start - 1 - path);
    return rl == 0 ? strdup("/") : strfmt("%.*s", (int)rl, path);
}

char *project_path(const char *root, const char *name)
{
    if (name[0] == '/' || strcmp(root, ".") == 0)
        return strdup(name);
    char *p = strfmt("%s/%s", root, name);
    struct stat sb;
    if (p && stat(p, &sb) != 0) {
        free(p);
        p = strdup(name);
    }
    return p;
}

char *project_sheet_path(const char *root, const char *name, bool given)
{
    return given && strchr(name, '/') ? strdup(name) : project_named_path(root, "sheets", name, ".ini");
}

char *project_named_path(const char *root, const char *folder, const char *name, const char *ext)
{
    size_t nl = strlen(name), el = strlen(ext);
    if (strchr(name, '/') || (el && nl > el && strcmp(name + nl - el, ext) == 0))
        return project_path(root, name);
    char *rel = strfmt("%s/%s%s", folder, name, ext);
    char *p = rel ? project_path(root, rel) : NULL;
    free(rel);
    return p;
}
