// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Zombies: children that ended before the dump and were not reaped, one
 * with exit code 7, one killed by SIGUSR2, one by SIGABRT without a core
 * dump. The one killed by SIGUSR2 led a process group, which a live child
 * is still in. After SIGTERM the root checks the live child's group, ends
 * it, reaps each zombie by its pid, and checks how it ended, and that it got
 * no SIGCHLD but the ones of their deaths.
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

#define LEADER 1 /* the zombie that led a group */

static volatile sig_atomic_t nr_sigchld;
static pid_t member; /* alive, in the group of zombies[LEADER] */

static void on_sigchld(int sig)
{
	nr_sigchld++;
}

static void __attribute__((noreturn)) end_as(int status)
{
	struct rlimit no_core = {0, 0};

	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	if (WTERMSIG(status) == SIGUSR2) {
		/* the group leader: killed by its parent once the group has its member */
		for (;;)
			pause();
	}
	setrlimit(RLIMIT_CORE, &no_core);
	raise(WTERMSIG(status));
	_exit(100);
}

/* A child in the group of @leader, then @leader killed. */
static int start_member(pid_t leader)
{
	if (setpgid(leader, leader))
		return victim_fail("setpgid: %m");
	member = fork();
	if (member < 0)
		return victim_fail("fork: %m");
	if (member == 0) {
		victim_wait();
		_exit(getpgid(0) == leader ? 0 : 1);
	}
	if (setpgid(member, leader))
		return victim_fail("setpgid of the member: %m");
	kill(leader, SIGUSR2);
	return 0;
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
		if (i == LEADER && start_member(zombies[i].pid))
			return -1;
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

	/* checked first, failing later: the member ends either way */
	if (nr_sigchld != NR_ZOMBIES)
		victim_fail("%d SIGCHLDs for %d children", (int)nr_sigchld, NR_ZOMBIES);
	if (getpgid(member) != zombies[LEADER].pid)
		victim_fail("the member %d is in group %d, not %d", member, getpgid(member),
			    zombies[LEADER].pid);
	kill(member, SIGTERM);
	if (waitpid(member, &status, 0) != member || status)
		return victim_fail("the member %d: status %#x", member, status);
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
