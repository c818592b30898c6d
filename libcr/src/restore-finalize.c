// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * restore_finalize(): every restored thread waits at the barrier in the
 * restorer. Seize them all, let them go, follow each through its
 * rt_sigreturn (after it, the thread holds its dumped registers), then
 * unmap the restorer's hole (blob, arguments, the shared page) from each
 * task with a remote munmap through the restorer's own syscall
 * instruction (it runs before the page holding it goes), restore the
 * registers and detach.
 */
#include <errno.h>
#include <linux/futex.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib-log.h"
#include "restore-tree.h"
#include "restore.h"
#include "restorer-args.h"

/* Stops of a thread on its way to rt_sigreturn: a few syscalls, and its seccomp filters. */
#define MAX_STOPS (64 + 2 * RST_MAX_SECCOMP)

/* What rst_sigreturn passes at the entry of rt_sigreturn (restorer-entry.S). */
struct blob_trace {
	uint64_t syscall_ip;
	uint64_t hole, hole_len;
};

static int wait_stop(pid_t tid, int *status)
{
	if (waitpid(tid, status, __WALL) < 0) {
		int ret = -errno;

		pr_err("cannot wait for thread %d: %s", tid, strerror(-ret));
		return ret;
	}
	if (!WIFSTOPPED(*status)) {
		pr_err("thread %d died in the restorer (status %#x)", tid, *status);
		return -ECHILD;
	}
	return 0;
}

/*
 * @suspend_seccomp: the thread installs seccomp filters on its way out of
 * the restorer; they must not filter rt_sigreturn nor the cleanup.
 */
static int seize(pid_t tid, bool suspend_seccomp)
{
	long opts = PTRACE_O_TRACESYSGOOD | (suspend_seccomp ? PTRACE_O_SUSPEND_SECCOMP : 0);
	int status;

	if (ptrace(PTRACE_SEIZE, tid, 0, opts) || ptrace(PTRACE_INTERRUPT, tid, 0, 0)) {
		int ret = -errno;

		pr_err("cannot seize restored thread %d: %s", tid, strerror(-ret));
		return ret;
	}
	return wait_stop(tid, &status);
}

static int resume_to_syscall(pid_t tid, struct __ptrace_syscall_info *info)
{
	int status, ret, i;

	for (i = 0; i < MAX_STOPS; i++) {
		if (ptrace(PTRACE_SYSCALL, tid, 0, 0)) {
			ret = -errno;
			pr_err("cannot resume thread %d: %s", tid, strerror(-ret));
			return ret;
		}
		ret = wait_stop(tid, &status);
		if (ret)
			return ret;
		if (WSTOPSIG(status) != (SIGTRAP | 0x80))
			continue;
		if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(*info), info) <= 0) {
			ret = -errno;
			pr_err("cannot get the syscall of thread %d: %s", tid, strerror(-ret));
			return ret;
		}
		return 0;
	}
	pr_err("thread %d never reached its syscall", tid);
	return -ETIMEDOUT;
}

/* Let @tid run until it is back from rt_sigreturn, in its dumped registers. */
static int follow_sigreturn(pid_t tid, struct blob_trace *bt)
{
	struct __ptrace_syscall_info info;
	int ret, i;

	for (i = 0; i < MAX_STOPS; i++) {
		ret = resume_to_syscall(tid, &info);
		if (ret)
			return ret;
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY && info.entry.nr == SYS_rt_sigreturn) {
			bt->syscall_ip = info.instruction_pointer - 2;
			bt->hole = info.entry.args[0];
			bt->hole_len = info.entry.args[1];
			ret = resume_to_syscall(tid, &info);
			if (!ret && info.op != PTRACE_SYSCALL_INFO_EXIT)
				ret = -EPROTO;
			return ret;
		}
	}
	pr_err("thread %d never returned into its dumped state", tid);
	return -ETIMEDOUT;
}

static int remote_syscall(pid_t tid, uint64_t ip, long nr, uint64_t a0, uint64_t a1, long *res)
{
	struct user_regs_struct saved, r;
	struct __ptrace_syscall_info info;
	int ret;

	if (ptrace(PTRACE_GETREGS, tid, 0, &saved))
		return -errno;
	r = saved;
	r.rip = ip;
	r.rax = nr;
	r.orig_rax = -1;
	r.rdi = a0;
	r.rsi = a1;
	if (ptrace(PTRACE_SETREGS, tid, 0, &r))
		return -errno;
	ret = resume_to_syscall(tid, &info);
	if (!ret && (info.op != PTRACE_SYSCALL_INFO_ENTRY || info.entry.nr != (uint64_t)nr))
		ret = -EPROTO;
	if (!ret)
		ret = resume_to_syscall(tid, &info);
	if (!ret && info.op != PTRACE_SYSCALL_INFO_EXIT)
		ret = -EPROTO;
	if (!ret)
		*res = info.exit.rval;
	if (ptrace(PTRACE_SETREGS, tid, 0, &saved) && !ret)
		ret = -errno;
	return ret;
}

/* Every thread of @t is back in its dumped state: remove what the restore left. */
static int clean_task(const struct rst_task *t, const struct blob_trace *bt)
{
	pid_t pid = (pid_t)t->pe->pid;
	long res = 0;
	int ret;

	/* the hole holds the blob, its arguments and the task's view of the shared page */
	ret = remote_syscall(pid, bt->syscall_ip, SYS_munmap, bt->hole, bt->hole_len, &res);
	if (!ret && res)
		ret = (int)res;
	if (ret)
		pr_err("task %d: cannot unmap the restorer: %s", pid, strerror(-ret));
	return ret;
}

static int finish_task(const struct rst_task *t)
{
	struct blob_trace bt = {0}, main_bt = {0};
	size_t i;
	int ret;

	for (i = 0; i < t->pe->n_threads; i++) {
		ret = follow_sigreturn((pid_t)t->pe->threads[i], &bt);
		if (ret)
			return ret;
		if (t->pe->threads[i] == t->pe->pid)
			main_bt = bt;
	}
	if (!main_bt.syscall_ip) {
		pr_err("task %d: its main thread is not among its threads", (int)t->pe->pid);
		return -EINVAL;
	}
	ret = clean_task(t, &main_bt);
	for (i = 0; i < t->pe->n_threads; i++)
		ptrace(PTRACE_DETACH, (pid_t)t->pe->threads[i], 0, 0);
	return ret;
}

static bool under_seccomp(const struct rst_task *t)
{
	for (size_t i = 0; i < t->pe->n_threads; i++) {
		const ThreadCoreEntry *th = t->cores[i]->thread_core;

		if (th && th->has_seccomp_mode && th->seccomp_mode != SECCOMP_MODE__disabled)
			return true;
	}
	return false;
}

int restore_finalize(struct rst_ctx *ctx, struct rst_task *tasks, size_t nr)
{
	size_t i, j;
	int ret = 0;

	/* zombies have no restorer to leave */
	for (i = 0; i < nr && !ret; i++)
		for (j = 0; !rst_task_is_zombie(&tasks[i]) && j < tasks[i].pe->n_threads && !ret;
		     j++)
			ret = seize((pid_t)tasks[i].pe->threads[j], under_seccomp(&tasks[i]));
	if (ret)
		return ret;
	__atomic_store_n(&ctx->shared->go, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &ctx->shared->go, FUTEX_WAKE, 0x7fffffff, NULL, NULL, 0);
	for (i = 0; i < nr && !ret; i++)
		if (!rst_task_is_zombie(&tasks[i]))
			ret = finish_task(&tasks[i]);
	return ret;
}
