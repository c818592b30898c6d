// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Waiting for ptrace stops and telling them apart: the interrupt stop we
 * asked for, a group stop (SIGSTOP), a signal about to be delivered, and
 * the syscall stops that frame a remote syscall. Waits for a parasite end
 * at a deadline (task->deadline), after which the thread is interrupted.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <linux/ptrace.h>

#include "internal.h"

/* 0 for a stop, -ESRCH when the thread is gone. */
static int stopped_or_gone(int status)
{
	return WIFEXITED(status) || WIFSIGNALED(status) ? -ESRCH : 0;
}

static int wait_status(pid_t tid, int *status)
{
	while (waitpid(tid, status, __WALL) < 0)
		if (errno != EINTR)
			return -errno;
	return stopped_or_gone(*status);
}

uint64_t stop_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * How long to poll before sleeping between polls, and the longest sleep:
 * a short command is seen at once, a long one costs at most a nap more.
 */
#define POLL_SPIN_NS 200000
#define POLL_NAP_MIN_NS 10000
#define POLL_NAP_MAX_NS 1000000

/*
 * wait_status() that gives up with -ETIMEDOUT at @deadline (stop_clock_ns()
 * time; 0: never). A stop of a tracee wakes no fd we could sleep on, so
 * this polls: it yields the CPU for a while, then naps longer and longer.
 */
static int wait_status_until(pid_t tid, int *status, uint64_t deadline)
{
	uint64_t start = stop_clock_ns(), t, nap = POLL_NAP_MIN_NS;
	struct timespec ts;
	pid_t got;

	if (!deadline)
		return wait_status(tid, status);
	for (;;) {
		got = waitpid(tid, status, __WALL | WNOHANG);
		if (got < 0 && errno != EINTR)
			return -errno;
		if (got > 0)
			return stopped_or_gone(*status);
		t = stop_clock_ns();
		if (t >= deadline)
			return -ETIMEDOUT;
		if (t - start < POLL_SPIN_NS) {
			sched_yield();
			continue;
		}
		if (nap > deadline - t)
			nap = deadline - t;
		ts.tv_sec = nap / 1000000000;
		ts.tv_nsec = nap % 1000000000;
		nanosleep(&ts, NULL);
		if (nap < POLL_NAP_MAX_NS)
			nap *= 2;
	}
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
 * in @info; -ETIMEDOUT past task->deadline (the thread then still runs).
 */
static int run_to_syscall_stop(struct compel_task *task, pid_t tid,
			       struct ptrace_syscall_info *info)
{
	int status, ret;

	for (;;) {
		if (ptrace(PTRACE_SYSCALL, tid, 0, 0))
			return -errno;
		ret = wait_status_until(tid, &status, task->deadline);
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

/*
 * Stop @tid, which runs our code past its deadline, in an interrupt stop:
 * from there remote syscalls work as after seize. Any stop consumes a
 * pending interrupt, so one is asked for again before every resume; a
 * syscall it was in is let finish (the interrupt cuts a blocking one short).
 */
int stop_interrupt(struct compel_task *task, pid_t tid)
{
	int status, ret;

	for (;;) {
		if (ptrace(PTRACE_INTERRUPT, tid, 0, 0))
			return -errno;
		ret = wait_status(tid, &status);
		if (ret)
			return ret;
		if (WSTOPSIG(status) != (SIGTRAP | 0x80)) {
			ret = other_stop(task, tid, status);
			if (ret || status >> 16 == PTRACE_EVENT_STOP)
				return ret;
		}
		if (ptrace(PTRACE_CONT, tid, 0, 0))
			return -errno;
	}
}
