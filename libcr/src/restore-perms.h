/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a caller without CAP_SYS_ADMIN may restore, checked before anything
 * is created, so that a restore it cannot finish fails at once and clearly.
 */
#ifndef CR_RESTORE_PERMS_H
#define CR_RESTORE_PERMS_H

#include "restore.h"

/*
 * Whether the caller may create tasks with given PIDs (clone3's set_tid
 * needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE). 0 or -EPERM (logged).
 */
int rst_check_may_set_pids(void);

/*
 * Whether the caller may give every thread of ctx->tasks its dumped
 * credentials: without CAP_SYS_ADMIN, no uid, gid, supplementary groups
 * or capability it does not have itself, and CAP_SETPCAP and CAP_SETGID,
 * which the restorer needs to set any. 0 or -EPERM naming the thread and
 * what it would get, or what crtool lacks (logged).
 */
int rst_check_creds(const struct rst_ctx *ctx);

#endif
