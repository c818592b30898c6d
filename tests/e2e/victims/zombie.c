// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Zombies: children that ended before the dump and were not reaped, one
 * with exit code 7, one killed by SIGUSR2, one by SIGABRT without a core
 * dump. After SIGTERM the root reaps each, by its pid, and checks how it
 * ended, and that it got no SIGCHLD but the ones of their deaths.
 */
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "victim.h"

#define NR_ZOMBIES 3

/* How each child ends: the status its parent must reap. */
static struct zombie {
	int status;
	pid_t pid;
} zombies[NR_ZOMBIES] = {{.status = 7 << 8}, {.status = SIGUSR2}, {.status = SIGABRT}};

static volatile sig_atomic_t nr_sigchld;

static void on_sigchld(int sig)
{
	nr_sigchld++;
}

static void __attribute__((noreturn)) end_as(int status)
{
	struct rlimit no_core = {0, 0};

	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	setrlimit(RLIMIT_CORE, &no_core);
	raise(WTERMSIG(status));
	_exit(100);
}

static int setup(void)
{
	siginfo_t si;

	signal(SIGCHLD, on_sigchld);
	for (int i = 0; i < NR_ZOMBIES; i++) {
		zombies[i].pid = fork();
		if (zombies[i].pid < 0)
			return victim_fail("fork: %m");
		if (zombies[i].pid == 0)
			end_as(zombies[i].status);
		/* until it is a zombie, leaving it so (WNOWAIT) */
		if (waitid(P_PID, zombies[i].pid, &si, WEXITED | WNOWAIT))
			return victim_fail("waitid: %m");
	}
	/* every SIGCHLD handled before the dump */
	while (nr_sigchld < NR_ZOMBIES)
		usleep(1000);
	return 0;
}

static int check(void)
{
	int status;

	if (nr_sigchld != NR_ZOMBIES)
		return victim_fail("%d SIGCHLDs for %d children", (int)nr_sigchld, NR_ZOMBIES);
	for (int i = 0; i < NR_ZOMBIES; i++) {
		pid_t pid = zombies[i].pid, got = waitpid(pid, &status, WNOHANG);

		if (got != pid)
			return victim_fail("zombie %d: waitpid gave %d (%m)", pid, got);
		if (status != zombies[i].status)
			return victim_fail("zombie %d: status %#x, not %#x", pid, status,
					   zombies[i].status);
	}
	if (waitpid(-1, &status, WNOHANG) != -1)
		return victim_fail("a child other than the zombies");
	return 0;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
