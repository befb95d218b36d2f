/* serve: `handout serve`, the local web page (libmicrohttpd). Owns the HTTP side: listening (on
 * 127.0.0.1 unless told otherwise, and then only with an access token), the connections a client
 * may hold and the time its request may take to arrive (a watchdog closes the late ones), the
 * routes, reading forms and uploads within stated limits, how many builds run at once, the answers
 * a refused request gets, and stopping on SIGTERM or SIGINT once the builds in flight have
 * finished. What a form means is webform.c's; what it makes is webbuild.c's; how pages look is
 * webpage.c's. */
#ifndef HANDOUT_SERVE_H
#define HANDOUT_SERVE_H

#include "cli.h"

/* `handout serve`, its command line read (o->command is CMD_SERVE). Returns the exit status: 0
 * after a clean stop, 2 for a usage error, 1 when the project or the address cannot be used. */
int serve_main(const cli_options *o);

#endif
