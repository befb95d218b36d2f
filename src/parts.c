/* parts: naming, committing and recording the files of one output. The record is a text file:
 * a comment line, then one line per part, "INODE SIZE MTIME NAME" (MTIME in nanoseconds), NAME
 * relative to the output's folder: a file is the one the build made only while all three match. */
#include "parts.h"
#include "atomic.h"
#include "readfile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *parts_name(const char *path, long part, long parts)
{
    size_t n = strlen(path) + 24;
    char *s = malloc(n);
    if (!s)
        return NULL;
    if (parts == 1) {
        snprintf(s, n, "%s", path);
        return s;
    }
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
    snprintf(s, n, "%.*s-%03ld%s", (int)stem, path, part + 1, path + stem);
    return s;
}

/* "dir/out.pdf" -> "dir/.out.pdf.parts"; *dirlen receives the length of "dir/". */
static char *record_name(const char *output, size_t *dirlen)
{
    const char *slash = strrchr(output, '/');
    *dirlen = slash ? (size_t)(slash - output) + 1 : 0;
    size_t n = strlen(output) + 16;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%.*s.%s.parts", (int)*dirlen, output, output + *dirlen);
    return s;
}

/* What identifies a file the build made: its inode, size and modification time. */
static uintmax_t file_id(const struct stat *st, int which)
{
    if (which == 0)
        return (uintmax_t)st->st_ino;
    if (which == 1)
        return (uintmax_t)st->st_size;
    return (uintmax_t)st->st_mtim.tv_sec * 1000000000u + (uintmax_t)st->st_mtim.tv_nsec;
}

/* Removes the parts the last build recorded that this build did not write. */
static void remove_old_parts(const char *record, size_t dirlen, const char *output,
                             char *const *final, long n)
{
    size_t len = 0;
    char ignore[256];
    char *text = readfile(record, (size_t)16 << 20, &len, ignore, sizeof ignore);
    if (!text)
        return;
    char path[4096];
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (line[0] == '#')
            continue;
        uintmax_t id[3];
        char *end = line;
        bool good = true;
        for (int k = 0; k < 3 && good; k++) {
            char *from = end;
            errno = 0;
            id[k] = strtoumax(from, &end, 10);
            good = !errno && end != from && *end == ' ';
            end += good ? 1 : 0;
        }
        end -= 1;
        if (!good || !end[1] || strchr(end + 1, '/'))
            continue; /* not a line this module wrote: nothing is removed for it */
        if (snprintf(path, sizeof path, "%.*s%s", (int)dirlen, output, end + 1) >= (int)sizeof path)
            continue;
        bool current = false;
        for (long i = 0; i < n && !current; i++)
            current = strcmp(final[i], path) == 0;
        struct stat st;
        if (!current && lstat(path, &st) == 0 && S_ISREG(st.st_mode) && file_id(&st, 0) == id[0] &&
            file_id(&st, 1) == id[1] && file_id(&st, 2) == id[2])
            unlink(path);
    }
    free(text);
}

bool parts_commit(const char *output, char *const *tmp, char *const *final, long n, char *why,
                  size_t whylen)
{
    if (n < 1)
        return true;
    for (long i = 0; i < n; i++)
        if (!atomic_target_ok(final[i], why, whylen))
            return false;
    /* the old files stay reachable under a second name until every part is in place */
    char **old = calloc((size_t)n, sizeof *old);
    if (!old) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    bool ok = true;
    for (long i = 0; ok && i < n; i++) {
        if (access(final[i], F_OK) != 0)
            continue;
        size_t k = strlen(tmp[i]) + 8;
        old[i] = malloc(k);
        if (!old[i]) {
            snprintf(why, whylen, "out of memory");
            ok = false;
            break;
        }
        snprintf(old[i], k, "%s.old", tmp[i]);
        unlink(old[i]);
        if (link(final[i], old[i]) != 0) {
            snprintf(why, whylen, "cannot keep the old %s while the new one is put in place: %s",
                     final[i], strerror(errno));
            free(old[i]);
            old[i] = NULL;
            ok = false;
        } else {
            atomic_track(old[i]);
        }
    }
    long done = 0;
    for (; ok && done < n; done++)
        if (rename(tmp[done], final[done]) != 0) {
            snprintf(why, whylen, "cannot write %s: %s", final[done], strerror(errno));
            ok = false;
            break;
        }
    if (!ok) /* the parts already replaced get their old files back */
        for (long i = 0; i < done; i++) {
            if (old[i])
                rename(old[i], final[i]);
            else
                unlink(final[i]);
        }
    for (long i = 0; i < n; i++)
        if (old[i]) {
            unlink(old[i]);
            atomic_untrack(old[i]);
            free(old[i]);
        }
    free(old);
    if (!ok)
        return false;

    size_t dirlen = 0;
    char *record = record_name(output, &dirlen);
    if (!record)
        return true; /* the PDFs are in place; only the clean-up is skipped */
    remove_old_parts(record, dirlen, output, final, n);
    if (n == 1) {
        unlink(record); /* one file under the output's own name: nothing to record */
    } else {
        atomic_file a;
        char ignore[512];
        if (atomic_open(&a, record, ignore, sizeof ignore)) {
            static const char head[] = "# the files the last build of this output wrote (handout)\n";
            atomic_write(&a, head, sizeof head - 1);
            char line[4200];
            for (long i = 0; i < n; i++) {
                struct stat st;
                if (stat(final[i], &st) != 0)
                    continue;
                int k = snprintf(line, sizeof line, "%ju %ju %ju %s\n", file_id(&st, 0),
                                 file_id(&st, 1), file_id(&st, 2), final[i] + dirlen);
                if (k > 0 && k < (int)sizeof line)
                    atomic_write(&a, line, (size_t)k);
            }
            atomic_commit(&a, true, ignore, sizeof ignore);
        }
    }
    free(record);
    return true;
}
