// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Threads: four workers, each with its own name, TLS value and blocked
 * signals, counting while the dump happens. Afterwards each one checks its
 * tid is the one it had, its name, TLS value and mask; the main thread checks
 * they all still count.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "victim.h"

#define N_WORKERS 4

static struct worker {
	pthread_t thread;
	int index;
	pid_t tid;
	volatile unsigned long count;
	int result;
} workers[N_WORKERS];
static pthread_barrier_t started;
static volatile int stop;
static __thread unsigned long tls_value;

static void sleep_ms(long ms)
{
	struct timespec ts = {0, ms * 1000000};

	nanosleep(&ts, NULL);
}

/* Worker i blocks signal 40 + i besides what it inherited (SIGTERM). */
static void *work(void *arg)
{
	struct worker *w = arg;
	char name[16], now[16] = "";
	sigset_t mask, want;
	int sig;

	snprintf(name, sizeof(name), "worker-%d", w->index);
	prctl(PR_SET_NAME, name);
	sigemptyset(&mask);
	sigaddset(&mask, 40 + w->index);
	pthread_sigmask(SIG_BLOCK, &mask, &want);
	sigaddset(&want, 40 + w->index);
	tls_value = 0x7157000 + w->index;
	w->tid = gettid();
	pthread_barrier_wait(&started);

	while (!stop) {
		w->count++;
		sleep_ms(10);
	}

	prctl(PR_GET_NAME, now);
	pthread_sigmask(SIG_BLOCK, NULL, &mask);
	if (gettid() != w->tid)
		w->result = victim_fail("worker %d has tid %d, not %d", w->index, gettid(), w->tid);
	else if (strcmp(now, name))
		w->result = victim_fail("worker %d is named %s", w->index, now);
	else if (tls_value != 0x7157000UL + w->index)
		w->result = victim_fail("worker %d's TLS value is %#lx", w->index, tls_value);
	for (sig = 1; sig < NSIG && !w->result; sig++)
		if (sigismember(&mask, sig) != sigismember(&want, sig))
			w->result = victim_fail("worker %d's mask changed for signal %d", w->index,
						sig);
	return NULL;
}

static int setup(void)
{
	int i;

	pthread_barrier_init(&started, NULL, N_WORKERS + 1);
	for (i = 0; i < N_WORKERS; i++) {
		workers[i].index = i;
		if (pthread_create(&workers[i].thread, NULL, work, &workers[i]))
			return victim_fail("pthread_create failed");
	}
	pthread_barrier_wait(&started);
	return 0;
}

/* True once every worker has counted past its count in before[]. */
static int all_counted(const unsigned long *before)
{
	int i;

	for (i = 0; i < N_WORKERS; i++)
		if (workers[i].count <= before[i])
			return 0;
	return 1;
}

static int check(void)
{
	unsigned long before[N_WORKERS];
	int i, tries;

	for (i = 0; i < N_WORKERS; i++)
		before[i] = workers[i].count;
	for (tries = 0; tries < 500 && !all_counted(before); tries++)
		sleep_ms(10);
	stop = 1;
	for (i = 0; i < N_WORKERS; i++)
		pthread_join(workers[i].thread, NULL);
	if (!all_counted(before))
		return victim_fail("a worker stopped counting");
	for (i = 0; i < N_WORKERS; i++)
		if (workers[i].result)
			return -1;
	return 0;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
