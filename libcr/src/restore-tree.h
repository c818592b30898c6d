/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Forking the tree with its PIDs; what each task process does until the switch. */
#ifndef CR_RESTORE_TREE_H
#define CR_RESTORE_TREE_H

#include <stdbool.h>

#include "restore.h"

/* CRIU's task states, as core images record them. */
#define TASK_ALIVE 0x1
#define TASK_DEAD 0x2
#define TASK_STOPPED 0x3

/*
 * Fork task @idx of ctx->tasks with its PID (clone3 + set_tid); the child
 * restores it and never returns. The child's PID, or a negative errno.
 */
pid_t rst_fork_task(struct rst_ctx *ctx, size_t idx);

/* Whether task @t was dumped as a zombie. */
bool rst_task_is_zombie(const struct rst_task *t);

#endif
