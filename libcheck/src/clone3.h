/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* clone3() without a stack: fork semantics, with clone3's extra fields. */
#ifndef CHECK_CLONE3_H
#define CHECK_CLONE3_H

#include <linux/sched.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Returns like fork(): 0 in the child, the pid or -1 with errno. */
static inline pid_t clone3_fork(struct clone_args *args)
{
	return syscall(SYS_clone3, args, sizeof(*args));
}

#endif
