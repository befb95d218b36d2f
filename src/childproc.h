/* childproc: the one process runner, for the web page, batch and -j: other programs (handout's
 * own builds) and functions of this program in a copy of this process, started and waited for:
 * - childproc_run runs one to the end, with a time limit (the server's builds): its output to a
 *   log file, its input from /dev/null, its signals at their defaults, in a process group of its
 *   own so that a Ctrl-C meant for a server does not cut its builds short; stopped when it runs
 *   too long: SIGTERM first, which lets handout remove its temporary files, then SIGKILL. Safe
 *   to call from several threads at once.
 * - childproc_start starts one and returns (the batch's builds, several at once), and
 *   childproc_fork runs a function of this program in a copy of this process (the -j workers of a
 *   build); childproc_wait_any waits for the next of either to end. These are registered with
 *   atomic.h while they run, so that a SIGINT, SIGTERM or SIGHUP to this process is passed on to
 *   them and waited for before it ends: no build outlives its batch, no worker its build. At most
 *   ATOMIC_CHILDREN (64) at once: one more is an error. One thread only.
 * Children are waited for here (and by atomic.c's signal handler) and nowhere else: each is
 * unregistered before it is reaped. */
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

/* Runs fn(arg) in a copy of this process made by fork() and returns the copy's pid at once, or -1
 * with the reason in why. The copy starts with nothing of this process registered with atomic.h
 * (a signal to it removes only the temporary files it made itself); it runs fn, flushes stdout
 * and stderr, and ends with _exit(fn's return value, 0 to 255): it never returns into the
 * caller's code, frees nothing of the caller's (its copies end with it) and writes no stdio
 * buffer the caller filled (stdout and stderr are flushed before the fork). */
pid_t childproc_fork(int (*fn)(void *), void *arg, char *why, size_t whylen);

/* Waits for the next child of this process to end (for a process whose children are all
 * started by childproc_start or childproc_fork): its pid, its wait status in *ws and its peak memory (maximum
 * resident set, KiB) in *peak_kb; it is unregistered before it is reaped. -1 when there is no
 * child. */
pid_t childproc_wait_any(int *ws, long *peak_kb);

#endif
