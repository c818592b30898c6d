/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The memory side of restore_task_switch(): find a hole free in both the
 * dumped and the current layout, premap every dumped area there, fill it
 * from the page images and set its protections. The blob then moves the
 * areas into place (restorer-args.h).
 *
 * A task with children does this before it forks them: a child finds its
 * parent's premapped areas at the same addresses and takes over those it
 * has too, so the pages they still share stay shared copy-on-write.
 */
#ifndef CR_RESTORE_MEM_H
#define CR_RESTORE_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "images.h"
#include "img/pagemap.h"
#include "restore-files.h"
#include "restorer-args.h"

struct rst_mem {
	uint64_t hole, hole_len; /* reserved: premapped areas, scratch, then the tail */
	uint64_t tail, tail_len; /* free for the blob and its arguments */
	struct rst_vma *vmas;	 /* premapped areas, in dump order (malloc'd) */
	const VmaEntry **dumped; /* the image's entry of each of vmas (malloc'd) */
	size_t nr_vmas;
	struct rst_move special[RST_NR_SPECIAL];
	size_t nr_special;
	struct rst_range cur_special; /* the current vvar/vdso block, empty if none */
	uint64_t proxy_len;	      /* the dumped vDSO's, when a proxy stands for it */
	uint64_t proxy_base;	      /* where this kernel's vDSO goes then */
};

/*
 * The mm image of task @t, read on first use and kept in @t (crtool reads
 * it before forking; the task process inherits it). 0 or a negative errno.
 */
int rst_task_mm(struct rst_ctx *ctx, struct rst_task *t, MmEntry **mm);

/*
 * Whether a run of a pagemap is inside [0, @limit) and holds its pages
 * here (not lazy only, not in a parent dump); @what names the memory in
 * the message. 0 or a negative errno (logged).
 */
int rst_page_run_check(const struct img_page_run *run, uint64_t limit, const char *what);

/*
 * Whether the areas of @mm are sane and of kinds this restore rebuilds:
 * sorted, page aligned, inside the user address space, no unknown advice.
 * 0 or a negative errno (logged).
 */
int rst_mm_check(const MmEntry *mm);

/*
 * Premap and fill the memory of task @pid (mm @mm) and reserve @tail_len
 * more bytes after it (a check-only restore premaps without filling); the
 * whole hole stays reserved (PROT_NONE where nothing is premapped).
 * @parent: what the parent premapped before forking this task, or NULL. A
 * private anonymous area with the same start and end in both is moved over
 * from the parent's premap instead of mapped anew, and only its pages that
 * differ are written (the others stay shared); the pages the task's
 * pagemap does not list are dropped.
 * 0 or a negative errno (logged); on failure nothing stays mapped in the hole.
 * rst_mem_release() frees what *@m holds (not the mappings).
 */
int rst_mem_prepare(const struct rst_ctx *ctx, int pid, const MmEntry *mm, size_t tail_len,
		    const struct rst_mem *parent, struct rst_mem *m);
void rst_mem_release(struct rst_mem *m);

#endif
