/* childproc: running another program to the end, with a time limit. Owns starting it (its
 * output to a log file, its input from /dev/null, its signals at their defaults, in a process
 * group of its own so that a Ctrl-C meant for a server does not cut its builds short), waiting
 * for it, and stopping it when it runs too long: SIGTERM first, which lets handout remove its
 * temporary files, then SIGKILL. Safe to call from several threads at once. */
#ifndef HANDOUT_CHILDPROC_H
#define HANDOUT_CHILDPROC_H

#include <stdbool.h>
#include <stddef.h>

typedef struct childproc_result {
    int status;     /* the exit status, or -1 when it did not exit by itself */
    int signal;     /* the signal that ended it, or 0 */
    bool timed_out; /* stopped because it ran past the limit */
    double seconds; /* how long it ran */
} childproc_result;

/* Runs argv[0] (a path) with argv; stdout and stderr go to log_path (created or truncated).
 * timeout_s: the limit in seconds (0: none). False with a reason when it could not be started. */
bool childproc_run(char *const argv[], const char *log_path, double timeout_s, childproc_result *r,
                   char *why, size_t whylen);

#endif
