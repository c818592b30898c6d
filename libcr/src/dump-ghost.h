/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Open files whose last link is gone (dump-ghost.c). */
#ifndef CR_DUMP_GHOST_H
#define CR_DUMP_GHOST_H

#include <stdint.h>
#include <sys/stat.h>

#include "dump.h"

/* The biggest deleted file saved in the images unless told (--ghost-limit). */
#define GHOST_LIMIT_DEFAULT (1ULL << 20)
/* Deleted files one dump saves at most. */
#define GHOSTS_MAX 4096

/*
 * Our @fd (of @st, seen by the task at @path) is a deleted file that is the
 * REG entry @reg_id: save its contents (once per inode) and map the entry
 * to them. -EFBIG for a file bigger than ctx->ghost_limit, -EOPNOTSUPP for
 * one that is not regular or still has a link elsewhere; logged.
 */
int dump_ghost(struct dump_ctx *ctx, int fd, const struct stat *st, const char *path,
	       uint32_t reg_id);

/* Record in remap-fpath.img that REG entry @orig_id opens through @remap_id. */
int dump_remap_write(struct dump_ctx *ctx, uint32_t orig_id, uint32_t remap_id, RemapType type);

/* Close remap-fpath.img and release what dump_ghost() kept. */
int dump_ghosts_finish(struct dump_ctx *ctx);

#endif
