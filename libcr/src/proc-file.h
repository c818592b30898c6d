/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening and reading files under /proc/PID/ with bounded buffers. */
#ifndef CR_PROC_FILE_H
#define CR_PROC_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "proc-lines.h"

/* open("/proc/@pid/@name", @flags | O_CLOEXEC): an fd or a negative errno. */
int proc_open(pid_t pid, const char *name, int flags);

/*
 * Read all of /proc/@pid/@name into @buf (@size bytes): the length read, or
 * -E2BIG when the file does not fit, or another negative errno.
 */
long proc_read_all(pid_t pid, const char *name, void *buf, size_t size);

/*
 * readlink("/proc/@pid/@name") into @buf (@size bytes), NUL-terminated:
 * the length, or -ENAMETOOLONG when it does not fit, or -errno.
 * For "cwd", "root", "exe", "fd/N".
 */
long proc_readlink(pid_t pid, const char *name, char *buf, size_t size);

/*
 * The name under /proc/PID/ of a per-thread file: "task/@tid/@file", or
 * just @file when @tid <= 0 (the whole process).
 */
void proc_task_name(char *buf, size_t size, pid_t tid, const char *file);

/* Walk /proc/@pid/@name record by record (see proc-lines.h). */
int proc_read_records(pid_t pid, const char *name, char sep, proc_record_fn fn, void *arg);

#endif
