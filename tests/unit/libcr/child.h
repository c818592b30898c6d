/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Real children for the kernel tests: a child runs a setup function, sends
 * back what it set up (a report of a fixed size), and waits until the test
 * ends it. The test reads the child's /proc meanwhile.
 */
#ifndef TEST_LIBCR_CHILD_H
#define TEST_LIBCR_CHILD_H

#include <stddef.h>
#include <sys/types.h>

struct child {
	pid_t pid;
	int release;	/* closing it lets the child go */
};

/*
 * Fork a child that calls @setup(@report) and sends @size bytes of @report
 * back (into the same buffer, in the test). Fails the test on error.
 */
void child_start(struct child *c, void (*setup)(void *report), void *report, size_t size);

/* Kill and reap the child; its exit status is not looked at. */
void child_stop(struct child *c);

#endif
