/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/PID/timers: the POSIX timers of a process (timer_create). */
#ifndef CR_PROC_TIMERS_H
#define CR_PROC_TIMERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct proc_timer {
	int id;			/* the kernel's timer id (timer_t) */
	int signo;
	uint64_t sival;		/* sigev_value, as a pointer */
	int notify;		/* SIGEV_SIGNAL, SIGEV_NONE or SIGEV_THREAD, maybe | SIGEV_THREAD_ID */
	pid_t notify_pid;	/* the process, or with SIGEV_THREAD_ID the thread, notified */
	int clock_id;
};

/* Called per timer; a negative return stops the walk and is returned. */
typedef int (*proc_timer_fn)(const struct proc_timer *t, void *arg);

/*
 * Parse the text of a timers file (@buf, @len bytes) and call @fn per
 * timer. 0, -EINVAL on malformed text (a timer missing a line, lines out
 * of order, bad numbers), or what @fn returned. Suitable as a fuzz entry
 * point.
 */
int proc_timers_parse(const char *buf, size_t len, proc_timer_fn fn, void *arg);

/* The same on /proc/@pid/timers. */
int proc_timers_read(pid_t pid, proc_timer_fn fn, void *arg);

#endif
