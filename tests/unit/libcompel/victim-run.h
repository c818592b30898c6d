/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Start a victim (victims/victim.c) and talk to it, for libcompel's tests. */
#ifndef COMPEL_TEST_VICTIM_RUN_H
#define COMPEL_TEST_VICTIM_RUN_H

#include <sys/types.h>

struct victim {
	const char *name;	/* its mode */
	pid_t pid;
	int ctl;	/* its stdin: we write 'g' here */
	int report;	/* its stdout: READY, PASS, FAIL */
};

/* Start "victim @mode" and wait for its READY line; 0 or -1. */
int victim_start(struct victim *v, const char *mode);

/* Read exactly @len bytes from the victim's stdout and compare them to @s. */
int victim_expect(struct victim *v, const char *s);

/* Send the go byte, read PASS, reap it with exit status 0: 0 or -1. */
int victim_finish(struct victim *v);

/* Kill and reap whatever is left of the victim, close our pipes. */
void victim_kill(struct victim *v);

/* Wait until /proc/PID/stat shows @state ('S', 'T', ...); 0 or -1 after 5 s. */
int victim_wait_state(pid_t pid, char state);

/* A libcompel log callback that prints to stderr (meson keeps it in the test log). */
void test_log(int level, const char *file, int line, const char *msg, void *ctx);

#endif
