/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the parts of a dump share. cr_dump() (dump.c) walks and seizes the
 * tree, then calls each part per task: dump_mm() and dump_core() write the
 * task's memory and CPU state, dump_files() its descriptors, dump_fs() its
 * cwd/root/umask. The parts write through libimg into ctx->dir.
 */
#ifndef CR_DUMP_H
#define CR_DUMP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "img/img.h"
#include "images.h"
#include "pstree.h"

struct compel_task;
struct file_ids;
struct dump_pipes;
struct dump_ghosts;
struct dump_links;
struct dump_seccomp;
struct dump_unix;
struct dump_inet;
struct vdso;

struct dump_ctx {
	struct img_dir *dir;
	unsigned int flags;		/* CR_DUMP_* */
	unsigned int next_pages_id;	/* N of the next pages-N.img, from 1 */
	struct img_file *files;		/* files.img, open for writing */
	struct file_ids *file_ids;	/* ids given to files so far (file-ids.c) */
	struct dump_pipes *pipes;	/* pipes seen so far (dump-pipes.c) */
	struct dump_unix *unix_sks;	/* unix sockets seen so far (dump-unix.c) */
	struct dump_inet *inet_sks;	/* TCP connections in repair mode (dump-inet.c) */
	struct dump_ghosts *ghosts;	/* deleted files saved so far (dump-ghost.c) */
	unsigned long long ghost_limit;	/* the biggest deleted file saved, in bytes */
	struct dump_links *links;	/* hard links made by --link-remap (dump-link-remap.c) */
	uint64_t *shmem_ids;		/* shared memory whose pages are dumped (dump-shmem.c) */
	size_t nr_shmem, cap_shmem;
	struct dump_seccomp *seccomp;	/* seccomp filters seen so far (dump-seccomp.c) */
	struct vdso *vdso;		/* this kernel's, read on first need (dump-mm.c) */
	const char *const *inherit_keys; /* files dumped as external (dump-ext.c) */
	size_t nr_inherit_keys;
	bool *inherit_used; /* which keys matched a descriptor */
};

struct dump_task {
	const struct pstree_task *pt;	/* pid, ppid, threads (TIDs, pid first) */
	pid_t pgid, sid;
	struct compel_task *ct;		/* seized: every thread stopped; NULL for a zombie */
	int zombie_exit_code;		/* a zombie's wait status */
	uint32_t ids_base;		/* its own vm/files/fs/sighand ids (dump.c) */
	int dumpable, thp_disabled;	/* prctl state dump_core() reads for dump_mm() */
};

/* mm-PID.img, pagemap-PID.img and a new pages-N.img for @t (dump-mm.c). */
int dump_mm(struct dump_ctx *ctx, struct dump_task *t);

/* core-TID.img for every thread of @t (dump-core.c). */
int dump_core(struct dump_ctx *ctx, struct dump_task *t);

/* cpuinfo.img: the CPU of this dump, its enabled XSAVE features (dump-cpuinfo.c). */
int dump_cpuinfo(struct img_dir *dir);

/* fdinfo-N.img and the files.img entries of @t's descriptors (dump-files.c). */
int dump_files(struct dump_ctx *ctx, struct dump_task *t);

/*
 * The id in files.img of the regular file open here as @fd (one of ours,
 * e.g. from /proc/PID/map_files or /proc/PID/fd): its entry (path, flags,
 * position, size) is written the first time, the same open file later
 * gets the same id; a deleted file is saved whole (dump-ghost.c). @pid names the task for paths it sees differently.
 * 0 or a negative errno (file-ids.c).
 */
int dump_reg_file(struct dump_ctx *ctx, pid_t pid, int fd, uint32_t *id);

/*
 * A REG entry of its own for our @fd with a new id, not shared with later
 * fds (a FIFO's path). 0 or a negative errno (file-ids.c).
 */
int dump_reg_entry(struct dump_ctx *ctx, pid_t pid, int fd, uint32_t *id);

#endif
