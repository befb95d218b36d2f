/* libFuzzer target: arbitrary bytes as a job file (jobs/fuzz.ini in a temporary project folder),
 * read through job_is_job_file (how `handout check` tells a job from a layout) and job_load (the
 * INI pre-scan, the [job] section, every item's keys, paths, quantity and output name, the limits),
 * then every item's fields read back as batch and check read them. */
#include "diag.h"
#include "job.h"
#include "fuzz_parts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256];
    if (!fuzz_tmp_path("job", "jobs/fuzz.ini", path, sizeof path))
        return 0;
    write_file(path, (const char *)data, size);
    (void)job_is_job_file(path);
    diag *d = diag_new(NULL);
    job *j = job_load(path, d);
    size_t sum = 0;
    for (int i = 0; j && i < j->nitems; i++) {
        const job_item *it = &j->items[i];
        sum += strlen(it->section) + (it->name ? strlen(it->name) : 0) + (it->error ? strlen(it->error) : 0);
        for (int k = 0; k < it->nsets; k++)
            sum += strlen(it->sets[k]);
        if (it->quantity < 0 || it->quantity > JOB_MAX_QUANTITY || (!it->error && it->quantity < 1))
            abort(); /* job_load keeps no quantity out of range, even in a broken item */
    }
    if (j && (j->nitems < 1 || j->nitems > JOB_MAX_ITEMS || !j->slug))
        abort();
    (void)sum;
    job_free(j);
    diag_free(d);
    fuzz_tmp_clean();
    return 0;
}
