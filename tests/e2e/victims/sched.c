// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Scheduling, per thread: the main thread and four workers, each with its
 * own nice value (raised only, as any user may) and policy: SCHED_OTHER,
 * SCHED_BATCH, SCHED_IDLE, SCHED_OTHER with SCHED_RESET_ON_FORK; as root
 * a fifth worker runs SCHED_RR at priority 3. Afterwards the main thread
 * reads them all back by tid.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "victim.h"

#define MAIN_NICE 3

static struct worker {
	int policy; /* as sched_getscheduler() gives it */
	int prio;
	int nice;
	pthread_t thread;
	pid_t tid;
	int error;
} workers[] = {
	{.policy = SCHED_OTHER, .nice = 5},
	{.policy = SCHED_BATCH, .nice = 10},
	{.policy = SCHED_IDLE, .nice = 7},
	{.policy = SCHED_OTHER | SCHED_RESET_ON_FORK, .nice = 15},
	{.policy = SCHED_RR, .prio = 3}, /* root only */
};
#define N_WORKERS (sizeof(workers) / sizeof(workers[0]))

static size_t nr_workers;
static pthread_barrier_t started;
static volatile int stop;

static int set_sched(pid_t tid, int policy, int prio, int nice)
{
	struct sched_param sp = {.sched_priority = prio};

	if (sched_setscheduler(tid, policy, &sp))
		return victim_fail("sched_setscheduler(%#x, %d): %m", policy, prio);
	if (setpriority(PRIO_PROCESS, tid, nice))
		return victim_fail("setpriority(%d): %m", nice);
	return 0;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct timespec ts = {0, 10 * 1000 * 1000};

	w->tid = gettid();
	w->error = set_sched(0, w->policy, w->prio, w->nice);
	pthread_barrier_wait(&started);
	while (!stop)
		nanosleep(&ts, NULL);
	return NULL;
}

static int setup(void)
{
	size_t i;

	/* SCHED_RR needs CAP_SYS_NICE (RLIMIT_RTPRIO is 0) */
	nr_workers = geteuid() ? N_WORKERS - 1 : N_WORKERS;
	pthread_barrier_init(&started, NULL, nr_workers + 1);
	for (i = 0; i < nr_workers; i++)
		if (pthread_create(&workers[i].thread, NULL, work, &workers[i]))
			return victim_fail("pthread_create failed");
	pthread_barrier_wait(&started);
	for (i = 0; i < nr_workers; i++)
		if (workers[i].error)
			return -1;
	/* after the workers: they would inherit it */
	return set_sched(0, SCHED_OTHER, 0, MAIN_NICE);
}

static int check_one(const char *what, pid_t tid, int policy, int prio, int nice)
{
	struct sched_param sp;
	int got;

	got = sched_getscheduler(tid);
	if (got != policy)
		return victim_fail("%s (tid %d) has policy %#x, not %#x", what, tid, got, policy);
	if (sched_getparam(tid, &sp))
		return victim_fail("sched_getparam(%d): %m", tid);
	if (sp.sched_priority != prio)
		return victim_fail("%s (tid %d) has priority %d, not %d", what, tid,
				   sp.sched_priority, prio);
	errno = 0;
	got = getpriority(PRIO_PROCESS, tid);
	if (errno)
		return victim_fail("getpriority(%d): %m", tid);
	/* SCHED_IDLE keeps its nice value, unused */
	if (got != nice)
		return victim_fail("%s (tid %d) has nice %d, not %d", what, tid, got, nice);
	return 0;
}

static int check(void)
{
	int ret = check_one("the main thread", gettid(), SCHED_OTHER, 0, MAIN_NICE);
	size_t i;

	for (i = 0; i < nr_workers && !ret; i++)
		ret = check_one("a worker", workers[i].tid, workers[i].policy, workers[i].prio,
				workers[i].nice);
	stop = 1;
	for (i = 0; i < nr_workers; i++)
		pthread_join(workers[i].thread, NULL);
	return ret;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
