/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Seccomp filters again: seccomp.img read and checked before anything is
 * created, each thread's chain (its filter and those before it, see
 * dump-seccomp.h) laid out for the restorer, which installs it last.
 */
#ifndef CR_RESTORE_SECCOMP_H
#define CR_RESTORE_SECCOMP_H

#include <stddef.h>
#include <stdint.h>

#include "restore.h"
#include "restorer-args.h"

/* Read seccomp.img into ctx->seccomp if the dump has one. 0 or a negative errno (logged). */
int rst_seccomp_load(struct rst_ctx *ctx);

void rst_seccomp_free(struct rst_ctx *ctx);

/*
 * Whether every thread of @t can get its seccomp state back: a known mode,
 * a chain in seccomp.img the kernel takes, and the right to install it
 * (no_new_privs or CAP_SYS_ADMIN, after its credentials). 0, -EINVAL or
 * -EOPNOTSUPP (logged).
 */
int rst_seccomp_check(const struct rst_ctx *ctx, const struct rst_task *t);

/* Bytes rst_seccomp_put() needs for the thread of @core (8-byte aligned). */
size_t rst_seccomp_size(const struct rst_ctx *ctx, const CoreEntry *core);

/* Lay the seccomp state of @core out at @at for @th (rst_seccomp_check() passed). */
void rst_seccomp_put(const struct rst_ctx *ctx, const CoreEntry *core, struct rst_thread_args *th,
		     uint8_t *at);

#endif
