/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Descriptors on restore. crtool reads every file entry and every task's
 * fdinfo before forking; the root task opens each file once, at a service
 * fd number above every fd the tree uses, before it forks the others; so
 * every task inherits the same open files, and fds that shared one open
 * file (one position, one pipe) share it again. Each task then moves the
 * ones it had to their numbers and closes the rest.
 */
#ifndef CR_RESTORE_FILES_H
#define CR_RESTORE_FILES_H

#include "restore.h"

/*
 * In crtool: read files.img, pipes-data.img, fifo-data.img, sk-queues.img and
 * the fdinfo of every task.
 * Sets ctx->service_fd_base above every fd number any task restores.
 */
int rst_files_load(struct rst_ctx *ctx);

/* In the root task, before forking: open every file at its service fd. */
int rst_files_open(struct rst_ctx *ctx);

/*
 * In the root task, before forking: move @fd (taken) to a service fd that
 * every task keeps through rst_files_install() until
 * rst_files_close_kept(). The new fd or a negative errno.
 */
int rst_files_keep_fd(struct rst_ctx *ctx, int fd);

/* In a task whose memory is mapped: close the fds rst_files_keep_fd() made. */
void rst_files_close_kept(struct rst_ctx *ctx);

/*
 * In task @t: put its files at their fd numbers (with close-on-exec as
 * dumped), close every other fd but the images folder's and the kept
 * service fds, restore cwd and umask (the root comes last: rst_fs_enter_root()).
 */
int rst_files_install(struct rst_ctx *ctx, struct rst_task *t);

/* Enter @t's root folder (the restore of its cwd found it): 0 or a negative errno. */
int rst_fs_enter_root(const struct rst_task *t);

/* Open the regular file @id of files.img (a mapping's, the exe) with @flags. */
int rst_file_open_reg(const struct rst_files *rf, uint32_t id, int flags);

/* The entry of file @id in files.img, or NULL. */
const FileEntry *rst_file_entry(const struct rst_files *rf, uint32_t id);

/* In crtool, once the tree runs: remove what the dump made for the restore only. */
void rst_files_restored(struct rst_ctx *ctx);

void rst_files_free(struct rst_ctx *ctx);

#endif
