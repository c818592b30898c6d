/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crtool's log: one sink for crtool itself and for every library it links.
 * Lines look like criu's: "(00.012345) Error (file.c:123): message".
 */
#ifndef CRTOOL_LOG_H
#define CRTOOL_LOG_H

#include "lib-log.h"

#define DEFAULT_VERBOSITY LIB_LOG_WARN

/* Send the log to @path (NULL or "-": stderr). 0 or -errno. */
int log_open(const char *path);
void log_close(void);
void log_set_verbosity(int level);
int log_get_verbosity(void);

/* Where libraries send their messages; also what crtool's pr_*() reach. */
void log_sink(int level, const char *file, int line, const char *msg, void *ctx);

/* The first error message logged so far, or NULL. */
const char *log_first_error(void);

/* Install log_sink into every library crtool links. */
void log_attach_libraries(void);

/* A message for the user: stdout whatever the log settings, and the log. */
__attribute__((format(printf, 1, 2))) void pr_msg(const char *fmt, ...);

#endif
