// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * rst_check_kernel(): the kernel features a restore of these images uses,
 * each asked of libcheck's probe of the same name. rst_check_vdso(): the
 * vDSO the tasks ran with is this kernel's, or a proxy can stand for it.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "check/check.h"
#include "lib-log.h"
#include "restore-vdso.h"
#include "restore-check.h"
#include "restore-mem.h"
#include "restore-tree.h"

/* What in the images makes a restore use a feature. */
struct need {
	const char *probe;
	const char *why;
	bool (*needed)(const struct rst_task *t);
};

static bool always(const struct rst_task *t)
{
	(void)t;
	return true;
}

static bool live(const struct rst_task *t)
{
	return !rst_task_is_zombie(t);
}

static bool has_rseq(const struct rst_task *t)
{
	for (size_t i = 0; live(t) && i < t->pe->n_threads; i++) {
		const ThreadCoreEntry *tc = t->cores[i]->thread_core;

		if (tc && tc->rseq_entry && tc->rseq_entry->rseq_abi_pointer)
			return true;
	}
	return false;
}

static bool has_pending_signals(const struct rst_task *t)
{
	const TaskCoreEntry *tc = t->cores[0]->tc;

	if (!live(t))
		return false;
	if (tc && tc->signals_s && tc->signals_s->n_signals)
		return true;
	for (size_t i = 0; i < t->pe->n_threads; i++) {
		const ThreadCoreEntry *th = t->cores[i]->thread_core;

		if (th && th->signals_p && th->signals_p->n_signals)
			return true;
	}
	return false;
}

static const struct need needs[] = {
	{"clone3_set_tid", "every task and thread is created with its PID", always},
	{"prctl_mm_map", "a task's mm fields are set", live},
	{"rseq", "a thread had an rseq area", has_rseq},
	{"rt_tgsigqueueinfo", "a task had pending signals", has_pending_signals},
};

static bool tree_needs(const struct rst_ctx *ctx, const struct need *n)
{
	for (size_t i = 0; i < ctx->nr_tasks; i++)
		if (n->needed(&ctx->tasks[i]))
			return true;
	return false;
}

int rst_check_kernel(const struct rst_ctx *ctx)
{
	struct check_ctx *cc = check_ctx_new();
	int found = 0;

	if (!cc)
		return -errno;
	for (size_t i = 0; i < sizeof(needs) / sizeof(needs[0]); i++) {
		const struct check_probe *p;
		const char *msg;
		int res;

		if (!tree_needs(ctx, &needs[i]))
			continue;
		p = check_probe_find(cc, needs[i].probe);
		res = p ? check_probe_run(cc, p) : -ENOENT;
		pr_info("check-only: kernel feature %s: %s", needs[i].probe,
			res >= 0 ? check_result_name(res) : strerror(-res));
		if (res == CHECK_SUPPORTED)
			continue;
		msg = p ? check_probe_message(cc, p) : NULL;
		rst_finding(ctx, "kernel", needs[i].probe,
			    "the kernel feature %s (%s) is %s here, and %s: %s", needs[i].probe,
			    p ? check_probe_description(p) : "unknown",
			    res >= 0 ? check_result_name(res) : "unknown", needs[i].why,
			    msg ? msg : "see crtool check");
		found++;
	}
	check_ctx_free(cc);
	return found;
}

int rst_check_vdso(struct rst_ctx *ctx)
{
	char why[128];
	MmEntry *mm;
	int ret;

	for (size_t i = 0; i < ctx->nr_tasks; i++) {
		if (!live(&ctx->tasks[i]))
			continue;
		ret = rst_task_mm(ctx, &ctx->tasks[i], &mm);
		if (ret)
			return ret;
		/* CRIU's images do not say: the areas' layout is still checked. */
		if (!mm->has_vdso_sha256)
			continue;
		/* Read once here: every task forked from crtool maps the same. */
		ret = vdso_self_once(&ctx->vdso);
		if (ret)
			return ret;
		if (rst_vdso_same(mm, ctx->vdso))
			continue;
		if (rst_vdso_proxy_check(mm, ctx->vdso, why, sizeof(why))) {
			rst_finding(ctx, "kernel", "vdso",
				    "task %u ran with another vdso than this kernel's, and no proxy "
				    "can stand for it (%s): restore it on the kernel that dumped it",
				    ctx->tasks[i].pe->pid, why);
			return 1;
		}
		pr_info("task %u ran with another vdso: a proxy will stand for it",
			ctx->tasks[i].pe->pid);
	}
	return 0;
}
