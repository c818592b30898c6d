// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cr_restore(): read the tree, fork it with its PIDs, wait until every
 * thread is ready to return into its dumped state, let it go. Any failure
 * kills what was created.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cr/cr.h"
#include "fault.h"
#include "lib-log.h"
#include "restore-check.h"
#include "restore-files.h"
#include "restore-log.h"
#include "restore-perms.h"
#include "restore-seccomp.h"
#include "restore-shmem.h"
#include "restore-tree.h"
#include "sigframe-x86.h"

/* How long the tree gets to reach the final barrier. */
#define RESTORE_TIMEOUT_S 60

static int read_tasks(struct rst_ctx *ctx)
{
	struct img_file *f = img_file_open(ctx->dir, "PSTREE", 0, IMG_READ);
	ProtobufCMessage **msgs = NULL;
	size_t nr = 0;
	int ret;

	if (!f) {
		ret = -errno;
		pr_err("cannot open pstree.img: %s", strerror(-ret));
		return ret;
	}
	ret = img_file_read_all(f, &msgs, &nr);
	img_file_close(f);
	if (ret < 0) {
		pr_err("cannot read pstree.img: %s", strerror(-ret));
		return ret;
	}
	if (!nr) {
		pr_err("pstree.img holds no task");
		img_entries_free(msgs, nr);
		return -EINVAL;
	}
	ctx->tasks = calloc(nr, sizeof(*ctx->tasks));
	if (!ctx->tasks) {
		img_entries_free(msgs, nr);
		return -ENOMEM;
	}
	ctx->nr_tasks = nr;
	for (size_t i = 0; i < nr; i++)
		ctx->tasks[i].pe = (PstreeEntry *)msgs[i];
	free(msgs);
	return 0;
}

static int read_task_images(struct rst_ctx *ctx, struct rst_task *t)
{
	PstreeEntry *pe = t->pe;
	int ret;

	if (!pe->n_threads || pe->threads[0] != pe->pid || pe->pid > INT32_MAX) {
		pr_err("pstree.img: task %u is malformed", pe->pid);
		return -EINVAL;
	}
	t->cores = calloc(pe->n_threads, sizeof(*t->cores));
	if (!t->cores)
		return -ENOMEM;
	for (size_t i = 0; i < pe->n_threads; i++) {
		ret = cr_img_read_one(ctx->dir, "CORE", pe->threads[i], &core_entry__descriptor,
				      (ProtobufCMessage **)&t->cores[i]);
		if (ret) {
			pr_err("no usable core image for thread %u of task %u", pe->threads[i], pe->pid);
			return ret;
		}
	}
	if (t->cores[0]->mtype != CORE_ENTRY__MARCH__X86_64 || !t->cores[0]->tc) {
		pr_err("core-%u.img is not an x86_64 task", pe->pid);
		return -EINVAL;
	}
	if (rst_task_is_zombie(t))
		return 0;
	/* Before anything is created: this CPU must be able to run every thread. */
	for (size_t i = 0; i < pe->n_threads; i++) {
		ret = rst_sigframe_check(t->cores[i]);
		if (ret) {
			pr_err("cannot restore thread %u of task %u here", pe->threads[i], pe->pid);
			return ret;
		}
	}
	ret = cr_img_read_one(ctx->dir, "IDS", pe->pid, &task_kobj_ids_entry__descriptor,
			      (ProtobufCMessage **)&t->ids);
	if (ret)
		pr_err("no usable ids image for task %u", pe->pid);
	return ret;
}

static unsigned int nr_live_threads(const struct rst_ctx *ctx)
{
	unsigned int n = 0;

	for (size_t i = 0; i < ctx->nr_tasks; i++)
		if (!rst_task_is_zombie(&ctx->tasks[i]))
			n += ctx->tasks[i].pe->n_threads;
	return n;
}

