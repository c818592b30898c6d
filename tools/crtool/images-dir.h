/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What dump and restore share on the command line: -D, --pidfile, PIDs. */
#ifndef CRTOOL_IMAGES_DIR_H
#define CRTOOL_IMAGES_DIR_H

#include <getopt.h>
#include <stdbool.h>
#include <sys/types.h>

/*
 * criu options of dump and restore whose features this build lacks: both
 * commands list them, and refuse them with cli_not_built().
 */
#define OPT_NOT_BUILT 0x2fff
#define NOT_BUILT_CR_OPTIONS                                                                       \
	{                                                                                          \
		"file-locks", no_argument, NULL, OPT_NOT_BUILT                                     \
	}

/* Dump and restore: established TCP connections (CR_*_TCP_ESTABLISHED). */
#define OPT_TCP_ESTABLISHED 0x2ffe

/*
 * Open the images folder @path (created with mode 0700 when @create and
 * missing) as a directory fd; prints the reason and returns -1 on failure.
 */
int images_dir_open(const char *path, bool create);

/* Write @pid and a newline to @path; prints the reason and returns -1 on failure. */
int pidfile_write(const char *path, pid_t pid);

/*
 * The one line a failed dump or restore prints on stderr: @what failed,
 * the first error logged (the reason), and where the details are.
 */
void report_failure(const char *what, int err);

/* Parse a PID argument; false (after printing why) when it is not one. */
bool parse_pid(const char *s, pid_t *pid);

#endif
