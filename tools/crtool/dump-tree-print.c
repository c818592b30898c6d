// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>

#include "dump-print.h"

/* Deeper levels are not indented further: a hostile chain stays readable. */
#define MAX_INDENT 32

static const char *state_note(const struct dump_task *t)
{
	switch (t->state) {
	case DUMP_TASK_ALIVE: return "";
	case DUMP_TASK_DEAD: return " (zombie)";
	case DUMP_TASK_STOPPED: return " (stopped)";
	default: return " (unknown state)";
	}
}

void dump_print_tree(const struct dump *d, bool detailed)
{
	size_t i;

	if (detailed)
		printf("%7s %7s %7s %7s %7s  %s\n", "PID", "PPID", "PGID", "SID", "THREADS", "COMM");
	else
		printf("%7s %7s %7s  %s\n", "PID", "PGID", "SID", "COMM");
	for (i = 0; i < d->nr_tasks; i++) {
		const struct dump_task *t = &d->tasks[i];
		int indent = t->depth > MAX_INDENT ? MAX_INDENT : (int)t->depth;

		printf("%7u ", t->pid);
		if (detailed)
			printf("%7u ", t->ppid);
		printf("%7u %7u ", t->pgid, t->sid);
		if (detailed)
			printf("%7zu ", t->nr_threads);
		printf(" %*s%s%s%s\n", indent ? (indent - 1) * 4 : 0, "", indent ? "\\_ " : "",
		       t->comm, state_note(t));
	}
}

void dump_print_task(const struct dump_task *t)
{
	printf("%u %s%s\n", t->pid, t->comm, state_note(t));
}
