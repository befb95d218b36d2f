/* warm: the web page's warm renderer. Owns a copy of the server made by fork() when the server
 * starts (before it has threads, with the program and its libraries loaded), which runs a command of this program in a fresh copy of itself for each
 * request: a preview's `handout build`, by the program's own main, with no program start and no
 * dynamic linking. Each request runs in a process of its own, as a spawned
 * build did: its output to a log file, its input from /dev/null, its signals at their defaults,
 * in a process group of its own, stopped when it runs past the time limit (SIGTERM, then
 * SIGKILL); a crash ends that request alone. The caller learns the exit status as childproc.h's
 * runner says it. When the warm copy is gone (it died, or could not be made), a request says so
 * and the caller runs the command the cold way (childproc_run). Safe to call from several
 * threads at once; the requests run side by side. */
#ifndef HANDOUT_WARM_H
#define HANDOUT_WARM_H

#include "childproc.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct warm warm;

/* This program's main, which a request's copy runs with the request's arguments. */
typedef int (*warm_main_fn)(int argc, char **argv);

/* Makes the warm copy. Call before the process starts a thread. NULL with a reason. */
warm *warm_start(warm_main_fn entry, char *why, size_t whylen);
/* Ends the warm copy (requests in flight finish) and frees w. */
void warm_stop(warm *w);

/* Runs entry(argc, argv) (argv NULL-terminated, argv[0] this program's path) in a copy, as
 * childproc_run runs a program. False with a reason when the warm copy could not take it (the
 * caller then runs the command the cold way); *r as childproc_run fills it otherwise. */
bool warm_run(warm *w, char *const argv[], const char *log_path, double timeout_s, childproc_result *r, char *why,
              size_t whylen);

#endif
