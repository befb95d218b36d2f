/* warm: see warm.h. The server and the warm copy talk over a datagram socket pair (one message a
 * request, whole or not at all); each request brings one end of a socket pair of its own
 * (SCM_RIGHTS), over which the request's process says its pid when it starts and its wait
 * status when it ends. The warm copy makes, for each request, a waiter (a copy of itself) that
 * makes the request's process and waits for it: so the server learns how the process ended,
 * crash or not, and the warm copy itself never runs a command and never waits. */
#define _GNU_SOURCE /* SOCK_CLOEXEC, MSG_CMSG_CLOEXEC */
#include "warm.h"
#include "atomic.h"


#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum {
    WARM_MSG_MAX = 64 * 1024, /* a request: its paths and arguments */
    WARM_MAX_ARGS = 256,
};

typedef enum { WARM_RUN = 1 } warm_kind;

/* A request's head; after it, its strings, each ended by a NUL: the log's path, then the
 * arguments. */
typedef struct warm_head {
    uint32_t kind;
    uint32_t nstrings;
} warm_head;

/* What the request's socket carries back: the process's pid, then its wait status. */
typedef struct warm_note {
    int32_t what; /* 1: started (value: pid); 2: ended (value: wait status) */
    int32_t value;
} warm_note;

struct warm {
    int ctl;            /* the server's end of the control socket; -1 when the copy is gone */
    pid_t pid;          /* the warm copy */
    pthread_mutex_t lock;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the request's process, its waiter, the warm copy ---- */

/* In the request's process: its own group, signals at their defaults, no signal held, input
 * from /dev/null, output to the log. False when the log cannot be opened. */
static bool become_request(const char *log_path)
{
    setpgid(0, 0);
    atomic_forget_inherited();
    int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        signal(sigs[i], SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int in = open("/dev/null", O_RDONLY);
    int out = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0)
        return false;
    dup2(in, 0);
    dup2(out, 1);
    dup2(out, 2);
    if (in > 2)
        close(in);
    if (out > 2)
        close(out);
    return true;
}

static void note(int fd, int32_t what, int32_t value)
{
    warm_note n = { what, value };
    while (send(fd, &n, sizeof n, MSG_NOSIGNAL) < 0 && errno == EINTR) {
    }
}

/* The waiter: makes the request's process, says its pid, waits for it, says how it ended. */
static void waiter(int reply, warm_main_fn entry, const warm_head *h, char **s)
{
    signal(SIGCHLD, SIG_DFL);
    prctl(PR_SET_NAME, "handout-wait");
    pid_t pid = fork();
    if (pid == 0) {
        close(reply);
        prctl(PR_SET_NAME, "handout-build");
        if (!become_request(s[0]))
            _exit(126);
        int status = entry((int)h->nstrings - 1, s + 1);
        fflush(stdout);
        fflush(stderr);
        _exit(status & 0xff);
    }
    if (pid < 0)
        _exit(1); /* the server reads the end of the socket without a start: not taken */
    note(reply, 1, (int32_t)pid);
    int ws = 0;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR) {
    }
    note(reply, 2, ws);
    _exit(0);
}

/* The warm copy's loop: a request in, a waiter made for it; the end of the control socket (the
 * server closed it or ended) ends it. */
static void warm_copy(int ctl, warm_main_fn entry, pid_t server)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != server)
        _exit(0);
    prctl(PR_SET_NAME, "handout-warm"); /* as ps and pgrep -x name it (its command line is the server's) */
    setpgid(0, 0); /* a Ctrl-C meant for the server does not end it: the server ends it */
    atomic_forget_inherited();
    signal(SIGCHLD, SIG_IGN); /* its waiters are reaped by the system */
    signal(SIGPIPE, SIG_IGN);
    char *buf = malloc(WARM_MSG_MAX + 1);
    char **s = malloc((WARM_MAX_ARGS + 2) * sizeof *s);
    if (!buf || !s)
        _exit(1);
    for (;;) {
        char cbuf[CMSG_SPACE(sizeof(int))];
        struct iovec iov = { buf, WARM_MSG_MAX };
        struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
        ssize_t n = recvmsg(ctl, &m, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(0);
        int reply = -1;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
                memcpy(&reply, CMSG_DATA(c), sizeof reply);
        if (reply < 0)
            continue;
        /* the strings, each ended by a NUL, as many as the head says */
        warm_head h;
        bool ok = (size_t)n >= sizeof h && !(m.msg_flags & (MSG_TRUNC | MSG_CTRUNC));
        if (ok)
            memcpy(&h, buf, sizeof h);
        ok = ok && h.nstrings >= 1 && h.nstrings <= WARM_MAX_ARGS &&
             h.kind == WARM_RUN && h.nstrings >= 2;
        buf[n] = '\0';
        char *p = buf + sizeof h, *end = buf + n;
        for (uint32_t i = 0; ok && i < h.nstrings; i++) {
            char *z = memchr(p, '\0', (size_t)(end - p));
            ok = z != NULL;
            s[i] = p;
            p = z ? z + 1 : end;
        }
        if (ok) {
            s[h.nstrings] = NULL;
            pid_t pid = fork();
            if (pid == 0) {
                close(ctl);
                waiter(reply, entry, &h, s);
            }
        }
        close(reply); /* not taken (a bad request, no process): the server reads the end */
    }
}

