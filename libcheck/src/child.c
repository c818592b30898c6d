// SPDX-License-Identifier: LGPL-2.1-or-later
/* Short-lived children for probes, always reaped before the probe returns. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clone3.h"
#include "lib-log.h"
#include "probe.h"

/* Wait for @pid, retrying on EINTR: its wait status, or -errno. */
static int reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, __WALL) < 0)
		if (errno != EINTR)
			return -errno;
	return status;
}

int probe_in_child(unsigned long clone_flags, int (*fn)(void *arg), void *arg)
{
	struct clone_args args = { .flags = clone_flags, .exit_signal = SIGCHLD };
	int status;
	pid_t pid;

	/* fork() keeps glibc's own state right in the child; clone3 for flags. */
	pid = clone_flags ? clone3_fork(&args) : fork();
	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(fn(arg) & 0xff);
	status = reap(pid);
	if (status < 0)
		return -status;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	pr_debug("probe child %d died of signal %d", pid, WTERMSIG(status));
	return EINTR;
}

int probe_child_start(pid_t *pid, int (*setup)(void *arg), void *arg)
{
	int p[2], err = 0;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC))
		return errno;
	*pid = fork();
	if (*pid < 0) {
		err = errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	if (*pid == 0) {
		close(p[0]);
		err = setup ? setup(arg) : 0;
		if (write(p[1], &err, sizeof(err)) != sizeof(err))
			_exit(1);
		if (err)
			_exit(1);
		/* Ready: wait to be killed. */
		for (;;)
			pause();
	}
	close(p[1]);
	do
		n = read(p[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	close(p[0]);
	if (n != sizeof(err) && !err)
		err = ECHILD;
	if (err) {
		probe_child_kill(*pid);
		*pid = -1;
	}
	return err;
}

int probe_child_seize(pid_t pid, unsigned long options)
{
	int status;

	if (ptrace(PTRACE_SEIZE, pid, NULL, options))
		return errno;
	if (ptrace(PTRACE_INTERRUPT, pid, NULL, NULL))
		return errno;
	status = reap(pid);
	if (status < 0)
		return -status;
	if (!WIFSTOPPED(status))
		return ECHILD;
	return 0;
}

void probe_child_kill(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	/* A traced child reports its stops first: wait until it is gone. */
	for (;;) {
		int status = reap(pid);

		if (status < 0 || WIFEXITED(status) || WIFSIGNALED(status))
			break;
	}
}
