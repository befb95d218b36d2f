/* parts: the files one output is split into (out.pdf, or out-001.pdf, out-002.pdf, ... when a
 * build passes its page limit), put in place all together or not at all, and the record of which
 * files a build made (".out.pdf.parts" beside the output), so that a later build removes only the
 * parts it made itself and never a file it did not make. */
#ifndef HANDOUT_PARTS_H
#define HANDOUT_PARTS_H

#include <stdbool.h>
#include <stddef.h>

/* "out.pdf" -> "out-002.pdf" for part 1 of several; the name itself for a single part. */
char *parts_name(const char *path, long part, long parts);

/* Renames tmp[i] onto final[i] for every part, after checking every target (atomic_target_ok):
 * when one cannot be put in place, the targets already replaced get their old files back and
 * every tmp[i] stays for the caller to remove. Then removes the parts that the previous build of
 * `output` recorded and this one did not write (each only while it is still the very file that
 * build made), and records this build's parts. False with the reason in why (the PDFs are then
 * as they were). */
bool parts_commit(const char *output, char *const *tmp, char *const *final, long n, char *why,
                  size_t whylen);

#endif