warm *warm_start(warm_main_fn entry, char *why, size_t whylen)
{
    warm *w = calloc(1, sizeof *w);
    int sv[2];
    if (!w || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(why, whylen, "cannot make the warm renderer's socket: %s", strerror(errno));
        free(w);
        return NULL;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t server = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        free(w); /* the server's handle: the copy has none (a leak checker would count it lost) */
        close(sv[0]);
        warm_copy(sv[1], entry, server);
        _exit(0);
    }
    close(sv[1]);
    if (pid < 0) {
        snprintf(why, whylen, "cannot start the warm renderer: %s", strerror(errno));
        close(sv[0]);
        free(w);
        return NULL;
    }
    w->ctl = sv[0];
    w->pid = pid;
    pthread_mutex_init(&w->lock, NULL);
    return w;
}

void warm_stop(warm *w)
{
    if (!w)
        return;
    if (w->ctl >= 0)
        close(w->ctl); /* the copy reads the end and ends */
    int ws;
    while (w->pid > 0 && waitpid(w->pid, &ws, 0) < 0 && errno == EINTR) {
    }
    pthread_mutex_destroy(&w->lock);
    free(w);
}

/* ---- the server's side ---- */

/* The next note from the request's socket by deadline (0: none); 0 when one came, 1 at the
 * deadline, -1 at the socket's end. */
static int next_note(int fd, double deadline, warm_note *n)
{
    for (;;) {
        if (deadline > 0) {
            double left = deadline - now();
            if (left <= 0)
                return 1;
            struct pollfd p = { .fd = fd, .events = POLLIN };
            int ms = left > 1000.0 ? 1000000 : (int)(left * 1000.0) + 1;
            int got = poll(&p, 1, ms);
            if (got < 0 && errno != EINTR)
                return -1;
            if (got <= 0)
                continue;
        }
        ssize_t k = recv(fd, n, sizeof *n, 0);
        if (k < 0 && errno == EINTR)
            continue;
        return k == (ssize_t)sizeof *n ? 0 : -1;
    }
}

/* Sends a request with its strings and waits for its process as childproc_run waits. */
static bool request(warm *w, warm_kind kind, const char *const *strs, size_t nstrs, double timeout_s,
                    childproc_result *r, char *why, size_t whylen)
{
    memset(r, 0, sizeof *r);
    r->status = -1;
    size_t len = sizeof(warm_head);
    for (size_t i = 0; i < nstrs; i++)
        len += strlen(strs[i]) + 1;
    if (len > WARM_MSG_MAX || nstrs > WARM_MAX_ARGS) {
        snprintf(why, whylen, "expected a request of at most %d bytes and %d arguments for the warm renderer, "
                              "found one larger", WARM_MSG_MAX, WARM_MAX_ARGS);
        return false;
    }
    char *buf = malloc(len);
    int sv[2] = { -1, -1 };
    if (!buf || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(why, whylen, "cannot make a socket for the warm renderer: %s", strerror(errno));
        free(buf);
        return false;
    }
    warm_head h = { (uint32_t)kind, (uint32_t)nstrs };
    memcpy(buf, &h, sizeof h);
    char *p = buf + sizeof h;
    for (size_t i = 0; i < nstrs; i++) {
        size_t n = strlen(strs[i]) + 1;
        memcpy(p, strs[i], n);
        p += n;
    }
    char cbuf[CMSG_SPACE(sizeof(int))];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iov = { buf, len };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &sv[1], sizeof(int));
    double t0 = now();
    pthread_mutex_lock(&w->lock);
    ssize_t sent = -1;
    if (w->ctl >= 0) {
        while ((sent = sendmsg(w->ctl, &m, MSG_NOSIGNAL)) < 0 && errno == EINTR) {
        }
        if (sent < 0) {
            /* the copy is gone (it is not made again: this process has threads now, and a copy
             * made from it could hold a lock one of them held): every later request goes the
             * cold way at once; the copy is reaped */
            close(w->ctl);
            w->ctl = -1;
            int ws;
            while (waitpid(w->pid, &ws, 0) < 0 && errno == EINTR) {
            }
            w->pid = -1;
        }
    }
    pthread_mutex_unlock(&w->lock);
    close(sv[1]);
    free(buf);
    warm_note n;
    if (sent < 0 || next_note(sv[0], timeout_s > 0 ? t0 + timeout_s : 0, &n) != 0 || n.what != 1) {
        snprintf(why, whylen, "the warm renderer did not take the request");
        close(sv[0]);
        return false;
    }
    pid_t pid = (pid_t)n.value;
    int got = next_note(sv[0], timeout_s > 0 ? t0 + timeout_s : 0, &n);
    if (got == 1) {
        r->timed_out = true;
        kill(pid, SIGTERM);
        got = next_note(sv[0], now() + 2.0, &n);
        if (got == 1) {
            kill(pid, SIGKILL);
            got = next_note(sv[0], 0, &n);
        }
    }
    close(sv[0]);
    r->seconds = now() - t0;
    if (got != 0 || n.what != 2) {
        r->signal = SIGKILL; /* the waiter went before it could say: as though killed */
        return true;
    }
    int ws = n.value;
    if (WIFEXITED(ws) && !r->timed_out)
        r->status = WEXITSTATUS(ws);
    else if (WIFSIGNALED(ws))
        r->signal = WTERMSIG(ws);
    return true;
}

bool warm_run(warm *w, char *const argv[], const char *log_path, double timeout_s, childproc_result *r, char *why,
              size_t whylen)
{
    const char *strs[WARM_MAX_ARGS + 1];
    size_t n = 0;
    strs[n++] = log_path;
    for (size_t i = 0; argv[i]; i++) {
        if (n >= WARM_MAX_ARGS) {
            snprintf(why, whylen, "expected at most %d arguments for the warm renderer, found more", WARM_MAX_ARGS - 1);
            return false;
        }
        strs[n++] = argv[i];
    }
    return request(w, WARM_RUN, strs, n, timeout_s, r, why, whylen);
}
