/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared anonymous memory on restore. crtool reads which objects the areas
 * of every task map (by shmid) and how far; the root task creates each
 * object once before forking, fills it from pagemap-shmem-ID.img and keeps
 * it open at a service fd that every task inherits (rst_files_keep_fd()),
 * so every area of one object maps the same memory again.
 */
#ifndef CR_RESTORE_SHMEM_H
#define CR_RESTORE_SHMEM_H

#include <stdint.h>

#include "restore.h"

/* In crtool: the objects the mm images of every task map. */
int rst_shmem_load(struct rst_ctx *ctx);

/* In the root task, before forking: create and fill every object. */
int rst_shmem_open(struct rst_ctx *ctx);

/* The fd of object @shmid, from rst_shmem_open() until the task's memory is mapped. */
int rst_shmem_fd(const struct rst_ctx *ctx, uint64_t shmid);

void rst_shmem_free(struct rst_ctx *ctx);

#endif
