// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * eventfd, signalfd and timerfd. Two eventfds: a non-blocking semaphore
 * and one whose count does not fit an int. A signalfd for SIGUSR1 only
 * (SIGUSR1 and SIGUSR2 blocked). Four timerfds: a periodic one far from
 * expiry, a one-shot one due soon, which may expire before the dump or
 * after the restore, one that expired before the dump, unread, and one
 * armed at an absolute wall-clock time, cancelled if the clock is set. An
 * epoll watching the big eventfd (ready) and the periodic timer (not).
 * Afterwards the counts, the flags, the signals taken, the timers'
 * expiries and the epoll's targets and their data are as set up.
 * With "--epoll-closed-target yes" the epoll also watches a file whose fd
 * is closed, which crtool refuses to dump.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "victim.h"

#define SEM_COUNT 5
#define BIG_COUNT 0x100000005ull
#define PERIOD_SEC 100
#define BIG_DATA 0x1234567890abcdefull
#define PERIODIC_DATA 7
#define ABS_SEC 1000

static int sem_efd, big_efd, sfd, periodic_tfd, oneshot_tfd, expired_tfd, abs_tfd, epfd;

static int closed_target;

static int option(const char *name, const char *value)
{
	if (strcmp(name, "epoll-closed-target") || strcmp(value, "yes"))
		return -1;
	closed_target = 1;
	return 0;
}

/* Watch a duplicate of the big eventfd, then close the duplicate. */
static int watch_closed_fd(void)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = BIG_DATA};
	int dup_fd = dup(big_efd);

	if (dup_fd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, dup_fd, &ev) || close(dup_fd))
		return victim_fail("watching a closed fd: %m");
	return 0;
}

static int setup(void)
{
	struct itimerspec periodic = {.it_value = {PERIOD_SEC, 0}, .it_interval = {PERIOD_SEC, 0}};
	struct itimerspec oneshot = {.it_value = {0, 200 * 1000 * 1000}};
	struct itimerspec soon = {.it_value = {0, 1000}}, absolute = {0};
	uint64_t big = BIG_COUNT;
	struct epoll_event big_ev = {.events = EPOLLIN, .data.u64 = BIG_DATA};
	struct epoll_event periodic_ev = {.events = EPOLLIN | EPOLLET, .data.u64 = PERIODIC_DATA};
	struct pollfd pfd;
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &mask, NULL))
		return victim_fail("sigprocmask: %m");
	sigdelset(&mask, SIGUSR2);
	sem_efd = eventfd(SEM_COUNT, EFD_SEMAPHORE | EFD_NONBLOCK);
	big_efd = eventfd(0, 0);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK);
	periodic_tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	oneshot_tfd = timerfd_create(CLOCK_BOOTTIME, TFD_CLOEXEC);
	expired_tfd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	abs_tfd = timerfd_create(CLOCK_REALTIME, 0);
	epfd = epoll_create1(0);
	if (sem_efd < 0 || big_efd < 0 || sfd < 0 || periodic_tfd < 0 || oneshot_tfd < 0 ||
	    expired_tfd < 0 || abs_tfd < 0 || epfd < 0)
		return victim_fail("creating the fds: %m");
	clock_gettime(CLOCK_REALTIME, &absolute.it_value);
	absolute.it_value.tv_sec += ABS_SEC;
	if (write(big_efd, &big, sizeof(big)) != sizeof(big) ||
	    timerfd_settime(periodic_tfd, 0, &periodic, NULL) ||
	    timerfd_settime(oneshot_tfd, 0, &oneshot, NULL) ||
	    timerfd_settime(expired_tfd, 0, &soon, NULL) ||
	    timerfd_settime(abs_tfd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &absolute, NULL) ||
	    epoll_ctl(epfd, EPOLL_CTL_ADD, big_efd, &big_ev) ||
	    epoll_ctl(epfd, EPOLL_CTL_ADD, periodic_tfd, &periodic_ev))
		return victim_fail("setting the fds up: %m");
	/* Waits for the expiry without reading it. */
	pfd = (struct pollfd){.fd = expired_tfd, .events = POLLIN};
	if (poll(&pfd, 1, -1) != 1)
		return victim_fail("poll: %m");
	return closed_target ? watch_closed_fd() : 0;
}

static int check_eventfds(void)
{
	uint64_t v;

	if ((fcntl(sem_efd, F_GETFL) & O_NONBLOCK) != O_NONBLOCK ||
	    (fcntl(big_efd, F_GETFL) & O_NONBLOCK))
		return victim_fail("the eventfds' flags changed");
	/* A semaphore gives 1 per read, as often as its count. */
	for (int i = 0; i < SEM_COUNT; i++)
		if (read(sem_efd, &v, sizeof(v)) != sizeof(v) || v != 1)
			return victim_fail("semaphore read %d: %m (%llu)", i,
					   (unsigned long long)v);
	if (read(sem_efd, &v, sizeof(v)) != -1 || errno != EAGAIN)
		return victim_fail("the semaphore counted more than %d", SEM_COUNT);
	if (read(big_efd, &v, sizeof(v)) != sizeof(v) || v != BIG_COUNT)
		return victim_fail("the eventfd held %#llx, not %#llx", (unsigned long long)v,
				   BIG_COUNT);
	return 0;
}

