// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Timers of a seized task: the interval timers and the POSIX timers, named
 * by /proc/PID/timers, their times asked from the task itself.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#include "array.h"
#include "compel/compel.h"
#include "dump-core.h"
#include "lib-log.h"
#include "proc-timers.h"

/* More POSIX timers than this in one task are refused. */
#define POSIX_TIMERS_MAX (1u << 16)

static int itimers_dump(struct remote *r, struct task_timers *tt)
{
	static const int which[3] = { ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF };
	struct itimerval v;
	int i, ret;

	for (i = 0; i < 3; i++) {
		ret = remote_call(r, 0, SYS_getitimer, which[i], r->addr, 0, 0, NULL);
		if (ret)
			return ret;
		memcpy(&v, r->local, sizeof(v));
		itimer_entry__init(&tt->itimers[i]);
		tt->itimers[i].isec = v.it_interval.tv_sec;
		tt->itimers[i].iusec = v.it_interval.tv_usec;
		tt->itimers[i].vsec = v.it_value.tv_sec;
		tt->itimers[i].vusec = v.it_value.tv_usec;
	}
	tt->entry.real = &tt->itimers[0];
	tt->entry.virt = &tt->itimers[1];
	tt->entry.prof = &tt->itimers[2];
	return 0;
}

/* Keep what /proc says of one POSIX timer. */
static int posix_add(const struct proc_timer *t, void *arg)
{
	struct task_timers *tt = arg;
	PosixTimerEntry *e;
	int ret;

	ret = array_grow((void **)&tt->posix, &tt->cap, tt->entry.n_posix, sizeof(*tt->posix),
			 POSIX_TIMERS_MAX);
	if (ret)
		return ret;
	e = &tt->posix[tt->entry.n_posix++];
	posix_timer_entry__init(e);
	e->it_id = t->id;
	e->clock_id = t->clock_id;
	e->si_signo = t->signo;
	e->it_sigev_notify = t->notify;
	e->sival_ptr = t->sival;
	if (t->notify & SIGEV_THREAD_ID) {
		e->has_notify_thread_id = true;
		e->notify_thread_id = t->notify_pid;
	}
	return 0;
}

static int posix_cmp(const void *a, const void *b)
{
	const PosixTimerEntry *x = a, *y = b;

	return x->it_id < y->it_id ? -1 : x->it_id > y->it_id;
}

/* The times and overrun of POSIX timer @e, from the task. */
static int posix_times(struct remote *r, PosixTimerEntry *e)
{
	struct itimerspec its;
	long overrun;
	int ret;

	ret = remote_call(r, 0, SYS_timer_gettime, e->it_id, r->addr, 0, 0, NULL);
	if (!ret)
		ret = remote_call(r, 0, SYS_timer_getoverrun, e->it_id, 0, 0, 0, &overrun);
	if (ret) {
		pr_err("cannot read POSIX timer %u: %s", e->it_id, strerror(-ret));
		return ret;
	}
	memcpy(&its, r->local, sizeof(its));
	e->isec = its.it_interval.tv_sec;
	e->insec = its.it_interval.tv_nsec;
	e->vsec = its.it_value.tv_sec;
	e->vnsec = its.it_value.tv_nsec;
	e->overrun = overrun;
	return 0;
}

int timers_dump(struct remote *r, struct task_timers *tt)
{
	size_t i, nr;
	int ret;

	memset(tt, 0, sizeof(*tt));
	task_timers_entry__init(&tt->entry);
	ret = itimers_dump(r, tt);
	if (!ret)
		ret = proc_timers_read(compel_task_pid(r->ct), posix_add, tt);
	if (ret)
		return ret;
	nr = tt->entry.n_posix;
	if (!nr)
		return 0;
	qsort(tt->posix, nr, sizeof(*tt->posix), posix_cmp);
	tt->ptrs = calloc(nr, sizeof(*tt->ptrs));
	if (!tt->ptrs)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		ret = posix_times(r, &tt->posix[i]);
		if (ret)
			return ret;
		tt->ptrs[i] = &tt->posix[i];
	}
	tt->entry.posix = tt->ptrs;
	return 0;
}

void timers_free(struct task_timers *tt)
{
	free(tt->posix);
	free(tt->ptrs);
	memset(tt, 0, sizeof(*tt));
}
