/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What dump and restore share on the command line: -D, --pidfile, PIDs. */
#ifndef CRTOOL_IMAGES_DIR_H
#define CRTOOL_IMAGES_DIR_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Open the images folder @path (created with mode 0700 when @create and
 * missing) as a directory fd; prints the reason and returns -1 on failure.
 */
int images_dir_open(const char *path, bool create);

/* Write @pid and a newline to @path; prints the reason and returns -1 on failure. */
int pidfile_write(const char *path, pid_t pid);

/* Parse a PID argument; false (after printing why) when it is not one. */
bool parse_pid(const char *s, pid_t *pid);

#endif
