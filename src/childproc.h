/* childproc: starting other programs (handout's own builds) and waiting for them. Two ways:
 * - childproc_run runs one to the end, with a time limit (the server's builds): its output to a
 *   log file, its input from /dev/null, its signals at their defaults, in a process group of its
 *   own so that a Ctrl-C meant for a server does not cut its builds short; stopped when it runs
 *   too long: SIGTERM first, which lets handout remove its temporary files, then SIGKILL. Safe
 *   to call from several threads at once.
 * - childproc_start starts one and returns (the batch's builds, several at once), and
 *   childproc_wait_any waits for the next to end. These are registered with atomic.h while they
 *   run, so that a SIGINT, SIGTERM or SIGHUP to this process is passed on to them and waited for
 *   before it ends: no build outlives its batch. One thread only. */
#ifndef HANDOUT_CHILDPROC_H
#define HANDOUT_CHILDPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

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

/* Starts argv[0] (a path) with argv and returns its pid at once, or -1 with the reason in why.
 * Its standard input and output are /dev/null, its standard error goes to log_path (created or
 * truncated); it stays in this process's group (a Ctrl-C reaches it as it reaches this process),
 * with this process's signal mask and the signals it catches at their defaults. */
pid_t childproc_start(char *const argv[], const char *log_path, char *why, size_t whylen);

/* Waits for the next child of this process to end (for a process whose children are all
 * started by childproc_start): its pid, its wait status in *ws and its peak memory (maximum
 * resident set, KiB) in *peak_kb; it is unregistered before it is reaped. -1 when there is no
 * child. */
pid_t childproc_wait_any(int *ws, long *peak_kb);

#endif