/* Kill whatever of the tree exists (every PID was free when we started). */
static void kill_tree(struct rst_ctx *ctx, pid_t root)
{
	for (size_t i = 0; i < ctx->nr_tasks; i++)
		kill(ctx->tasks[i].pe->pid, SIGKILL);
	if (root > 0)
		waitpid(root, NULL, 0);
}

/* Wait until every live thread waits at the barrier, or something failed. */
static int wait_ready(struct rst_ctx *ctx, pid_t root)
{
	unsigned int want = nr_live_threads(ctx);
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	int status;

	for (int waited = 0; waited < RESTORE_TIMEOUT_S * 10; waited++) {
		uint32_t ready = __atomic_load_n(&ctx->shared->nr_ready, __ATOMIC_SEQ_CST);

		rst_log_drain(ctx);
		if (ctx->shared->error) {
			pr_err("task %d failed to restore: %s", ctx->shared->error_pid,
			       strerror(-ctx->shared->error));
			return ctx->shared->error;
		}
		if (ready >= want)
			return 0;
		if (waitpid(root, &status, WNOHANG) == root) {
			pr_err("the root task %d died while restoring (status %#x)", root, status);
			return -ECHILD;
		}
		syscall(SYS_futex, &ctx->shared->nr_ready, FUTEX_WAIT, ready, &tick, NULL, 0);
	}
	pr_err("the tree did not get ready in %d s", RESTORE_TIMEOUT_S);
	return -ETIMEDOUT;
}

/* Put the images folder's fd above every fd the tree restores. */
static int move_dir_high(struct rst_ctx *ctx)
{
	int high = fcntl(img_dir_fd(ctx->dir), F_DUPFD_CLOEXEC, ctx->service_fd_base);
	struct img_dir *moved;

	if (high < 0)
		return -errno;
	moved = img_dir_open_fd(high);
	close(high);
	if (!moved)
		return -errno;
	img_dir_close(ctx->dir);
	ctx->dir = moved;
	return 0;
}

