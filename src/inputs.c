/* inputs: the list of input files by device and inode (a hard link or another spelling of the
 * same path is the same file). */
#include "inputs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct input {
    dev_t dev;
    ino_t ino;
    char *path;
} input;

static input *list;
static size_t count, cap;

void inputs_note(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return;
    for (size_t i = 0; i < count; i++)
        if (list[i].dev == st.st_dev && list[i].ino == st.st_ino)
            return;
    if (count == cap) {
        size_t ncap = cap ? cap * 2 : 32;
        input *nl = realloc(list, ncap * sizeof *nl);
        if (!nl)
            return;
        list = nl;
        cap = ncap;
    }
    char *p = strdup(path);
    if (!p)
        return;
    list[count].dev = st.st_dev;
    list[count].ino = st.st_ino;
    list[count].path = p;
    count++;
}

bool inputs_holds(const char *path, const char **as)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return false;
    for (size_t i = 0; i < count; i++)
        if (list[i].dev == st.st_dev && list[i].ino == st.st_ino) {
            if (as)
                *as = list[i].path;
            return true;
        }
    return false;
}

size_t inputs_count(void)
{
    return count;
}

const char *inputs_path(size_t i)
{
    return i < count ? list[i].path : NULL;
}

void inputs_clear(void)
{
    for (size_t i = 0; i < count; i++)
        free(list[i].path);
    free(list);
    list = NULL;
    count = cap = 0;
}
