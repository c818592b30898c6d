// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * e2e-reaper COMMAND [ARG...]: runs COMMAND, with E2E_REAPER=1 in its
 * environment, as a child subreaper. Victims and restored trees are orphans
 * (started with setsid, detached by crtool restore -d); they land here and
 * are reaped, so their pids are really gone once they die, whatever the
 * machine's init does with orphans. When COMMAND exits, every process still
 * left under the reaper is killed and reaped, and the reaper exits with
 * COMMAND's status.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* SIGKILLs every child of this process (orphans adopted included). */
static void kill_children(void)
{
	char path[64];
	FILE *f;
	int pid;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", getpid());
	f = fopen(path, "r");
	if (!f)
		return;
	while (fscanf(f, "%d", &pid) == 1)
		kill(pid, SIGKILL);
	fclose(f);
}

int main(int argc, char **argv)
{
	int status, cmd_status = 0;
	bool cmd_done = false;
	pid_t cmd, pid;

	if (argc < 2) {
		fprintf(stderr, "Usage: %s COMMAND [ARG...]\n", argv[0]);
		return 2;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1)) {
		perror("PR_SET_CHILD_SUBREAPER");
		return 2;
	}
	cmd = fork();
	if (cmd < 0) {
		perror("fork");
		return 2;
	}
	if (cmd == 0) {
		setenv("E2E_REAPER", "1", 1); /* tells run-victim.sh it is here */
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	/* Each death may hand us the dead one's children: kill those too. */
	while ((pid = wait(&status)) > 0 || errno == EINTR) {
		if (pid == cmd) {
			cmd_status =
				WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			cmd_done = true;
		}
		if (cmd_done)
			kill_children();
	}
	return cmd_status;
}
