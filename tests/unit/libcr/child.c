// SPDX-License-Identifier: LGPL-2.1-or-later
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "child.h"

void child_start(struct child *c, void (*setup)(void *report), void *report, size_t size)
{
	int rep[2], rel[2];
	char byte;

	assert_int_equal(pipe(rep), 0);
	assert_int_equal(pipe(rel), 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (!c->pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(rep[0]);
		close(rel[1]);
		setup(report);
		if (write(rep[1], report, size) != (ssize_t)size)
			_exit(1);
		/* Wait for the test to close its end, or to kill us. */
		while (read(rel[0], &byte, 1) > 0)
			;
		_exit(0);
	}
	close(rep[1]);
	close(rel[0]);
	if (read(rep[0], report, size) != (ssize_t)size) {
		int status = 0;

		waitpid(c->pid, &status, 0);
		fail_msg("child failed to set up: exit status %d, signal %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	}
	close(rep[0]);
	c->release = rel[1];
}

void child_stop(struct child *c)
{
	kill(c->pid, SIGKILL);
	close(c->release);
	waitpid(c->pid, NULL, 0);
}
