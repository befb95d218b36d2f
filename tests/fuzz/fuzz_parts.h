/* fuzz_parts: what the fuzz targets that write files share: the one temporary folder each run
 * writes into and removes (fuzz_tmp_dir, fuzz_tmp_path), writing a part to a file, and splitting
 * one input into parts at lines that hold only "%%". Included by every target that writes a file
 * (csv, layout, image, job, build, family; each target is one program). */
#ifndef HANDOUT_FUZZ_PARTS_H
#define HANDOUT_FUZZ_PARTS_H

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every file a run writes is under one folder of its own, $TMPDIR/handout-fuzz-NAME-PID (/tmp
 * without TMPDIR), removed with all it holds when the run ends by exit (libFuzzer's end at
 * -max_total_time or -runs, or after merging); a target also removes each input's files once the
 * input is done (fuzz_tmp_clean), so a run that ends without exit handlers (a crash: libFuzzer
 * saves the input as an artifact and calls _Exit) leaves at most the folder and that input. */
static char fuzz_dir[200];

/* Removes path and, when it is a folder (not a link to one), everything under it. */
static inline void fuzz_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        struct dirent *e;
        while (dir && (e = readdir(dir)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[512];
            if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < (int)sizeof sub)
                fuzz_remove_tree(sub);
        }
        if (dir)
            closedir(dir);
        rmdir(path);
    } else
        unlink(path);
}

static inline void fuzz_tmp_remove(void)
{
    if (fuzz_dir[0])
        fuzz_remove_tree(fuzz_dir);
}

/* The run's folder, made on the first call (NAME names the target); NULL when it cannot be. */
static inline const char *fuzz_tmp_dir(const char *name)
{
    if (!fuzz_dir[0]) {
        const char *tmp = getenv("TMPDIR");
        snprintf(fuzz_dir, sizeof fuzz_dir, "%s/handout-fuzz-%s-%d", tmp && *tmp ? tmp : "/tmp", name,
                 (int)getpid());
        if (mkdir(fuzz_dir, 0700) != 0 && errno != EEXIST) {
            fuzz_dir[0] = '\0';
            return NULL;
        }
        atexit(fuzz_tmp_remove);
    }
    return fuzz_dir;
}

/* Writes into out the path of rel (which may hold '/') in the run's folder, making the folders
 * on the way; false when the folder cannot be made. */
static inline bool fuzz_tmp_path(const char *name, const char *rel, char *out, size_t n)
{
    const char *dir = fuzz_tmp_dir(name);
    if (!dir || snprintf(out, n, "%s/%s", dir, rel) >= (int)n)
        return false;
    for (char *s = out + strlen(dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
        *s = '\0';
        int rc = mkdir(out, 0700);
        *s = '/';
        if (rc != 0 && errno != EEXIST)
            return false;
    }
    return true;
}

/* Removes what the input just run wrote into the run's folder, keeping the folder itself. */
static inline void fuzz_tmp_clean(void)
{
    DIR *dir = fuzz_dir[0] ? opendir(fuzz_dir) : NULL;
    struct dirent *e;
    while (dir && (e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char sub[512];
        if (snprintf(sub, sizeof sub, "%s/%s", fuzz_dir, e->d_name) < (int)sizeof sub)
            fuzz_remove_tree(sub);
    }
    if (dir)
        closedir(dir);
}

static inline void write_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(s, 1, n, f);
        fclose(f);
    }
}

/* The next part of [*p, end): up to a line "%%" (which is skipped) or the end. */
static inline bool next_part(const char **p, const char *end, const char **start, size_t *len)
{
    if (*p > end)
        return false;
    *start = *p;
    const char *s = *p;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *eol = nl ? nl : end;
        if (eol - s == 2 && s[0] == '%' && s[1] == '%') {
            *len = (size_t)(s - *start);
            *p = nl ? nl + 1 : end + 1;
            return true;
        }
        s = nl ? nl + 1 : end;
    }
    *len = (size_t)(end - *start);
    *p = end + 1;
    return true;
}

#endif
