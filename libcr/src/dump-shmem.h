/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef CR_DUMP_SHMEM_H
#define CR_DUMP_SHMEM_H

#include <stdint.h>
#include <sys/types.h>

#include "dump.h"

struct proc_vma;

/*
 * The shared anonymous memory @vma of task @pid maps: its id into *@shmid,
 * and the first time the dump meets that object, its pages into
 * pagemap-shmem-ID.img and a new pages-N.img. 0 or a negative errno.
 */
int dump_shmem(struct dump_ctx *ctx, pid_t pid, const struct proc_vma *vma, uint64_t *shmid);

#endif
