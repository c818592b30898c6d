/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * seccomp.img: every seccomp filter of the tree, once. A filter is its
 * instructions, its flags and the filter installed before it (prev), so
 * that threads and tasks that share the first filters of their chains
 * share those entries. A thread's core names its last filter.
 */
#ifndef CR_DUMP_SECCOMP_H
#define CR_DUMP_SECCOMP_H

#include <stdint.h>
#include <sys/types.h>

#include "dump.h"

/*
 * Add the filters of thread @tid (under seccomp filter mode, stopped under
 * ptrace) to those of the dump; *@last gets the index of its newest one.
 * 0 or a negative errno (logged).
 */
int dump_seccomp_thread(struct dump_ctx *ctx, pid_t tid, uint32_t *last);

/* Write seccomp.img if any thread had filters, and forget them. 0 or a negative errno. */
int dump_seccomp_finish(struct dump_ctx *ctx, int write);

#endif
