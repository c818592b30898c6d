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
	siginfo_t si = { .si_signo = SIGUSR1, .si_code = SI_QUEUE };
	sigset_t set;

	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = SIGINFO_MAGIC;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return errno;
	if (syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGUSR1, &si))
		return errno;
	return 0;
}

/*
 * Start a child with @setup, seize it with @options and stop it. Returns
 * the probe's result when that fails (with *@pid -1), else -1.
 */
static int start_stopped(struct probe_out *out, pid_t *pid, int (*setup)(void *arg),
			 unsigned long options, int seize_cap)
{
	int err = probe_child_start(pid, setup, NULL);

	if (err)
		return probe_errno(out, err, -1, "start a child to trace");
	err = probe_child_seize(*pid, options);
	if (err) {
		probe_child_kill(*pid);
		*pid = -1;
		return probe_errno(out, err, seize_cap, "seize a child");
	}
	return -1;
}

enum check_result probe_ptrace_peeksiginfo(struct probe_out *out)
{
	struct __ptrace_peeksiginfo_args args = { .off = 0, .nr = 1, .flags = 0 };
	enum check_result r;
	siginfo_t si;
	pid_t pid;
	long n;
	int ret;

	ret = start_stopped(out, &pid, queue_blocked_signal, 0, CAP_SYS_PTRACE);
	if (ret >= 0)
		return ret;
	memset(&si, 0, sizeof(si));
	n = ptrace(PTRACE_PEEKSIGINFO, pid, &args, &si);
	if (n < 0)
		r = probe_errno(out, errno, -1, "ptrace(PTRACE_PEEKSIGINFO)");
	else if (n != 1 || si.si_signo != SIGUSR1 || si.si_value.sival_int != SIGINFO_MAGIC)
		r = probe_missing(out, "PTRACE_PEEKSIGINFO does not show the pending signal");
	else
		r = probe_supported(out, "PTRACE_PEEKSIGINFO reads pending signals");
	probe_child_kill(pid);
	return r;
}

enum check_result probe_seccomp_suspend(struct probe_out *out)
{
	pid_t pid;
	int ret;

	ret = start_stopped(out, &pid, NULL, PTRACE_O_SUSPEND_SECCOMP, CAP_SYS_ADMIN);
	if (ret >= 0)
		return ret;
	probe_child_kill(pid);
	return probe_supported(out, "PTRACE_O_SUSPEND_SECCOMP is accepted");
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

enum check_result probe_seccomp_filters(struct probe_out *out)
{
	struct sock_filter got[4];
	enum check_result r;
	pid_t pid;
	long n;
	int ret;

	ret = start_stopped(out, &pid, install_seccomp_filter, 0, CAP_SYS_PTRACE);
	if (ret >= 0)
		return ret;
	n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, got);
	if (n < 0)
		r = probe_errno(out, errno, CAP_SYS_ADMIN, "ptrace(PTRACE_SECCOMP_GET_FILTER)");
	else if (n != 1 || got[0].code != (BPF_RET | BPF_K) || got[0].k != SECCOMP_RET_ALLOW)
		r = probe_missing(out, "PTRACE_SECCOMP_GET_FILTER gives another filter than installed");
	else
		r = probe_supported(out, "PTRACE_SECCOMP_GET_FILTER dumps seccomp filters");
	probe_child_kill(pid);
	return r;
}

enum check_result probe_get_rseq_conf(struct probe_out *out)
{
	struct __ptrace_rseq_configuration conf;
	enum check_result r;
	pid_t pid;
	long n;
	int ret;

	ret = start_stopped(out, &pid, NULL, 0, CAP_SYS_PTRACE);
	if (ret >= 0)
		return ret;
	memset(&conf, 0, sizeof(conf));
	n = ptrace(PTRACE_GET_RSEQ_CONFIGURATION, pid, sizeof(conf), &conf);
	if (n < 0)
		r = probe_errno(out, errno, -1, "ptrace(PTRACE_GET_RSEQ_CONFIGURATION)");
	else if (n != sizeof(conf))
		r = probe_missing(out, "PTRACE_GET_RSEQ_CONFIGURATION returns %ld bytes, not %zu", n,
				  sizeof(conf));
	else
		r = probe_supported(out, "PTRACE_GET_RSEQ_CONFIGURATION reads a task's rseq area");
	probe_child_kill(pid);
	return r;
}
