/* webproof: the proof sheet as the staff page serves it (issue 16, item 6). Owns building it
 * with `handout proof` (this program, in a child process run in the project folder, as staff
 * would run it there), its cache (one sheet, PDF and PNG pages, in a folder the server gives,
 * kept until its inputs change) and the fingerprint that says when they changed: this program's
 * own SHA-256 and the path, size and modification time of every file under the project's input
 * folders (layouts, content, themes, data, profiles, sheets, printers, fonts) and of
 * tools/run-pairs.sh, which lists the products. One build at a time: a second caller waits for
 * the first and takes its sheet. */
#ifndef HANDOUT_WEBPROOF_H
#define HANDOUT_WEBPROOF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct webproof webproof;

/* root: the project folder; exe: this program's file; cache: a folder of the caller's (made
 * when missing); timeout: seconds the build may take (0: none). NULL with a reason. */
webproof *webproof_new(const char *root, const char *exe, const char *cache, double timeout, char *why,
                       size_t whylen);
void webproof_free(webproof *p);

/* Brings the sheet up to date, building it when there is none or its inputs changed since: its
 * PDF's path (caller frees) and its number of PNG pages. *built: it was built by this call.
 * False with a reason when the build failed (its log's last line) or wrote no sheet. */
bool webproof_get(webproof *p, char **pdf, int *pages, bool *built, char *why, size_t whylen);

/* The path of the current sheet's PNG page (1 up; caller frees), or NULL when there is no such
 * page (or no sheet yet: call webproof_get first). */
char *webproof_png(webproof *p, int page);

#endif
