/* childproc: see childproc.h. */
#define _DEFAULT_SOURCE /* wait4 */
#include "childproc.h"
#include "atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <poll.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pause_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Waits for pid until deadline (0: for ever); true when it ended (status in *ws). The wait is
 * told the moment the child ends (poll on a pidfd, Linux 5.3), not at the next of a series of
 * naps: a preview's two children each lost up to 50 ms to the nap. Without pidfds, naps of at
 * most 5 ms. */
static bool wait_until(pid_t pid, double deadline, int *ws)
{
    int pfd = deadline > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
    long nap = 1;
    bool ended = false;
    for (;;) {
        pid_t got = waitpid(pid, ws, deadline > 0 ? WNOHANG : 0);
        if (got == pid || (got < 0 && errno != EINTR)) {
            ended = true; /* ended, or not ours any more: nothing to wait for */
            break;
        }
        double left = deadline - now();
        if (deadline > 0 && left <= 0)
            break;
        if (deadline > 0 && pfd >= 0) {
            struct pollfd p = { .fd = pfd, .events = POLLIN };
            int ms = left > 1000.0 ? 1000000 : (int)(left * 1000.0) + 1;
            poll(&p, 1, ms);
        } else if (deadline > 0) {
            pause_ms(nap);
            nap = nap < 5 ? nap + 1 : 5;
        }
    }
    if (pfd >= 0)
        close(pfd);
    return ended;
}

bool childproc_run(char *const argv[], const char *log_path, double timeout_s, childproc_result *r,
                   char *why, size_t whylen)
{
    memset(r, 0, sizeof *r);
    r->status = -1;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    if (posix_spawn_file_actions_init(&fa) != 0 || posix_spawnattr_init(&at) != 0) {
        snprintf(why, whylen, "out of memory");
        return false;
    }
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGHUP);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &defaults);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    double t0 = now();
    pid_t pid;
    int err = posix_spawn(&pid, argv[0], &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (err != 0) {
        snprintf(why, whylen, "cannot run %s: %s", argv[0], strerror(err));
        return false;
    }
    int ws = 0;
    if (!wait_until(pid, timeout_s > 0 ? t0 + timeout_s : 0, &ws)) {
        r->timed_out = true;
        kill(pid, SIGTERM);
        if (!wait_until(pid, now() + 2.0, &ws)) {
            kill(pid, SIGKILL);
            wait_until(pid, 0, &ws);
        }
    }
    r->seconds = now() - t0;
    if (WIFEXITED(ws) && !r->timed_out)
        r->status = WEXITSTATUS(ws);
    else if (WIFSIGNALED(ws))
        r->signal = WTERMSIG(ws);
    return true;
}

/* Holds SIGINT, SIGTERM and SIGHUP (the mask before in *was) from before a child is made until
 * it is registered, so that no signal comes in between and leaves it unknown to the clean-up. */
static void block_stop_signals(sigset_t *stop, sigset_t *was)
{
    sigemptyset(stop);
    sigaddset(stop, SIGINT);
    sigaddset(stop, SIGTERM);
    sigaddset(stop, SIGHUP);
    sigprocmask(SIG_BLOCK, stop, was);
}

/* Registers a child just made (atomic.h); when the registry is full, the child is stopped and
 * reaped at once and false returned with the reason. */
static bool register_child(pid_t pid, char *why, size_t whylen)
{
    if (atomic_track_child((int)pid))
        return true;
    kill(pid, SIGKILL);
    int ws;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
    }
    snprintf(why, whylen, "expected at most %d child processes at once, found one more", ATOMIC_CHILDREN);
    return false;
}

pid_t childproc_start(char *const argv[], const char *log_path, char *why, size_t whylen)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    if (posix_spawn_file_actions_init(&fa) != 0) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    if (posix_spawnattr_init(&at) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    /* the signals that stop a run are held from the start until the child is registered; the
     * child gets the mask as it was (posix_spawn puts every signal this process catches back to
     * its default in the child) */
    sigset_t stop, was;
    block_stop_signals(&stop, &was);
    posix_spawnattr_setsigmask(&at, &was);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
    pid_t pid = -1;
    int err = posix_spawn(&pid, argv[0], &fa, &at, argv, environ);
    bool tracked = err == 0 && register_child(pid, why, whylen);
    sigprocmask(SIG_SETMASK, &was, NULL);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (err != 0)
        snprintf(why, whylen, "cannot run %s: %s", argv[0], strerror(err));
    return tracked ? pid : -1;
}

pid_t childproc_fork(int (*fn)(void *), void *arg, char *why, size_t whylen)
{
    /* what this process has buffered is written once, by this process, not again by the copy */
    fflush(stdout);
    fflush(stderr);
    sigset_t stop, was;
    block_stop_signals(&stop, &was);
    pid_t pid = fork();
    if (pid == 0) {
        /* the copy: its parent's temporary files and children are not its own; a signal held
         * since the fork arrives now, with nothing of the parent's registered */
        atomic_forget_inherited();
        sigprocmask(SIG_SETMASK, &was, NULL);
        int status = fn(arg);
        fflush(stdout);
        fflush(stderr);
        _exit(status & 0xff); /* no atexit handler, no stdio buffer of the parent's, nothing freed */
    }
    int err = errno;
    bool tracked = pid > 0 && register_child(pid, why, whylen);
    sigprocmask(SIG_SETMASK, &was, NULL);
    if (pid < 0)
        snprintf(why, whylen, "cannot start a process: %s", strerror(err));
    return tracked ? pid : -1;
}

pid_t childproc_wait_any(int *ws, long *peak_kb)
{
    for (;;) {
        /* seen ended but not reaped: its number is not given to another process until it is
         * untracked, so a signal now cannot reach a stranger */
        siginfo_t si;
        memset(&si, 0, sizeof si);
        if (waitid(P_ALL, 0, &si, WEXITED | WNOWAIT) != 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        pid_t pid = si.si_pid;
        atomic_untrack_child((int)pid);
        struct rusage ru;
        memset(&ru, 0, sizeof ru);
        pid_t got;
        while ((got = wait4(pid, ws, 0, &ru)) < 0 && errno == EINTR) {
        }
        if (got != pid)
            return -1;
        *peak_kb = ru.ru_maxrss;
        return pid;
    }
}
