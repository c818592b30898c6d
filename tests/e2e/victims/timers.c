// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Timers: ITIMER_REAL with a long value and interval, a periodic POSIX timer
 * whose signal carries a value and is counted, and a long one-shot POSIX
 * timer. Afterwards the long ones still run down from where they were, the
 * intervals are the same, and the periodic one still ticks.
 */
#include <sys/time.h>
#include <time.h>

#include "victim.h"

#define TICK_NS (20 * 1000000L)
#define LONG_S 100
#define TICK_VALUE 4242

static timer_t periodic, one_shot;
static struct itimerval real_before;
static struct itimerspec one_shot_before;
static volatile int ticks, wrong_value;

static void on_tick(int sig, siginfo_t *si, void *uc)
{
	ticks++;
	if (si->si_code != SI_TIMER || si->si_value.sival_int != TICK_VALUE)
		wrong_value = 1;
}

static void on_alarm(int sig)
{
}

static int setup(void)
{
	struct sigaction tick = {.sa_sigaction = on_tick, .sa_flags = SA_SIGINFO | SA_RESTART};
	struct sigaction alarm = {.sa_handler = on_alarm};
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1};
	struct itimerval real = {{2 * LONG_S, 0}, {LONG_S, 0}};
	struct itimerspec every = {{0, TICK_NS}, {0, TICK_NS}};
	struct itimerspec once = {{0, 0}, {LONG_S, 0}};

	sigaction(SIGUSR1, &tick, NULL);
	sigaction(SIGALRM, &alarm, NULL);
	if (setitimer(ITIMER_REAL, &real, NULL))
		return victim_fail("setitimer: %m");
	ev.sigev_value.sival_int = TICK_VALUE;
	if (timer_create(CLOCK_MONOTONIC, &ev, &periodic) ||
	    timer_settime(periodic, 0, &every, NULL))
		return victim_fail("the periodic timer: %m");
	ev.sigev_value.sival_int = 0;
	ev.sigev_signo = SIGALRM;
	if (timer_create(CLOCK_MONOTONIC, &ev, &one_shot) ||
	    timer_settime(one_shot, 0, &once, NULL))
		return victim_fail("the one-shot timer: %m");
	getitimer(ITIMER_REAL, &real_before);
	timer_gettime(one_shot, &one_shot_before);
	return 0;
}

static long long ns(struct timespec t)
{
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long us(struct timeval t)
{
	return t.tv_sec * 1000000LL + t.tv_usec;
}

static int check(void)
{
	struct itimerval real;
	struct itimerspec p, o;
	struct timespec pause = {0, TICK_NS};
	int seen = ticks, tries;

	if (getitimer(ITIMER_REAL, &real) || us(real.it_interval) != us(real_before.it_interval) ||
	    us(real.it_value) <= 0 || us(real.it_value) >= us(real_before.it_value))
		return victim_fail("ITIMER_REAL has %lld us left and %lld us interval, set at %lld "
				   "and %lld",
				   us(real.it_value), us(real.it_interval),
				   us(real_before.it_value), us(real_before.it_interval));
	if (timer_gettime(one_shot, &o) || ns(o.it_interval) || ns(o.it_value) <= 0 ||
	    ns(o.it_value) >= ns(one_shot_before.it_value))
		return victim_fail("the one-shot timer has %lld ns left, set at %lld",
				   ns(o.it_value), ns(one_shot_before.it_value));
	if (timer_gettime(periodic, &p) || ns(p.it_interval) != TICK_NS)
		return victim_fail("the periodic timer's interval is %lld ns", ns(p.it_interval));

	for (tries = 0; tries < 250 && ticks < seen + 3; tries++)
		nanosleep(&pause, NULL);
	if (ticks < seen + 3)
		return victim_fail("the periodic timer stopped ticking");
	return wrong_value ? victim_fail("a tick came without its value") : 0;
}

const struct victim victim = {
	.setup = setup,
	.check = check,
};
