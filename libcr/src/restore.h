/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the parts of a restore share. cr_restore() (restore.c) reads the
 * tree, forks every task with its PID (clone3 + set_tid); each task process
 * rebuilds its session, files and fs, then restore_task_switch() replaces
 * its memory and CPU state with the dumped ones through the restorer blob.
 * When every thread of every task waits at the final barrier,
 * restore_finalize() lets them return into their dumped registers.
 */
#ifndef CR_RESTORE_H
#define CR_RESTORE_H

#include <stdint.h>
#include <sys/types.h>

#include "cr/cr.h"
#include "img/img.h"
#include "images.h"
#include "restorer-args.h"

struct rst_files;
struct rst_mem;
struct rst_shmem;
struct vdso;

struct rst_task {
	PstreeEntry *pe;		/* pid, ppid, pgid, sid, threads */
	CoreEntry **cores;		/* core-TID.img of each of pe->threads, in order */
	TaskKobjIdsEntry *ids;		/* ids-PID.img; NULL for a zombie */
	FdinfoEntry **fds;		/* fdinfo-N.img of its files_id */
	size_t nr_fds;
	MmEntry *mm;			/* mm-PID.img once read (rst_task_mm()) */
	const char *root;		/* its root folder, entered last (rst_fs_enter_root()) */
	struct rst_mem *premap;		/* its memory, premapped before it forked its children */
};

struct rst_ctx {
	struct img_dir *dir;		/* its fd is above every restored fd */
	unsigned int flags;		/* CR_RESTORE_* */
	struct rst_shared *shared;
	size_t shared_size;
	struct rst_task *tasks;		/* pstree.img's order: tasks[0] is the root */
	size_t nr_tasks;
	struct rst_files *files;	/* restore-files.c */
	struct rst_shmem *shmem;	/* restore-shmem.c */
	int service_fd_base;		/* fds from here up belong to the restore */
	int log_rd, log_wr;		/* the tasks' log pipe (restore-log.c) */
	cr_finding_fn finding;		/* check-only findings go here (restore-check.c) */
	void *finding_ctx;
	SeccompEntry *seccomp;		/* seccomp.img; NULL: none (restore-seccomp.c) */
	const struct cr_inherit_fd *inherit_fds; /* files the caller hands in (restore-inherit.c) */
	size_t nr_inherit_fds;
	struct vdso *vdso;		/* this kernel's, read once before forking (rst_check_vdso()) */
};

/*
 * In the task's own process, once its files, fs and session are in place:
 * premap and fill its memory from mm-PID.img and its pages, load the
 * restorer and jump into it. The restorer puts the memory in place,
 * restores the rest of the task's state from its core images, starts its
 * other threads, counts every thread in ctx->shared->nr_ready and waits
 * for go. Returns only on failure (a negative errno, logged).
 */
int restore_task_switch(struct rst_ctx *ctx, struct rst_task *t);

/*
 * In the process of task @t, before it forks its children: premap and fill
 * its memory now, into t->premap, for them to share and for its switch to
 * use. 0 or a negative errno (logged).
 */
int restore_task_premap(struct rst_ctx *ctx, struct rst_task *t);

/*
 * In crtool, when nr_ready counts every thread of the tree: let every
 * thread return into its dumped registers and remove what the restore left
 * in the tasks (the restorer blob, its arguments, the shared page), so
 * their maps are what was dumped. 0, or a negative errno after which the
 * caller kills the tree.
 */
int restore_finalize(struct rst_ctx *ctx, struct rst_task *tasks, size_t nr);

#endif
