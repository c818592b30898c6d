/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The descriptor dumpers of each file kind, called by dump_files(). */
#ifndef CR_DUMP_FILES_H
#define CR_DUMP_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "dump.h"
#include "images.h"
#include "proc-fdinfo.h"

/* fs-PID.img: cwd, root and umask of @t. */
int dump_fs(struct dump_ctx *ctx, struct dump_task *t);

/* Whether @fd (ours) is a pipe rather than a FIFO. */
bool dump_is_pipe(int fd);

/*
 * The id in files.img of the pipe end open here as @fd, whose open flags
 * are @flags. The first sight of an end writes its PipeEntry, the first
 * sight of a pipe the bytes queued in it (pipes-data.img), left in place.
 */
int dump_pipe(struct dump_ctx *ctx, int fd, unsigned int flags, uint32_t *id);

/*
 * The id in files.img of the FIFO end open here as @fd in task @pid: a
 * FifoEntry pointing at a REG entry of its path and flags; the first sight
 * of the FIFO writes the bytes queued in it (fifo-data.img).
 */
int dump_fifo(struct dump_ctx *ctx, pid_t pid, int fd, uint32_t *id);

/* Release what dump_pipe() and dump_fifo() kept and close pipes-data.img and
 * fifo-data.img. */
int dump_pipes_finish(struct dump_ctx *ctx);

/*
 * Whether fd @fd of @pid is to be dumped as external: what it links to,
 * put in @key, is one of the dump's inherit keys (dump-ext.c).
 */
bool dump_is_external(struct dump_ctx *ctx, pid_t pid, int fd, char *key, size_t size);

/*
 * The id in files.img of the external file open here as @fd: the first
 * sight of the open file writes its EXT entry with @key, nothing more.
 */
int dump_ext_file(struct dump_ctx *ctx, int fd, const char *key, uint32_t *id);

/* Warn about every inherit key no descriptor of the tree matched. */
void dump_ext_warn_unused(const struct dump_ctx *ctx);

/* The kind of an eventfd, signalfd or timerfd by its fdinfo @fi, else FD_TYPES__UND. */
FdTypes dump_anon_kind(const struct proc_fdinfo *fi);

/*
 * The id in files.img of the eventfd, signalfd or timerfd open here as @fd
 * with fdinfo @fi: the first sight of the open file writes its entry.
 */
int dump_anon_fd(struct dump_ctx *ctx, int fd, const struct proc_fdinfo *fi, uint32_t *id);

/* Whether fd @fd of @pid is an epoll. */
bool dump_is_epoll(pid_t pid, int fd);

/*
 * The id in files.img of the epoll open as @fd in task @pid (@ours here),
 * whose open flags are @flags: the first sight of the open file writes its
 * entry with its targets, which must all be fds of @pid.
 */
int dump_epoll(struct dump_ctx *ctx, pid_t pid, int fd, int ours, unsigned int flags,
	       uint32_t *id);

/* What fd @fd of @pid links to ("socket:[123]", ...), for messages. */
void dump_describe_fd(pid_t pid, int fd, char *buf, size_t size);

#endif
