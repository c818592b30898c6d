// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cr_dump(): freeze the tree, write every image, then kill or resume it.
 * Any failure lets every task go exactly as it was.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compel/compel.h"
#include "cr/cr.h"
#include "dump-files.h"
#include "dump-ghost.h"
#include "dump-ids.h"
#include "dump-link-remap.h"
#include "dump-seccomp.h"
#include "dump-inet.h"
#include "dump-unix.h"
#include "dump-tree.h"
#include "fault.h"
#include "file-ids.h"
#include "images.h"
#include "lib-log.h"

/* CRIU's task states, as core images record them. */
#define TASK_DEAD 0x2

/* A zombie is only its core: state, exit status, name. */
static int dump_zombie(struct dump_ctx *ctx, struct dump_task *t)
{
	CoreEntry core = CORE_ENTRY__INIT;
	TaskCoreEntry tc = TASK_CORE_ENTRY__INIT;

	core.mtype = CORE_ENTRY__MARCH__X86_64;
	core.tc = &tc;
	tc.task_state = TASK_DEAD;
	tc.exit_code = t->zombie_exit_code;
	tc.comm = "";
	return cr_img_write_one(ctx->dir, "CORE", t->pt->pid, &core.base);
}

static int dump_task(struct dump_ctx *ctx, struct dump_task *t)
{
	int ret;

	if (dump_task_is_zombie(t))
		return dump_zombie(ctx, t);
	pr_info("dumping task %d (%d threads)", t->pt->pid, compel_task_nr_threads(t->ct));
	ret = dump_core(ctx, t);
	if (!ret)
		ret = cr_fault("dump-core");
	if (!ret)
		ret = dump_mm(ctx, t);
	if (!ret)
		ret = cr_fault("dump-mm");
	if (!ret)
		ret = dump_files(ctx, t);
	if (!ret)
		ret = cr_fault("dump-files");
	if (!ret)
		ret = dump_fs(ctx, t);
	return ret;
}

/* The leader of a session or group outside the tree needs --shell-job. */
static int check_tree_edges(const struct dump_tree *tree, unsigned int flags)
{
	if (flags & CR_DUMP_SHELL_JOB)
		return 0;
	for (size_t i = 0; i < tree->nr; i++) {
		const struct dump_task *t = &tree->tasks[i];

		if (!pstree_find(&tree->pst, t->sid) || !pstree_find(&tree->pst, t->pgid)) {
			pr_err("task %d is in session %d, group %d, led from outside the tree "
			       "(dump with --shell-job)", t->pt->pid, t->sid, t->pgid);
			return -EPERM;
		}
	}
	return 0;
}

static int dump_all(struct dump_ctx *ctx, struct dump_tree *tree)
{
	int ret, ret2;

	ret = check_tree_edges(tree, ctx->flags);
	if (!ret)
		ret = cr_fault("dump-seized");
	if (ret)
		return ret;
	ctx->files = img_file_open(ctx->dir, "FILES", 0, IMG_WRITE);
	if (!ctx->files) {
		ret = -errno;
		pr_err("cannot create files.img: %s", strerror(-ret));
		return ret;
	}
	for (size_t i = 0; i < tree->nr; i++)
		tree->tasks[i].ids_base = i + 1;
	for (size_t i = 0; i < tree->nr && !ret; i++)
		ret = dump_task(ctx, &tree->tasks[i]);
	ret2 = dump_pipes_finish(ctx);
	if (!ret)
		ret = ret2;
	ret2 = dump_unix_finish(ctx, !ret);
	if (!ret)
		ret = ret2;
	ret2 = dump_ghosts_finish(ctx);
	if (!ret)
		ret = ret2;
	ret2 = dump_seccomp_finish(ctx, !ret);
	if (!ret)
		ret = ret2;
	ret2 = img_file_close(ctx->files);
	if (!ret)
		ret = ret2;
	if (!ret)
		ret = dump_tree_write(ctx->dir, tree);
	if (!ret)
		ret = dump_cpuinfo(ctx->dir);
	if (!ret)
		ret = dump_ids(ctx->dir, tree, ctx->flags & CR_DUMP_CHECK_ONLY);
	if (!ret)
		ret = cr_fault("dump-images");
	return ret;
}

CR_API int cr_dump(const struct cr_dump_opts *opts)
{
	struct dump_ctx ctx = { .next_pages_id = 1 };
	struct dump_tree tree = { 0 };
	bool kill;
	int ret, ret2;

	if (!opts || opts->sz < offsetof(struct cr_dump_opts, inherit_keys) || opts->pid <= 0)
		return -EINVAL;
	ctx.flags = opts->flags;
	ctx.dir = img_dir_open_fd(opts->images_dirfd);
	if (!ctx.dir)
		return -errno;
	ctx.file_ids = file_ids_new();
	ctx.ghost_limit = GHOST_LIMIT_DEFAULT;
	if (opts->sz >= sizeof(*opts) && opts->ghost_limit)
		ctx.ghost_limit = opts->ghost_limit;
	if (opts->sz >= offsetof(struct cr_dump_opts, ghost_limit) && opts->nr_inherit_keys) {
		ctx.inherit_keys = opts->inherit_keys;
		ctx.nr_inherit_keys = opts->nr_inherit_keys;
		ctx.inherit_used = calloc(opts->nr_inherit_keys, sizeof(bool));
	}
	if (!ctx.file_ids || (ctx.nr_inherit_keys && !ctx.inherit_used)) {
		file_ids_free(ctx.file_ids);
		free(ctx.inherit_used);
		img_dir_close(ctx.dir);
		return -ENOMEM;
	}
	ret = dump_tree_seize(opts->pid, &tree);
	if (!ret) {
		ret = dump_all(&ctx, &tree);
		if (ret) {
			pr_err("dump of %d failed, resuming the tree as it was", opts->pid);
			/* No inventory: nobody takes the partial images for a dump. */
			unlinkat(img_dir_fd(ctx.dir), "inventory.img", 0);
		}
		kill = !ret && !(opts->flags & (CR_DUMP_LEAVE_RUNNING | CR_DUMP_CHECK_ONLY));
		/* Connections in repair mode go on before their tasks do. */
		if (!kill)
			dump_inet_finish(&ctx, true);
		ret2 = dump_tree_release(&tree, kill);
		if (!ret)
			ret = ret2;
	}
	/* The tree is gone: closed in repair mode, they send nothing to the peer. */
	dump_inet_finish(&ctx, false);
	/* The links are for a restore of a tree that is gone: none else. */
	dump_link_remaps_finish(&ctx, !ret && !(opts->flags & (CR_DUMP_LEAVE_RUNNING |
								CR_DUMP_CHECK_ONLY)));
	if (!ret)
		dump_ext_warn_unused(&ctx);
	file_ids_free(ctx.file_ids);
	free(ctx.shmem_ids);
	free(ctx.inherit_used);
	free(ctx.vdso);
	img_dir_close(ctx.dir);
	if (!ret)
		pr_info("dump of %d done", opts->pid);
	return ret;
}
