/* Unit tests for the process runner (childproc.h) and the signal registry it shares with atomic.h:
 * a function run in a forked copy gives back its status; the copy is registered while it runs
 * and unregistered once waited for; the copy forgets what its parent registered (a signal to it
 * removes none of its parent's files and stops none of its siblings); one child past the
 * registry's ATOMIC_CHILDREN places is an error, not a silently unregistered child; and a process
 * started with SIGHUP ignored (nohup) keeps it ignored. Each child that waits reads a pipe, so
 * that it ends when this process closes the pipe or dies. */
#define _DEFAULT_SOURCE /* kill, sigaction */
#include "unit.h"
#include "atomic.h"
#include "childproc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Closes its copy of the pipe's writing end (arg: the pipe's two ends), then reads the pipe until
 * the writing end is closed everywhere; status 0. */
static int child_waits(void *arg)
{
    const int *fds = arg;
    close(fds[1]);
    char c;
    while (read(fds[0], &c, 1) > 0) {
    }
    return 0;
}

static int child_returns(void *arg)
{
    return *(const int *)arg;
}

static int child_signals_itself(void *arg)
{
    (void)arg;
    raise(SIGTERM); /* atomic.c's handler: this process's children and files, then the signal */
    return 0;
}

/* Waits for the next child; its pid, and its wait status in *ws. */
static pid_t wait_next(int *ws)
{
    long peak = 0;
    return childproc_wait_any(ws, &peak);
}

static void childproc_status_and_registry(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        check(0, "childproc_fork: a pipe for the children", NULL);
        return;
    }
    char why[256] = "";
    pid_t waiting = childproc_fork(child_waits, fds, why, sizeof why);
    check(waiting > 0 && atomic_tracks_child((int)waiting),
          "childproc_fork: the child is registered with atomic.h while it runs", why);
    int seven = 7, ws = -1;
    pid_t quick = childproc_fork(child_returns, &seven, why, sizeof why);
    /* the quick one ends first: the other waits for the pipe */
    pid_t got = wait_next(&ws);
    char detail[160];
    snprintf(detail, sizeof detail, "pid %d (expected %d), exited %d, status %d", (int)got, (int)quick,
             WIFEXITED(ws), WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
    check(quick > 0 && got == quick && WIFEXITED(ws) && WEXITSTATUS(ws) == 7,
          "childproc_fork: the function's return value is the child's exit status", detail);
    check(!atomic_tracks_child((int)quick) && kill(quick, 0) != 0,
          "childproc_wait_any: the child it returns is unregistered and reaped", detail);
    check(atomic_tracks_child((int)waiting), "childproc_wait_any: a child still running stays registered", NULL);
    close(fds[1]);
    got = wait_next(&ws);
    close(fds[0]);
    check(got == waiting && !atomic_tracks_child((int)waiting) && WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
          "childproc_wait_any: the waiting child ends when its pipe closes, and is unregistered", NULL);
}

/* A signal to a child runs atomic.c's handler there: it must not remove the parent's temporary
 * file nor stop the parent's other child. */
static void childproc_forgets_parent(void)
{
    char file[] = "/tmp/handout-childproc-XXXXXX";
    int fd = mkstemp(file);
    int fds[2];
    if (fd < 0 || pipe(fds) != 0) {
        check(0, "childproc_fork: a file and a pipe for the test", NULL);
        return;
    }
    close(fd);
    struct sigaction was[3];
    const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], NULL, &was[i]);
    atomic_catch_signals();
    atomic_track(file);
    char why[256] = "";
    pid_t sibling = childproc_fork(child_waits, fds, why, sizeof why);
    pid_t signalled = childproc_fork(child_signals_itself, NULL, why, sizeof why);
    int ws = -1;
    pid_t got = wait_next(&ws);
    bool file_kept = access(file, F_OK) == 0;
    bool sibling_runs = sibling > 0 && waitpid(sibling, NULL, WNOHANG) == 0;
    char detail[160];
    snprintf(detail, sizeof detail, "pid %d (expected %d), signalled %d, signal %d", (int)got, (int)signalled,
             WIFSIGNALED(ws), WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
    check(signalled > 0 && got == signalled && WIFSIGNALED(ws) && WTERMSIG(ws) == SIGTERM,
          "childproc_fork: a child given SIGTERM ends by it, through atomic.c's handler", detail);
    check(file_kept, "childproc_fork: the child's handler leaves its parent's registered file alone", file);
    check(sibling_runs, "childproc_fork: the child's handler leaves its parent's other child running", NULL);
    close(fds[1]);
    wait_next(&ws);
    close(fds[0]);
    atomic_untrack(file);
    unlink(file);
    for (int i = 0; i < 3; i++)
        sigaction(sigs[i], &was[i], NULL);
}

/* ATOMIC_CHILDREN children at once are registered; one more is refused with the reason. */
static void childproc_limit(void)
{
    int fds[2];
    if (pipe(fds) != 0) {
        check(0, "childproc_fork: a pipe for the children", NULL);
        return;
    }
    int started = 0;
    char why[256] = "";
    for (int i = 0; i < ATOMIC_CHILDREN; i++)
        started += childproc_fork(child_waits, fds, why, sizeof why) > 0;
    why[0] = '\0';
    pid_t extra = childproc_fork(child_waits, fds, why, sizeof why);
    char detail[320]; /* the words, three numbers and why (256) */
    snprintf(detail, sizeof detail, "%d of %d started; one more: pid %d, \"%s\"", started, ATOMIC_CHILDREN,
             (int)extra, why);
    check(started == ATOMIC_CHILDREN && extra < 0 &&
              strcmp(why, "expected at most 64 child processes at once, found one more") == 0,
          "childproc_fork: 64 children at once, and one more is an error naming the limit", detail);
    close(fds[1]);
    int ws, ended = 0;
    while (wait_next(&ws) > 0)
        ended++;
    close(fds[0]);
    snprintf(detail, sizeof detail, "%d ended", ended);
    check(ended == ATOMIC_CHILDREN, "childproc_fork: the refused child was reaped at once; the others end", detail);
}

/* nohup starts a process with SIGHUP ignored: it stays ignored. SIGINT ignored (a script's
 * background command) is caught all the same. */
static void catch_signals_nohup(void)
{
    struct sigaction hup, intr, now, ign;
    sigaction(SIGHUP, NULL, &hup);
    sigaction(SIGINT, NULL, &intr);
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGHUP, &ign, NULL);
    sigaction(SIGINT, &ign, NULL);
    atomic_catch_signals();
    sigaction(SIGHUP, NULL, &now);
    check(now.sa_handler == SIG_IGN, "atomic_catch_signals: SIGHUP ignored from the start (nohup) stays ignored", NULL);
    sigaction(SIGINT, NULL, &now);
    check(now.sa_handler != SIG_IGN && now.sa_handler != SIG_DFL,
          "atomic_catch_signals: SIGINT ignored from the start is caught all the same", NULL);
    ign.sa_handler = SIG_DFL;
    sigaction(SIGHUP, &ign, NULL);
    atomic_catch_signals();
    sigaction(SIGHUP, NULL, &now);
    check(now.sa_handler != SIG_IGN && now.sa_handler != SIG_DFL,
          "atomic_catch_signals: SIGHUP at its default is caught", NULL);
    sigaction(SIGHUP, &hup, NULL);
    sigaction(SIGINT, &intr, NULL);
}

void test_childproc(void)
{
    childproc_status_and_registry();
    childproc_forgets_parent();
    childproc_limit();
    catch_signals_nohup();
}
