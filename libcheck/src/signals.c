// SPDX-License-Identifier: LGPL-2.1-or-later
/* A pending signal with a payload, for the probes of signal queues. */
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "probe.h"

int probe_queue_own_signal(int sig, int value)
{
	siginfo_t si = { .si_signo = sig, .si_code = SI_QUEUE };
	sigset_t set;

	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = value;
	sigemptyset(&set);
	sigaddset(&set, sig);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return errno;
	if (syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), sig, &si))
		return errno;
	return 0;
}
