// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * rst_check_limits(): what the restorer sets after the image's rlimits and
 * before the credentials, which the kernel bounds by those rlimits for a
 * caller without a capability: the nice value and scheduling policy of
 * every thread (CAP_SYS_NICE), the locked areas (CAP_IPC_LOCK). They must
 * be valid and allowed to crtool here: else the kernel would refuse them
 * in the restorer, where only an errno can be reported.
 */
#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib-log.h"
#include "restore-check.h"
#include "restore-mem.h"
#include "restore-tree.h"

/* @cap (below 32) is in crtool's effective set. */
static bool crtool_has(int cap)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];

	return !syscall(SYS_capget, &hdr, d) && (d[0].effective & (1U << cap));
}

/* The soft limit @res the task will have: the image's, else crtool's own. */
static uint64_t task_rlimit(const TaskCoreEntry *tc, int res)
{
	struct rlimit rl;

	if (tc->rlimits && (size_t)res < tc->rlimits->n_rlimits && tc->rlimits->rlimits[res])
		return tc->rlimits->rlimits[res]->cur;
	return getrlimit(res, &rl) ? 0 : rl.rlim_cur;
}

static bool is_rt(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

/* The priority @prio is what sched_setscheduler(2) takes with @policy. */
static bool policy_valid(int policy, uint32_t prio)
{
	switch (policy) {
	case SCHED_OTHER:
	case SCHED_BATCH:
	case SCHED_IDLE:
		return prio == 0;
	case SCHED_FIFO:
	case SCHED_RR:
		return prio >= 1 && prio <= 99;
	default:
		return false;
	}
}

static int check_values(unsigned int tid, const ThreadCoreEntry *th, int policy)
{
	uint32_t prio = th->has_sched_prio ? th->sched_prio : 0;

	if (th->has_sched_policy && policy == SCHED_DEADLINE) {
		pr_err("thread %u runs under SCHED_DEADLINE, which crtool cannot restore yet", tid);
		return -EOPNOTSUPP;
	}
	if ((th->has_sched_nice && (th->sched_nice < -20 || th->sched_nice > 19)) ||
	    (th->has_sched_policy && !policy_valid(policy, prio))) {
		pr_err("thread %u: bad scheduling in the image (policy %#x, priority %u, nice %d)",
		       tid, th->sched_policy, prio, th->sched_nice);
		return -EINVAL;
	}
	return 0;
}

/* What the kernel lets a thread without CAP_SYS_NICE set (sched_setscheduler(2)). */
static int check_allowed(unsigned int tid, const ThreadCoreEntry *th, int policy,
			 const TaskCoreEntry *tc)
{
	int nice_now = getpriority(PRIO_PROCESS, 0);
	uint64_t lim = task_rlimit(tc, RLIMIT_NICE);

	if (th->has_sched_nice && th->sched_nice < nice_now &&
	    (uint64_t)(20 - th->sched_nice) > lim) {
		pr_err("thread %u had nice %d: crtool, at nice %d, may lower a nice value only "
		       "with CAP_SYS_NICE or an RLIMIT_NICE of %d or more (the image's is %llu)",
		       tid, th->sched_nice, nice_now, 20 - th->sched_nice, (unsigned long long)lim);
		return -EPERM;
	}
	lim = task_rlimit(tc, RLIMIT_RTPRIO);
	if (th->has_sched_policy && is_rt(policy) && th->sched_prio > lim) {
		pr_err("thread %u ran real-time at priority %u: crtool may set it only with "
		       "CAP_SYS_NICE or an RLIMIT_RTPRIO of %u or more (the image's is %llu)",
		       tid, th->sched_prio, th->sched_prio, (unsigned long long)lim);
		return -EPERM;
	}
	return 0;
}

static int check_sched(const struct rst_task *t, bool privileged)
{
	int ret = 0;

	for (size_t j = 0; !ret && j < t->pe->n_threads; j++) {
		const ThreadCoreEntry *th = t->cores[j]->thread_core;
		int policy;

		if (!th)
			continue;
		policy = (int)(th->sched_policy & ~SCHED_RESET_ON_FORK);
		ret = check_values(t->pe->threads[j], th, policy);
		if (!ret && !privileged)
			ret = check_allowed(t->pe->threads[j], th, policy, t->cores[0]->tc);
	}
	return ret;
}

/* mlock() counts whole areas, on fault or not, against RLIMIT_MEMLOCK. */
static int check_mlock(struct rst_ctx *ctx, struct rst_task *t)
{
	uint64_t locked = 0, lim = task_rlimit(t->cores[0]->tc, RLIMIT_MEMLOCK);
	MmEntry *mm;
	int ret = rst_task_mm(ctx, t, &mm);

	if (ret)
		return ret;
	for (size_t i = 0; i < mm->n_vmas; i++)
		if (mm->vmas[i]->flags & MAP_LOCKED)
			locked += mm->vmas[i]->end - mm->vmas[i]->start;
	if (locked <= lim)
		return 0;
	pr_err("task %u had %llu KiB locked in memory: crtool may lock them only with "
	       "CAP_IPC_LOCK or an RLIMIT_MEMLOCK of that much (the task's is %llu KiB)",
	       t->pe->pid, (unsigned long long)locked >> 10, (unsigned long long)lim >> 10);
	return -EPERM;
}

int rst_check_limits(struct rst_ctx *ctx)
{
	bool sys_nice = crtool_has(CAP_SYS_NICE), ipc_lock = crtool_has(CAP_IPC_LOCK);
	int ret = 0;

	for (size_t i = 0; !ret && i < ctx->nr_tasks; i++) {
		struct rst_task *t = &ctx->tasks[i];

		if (rst_task_is_zombie(t))
			continue;
		ret = check_sched(t, sys_nice);
		if (!ret && !ipc_lock)
			ret = check_mlock(ctx, t);
	}
	return ret;
}
