// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "victim-run.h"

int victim_start(struct victim *v, const char *mode)
{
	int in[2], out[2];

	v->name = mode;
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -1;
	v->pid = fork();
	if (v->pid < 0)
		return -1;
	if (!v->pid) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		execl(VICTIM, VICTIM, mode, NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	v->ctl = in[1];
	v->report = out[0];
	return victim_expect(v, "READY\n");
}

int victim_expect(struct victim *v, const char *s)
{
	size_t len = strlen(s), got = 0;
	char buf[256];

	while (got < len && got < sizeof(buf)) {
		struct pollfd p = { v->report, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 10000) != 1)
			return -1;
		n = read(v->report, buf + got, len - got);
		if (n <= 0)
			return -1;
		got += n;
	}
	if (memcmp(buf, s, len)) {
		fprintf(stderr, "victim said '%.*s', expected '%s'\n", (int)got, buf, s);
		return -1;
	}
	return 0;
}

int victim_finish(struct victim *v)
{
	int status;

	if (write(v->ctl, "g", 1) != 1 || victim_expect(v, "PASS\n"))
		return -1;
	if (waitpid(v->pid, &status, 0) != v->pid)
		return -1;
	v->pid = 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

void victim_kill(struct victim *v)
{
	if (v->pid > 0) {
		kill(v->pid, SIGKILL);
		waitpid(v->pid, NULL, 0);
		v->pid = 0;
	}
	close(v->ctl);
	close(v->report);
}

int victim_wait_state(pid_t pid, char state)
{
	struct timespec ts = { 0, 1000000 };
	char path[64], buf[512], *p;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 5000; i++) {
		FILE *f = fopen(path, "re");

		if (!f)
			return -1;
		p = fgets(buf, sizeof(buf), f);
		fclose(f);
		p = p ? strrchr(buf, ')') : NULL;
		if (p && p[1] == ' ' && p[2] == state)
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}

void test_log(int level, const char *file, int line, const char *msg, void *ctx)
{
	fprintf(stderr, "compel %d %s:%d: %s\n", level, file, line, msg);
}
