/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Log messages of the task processes of a restore. Once a task has its
 * dumped fds, the caller's log (a file crtool opened) may sit under one of
 * them, so the tasks never log through it: they send each message over a
 * pipe kept at a service fd, and crtool hands them to the log callback.
 */
#ifndef CR_RESTORE_LOG_H
#define CR_RESTORE_LOG_H

#include "restore.h"

/* In crtool: the pipe, its write end at a service fd. 0 or a negative errno. */
int rst_log_open(struct rst_ctx *ctx);

/* In a task process, first thing: log through the pipe from now on. */
void rst_log_forward(struct rst_ctx *ctx);

/* In crtool: pass on every message waiting in the pipe. */
void rst_log_drain(struct rst_ctx *ctx);

void rst_log_close(struct rst_ctx *ctx);

#endif