static int check_signalfd(void)
{
	struct signalfd_siginfo si;
	sigset_t usr2;

	if ((fcntl(sfd, F_GETFL) & O_NONBLOCK) != O_NONBLOCK)
		return victim_fail("the signalfd's flags changed");
	/* SIGUSR2 is not its signal: it stays pending, unread. */
	if (raise(SIGUSR2) || read(sfd, &si, sizeof(si)) != -1 || errno != EAGAIN)
		return victim_fail("the signalfd took a signal not in its mask");
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	if (sigwaitinfo(&usr2, NULL) != SIGUSR2)
		return victim_fail("SIGUSR2 was not pending: %m");
	if (raise(SIGUSR1) || read(sfd, &si, sizeof(si)) != sizeof(si))
		return victim_fail("no SIGUSR1 from the signalfd: %m");
	if (si.ssi_signo != SIGUSR1 || si.ssi_pid != (uint32_t)getpid())
		return victim_fail("the signalfd gave signal %u from %u", si.ssi_signo, si.ssi_pid);
	return 0;
}

/* The flags @fd was last armed with, as its fdinfo shows them (octal): -1 if not shown. */
static int settime_flags(int fd)
{
	char path[64], line[128];
	unsigned int flags;
	int ret = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "settime flags: %o", &flags) == 1)
			ret = (int)flags;
	fclose(f);
	return ret;
}

/* The absolute timer: armed as it was, due when it was (the clock was not set). */
static int check_absolute_timerfd(void)
{
	int flags = settime_flags(abs_tfd);
	struct itimerspec its;

	if (flags != (TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET))
		return victim_fail("the absolute timer was armed with flags %#o, not %#o", flags,
				   TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET);
	if (timerfd_gettime(abs_tfd, &its))
		return victim_fail("timerfd_gettime: %m");
	if ((its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) ||
	    its.it_value.tv_sec >= ABS_SEC)
		return victim_fail("the absolute timer has %lld.%09ld s left",
				   (long long)its.it_value.tv_sec, its.it_value.tv_nsec);
	return 0;
}

static int check_timerfds(void)
{
	struct itimerspec its;
	uint64_t ticks = 0;

	if (timerfd_gettime(periodic_tfd, &its))
		return victim_fail("timerfd_gettime: %m");
	if (its.it_interval.tv_sec != PERIOD_SEC || its.it_interval.tv_nsec ||
	    (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) ||
	    its.it_value.tv_sec >= PERIOD_SEC)
		return victim_fail("the periodic timer has %lld.%09ld s left, every %lld.%09ld s",
				   (long long)its.it_value.tv_sec, its.it_value.tv_nsec,
				   (long long)its.it_interval.tv_sec, its.it_interval.tv_nsec);
	if ((fcntl(oneshot_tfd, F_GETFD) & FD_CLOEXEC) != FD_CLOEXEC)
		return victim_fail("the one-shot timer lost close-on-exec");
	/* Blocks until it expires, if it has not yet. */
	if (read(oneshot_tfd, &ticks, sizeof(ticks)) != sizeof(ticks) || ticks != 1)
		return victim_fail("the one-shot timer expired %llu times: %m",
				   (unsigned long long)ticks);
	if (timerfd_gettime(oneshot_tfd, &its) || its.it_value.tv_sec || its.it_value.tv_nsec)
		return victim_fail("the one-shot timer is armed again");
	ticks = 0;
	if (read(expired_tfd, &ticks, sizeof(ticks)) != sizeof(ticks) || ticks != 1)
		return victim_fail("the expired timer gives %llu expirations: %m",
				   (unsigned long long)ticks);
	return check_absolute_timerfd();
}

static int check_epoll(void)
{
	struct epoll_event ev[4], any = {.events = EPOLLIN};
	int n = epoll_wait(epfd, ev, 4, 0);

	/* The big eventfd is ready (twice when its closed duplicate is watched too). */
	if (n != 1 + closed_target)
		return victim_fail("epoll gave %d events: %m", n);
	for (int i = 0; i < n; i++)
		if (ev[i].events != EPOLLIN || ev[i].data.u64 != BIG_DATA)
			return victim_fail("epoll gave events %#x with %#llx", ev[i].events,
					   (unsigned long long)ev[i].data.u64);
	/* The watched fds are in it, the others not. */
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, big_efd, &any) != -1 || errno != EEXIST ||
	    epoll_ctl(epfd, EPOLL_CTL_ADD, periodic_tfd, &any) != -1 || errno != EEXIST)
		return victim_fail("the epoll lost a target");
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, sem_efd, &any))
		return victim_fail("the epoll watches a fd it did not: %m");
	return 0;
}

static int check(void)
{
	if (check_epoll() || check_eventfds() || check_signalfd())
		return -1;
	return check_timerfds();
}

const struct victim victim = {
	.option = option,
	.setup = setup,
	.check = check,
};
