/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A full seize/work/release cycle on a victim, for libcompel's tests. */
#ifndef COMPEL_TEST_CYCLE_H
#define COMPEL_TEST_CYCLE_H

#include "compel/compel.h"
#include "victim-run.h"

struct mode {
	const char *name;	/* the victim's mode */
	int threads;
	/* Blocked in the kernel at a fixed place: registers can be compared. */
	int stable_regs;
	/* Its sleep is restarted through restart_syscall: orig_rax differs. */
	int restarts_by_block;
};

/* What a test does with the seized victim. */
typedef void (*cycle_fn)(struct compel_task *t, struct victim *v);

/* Run the cycle on a new victim of mode @m; cmocka assertions on failure. */
void cycle_run(const struct mode *m, cycle_fn exercise);

/* A cmocka test @fn running the cycle with @exercise on a victim of mode {...}. */
#define CYCLE_TEST(fn, exercise, ...)                          \
	static void fn(void **state)                            \
	{                                                       \
		static const struct mode m = { __VA_ARGS__ };   \
		cycle_run(&m, exercise);                        \
	}

/* The whole of /proc/PID/<file> (@fmt has one %d); malloc'd, NULL on error. */
char *read_text(const char *fmt, pid_t pid);

#endif
