// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cr/cr.h"
#include "fault.h"
#include "lib-log.h"
#include "restore-epoll.h"
#include "restore-files.h"
#include "restore-log.h"
#include "restore-shmem.h"
#include "restore-tree.h"

/* How long a task waits for its group leader to create the group. */
#define PGID_WAIT_MS 2000

bool rst_task_is_zombie(const struct rst_task *t)
{
	return t->cores[0]->tc && t->cores[0]->tc->task_state == TASK_DEAD;
}

static void task_failed(struct rst_ctx *ctx, pid_t pid, int err)
{
	int32_t none = 0;

	if (__atomic_compare_exchange_n(&ctx->shared->error, &none, err, false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST))
		ctx->shared->error_pid = pid;
	syscall(SYS_futex, &ctx->shared->nr_ready, FUTEX_WAKE, 1, NULL, NULL, 0);
	_exit(1);
}

/*
 * A zombie: exit the way it did, for its parent to reap after the restore.
 * Killed by a signal that dumps core, it leaves no core file (nor, then,
 * the core-dumped bit of its status).
 */
static void become_zombie(const struct rst_task *t)
{
	int status = t->cores[0]->tc->exit_code;
	struct rlimit no_core = {0, 0};
	sigset_t sig;

	if (WIFSIGNALED(status)) {
		if (WCOREDUMP(status))
			pr_warn("zombie %u: its status loses the core-dumped bit", t->pe->pid);
		setrlimit(RLIMIT_CORE, &no_core);
		prctl(PR_SET_DUMPABLE, 0);
		signal(WTERMSIG(status), SIG_DFL);
		sigemptyset(&sig);
		sigaddset(&sig, WTERMSIG(status));
		sigprocmask(SIG_UNBLOCK, &sig, NULL);
		kill(getpid(), WTERMSIG(status));
	}
	_exit(WEXITSTATUS(status));
}

static int restore_session(const struct rst_ctx *ctx, const PstreeEntry *pe)
{
	pid_t pid = pe->pid;

	if (pe->sid == (uint32_t)pid) {
		if (setsid() < 0) {
			pr_perror("task %d: cannot start its session", pid);
			return -errno;
		}
	} else if ((pid_t)pe->sid != getsid(0) && !(ctx->flags & CR_RESTORE_SHELL_JOB)) {
		pr_err("task %d: session %u is neither its own nor its parent's", pid, pe->sid);
		return -EOPNOTSUPP;
	}
	return 0;
}

static bool in_tree(const struct rst_ctx *ctx, uint32_t pid)
{
	for (size_t i = 0; i < ctx->nr_tasks; i++)
		if (ctx->tasks[i].pe->pid == pid)
			return true;
	return false;
}

static int restore_pgid(const struct rst_ctx *ctx, const PstreeEntry *pe)
{
	struct timespec pause = { 0, 1000000 };

	if ((pid_t)pe->pgid == getpgid(0))
		return 0;
	/* A shell job's group led from outside: it joins crtool's. */
	if (!in_tree(ctx, pe->pgid) && (ctx->flags & CR_RESTORE_SHELL_JOB))
		return 0;
	/* The leader may not have made its group yet: give it a moment. */
	for (int ms = 0; ms < PGID_WAIT_MS; ms++) {
		if (!setpgid(0, pe->pgid == pe->pid ? 0 : pe->pgid))
			return 0;
		if (errno != EPERM)
			break;
		nanosleep(&pause, NULL);
	}
	pr_perror("task %u: cannot join process group %u", pe->pid, pe->pgid);
	return -errno;
}

/* Whether task @i is a child of @pid (the root is no task's child). */
static bool is_child(const struct rst_ctx *ctx, size_t i, pid_t pid)
{
	return i && ctx->tasks[i].pe->ppid == (uint32_t)pid;
}

static bool has_children(const struct rst_ctx *ctx, pid_t pid)
{
	for (size_t i = 0; i < ctx->nr_tasks; i++)
		if (is_child(ctx, i, pid))
			return true;
	return false;
}

static int fork_children(struct rst_ctx *ctx, pid_t pid)
{
	for (size_t i = 0; i < ctx->nr_tasks; i++) {
		if (is_child(ctx, i, pid)) {
			pid_t child = rst_fork_task(ctx, i);
			siginfo_t si;

			if (child < 0)
				return child;
			/* A zombie dies before our signal handlers are back: no stray SIGCHLD. */
			if (rst_task_is_zombie(&ctx->tasks[i]) &&
			    waitid(P_PID, child, &si, WEXITED | WNOWAIT)) {
				pr_perror("task %d: its zombie %d did not die", pid, child);
				return -errno;
			}
		}
	}
	return 0;
}

static void restore_task(struct rst_ctx *ctx, size_t idx)
{
	struct rst_task *t = &ctx->tasks[idx];
	pid_t pid = t->pe->pid;
	int ret;

	if (getpid() != pid)
		task_failed(ctx, pid, -EEXIST);
	ret = restore_session(ctx, t->pe);
	if (!ret)
		ret = cr_fault("restore-forked");
	if (!ret && idx == 0)
		ret = rst_files_open(ctx);
	if (!ret && idx == 0)
		ret = rst_shmem_open(ctx);
	/*
	 * Its memory before its children: forked, they find it at the same
	 * addresses and keep the pages they share with it shared (restore-mem.h).
	 */
	if (!ret && has_children(ctx, pid))
		ret = restore_task_premap(ctx, t);
	if (!ret)
		ret = fork_children(ctx, pid);
	if (!ret)
		ret = restore_pgid(ctx, t->pe);
	if (ret)
		task_failed(ctx, pid, ret);
	if (rst_task_is_zombie(t))
		become_zombie(t);
	ret = rst_files_install(ctx, t);
	if (!ret)
		ret = rst_epoll_install(ctx, t);
	if (!ret)
		ret = cr_fault("restore-files");
	if (!ret)
		ret = restore_task_switch(ctx, t);
	task_failed(ctx, pid, ret ? ret : -EINVAL);
}

pid_t rst_fork_task(struct rst_ctx *ctx, size_t idx)
{
	pid_t pid = ctx->tasks[idx].pe->pid;
	struct clone_args args = {
		.exit_signal = SIGCHLD,
		.set_tid = (uintptr_t)&pid,
		.set_tid_size = 1,
	};
	long child;

	child = syscall(SYS_clone3, &args, sizeof(args));
	if (child < 0) {
		if (errno == EEXIST)
			pr_err("cannot restore task %d: its PID is taken", pid);
		else
			pr_perror("cannot fork task %d", pid);
		return -errno;
	}
	if (child == 0) {
		rst_log_forward(ctx);
		restore_task(ctx, idx);
	}
	pr_debug("forked task %d", pid);
	return child;
}
