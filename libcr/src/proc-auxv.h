/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/PID/auxv: the auxiliary vector the kernel gave the program. */
#ifndef CR_PROC_AUXV_H
#define CR_PROC_AUXV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Far above the kernel's saved_auxv size (about 26 pairs on x86_64). */
#define PROC_AUXV_MAX 64

struct proc_auxv {
	size_t nr;			/* pairs, the closing AT_NULL included */
	uint64_t type[PROC_AUXV_MAX];
	uint64_t val[PROC_AUXV_MAX];
};

/*
 * Parse the binary auxv (@buf, @len bytes: native u64 type/value pairs up
 * to and including AT_NULL; bytes after AT_NULL are ignored). 0, or -EINVAL
 * when the length is not whole pairs, AT_NULL is missing or there are more
 * than PROC_AUXV_MAX pairs. Suitable as a fuzz entry point.
 */
int proc_auxv_parse(const void *buf, size_t len, struct proc_auxv *a);

/* Read /proc/@pid/auxv. */
int proc_auxv_read(pid_t pid, struct proc_auxv *a);

/* The value of @type, or -ENOENT. */
int proc_auxv_get(const struct proc_auxv *a, uint64_t type, uint64_t *val);

#endif
