// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A process tree: the root, a child with a grandchild, and a child in a
 * process group of its own. Each descendant records its pid, parent, group
 * and session, and after SIGTERM (passed down by its parent) writes whether
 * they are unchanged to a pipe the root reads. The root checks its own ids,
 * and that both children are still its children (waitpid).
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "victim.h"

#define N_DESCENDANTS 3

struct ids {
	pid_t pid, ppid, pgid, sid;
};

static int ready[2], report[2];
static pid_t child, child_pgrp;
static struct ids root_ids;

static struct ids ids_now(void)
{
	return (struct ids){getpid(), getppid(), getpgid(0), getsid(0)};
}

/*
 * A descendant's life: says it is ready, waits for SIGTERM, passes it to its
 * own child if it has one, and reports one line. Never returns.
 */
static void descendant(const char *name, pid_t own_child)
{
	struct ids before = ids_now(), after;
	char line[200], why[120] = "";

	close(ready[0]);
	close(report[0]);
	if (write(ready[1], "r", 1) != 1)
		_exit(1);
	close(ready[1]);
	victim_wait();

	if (own_child > 0) {
		kill(own_child, SIGTERM);
		victim_reap(own_child, why, sizeof(why));
	}
	after = ids_now();
	if (!why[0] && memcmp(&before, &after, sizeof(before)))
		snprintf(why, sizeof(why), "pid/ppid/pgid/sid %d/%d/%d/%d, not %d/%d/%d/%d",
			 after.pid, after.ppid, after.pgid, after.sid, before.pid, before.ppid,
			 before.pgid, before.sid);
	snprintf(line, sizeof(line), "%s %s%s%s\n", why[0] ? "FAIL" : "PASS", name,
		 why[0] ? ": " : "", why);
	_exit(write(report[1], line, strlen(line)) < 0);
}

static int setup(void)
{
	pid_t grandchild;
	char buf[N_DESCENDANTS];
	ssize_t n, got = 0;

	root_ids = ids_now();
	if (pipe(ready) || pipe(report))
		return victim_fail("pipe: %m");
	child = fork();
	if (child == 0) {
		grandchild = fork();
		if (grandchild == 0)
			descendant("grandchild", 0);
		descendant("child", grandchild);
	}
	child_pgrp = fork();
	if (child_pgrp == 0) {
		setpgid(0, 0);
		descendant("child in its own group", 0);
	}
	if (child < 0 || child_pgrp < 0)
		return victim_fail("fork: %m");
	setpgid(child_pgrp, child_pgrp);
	close(ready[1]);
	close(report[1]);
	while (got < N_DESCENDANTS && (n = read(ready[0], buf, sizeof(buf) - got)) > 0)
		got += n;
	close(ready[0]);
	return got == N_DESCENDANTS ? 0 : victim_fail("only %zd descendants started", got);
}

static int check(void)
{
	struct ids now = ids_now();
	char text[1024] = "", why[120] = "", *line;
	ssize_t n, len = 0;
	int passed = 0, ret = 0;

	/* Checked first, failing last: the children are reaped either way. */
	if (now.pid != root_ids.pid || now.pgid != root_ids.pgid || now.sid != root_ids.sid)
		ret = victim_fail("the root's pid/pgid/sid are %d/%d/%d, not %d/%d/%d", now.pid,
				  now.pgid, now.sid, root_ids.pid, root_ids.pgid, root_ids.sid);
	kill(child, SIGTERM);
	kill(child_pgrp, SIGTERM);
	/* Every descendant holds the write end: end of file once all have exited. */
	while ((n = read(report[0], text + len, sizeof(text) - 1 - len)) > 0)
		len += n;
	if (victim_reap(child, why, sizeof(why)) || victim_reap(child_pgrp, why, sizeof(why)))
		return victim_fail("%s", why);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (strncmp(line, "PASS ", 5))
			return victim_fail("%s", line);
		passed++;
	}
	if (passed != N_DESCENDANTS)
		return victim_fail("%d of %d descendants reported", passed, N_DESCENDANTS);
	return ret;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
