/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Numbered entries of a /proc/PID/ folder: threads (task), fds (fd). */
#ifndef CR_PROC_DIR_H
#define CR_PROC_DIR_H

#include <stddef.h>
#include <sys/types.h>

/* More fds than the kernel's default fs.nr_open: refused. */
#define PROC_FDS_MAX (1 << 20)

/*
 * The numbers that name the entries of /proc/@pid/@dir ("task", "fd"),
 * sorted up, into *@out (malloc'd, the caller frees it) and *@nr.
 * 0, -E2BIG past @max entries, -EINVAL on a name that is not a number,
 * -ENOENT when the task is gone, or another negative errno.
 */
int proc_dir_numbers(pid_t pid, const char *dir, size_t max, int **out, size_t *nr);

#endif
