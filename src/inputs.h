/* inputs: the files this process has read as inputs of a build (layouts, content sets, Markdown,
 * data, sheets, printers, profiles, job files, fonts, images), by identity (device and inode),
 * so that no output is written over one of them under any name (atomic.c asks before every
 * write). One list per process: a build's inputs are read by many modules, and a write anywhere
 * must see all of them. */
#ifndef HANDOUT_INPUTS_H
#define HANDOUT_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

/* Records path as an input (a path that cannot be stat()ed is not recorded). */
void inputs_note(const char *path);
/* True when path names a recorded input; *as receives the path it was read as. */
bool inputs_holds(const char *path, const char **as);
/* The inputs recorded so far, in the order first read: how many, and the path of each. */
size_t inputs_count(void);
const char *inputs_path(size_t i);
/* Forgets every input (the web server between requests; tests). */
void inputs_clear(void);

#endif