/* Room for every fd the tree had, whatever crtool's own soft limit. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

static int prepare(struct rst_ctx *ctx)
{
	ProtobufCMessage *inv;
	int ret;

	ret = rst_check_may_set_pids();
	if (ret)
		return ret;
	ret = cr_img_read_one(ctx->dir, "INVENTORY", 0, &inventory_entry__descriptor, &inv);
	if (ret) {
		pr_err("no usable inventory.img: %s", strerror(-ret));
		return ret;
	}
	if (((InventoryEntry *)inv)->check_only && !(ctx->flags & CR_RESTORE_CHECK_ONLY)) {
		pr_info("the images come from a check-only dump: checking mode");
		ctx->flags |= CR_RESTORE_CHECK_ONLY;
	}
	if (((InventoryEntry *)inv)->img_version != 2) {
		pr_err("inventory.img: image version %u, crtool reads version 2",
		       ((InventoryEntry *)inv)->img_version);
		ret = -EINVAL;
	}
	protobuf_c_message_free_unpacked(inv, NULL);
	if (!ret)
		ret = read_tasks(ctx);
	for (size_t i = 0; i < ctx->nr_tasks && !ret; i++)
		ret = read_task_images(ctx, &ctx->tasks[i]);
	if (!ret)
		ret = rst_check_creds(ctx);
	if (!ret)
		ret = rst_check_limits(ctx);
	if (!ret)
		ret = rst_seccomp_load(ctx);
	for (size_t i = 0; i < ctx->nr_tasks && !ret; i++)
		ret = rst_seccomp_check(ctx, &ctx->tasks[i]);
	if (!ret && (ctx->flags & CR_RESTORE_CHECK_ONLY))
		ret = rst_check(ctx);
	else if (!ret && rst_check_pids(ctx))
		ret = -EEXIST;
	else if (!ret && (ret = rst_check_vdso(ctx)) > 0)
		ret = -EOPNOTSUPP;
	else if (!ret && (ret = rst_check_cpu(ctx)) > 0)
		ret = -EOPNOTSUPP;
	if (!ret)
		ret = rst_files_load(ctx);
	if (!ret)
		ret = rst_shmem_load(ctx);
	if (!ret)
		ret = move_dir_high(ctx);
	if (!ret)
		ret = rst_log_open(ctx);
	return ret;
}

static void free_ctx(struct rst_ctx *ctx)
{
	rst_log_drain(ctx);
	rst_log_close(ctx);
	rst_files_free(ctx);
	rst_seccomp_free(ctx);
	rst_shmem_free(ctx);
	free(ctx->vdso);
	for (size_t i = 0; i < ctx->nr_tasks; i++) {
		struct rst_task *t = &ctx->tasks[i];

		for (size_t j = 0; t->cores && j < t->pe->n_threads; j++)
			if (t->cores[j])
				protobuf_c_message_free_unpacked(&t->cores[j]->base, NULL);
		free(t->cores);
		if (t->ids)
			protobuf_c_message_free_unpacked(&t->ids->base, NULL);
		img_entries_free((ProtobufCMessage **)t->fds, t->nr_fds);
		if (t->mm)
			protobuf_c_message_free_unpacked(&t->mm->base, NULL);
		protobuf_c_message_free_unpacked(&t->pe->base, NULL);
	}
	free(ctx->tasks);
	if (ctx->shared)
		munmap(ctx->shared, ctx->shared_size);
	img_dir_close(ctx->dir);
}

CR_API int cr_restore(const struct cr_restore_opts *opts, pid_t *root_pid)
{
	struct rst_ctx ctx = { .shared_size = sysconf(_SC_PAGESIZE), .log_rd = -1, .log_wr = -1 };
	pid_t root = -1;
	int ret, status;

	if (!opts || opts->sz < offsetof(struct cr_restore_opts, finding))
		return -EINVAL;
	ctx.flags = opts->flags;
	if (opts->sz >= offsetof(struct cr_restore_opts, inherit_fds)) {
		ctx.finding = opts->finding;
		ctx.finding_ctx = opts->finding_ctx;
	}
	if (opts->sz >= sizeof(*opts)) {
		ctx.inherit_fds = opts->inherit_fds;
		ctx.nr_inherit_fds = opts->nr_inherit_fds;
	}
	ctx.dir = img_dir_open_fd(opts->images_dirfd);
	if (!ctx.dir)
		return -errno;
	raise_nofile();
	ret = prepare(&ctx);
	if (ret)
		goto out;
	ctx.shared = mmap(NULL, ctx.shared_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			  -1, 0);
	if (ctx.shared == MAP_FAILED) {
		ctx.shared = NULL;
		ret = -errno;
		goto out;
	}
	root = rst_fork_task(&ctx, 0);
	if (root < 0) {
		ret = root;
		goto out;
	}
	ret = wait_ready(&ctx, root);
	if (!ret)
		ret = cr_fault("restore-ready");
	if (!ret && (ctx.flags & CR_RESTORE_CHECK_ONLY)) {
		pr_info("check-only: every thread reached the last barrier, killing the tree");
		__atomic_store_n(&ctx.shared->go, 2, __ATOMIC_SEQ_CST);
		kill_tree(&ctx, root);
		goto out;
	}
	if (!ret)
		ret = restore_finalize(&ctx, ctx.tasks, ctx.nr_tasks);
	if (ret) {
		__atomic_store_n(&ctx.shared->go, 2, __ATOMIC_SEQ_CST);
		kill_tree(&ctx, root);
		goto out;
	}
	rst_files_restored(&ctx);
	pr_info("restored the tree of %d", root);
	if (root_pid)
		*root_pid = root;
	if (!(opts->flags & CR_RESTORE_DETACHED)) {
		if (waitpid(root, &status, 0) != root) {
			ret = -errno;
			goto out;
		}
		ret = status;
	}
out:
	if (ret < 0)
		pr_err("restore failed: %s", strerror(-ret));
	free_ctx(&ctx);
	return ret;
}
