// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * compel-inspect PID FD: a program that links libcompel alone. It seizes
 * task PID, loads a parasite into it, asks for its signal handlers and
 * for its file descriptor FD, prints both, and gives the task back.
 *
 * Build it outside this tree with
 *	cc inspect.c $(pkg-config --cflags --libs libcompel)
 * plus the parasite header that the blob rule makes from inspect-parasite.c
 * (see meson.build next to this file).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <compel/compel.h>

#include "inspect-blob.h"
#include "inspect.h"

static void log_line(int level, const char *file, int line, const char *msg, void *ctx)
{
	if (level <= COMPEL_LOG_WARN)
		fprintf(stderr, "libcompel: %s\n", msg);
}

static int print_handlers(struct compel_task *t)
{
	unsigned long handlers[INSPECT_NR_SIGNALS];
	size_t room;
	long ret;
	int err, sig;

	err = compel_parasite_call(t, INSPECT_HANDLERS, 0, &ret);
	if (err || ret != sizeof(handlers))
		return err ? err : -EPROTO;
	memcpy(handlers, compel_parasite_data(t, &room), sizeof(handlers));
	for (sig = 1; sig <= INSPECT_NR_SIGNALS; sig++) {
		if (handlers[sig - 1] == (unsigned long)SIG_DFL)
			continue;
		if (handlers[sig - 1] == (unsigned long)SIG_IGN)
			printf("signal %d: ignored\n", sig);
		else
			printf("signal %d: handler at %#lx\n", sig, handlers[sig - 1]);
	}
	return 0;
}

static int print_fd(struct compel_task *t, int remote_fd)
{
	char path[64], target[4096];
	size_t room;
	long ret;
	ssize_t n;
	int err, fd;

	memcpy(compel_parasite_data(t, &room), &remote_fd, sizeof(remote_fd));
	err = compel_parasite_call(t, INSPECT_SEND_FD, sizeof(remote_fd), &ret);
	if (err || ret)
		return err ? err : (int)ret;
	fd = compel_parasite_recv_fd(t);
	if (fd < 0)
		return fd;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	printf("fd %d: %s\n", remote_fd, target);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct compel_task *t;
	int err;

	if (argc != 3) {
		fprintf(stderr, "usage: compel-inspect PID FD\n");
		return 1;
	}
	compel_set_log(log_line, NULL);
	t = compel_task_seize(atoi(argv[1]));
	if (!t) {
		fprintf(stderr, "cannot seize %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	err = compel_task_infect(t, &inspect_parasite, 4096);
	if (!err)
		err = print_handlers(t);
	if (!err)
		err = print_fd(t, atoi(argv[2]));
	if (compel_task_release(t) && !err)
		err = -EIO;
	if (err) {
		fprintf(stderr, "compel-inspect: %s\n", strerror(-err));
		return 1;
	}
	return 0;
}
