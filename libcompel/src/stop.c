// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Waiting for ptrace stops and telling them apart: the interrupt stop we
 * asked for, a group stop (SIGSTOP), a signal about to be delivered, and
 * the syscall stops that frame a remote syscall.
 */
#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <linux/ptrace.h>

#include "internal.h"

static int wait_status(pid_t tid, int *status)
{
	while (waitpid(tid, status, __WALL) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(*status) || WIFSIGNALED(*status))
		return -ESRCH;
	return 0;
}

static int is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/*
 * After PTRACE_INTERRUPT. A signal that the thread was already delivering
 * when we came is passed on (as if it had arrived just before the seize);
 * the interrupt is still pending and stops the thread right after.
 */
int stop_wait_interrupt(pid_t tid, int *group_stop)
{
	int status, ret, sig;

	for (;;) {
		ret = wait_status(tid, &status);
		if (ret)
			return ret;
		sig = WSTOPSIG(status);
		if (status >> 16 == PTRACE_EVENT_STOP) {
			*group_stop = sig != SIGTRAP;
			return 0;
		}
		if (status >> 16)
			sig = 0; /* some other ptrace event: nothing to pass on */
		if (ptrace(PTRACE_CONT, tid, 0, sig))
			return -errno;
	}
}

/*
 * A stop that is not a syscall stop, met while our code runs: only those
 * that cannot be blocked can come (every signal is blocked). A SIGSTOP is
 * swallowed and remembered for release; a fault means our code is broken:
 * -EFAULT. 0 when the thread may go on.
 */
static int other_stop(struct compel_task *task, pid_t tid, int status)
{
	int sig = WSTOPSIG(status);

	if (status >> 16 == PTRACE_EVENT_STOP) {
		if (is_stop_signal(sig))
			task->stop_pending = 1;
		return 0;
	}
	if (status >> 16)
		return 0;
	if (is_stop_signal(sig)) {
		task->stop_pending = 1;
		return 0;
	}
	pr_err("thread %d: signal %d while running our code", tid, sig);
	return -EFAULT;
}

/*
 * Resume @tid with PTRACE_SYSCALL until its next syscall stop, described
 * in @info.
 */
static int run_to_syscall_stop(struct compel_task *task, pid_t tid,
			       struct ptrace_syscall_info *info)
{
	int status, ret;

	for (;;) {
		if (ptrace(PTRACE_SYSCALL, tid, 0, 0))
			return -errno;
		ret = wait_status(tid, &status);
		if (ret)
			return ret;
		if (WSTOPSIG(status) == (SIGTRAP | 0x80)) {
			if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(*info), info) < 0)
				return -errno;
			return 0;
		}
		ret = other_stop(task, tid, status);
		if (ret)
			return ret;
	}
}

/* Run @tid to its next syscall entry (@want_exit 0) or exit (1) stop. */
int stop_run_to_syscall(struct compel_task *task, pid_t tid, int want_exit)
{
	struct ptrace_syscall_info info;
	int ret = run_to_syscall_stop(task, tid, &info);

	if (ret)
		return ret;
	if (info.op == (want_exit ? PTRACE_SYSCALL_INFO_EXIT : PTRACE_SYSCALL_INFO_ENTRY))
		return 0;
	pr_err("thread %d: unexpected syscall stop %u", tid, info.op);
	return -EPROTO;
}

/*
 * Let @tid run its own syscalls until it enters one from the instruction
 * that ends at @ip (the parasite's wait site).
 */
int stop_run_to_ip(struct compel_task *task, pid_t tid, unsigned long ip)
{
	struct ptrace_syscall_info info;
	int ret;

	do {
		ret = run_to_syscall_stop(task, tid, &info);
		if (ret)
			return ret;
	} while (info.op != PTRACE_SYSCALL_INFO_ENTRY || info.instruction_pointer != ip);
	return 0;
}
