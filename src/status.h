/* status: the exit statuses of every command (docs/errors.md, handout.1 EXIT STATUS), and the one
 * order of severity used wherever two statuses meet: a check over many layouts, a batch of many
 * items, a build split over processes. The order runs from the problem nearest the user's own
 * files to the one furthest from them, and is the order of the numbers:
 *   internal 4 > output 3 > usage 2 > input 1 > success 0. */
#ifndef HANDOUT_STATUS_H
#define HANDOUT_STATUS_H

enum exit_status {
    EXIT_OK = 0,       /* success */
    EXIT_INPUT = 1,    /* a layout, content set, job or data file breaks the rules: fix the file */
    EXIT_USAGE = 2,    /* the command line asks for something that cannot be done: fix the command */
    EXIT_OUTPUT = 3,   /* the work was done but could not be written: fix the folder or the disk */
    EXIT_INTERNAL = 4, /* a library or the program failed, or memory ran out: report it */
};

/* The more severe of two statuses, by the order above; a status outside 0..4 (a child process
 * killed, or one that could not start) counts as internal. 0 only when both are 0. */
static inline int status_worst(int a, int b)
{
    int ra = a >= EXIT_OK && a <= EXIT_INTERNAL ? a : EXIT_INTERNAL;
    int rb = b >= EXIT_OK && b <= EXIT_INTERNAL ? b : EXIT_INTERNAL;
    return rb > ra ? rb : ra;
}

#endif
