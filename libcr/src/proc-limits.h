/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * /proc/PID/limits: every resource limit of a task. Read from /proc because
 * prlimit() on another task needs CAP_SYS_RESOURCE, which root lacks here.
 */
#ifndef CR_PROC_LIMITS_H
#define CR_PROC_LIMITS_H

#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

/* The limits the kernel prints: RLIMIT_CPU .. RLIMIT_RTTIME. */
#define PROC_NR_LIMITS 16

struct proc_limits {
	struct rlimit lim[PROC_NR_LIMITS];	/* indexed by RLIMIT_*; RLIM_INFINITY for "unlimited" */
};

/*
 * Parse the text of a limits file (@buf, @len bytes). Every one of the 16
 * limits must be there; unknown rows are ignored. 0 or -EINVAL.
 * Suitable as a fuzz entry point.
 */
int proc_limits_parse(const char *buf, size_t len, struct proc_limits *l);

/* Read /proc/@pid/limits. */
int proc_limits_read(pid_t pid, struct proc_limits *l);

#endif
