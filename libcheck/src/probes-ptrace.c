// SPDX-License-Identifier: LGPL-2.1-or-later
/* ptrace probes: pending signals, seccomp, rseq, each on a stopped child. */
#include <errno.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probes.h"

#define SIGINFO_MAGIC 0x51a1f0

/* In the child before it stops: a blocked signal with a payload, pending. */
static int queue_blocked_signal(void *arg)
{
	return probe_queue_own_signal(SIGUSR1, SIGINFO_MAGIC);
}

/*
 * Start a child with @setup, seize it with @options (the seize needs
 * @seize_cap), stop it, hand its pid to @inspect, kill and reap it.
 */
static enum check_result with_stopped_child(struct probe_out *out, int (*setup)(void *arg),
					    unsigned long options, int seize_cap,
					    enum check_result (*inspect)(struct probe_out *out,
									 pid_t pid))
{
	enum check_result r;
	pid_t pid;
	int err;

	err = probe_child_start(&pid, setup, NULL);
	if (err)
		return probe_errno(out, err, -1, "start a child to trace");
	err = probe_child_seize(pid, options);
	if (err)
		r = probe_errno(out, err, seize_cap, "seize a child");
	else
		r = inspect(out, pid);
	probe_child_kill(pid);
	return r;
}

static enum check_result peek_pending_signal(struct probe_out *out, pid_t pid)
{
	struct __ptrace_peeksiginfo_args args = { .off = 0, .nr = 1, .flags = 0 };
	siginfo_t si;
	long n;

	memset(&si, 0, sizeof(si));
	n = ptrace(PTRACE_PEEKSIGINFO, pid, &args, &si);
	if (n < 0)
		return probe_errno(out, errno, -1, "ptrace(PTRACE_PEEKSIGINFO)");
	if (n != 1 || si.si_signo != SIGUSR1 || si.si_value.sival_int != SIGINFO_MAGIC)
		return probe_missing(out, "PTRACE_PEEKSIGINFO does not show the pending signal");
	return probe_supported(out, "PTRACE_PEEKSIGINFO reads pending signals");
}

enum check_result probe_ptrace_peeksiginfo(struct probe_out *out)
{
	return with_stopped_child(out, queue_blocked_signal, 0, CAP_SYS_PTRACE, peek_pending_signal);
}

static enum check_result seized_with_suspend(struct probe_out *out, pid_t pid)
{
	return probe_supported(out, "PTRACE_O_SUSPEND_SECCOMP is accepted");
}

enum check_result probe_seccomp_suspend(struct probe_out *out)
{
	return with_stopped_child(out, NULL, PTRACE_O_SUSPEND_SECCOMP, CAP_SYS_ADMIN,
				  seized_with_suspend);
}

/* In the child before it stops: a filter that allows everything. */
static int install_seccomp_filter(void *arg)
{
	struct sock_filter code[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog prog = { .len = 1, .filter = code };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return errno;
	return 0;
}

static enum check_result get_seccomp_filter(struct probe_out *out, pid_t pid)
{
	struct sock_filter got[4];
	long n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, got);

	if (n < 0)
		return probe_errno(out, errno, CAP_SYS_ADMIN, "ptrace(PTRACE_SECCOMP_GET_FILTER)");
	if (n != 1 || got[0].code != (BPF_RET | BPF_K) || got[0].k != SECCOMP_RET_ALLOW)
		return probe_missing(out, "PTRACE_SECCOMP_GET_FILTER gives another filter than installed");
	return probe_supported(out, "PTRACE_SECCOMP_GET_FILTER dumps seccomp filters");
}

enum check_result probe_seccomp_filters(struct probe_out *out)
{
	return with_stopped_child(out, install_seccomp_filter, 0, CAP_SYS_PTRACE,
				  get_seccomp_filter);
}

static enum check_result get_rseq_conf(struct probe_out *out, pid_t pid)
{
	struct __ptrace_rseq_configuration conf;
	long n;

	memset(&conf, 0, sizeof(conf));
	n = ptrace(PTRACE_GET_RSEQ_CONFIGURATION, pid, sizeof(conf), &conf);
	if (n < 0)
		return probe_errno(out, errno, -1, "ptrace(PTRACE_GET_RSEQ_CONFIGURATION)");
	if (n != sizeof(conf))
		return probe_missing(out, "PTRACE_GET_RSEQ_CONFIGURATION returns %ld bytes, not %zu", n,
				     sizeof(conf));
	return probe_supported(out, "PTRACE_GET_RSEQ_CONFIGURATION reads a task's rseq area");
}

enum check_result probe_get_rseq_conf(struct probe_out *out)
{
	return with_stopped_child(out, NULL, 0, CAP_SYS_PTRACE, get_rseq_conf);
}
