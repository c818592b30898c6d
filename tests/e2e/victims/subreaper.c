// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A child subreaper: the root sets PR_SET_CHILD_SUBREAPER, its child forks
 * a grandchild and exits, so the grandchild is orphaned to the root. After
 * SIGTERM the root checks it is still a subreaper, tells the orphan to end,
 * and reaps it; the orphan exits 0 only if its parent is still the root.
 */
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "victim.h"

static int ready[2];
static pid_t orphan;

/*
 * The orphan: once the root adopted it, says so, waits for SIGTERM and
 * exits 0 if the root is still its parent.
 */
static void __attribute__((noreturn)) orphan_life(pid_t root)
{
	while (getppid() != root)
		usleep(1000);
	if (write(ready[1], &root, sizeof(root)) != sizeof(root))
		_exit(2);
	close(ready[1]);
	victim_wait();
	_exit(getppid() == root ? 0 : 1);
}

static int setup(void)
{
	pid_t root = getpid(), child;
	int status;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) || pipe(ready))
		return victim_fail("subreaper setup: %m");
	child = fork();
	if (child == 0) {
		close(ready[0]);
		orphan = fork();
		if (orphan == 0)
			orphan_life(root);
		if (write(ready[1], &orphan, sizeof(orphan)) != sizeof(orphan))
			_exit(1);
		_exit(orphan < 0);
	}
	close(ready[1]);
	if (child < 0 || waitpid(child, &status, 0) != child || status)
		return victim_fail("the orphan's parent failed (%#x)", status);
	/* its pid from its parent, then a word from the orphan once it runs */
	if (read(ready[0], &orphan, sizeof(orphan)) != sizeof(orphan) ||
	    read(ready[0], &root, sizeof(root)) != sizeof(root))
		return victim_fail("the orphan did not start");
	close(ready[0]);
	return 0;
}

static int check(void)
{
	int subreaper = 0, status;

	if (prctl(PR_GET_CHILD_SUBREAPER, &subreaper) || subreaper != 1)
		victim_fail("the root is no longer a child subreaper (%d)", subreaper);
	kill(orphan, SIGTERM);
	if (waitpid(orphan, &status, 0) != orphan)
		return victim_fail("the orphan %d is no longer a child of the root", orphan);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return victim_fail("the orphan %d says its parent changed (status %#x)", orphan,
				   status);
	return subreaper == 1 ? 0 : -1;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
